"""Text normalisation shared by the index and the queries: one tokenizer, so both sides agree.

Korean is agglutinative: ``도커는``, ``SQLAlchemy가``, ``zappa란?`` carry particles and
question endings glued to the word people mean. Tokens are split where the script changes, and
Hangul tokens get their particle-stripped stems as variants (`knowledge.hangul`).

Slack's wire format is read here and only here (`clean_slack_text`): the bot's listeners and
the search both go through it.
"""

from __future__ import annotations

import functools
import html
import itertools
import re
import unicodedata

from knowledge import data, textutil
from knowledge.hangul import (
    GrammarForms,
    choseong,
    fewest_pieces,
    is_choseong,
    is_ending,
    is_hangul,
    jamo,
    looks_like_predicate,
    predicate_stems,
    strip_endings,
    without_particle,
)

__all__ = [
    "NEGATIONS",
    "asks_as_verb",
    "choseong",
    "clean_slack_text",
    "clean_text",
    "compact",
    "grammar_words",
    "is_choseong",
    "is_hangul",
    "jamo",
    "latin_parts",
    "negates",
    "question_intents",
    "question_words",
    "small_talk",
    "small_talk_word",
    "stems",
    "tokens",
    "without_numbering",
]

# Slack sends mentions and links as <@U123|name>, <!channel>, <#C1|general>, <https://x|text>.
# This and the other patterns a question may not need (its text holds no "<", "@", apostrophe
# or compatibility jamo) are compiled at first use, and used only on a text that can match:
# a cold /til compiled them at import, ~4 M instructions.
_SLACK_MARKUP = textutil.lazy_pattern(
    r"<([@#!])([^>|]*)(?:\|([^>]*))?>|<((?:https?|mailto):[^>|]*)(?:\|([^>]*))?>"
)
_BROADCAST = textutil.lazy_pattern(r"(?<![\w.])@(?:here|channel|everyone)\b", re.I)
_LATIN_TOKEN = r"[a-z0-9]+(?:[._+#-][a-z0-9]+)*[+#]*"
_ASCII_TOKEN = re.compile(_LATIN_TOKEN)
# Compiled at the first text that is not ASCII: re's compiler (Python) builds the class of the
# 11,172 Hangul syllables one character at a time, ~10 M instructions, which a cold process
# asked in English (its alternatives never match ASCII) does not need.
# The look-ahead lets the regex engine skip, by one character-set test, the spaces and marks
# between tokens, where it would try each branch in turn (a quarter less time on Korean notes).
_TOKEN = functools.cache(
    lambda: re.compile(rf"(?=[a-z0-9가-힣ㄱ-ㅎ])(?:{_LATIN_TOKEN}|[가-힣]+|[ㄱ-ㅎ]+)")
)
_COMPAT_JAMO = textutil.lazy_pattern(r"[ㄱ-ㆎ]+")
_COMPAT_JAMO_SPLIT = textutil.lazy_pattern(r"([ㄱ-ㆎ]+)")
_LATIN_PARTS = re.compile(r"[a-z]+|[0-9]+")
# A leading enumeration as people number their notes ("01. ", "3-2) ", "05Queue", "02_Consumer"):
# digits, then a separator or a Latin letter, then a word. Not a date ("06-23-2022", "2022년"),
# which is what the title is about.
_NUMBERING = re.compile(r"^\W*\d+(?:[.\-_)]\d+)*(?:[.\-_)\s]+|(?=[A-Za-z]))(?=[^\W\d_])")


@functools.cache
def question_words() -> frozenset[str]:
    """Words that make a question a question (뭐야, 알려줘, how to); they say nothing of its
    topic (``knowledge/data/question_words.tsv``)."""
    return frozenset(word for row in data.rows("question_words") for word in row[0].split())


@functools.lru_cache(maxsize=4096)
def asks_as_verb(tok: str) -> bool:
    """Whether a word is a question word made a verb (정리된 거 있어?, 정리한, 설명해둔, 궁금한,
    관련된): Korean makes a verb of a noun with 하다/되다, and the question word stays how the
    question is put, as 정리 alone is. Two syllables or more before the verb: 이, 가, 는 are
    particles, not nouns a verb is made of. A verb made a noun with 기 (코드 정리하기) is a
    topic, as `asked_for` reads 쓰기."""
    if len(tok) < 3 or not is_hangul(tok) or tok.endswith("기"):
        return False
    asking, grammar = question_words(), grammar_words()
    return any(tok[:i] in asking and tok[i:] in grammar for i in range(2, len(tok)))


@functools.cache
def question_intents() -> dict[str, tuple[str, ...]]:
    """Interrogative → words an answer's title uses for what it asks (왜 → 이유, why), from
    ``knowledge/data/question_intents.tsv`` (a row may name several spellings that ask alike)."""
    return {
        asking: tuple(row[1].split())
        for row in data.rows("question_intents")
        for asking in row[0].split()
    }


# The words a title negates with: Korean's auxiliaries after a verb (속하지 않는, 쓸 수 없는, 값이
# 아닌) and English's (not, cannot, never; the t of can't and don't, which the tokenizer splits
# off). A closed class of the language, not vocabulary. "without" is left out: "X without Y"
# is a way of doing X, not its opposite.
NEGATIONS = frozenset({"않", "없", "아닌", "아니", "not", "cannot", "never", "t"})
# Korean also negates with a word before the verb (안 속하는, 못 찾는): only a question is read for
# it, since a title's 안 is as often 안에 "inside" cut to its stem.
_NEGATING_ADVERBS = ("안", "못")
_NEGATED_STEMS = ("없", "아닌", "아니")
_CONTRACTION = textutil.lazy_pattern(r"[a-z]n['’]t\b", re.I)


# Two things put side by side: a list mark between words (, / & ·), a conjunction (and, or,
# vs, 및, 또는, 혹은), or a Korean word joined to the next by 랑/이랑/하고/와/과 ("Scanner랑
# BufferedReader", "노드포트와 클러스터아이피"). The marks are a pattern (the right word caught by a
# look-ahead, so that "A, B, C" gives A–B and B–C); the words are looked at one by one: Hangul
# in a pattern costs a cold /til ~1-4 ms to compile.
_LIST_MARK = textutil.lazy_pattern(r"([^\s,/&·()]+?)\s*[,/&·]\s*(?=[(\s]*([^\s,/&·()?]+))")
CONJUNCTIONS = frozenset({"and", "or", "vs", "vs.", "versus", "및", "또는", "혹은"})
_JOINING = ("이랑", "랑", "하고", "와", "과")
_EDGES = "()?!.,:;\"'"


def side_by_side(text: str) -> list[tuple[str, str]]:
    """The pairs of words a question puts side by side ("A, B and C": A–B, B–C; "A랑 B"): it
    may ask about what they are both parts of."""
    pairs = [(m.group(1), m.group(2)) for m in _LIST_MARK().finditer(text)]
    words = [w.strip(_EDGES) for w in text.split()]
    for i, (word, after) in enumerate(itertools.pairwise(words)):
        if not after:
            continue
        if word.lower() in CONJUNCTIONS and i and words[i - 1]:
            pairs += _phrases(words, i - 1, words[i - 1], i + 1)
        joined = next((p for p in _JOINING if word.endswith(p) and len(word) > len(p)), "")
        if joined and after.lower() not in CONJUNCTIONS:
            pairs += _phrases(words, i, word[: -len(joined)], i + 1)
    if not pairs:
        pairs = _compared(words)
    return pairs


def _compared(words: list[str]) -> list[tuple[str, str]]:
    """Two words typed just before the word that asks their difference (`asked_for`: 차이,
    difference, 달라), with nothing between them ("lax strict 차이", "orElse orElseGet
    차이점"): people list what they compare with a space as often as with 랑 or vs."""
    for i in range(2, len(words)):
        if "difference" in asked_for(words[i].lower()):
            a, b = words[i - 2], words[i - 1]
            if a and b and not (_asks(a) or _asks(b) or a.lower() in CONJUNCTIONS):
                return [(a, b)]
    return []


def _phrases(words: list[str], left: int, last: str, right: int) -> list[tuple[str, str]]:
    """The pairs two phrases side by side make. A phrase of two words on the right ("CSSOM 트리",
    "지속적 배포", "session based authentication") has one on the left too ("DOM 트리랑 CSSOM 트리"),
    and a word both say is what they share, not what tells them apart: DOM–CSSOM, 제공–배포.
    A word before a single thing is what it is asked about ("도커 CMD랑 ENTRYPOINT 차이"), no part
    of the list."""
    after = [w for w in words[right : right + 2] if w and w.lower() not in CONJUNCTIONS]
    second = after[1:] and not _asks(after[1])
    if not second:
        return [(last, after[0])] if after else []
    before = words[left - 1] if left else ""
    phrase = [w for w in (before, last) if w and w.lower() not in CONJUNCTIONS]
    mine, theirs = [_bare(w) for w in phrase], [_bare(w) for w in after]
    shared = set(mine) & set(theirs)
    return [
        (a, b)
        for a, bare_a in zip(phrase, mine, strict=True)
        for b, bare_b in zip(after, theirs, strict=True)
        if bare_a not in shared and bare_b not in shared
    ] or [(last, after[0])]


def _asks(word: str) -> bool:
    """Whether a word says how the question is asked (차이가, 뭐고), not what about."""
    return all(
        tok in question_words() or asked_for(tok) or tok in grammar_words() for tok in tokens(word)
    )


def _bare(word: str) -> str:
    """A word as two phrases may share it, whatever its particle (트리, 트리랑)."""
    toks = tokens(word)
    return without_particle(toks[-1]) if toks else word


def negates(text: str) -> bool:
    """Whether a question asks about the negative case (안 속하는, 속하지 않는, 결과 없으면, not,
    can't)."""
    if ("'" in text or "’" in text) and _CONTRACTION().search(text):
        return True
    for tok in tokens(text):
        if tok in _NEGATING_ADVERBS or (tok in NEGATIONS and tok != "t"):
            return True
        # 않 is only ever the negation, wherever a typo puts it (적절하지 은않); 없애 "remove" is
        # not 없 "there is none".
        if is_hangul(tok) and (
            "않" in tok or (tok.startswith(_NEGATED_STEMS) and not tok.startswith("없애"))
        ):
            return True
    return False


@functools.lru_cache(maxsize=4096)
def asked_for(tok: str) -> tuple[str, ...]:
    """What one word of a question asks an answer's title to say, when it is an interrogative
    (왜 → 이유, why; differences → difference) or a form of 쓰다 "use" (써, 쓰면, 쓰는 → 사용, use):
    how a thing is asked about, never the thing. A verb made a noun with 기 (쓰기 "writing") is a
    topic. Memoised: a question's words are asked twice (what to search, what it asks for)."""
    intents = question_intents()
    forms = stems(tok)
    if is_hangul(tok) and not tok.endswith("기"):
        if looks_like_predicate(tok):
            forms += predicate_stems(tok)
        # A one-syllable verb form and a run of endings (써야돼, 쓸까, 쓰는데).
        if len(tok) > 1 and tok[0] in intents and fewest_pieces(tok[1:], is_ending):
            forms.append(tok[0])
    return next((intents[form] for form in forms if form in intents), ())


def intent_words(text: str) -> list[tuple[str, ...]]:
    """What each of the question's interrogatives asks for, once each (``Celery 왜 쓰는 거야`` →
    (왜, 이유, 원인, why, reason), (사용, use))."""
    out: list[tuple[str, ...]] = []
    if not any(word in text for word in question_intents()):
        return out
    for tok in tokens(text):
        words = asked_for(tok)
        if words and words not in out:
            out.append(words)
    return out


@functools.cache
def grammar_words() -> GrammarForms:
    """Korean words that are grammar, in any form a question gives them (있는, 같은, 뭐가, 그걸):
    the stems of ``knowledge/data/function_words.tsv`` with particles and endings."""
    rows = data.rows("function_words")
    return GrammarForms(
        (word for kind, words in rows if kind != "verb" for word in words.split()),
        verbs=(word for kind, words in rows if kind == "verb" for word in words.split()),
    )


def _slack_plain(m: re.Match[str]) -> str:
    if m.group(4):
        return m.group(5) or m.group(4)  # a link: the words shown are what the user wrote
    # Mentions, channel names and @here/@channel: who or where, never what is asked (a question
    # posted in #docker is not about the word "docker" unless the user types it).
    return " "


def clean_slack_text(text: str) -> str:
    """Slack's wire format → what the user typed: mentions, channel names and broadcasts out,
    link text kept (or the bare URL), entities decoded, whitespace collapsed. Markup the user
    typed as text (``&lt;!channel&gt;``) comes back as typed, to be shown escaped."""
    return " ".join(html.unescape(_without_markup(text)).split())


def _without_markup(text: str) -> str:
    """Slack's markup replaced by what it shows (`_slack_plain`); every form opens with "<"."""
    return _SLACK_MARKUP().sub(_slack_plain, text) if "<" in text else text


def clean_text(text: str) -> str:
    """The words to search: `clean_slack_text`, then markup typed as text and ``@here`` out
    too (they are pings, not topics), compatibility forms folded (ｐｙｔｈｏｎ → python)."""
    if ":" in text:
        # Slack writes an emoji as its code (감사합니다 :pray:, 도커 뭐야 :thinking_face:): a
        # picture, not a word of the question.
        text = textutil.emoji_codes().sub(" ", text)
    if "<" in text or "&" in text or "@" in text:
        text = _without_markup(clean_slack_text(text))
        if "@" in text:
            text = _BROADCAST().sub(" ", text)
    else:
        # No markup, entity or ping (most questions): only the whitespace to collapse.
        text = " ".join(text.split())
        if text.isascii():
            return text  # NFKC leaves ASCII as it is
    # NFKC would turn typed initial consonants (ㅎㄱ) into conjoining jamo; keep those as typed,
    # but laughter and tears (ㅋㅋ, ㅠㅠ), which are how a question is said, not what it asks.
    parts = _COMPAT_JAMO_SPLIT().split(text)
    kept = "".join(
        (" " if _is_filler(part) else part)
        if _COMPAT_JAMO().match(part)
        else unicodedata.normalize("NFKC", part)
        for part in parts
    )
    return " ".join(kept.split()) if len(parts) > 1 else kept


@functools.cache
def _small_talk() -> tuple[dict[str, str], frozenset[str]]:
    """Small-talk words by kind, and the letters typed as laughter or tears
    (``knowledge/data/small_talk.tsv``)."""
    kinds: dict[str, str] = {}
    letters: frozenset[str] = frozenset()
    for kind, words in data.rows("small_talk"):
        if kind == "filler":
            letters = frozenset(words.split())
        else:
            kinds.update(dict.fromkeys(words.split(), kind))
    return kinds, letters


def _is_filler(run: str) -> bool:
    """A run of Hangul letters typed as laughter or tears: ㅋㅋ, ㅎㅎㅎ, ㅠㅠ, ㅜ (a lone
    consonant is too little to tell from a letter)."""
    letters = _small_talk()[1]
    return set(run) <= letters and (len(run) > 1 or not is_choseong(run))


def _talk_kind(tok: str) -> str:
    """The kind of small talk a token is (its particle or ending off: 안녕하세요, 고마워요), or ""."""
    kinds, _ = _small_talk()
    return kinds.get(tok) or next((kinds[s] for s in stems(tok)[1:] if s in kinds), "")


# The kinds of small talk that are how a message is said, wherever they stand; a request for
# help or a word of using something may be part of a question ("helm help", "docker 사용법").
_FILLER_KINDS = frozenset({"greeting", "thanks", "laughter"})


def small_talk_word(tok: str) -> bool:
    """Whether a query token is a greeting, thanks or laughter (안녕, 고마워, hi, thanks, lol):
    how a message is said wherever it stands ("안녕 도커가 뭐야?"), never what it asks."""
    return _talk_kind(tok) in _FILLER_KINDS


def small_talk(text: str) -> str:
    """What a message that is no question is: "thanks" (고마워요, thank you), "help" (help me,
    도움말 보여줘, how do I use this bot), "greeting" (안녕, hi), "laughter" (ㅋㅋ, lol), "ack"
    (ㅇㅋ, 넵 알겠습니다), or "" for anything else. Such a message is made only of these words, question words, grammar
    and whom it is said to ("안녕 봇", "thanks all")."""
    said: set[str] = set()
    for tok in tokens(clean_text(text)):
        kind = _talk_kind(tok)
        if kind:
            said.add(kind)
        elif tok not in question_words() and tok not in grammar_words():
            return ""
    if not said:
        laughed = any(_is_filler(run) for run in _COMPAT_JAMO().findall(clean_slack_text(text)))
        return "laughter" if laughed else ""
    if "use" in said:
        if not said & {"help", "bot"}:
            return ""  # "how do I use this": using something, but not the bot
        said.add("help")
    return next((k for k in ("thanks", "help", "greeting", "laughter", "ack") if k in said), "")


# An operator written alone (`$@`, `==`, `?.`, `&&`, `=~`, `::`): a run of signs no letter or
# digit touches. One sign alone is punctuation or a separator (A - B, A / B, C + D).
_SIGN = textutil.lazy_pattern(r"(?<![A-Za-z0-9_])[!$%&*+\-./:;<=>?@\\^|~]{2,4}(?![A-Za-z0-9_])")
# Runs of one sign that are rules, ellipses, markup or chat (^^, ;;), not operators.
_NOT_SIGNS = frozenset("-.~*/^;")
_ENDING = frozenset("?!.~")
_SIGN_CHARS = frozenset("!$%&*+-./:;<=>?@\\^|~")


def signs(text: str) -> list[str]:
    """The operators a text names by their signs (``$@과 $* 차이`` → ``$@``; ``?. 연산자`` →
    ``?.``): `tokens` has no word for them. Marks that end a sentence (뭐야??, 왜?!) are not
    operators, nor are rules and ellipses (---, ...)."""
    # Every title of a build and every question pass here: one scan in C for a sign at all.
    if _SIGN_CHARS.isdisjoint(text):
        return []
    out: list[str] = []
    for m in _SIGN().finditer(text):
        run = m.group()
        if len(set(run)) == 1 and run[0] in _NOT_SIGNS:
            continue
        if set(run) <= _ENDING and not text[m.end() :].strip(" ?!.~\t\n"):
            continue  # the question's own ending
        if run not in out:
            out.append(run)
    return out


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens, split where Latin meets Hangul (``sqlalchemy가`` → two)."""
    lower = text.lower()
    return (_ASCII_TOKEN if lower.isascii() else _TOKEN()).findall(lower)


def latin_parts(token: str) -> list[str]:
    """``secret_key`` → ``secret``, ``key``; ``manage.py`` → ``manage``, ``py``."""
    parts = _LATIN_PARTS.findall(token)
    return parts if len(parts) > 1 else []


def stems(token: str) -> list[str]:
    """The token, then what is left after each particle/ending that it ends with."""
    if not is_hangul(token):
        return [token, *_english_stems(token)]
    out = [token, *strip_endings(token)]
    # A noun made with the suffix 점 "point", 책 "measure", 별 "by each" or 성 "-ity" (문제점,
    # 차이점, 해결책, 주기별, 재진입성) is its noun's (문제, 차이, 해결, 주기, 재진입): "무슨 문제가
    # 생겨?" asks for "…문제점", "crontab 주기 예제" for "주기별 예제", as linearity is linear's.
    # Two syllables are a word of their own (관점, 정책, 구별, 속성).
    for form in out[:]:
        if len(form) >= 3 and form[-1] in "점책별성" and form[:-1] not in out:
            out.append(form[:-1])
    return out


def _english_stems(token: str) -> list[str]:
    """A light English stemmer: redirection → redirect, migrations → migration, images → image."""
    if not token.isalpha() or len(token) < 5:
        return []
    out = []
    if token.endswith("ies"):
        out.append(token[:-3] + "y")
    elif token.endswith("s") and not token.endswith("ss"):
        out.append(token[:-1])
        if token.endswith(("sses", "xes", "ches", "shes", "zes")):
            out.append(token[:-2])  # addresses → address, patches → patch (caches → cache)
        elif token.endswith(("ases", "ises", "uses")) and len(token) >= 7:
            # aliases → alias, statuses → status (databases → databas too: no word).
            out.append(token[:-2])
    for suffix, minimum in (("ing", 6), ("ion", 7), ("ed", 5)):
        if token.endswith(suffix) and len(token) >= minimum:
            root = token[: -len(suffix)]
            out.append(root)
            if suffix != "ion" and root[-1] == root[-2] and root[-1] not in "lsz":
                out.append(root[:-1])  # running → run, mapped → map
            elif root[-1] not in "aeiouy" and root[-2] in "aeiou":
                out.append(root + "e")  # creating → create, named → name, creation → create
    if token.endswith("ation") and len(token) >= 8:
        out.append(token[:-5] + "e")  # restoration → restore, configuration → configure
    if token.endswith("ity") and len(token) >= 8:
        # A quality is its adjective's: linearity → linear, atomicity → atomic, complexity →
        # complex, scalability → scalable, connectivity → connective. Only after the endings
        # that make such adjectives: authority is no author, priority no prior.
        root = token[:-3]
        if root.endswith("bil"):
            out.append(root[:-2] + "le")
        elif root.endswith("iv"):
            out.append(root + "e")
        elif root.endswith(("al", "ar", "ic", "ex")):
            out.append(root)
    if token.endswith("ly") and len(token) >= 7:
        # An adverb is its adjective's: manually → manual, easily → easy, and -ically is
        # -ic's or -ical's (automatically → automatic, logically → logical). Seven letters
        # keep apply and family.
        root = token[:-3] + "y" if token.endswith("ily") else token[:-2]
        out.append(root)
        if root.endswith("ical"):
            out.append(root[:-2])
    return out


def without_numbering(title: str) -> str:
    """The title without its leading enumeration (``01. What is webpack?`` → ``What is
    webpack?``); unchanged when it has none."""
    return _NUMBERING.sub("", title, count=1)


def signs_form(text: str) -> str:
    """A text with no word (a title "#", "=>") as it is typed: lower-case, no spaces."""
    return "".join(text.lower().split())


def compact(text: str) -> str:
    """Lower-case letters and digits only: ``Git Reset`` and ``gitreset`` compare equal."""
    return "".join(tokens(text))
