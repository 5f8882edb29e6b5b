"""Hangul as text: syllables and their letters, particles and endings, splitting glued words.

The one place that knows how a Hangul syllable is built (``(initial * 21 + vowel) * 28 +
final`` from U+AC00) and which particles glue onto Korean words. `normalize`, `loanwords` and
`search` all read Korean through it. It imports nothing of ours and nothing outside the
standard library, and does no work at import beyond building a few small tuples.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable

SYLLABLE_FIRST, SYLLABLE_LAST = 0xAC00, 0xD7A3
_FIRST_SYLLABLE, _LAST_SYLLABLE = chr(SYLLABLE_FIRST), chr(SYLLABLE_LAST)
INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
VOWELS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
FINALS = " ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"

# Particles and endings that glue onto any word in a question or a note (도커는, 배포하는법),
# longest first so 에서는 is tried before 는. Korean grammar, not vocabulary: a closed class.
ENDINGS: tuple[str, ...] = tuple(
    sorted(
        """
        이란 이라는 이라고 이라면 에서는 에서도 에서 으로는 으로 에게 한테 까지 부터 처럼 보다 이랑 랑 이나
        이야 이에요 예요 이지 인가요 인가 인지 란 은 는 이 가 을 를 에 의 와 과 도 로 만 요 에는
        하는법 하는방법 하는 하기 하다 하면 하려면 해서 해야 했다 한다 하고 할때 할 시 적 적인 들 들이 들을
        되는 되면 되려면 되어 돼서 되고 되기 된다 됐다 된 됨 될때 될
        """.split(),
        key=len,
        reverse=True,
    )
)
_ENDING_SET = frozenset(ENDINGS)
# A light verb before the 지 of a long negation or prohibition (사용하지 않는, 변경되지 마): 지
# alone is no ending (이미지, 페이지), but after 하 or 되 it is.
_NEGATED_VERB = ("하지", "되지")
_ENDING_LENGTHS = sorted({len(s) for s in ENDINGS}, reverse=True)

# What glues onto a loanword in running text (장고에서, 커밋하는, 브랜치명): the particles plus
# light verbs (하다, 되다) and the 명 "name" suffix. Peeled one at a time, longest first.
LOANWORD_SUFFIXES: tuple[str, ...] = tuple(
    sorted(
        """
        으로부터 로부터 에서는 에서도 에서의 이라는 이라고 이라면 으로는 으로도 입니다 이에요 이었다
        했는데 하려면 합니다 됩니다 시키는 되는 되어 된다 하다 했다 하는 하기 하면 해서 하고 하여
        하며 하지 하던 했던 해야 해줘 이란 이라 이다 에서 에게 한테 으로 까지 부터 처럼 보다 이나
        이랑 에는 에도 과의 와의 라는 라고 라면 라서
        의 은 는 이 가 을 를 에 로 와 과 도 만 란 랑 나 께 한 할 해 된 될 시 명
        """.split(),
        key=len,
        reverse=True,
    )
)
_LOANWORD_SUFFIX_SET = frozenset(LOANWORD_SUFFIXES)
# The copula 이다 glued to a noun (음수인 "that is negative", 필수임, 무엇일): grammar.
_COPULA = frozenset(("인", "임", "일", "이다", "이고", "이며"))
PLURAL = "들"


# Endings that close or link a Korean verb (만드는 "that makes", 올리려면 "to upload", 지우기
# "deleting", 둬야돼 "must put", 할까, 안 되는데 "it does not, but"): a question's predicate
# rather than its topic.
_PREDICATE_ENDINGS = tuple(
    sorted(
        """
        는 기 게 고 면 려고 려면 러 법 거 돼 돼요 됨 함 해 해요 까 까요 나요 죠 지 니 냐 래 줘 요
        는데 던데
        """.split(),
        key=len,
        reverse=True,
    )
)


# What follows a grammatical stem in a question: particles, and the endings that close or link
# a verb (있는, 있어, 같은, 하면, 되는지, 뭐가, 그걸로). 요 is left out: 주요 and 중요 are words.
_GRAMMAR_ENDINGS = tuple(
    """
    은 는 이 가 을 를 에 의 도 만 로 으로 에서 에게 한테 랑 이랑 과 와 나 이나 야 이야 란 이란 라 이라
    든 든지 부터 까지 처럼 보다 걸 건 고 게 지 다 면 으면 니 냐 던 서 어서 아서 어야 아야 려면 으려면 려고
    기 음 는데 은데 는지 은지 을지 을까 나요 어요 아요 니까 으니까 도록 면서 으면서 로는 에는 에도 으로는 어 아
    """.split()
)


_GRAMMAR_ENDING_SET = frozenset(_GRAMMAR_ENDINGS)
# Particles no verb takes: a verb stem before one is a noun spelled alike (주의 "caution", 주에
# "in a week", 해가 "the sun"), a word to find, not the auxiliary 주 or 해.
_NOUN_ONLY = frozenset(
    "의 에 에서 에게 한테 와 과 를 가 랑 이랑 부터 까지 처럼 보다 로 으로 로는 에는 에도 으로는 이나 이란 이라".split()
)
_GRAMMAR_ENDING_LENGTHS = sorted({len(e) for e in _GRAMMAR_ENDINGS})
# Endings only a verb takes: a pronoun or bound noun before one is the first syllable of a
# noun spelled alike (제어 "control" is no 제 + 어, 중지 "stop" no 중 + 지, 수면 "sleep" no 수 + 면
# after a consonant). A noun ending in a vowel takes the copula's endings with its 이 dropped
# (뭐지, 이거면, 어디야), as do 건 and 뭔, which hold the copula already (건지 = 것인지); after
# another consonant the 이 stays (것이지), so they are verb endings there.
_VERB_ONLY = frozenset(
    "어 아 어서 아서 어야 아야 기 음 는데 은데 는지 은지 을지 을까 나요 어요 아요 니까 으니까 도록 "
    "면서 으면서 으면 려면 으려면 려고 게 던".split()
)
_COPULA_DROPPED = frozenset("지 니 냐 면 다 고".split())


# Particles that follow only a noun (채널스에서, 차이가, 기능을): a word named back to the asker is
# shown without them. 는, 은, 도, 만 and 로 are left out: they also end a verb or a noun (만드는,
# 작은, 포도, 시간만, 경로).
_NOUN_PARTICLES = tuple(
    sorted(
        """
        에서는 에서도 에서 으로는 으로 에게 한테 까지 부터 처럼 보다 이랑 이란 이라는 를 을 가 이 의 와 과
        에는 에
        """.split(),
        key=len,
        reverse=True,
    )
)


def without_particle(word: str) -> str:
    """The Hangul word without a particle that only follows a noun, when two syllables or more
    are left (차이가 → 차이; 결과 stays, 과 being its own syllable)."""
    if is_hangul(word):
        for particle in _NOUN_PARTICLES:
            if word.endswith(particle) and len(word) - len(particle) >= 2:
                return word[: -len(particle)]
    return word


def is_ending(piece: str) -> bool:
    """Whether a Hangul piece is a particle, a verb ending or a suffix that glues onto words
    (를, 된, 한, 서, 명): grammar, never a noun of its own."""
    return (
        piece in _ENDING_SET
        or piece in _COPULA
        or piece in _GRAMMAR_ENDING_SET
        or piece in _LOANWORD_SUFFIX_SET
        or only_endings(piece)
    )


def only_endings(word: str) -> bool:
    """Whether a Hangul piece is nothing but verb endings (는법, 려면): what is left when a verb
    form is cut after its stem (만드 + 는법), grammar rather than a word."""
    if not word:
        return True
    return is_hangul(word) and any(
        word.startswith(ending) and only_endings(word[len(ending) :])
        for ending in _PREDICATE_ENDINGS
    )


class GrammarForms:
    """Every form of some grammatical stems in a question: each stem alone, a Hangul stem with a
    particle or ending, and a light verb (하, 되) with an ending written as its final consonant
    (한, 할, 된). A word is checked by taking its ending off, not looked up among every form:
    listing them all (stems × endings) was most of a cold process's first question."""

    def __init__(self, stems: Iterable[str], verbs: Iterable[str] = ()) -> None:
        self._verbs = frozenset(verbs)
        self._stems = frozenset(stems) | self._verbs
        # English function words take no Korean endings.
        self._hangul = frozenset(stem for stem in self._stems if is_hangul(stem))
        light: set[str] = set()
        for stem in ("하", "되"):
            initial, vowel, _ = decompose(stem)
            light.update(compose(initial, vowel, final) for final in "ㄴㄹㅁㅂ")
        # An auxiliary of two syllables or more takes its adnominal ending as a final consonant
        # too (해두 → 해둔 거, 해주 → 해준): whole words, so 준 and 둔 alone stay nouns' syllables.
        for verb in self._verbs:
            initial, vowel, final = decompose(verb[-1]) if is_syllable(verb[-1]) else ("", "", "x")
            if len(verb) > 1 and not final:
                light.update(verb[:-1] + compose(initial, vowel, end) for end in "ㄴㄹ")
        # The interrogative 뭐 contracts with 이/을 into a final consonant (뭔 = 뭐인, 뭘 = 뭐를)
        # and still takes endings: 뭔지, 뭔가요, 뭘로. Not the light verbs': 한도, 할인 are words.
        initial, vowel, _ = decompose("뭐")
        contracted = {compose(initial, vowel, final) for final in "ㄴㄹ"}
        self._light = frozenset(light | contracted)
        self._hangul |= contracted

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        if word in self._stems or word in self._light:
            return True
        if not is_hangul(word):
            return False  # what is left before an ending is a Hangul stem: so is the word
        return any(
            ending in _GRAMMAR_ENDING_SET
            and stem in self._hangul
            and (ending not in _NOUN_ONLY if stem in self._verbs else _noun_takes(stem, ending))
            for length in _GRAMMAR_ENDING_LENGTHS
            for stem, ending in ((word[:-length], word[-length:]),)
        )


def _noun_takes(stem: str, ending: str) -> bool:
    """Whether a noun (a pronoun, a bound noun) takes this particle or ending."""
    if ending in _VERB_ONLY:
        return False
    return ending not in _COPULA_DROPPED or decompose(stem[-1])[2] in ("", "ㄴ")


# The connective form of a verb (나눠 "dividing", 지워서, 늘려, 묶어서, 보내서) fuses the stem's last
# vowel with 어: 우+어 → 워, 이+어 → 여. Undoing the fusion gives the stem the 기 form of a word
# list has (나누기 → 나누). ㅘ (오+아) is left out: 와 is also the particle "and" (도커와).
_FUSED = {"ㅝ": "ㅜ", "ㅕ": "ㅣ"}


def connective_stem(word: str) -> str | None:
    """The verb stem of a connective form, alone or before 서 (가둬서 → 가두, 늘려 → 늘리,
    묶어서 → 묶, 쪼개서 → 쪼개), or None. A bare 어/아 (묶어) is not read: 언어 and 단어 are
    nouns; before 서 it is a verb (순서 and 문서 have no 어/아 or open vowel before it)."""
    if not is_hangul(word) or len(word) < 2:
        return None
    body = word[:-1] if word.endswith("서") and len(word) > 2 else word
    initial, vowel, final = decompose(body[-1]) if is_syllable(body[-1]) else ("", "", "x")
    if final:
        return None
    if body != word:
        if body[-1] in "어아" and len(body) >= 2 and decompose(body[-2])[2]:
            return body[:-1]  # 묶어서 → 묶
        if vowel in "ㅐㅔ":
            return body  # 보내서 → 보내: the stem ends in the vowel 어 would fuse into
    if vowel in _FUSED:
        return body[:-1] + compose(initial, _FUSED[vowel])
    return None


# Auxiliary verbs after a verb's connective form (만들어 두다 "make and keep", 설정해 놓다 "set up
# beforehand", 지워 버리다 "delete for good"): how the deed is done, not what is done. A closed
# class of Korean grammar, glued to the verb as people type it (만들어두고, 설정해놓은, 켜둔).
_AUXILIARIES = (
    *("버리", "버려", "버린", "버릴", "두", "둬", "뒀", "둔", "둘", "놓", "놔", "놨"),
    *("주", "줘", "줄", "준"),  # for someone: 정리해줄래, 만들어주는, 설치해줘
)
# What follows an auxiliary besides the verb endings above: 놓은, 놓았다, 둬서, 둔데, 줄래.
_AUXILIARY_ENDINGS = frozenset(
    ("은", "을", "아", "아서", "았", "았다", "서", "다", "데", "야", "래", "래요", "세요")
)


def auxiliary_stem(word: str) -> str | None:
    """The main verb's stem of a verb glued to an auxiliary (설정해놓은 → 설정, 만들어두고 → 만들,
    띄워놓고 → 띄우, 되돌려버리는 → 되돌리), or None."""
    if not is_hangul(word) or len(word) < 3 or not any(aux in word for aux in _AUXILIARIES):
        return None
    for aux in _AUXILIARIES:
        at = word.find(aux, 1)
        if at < 0:
            continue
        rest = word[at + len(aux) :]
        if rest and rest not in _AUXILIARY_ENDINGS and not only_endings(rest):
            continue
        head = word[:at]
        if head.endswith("해") and len(head) >= 3:
            return head[:-1]  # 설정해 → 설정 (하다 verbs: the noun is what the notes write)
        if head[-1] in "어아" and len(head) >= 2 and decompose(head[-2])[2]:
            return head[:-1]  # 만들어 → 만들
        stem = connective_stem(head)
        if stem:
            return stem  # 띄워 → 띄우, 되돌려 → 되돌리
        if len(head) >= 2 and decompose(head[-1])[1] in "ㅐㅔ" and not decompose(head[-1])[2]:
            return head  # 보내 → 보내
    return None


def predicate_stems(word: str) -> list[str]:
    """A Hangul verb form without each verb ending it may end with (찾기 → 찾, 합치고 → 합치,
    나눠서 → 나누, 만들어두고 → 만들)."""
    # Most words (every noun) end in no verb ending: one call in C instead of one per ending.
    out = (
        [word[: -len(e)] for e in _PREDICATE_ENDINGS if word.endswith(e) and len(word) > len(e)]
        if word.endswith(_PREDICATE_ENDINGS)
        else []
    )
    for stem in (connective_stem(word), auxiliary_stem(word)):
        if stem and stem not in out:
            out.append(stem)
    return out


def informal_verb(word: str) -> bool:
    """Whether a Hangul word ends as a verb does in plain speech: 아 or 어 after a closed
    syllable (막아, 찾아, 읽어, 넣어). Nouns end so too (단어, 언어), but hardly an English word
    spelled in Hangul (싱어): a syllable starting with a vowel after a closed one is a Korean
    ending far more often than a foreign sound."""
    return (
        len(word) >= 2
        and word[-1] in "아어"
        and is_syllable(word[-2])
        and bool(decompose(word[-2])[2])
    )


def looks_like_predicate(word: str) -> bool:
    """Whether a Hangul word of two or more syllables ends like a verb form (see above).

    Only a hint: 도커는 ends the same way, so callers use it for words the notes do not know."""
    return (
        is_hangul(word)
        and len(word) >= 2
        and (
            word.endswith(_PREDICATE_ENDINGS)
            or connective_stem(word) is not None
            or auxiliary_stem(word) is not None
        )
    )


def with_final_l(stem: str) -> str:
    """The verb stem a ㄹ-dropping form comes from (만드 of 만드는 → 만들, 여 of 여는 → 열): ㄹ
    falls before ㄴ, ㅂ and ㅅ, so an open last syllable may have had it. Unchanged when closed."""
    if not stem or not is_syllable(stem[-1]):
        return stem
    initial, vowel, final = decompose(stem[-1])
    return stem if final else stem[:-1] + compose(initial, vowel, "ㄹ")


_UNGLIDED = {"ㅑ": "ㅏ", "ㅒ": "ㅐ", "ㅕ": "ㅓ", "ㅖ": "ㅔ", "ㅛ": "ㅗ", "ㅠ": "ㅜ"}


def without_palatal_glide(word: str) -> str:
    """The word with ㅈ, ㅉ and ㅊ followed by a plain vowel where a y-glide was written (버츄얼
    → 버추얼, 쥬스 → 주스, 비젼 → 비전): Korean says them alike, so loanword spelling writes
    the plain vowel and people type either."""
    return word.translate(_unglided())


@functools.cache
def _unglided() -> dict[int, str]:
    return {
        ord(compose(initial, vowel, final)): compose(initial, plain, final)
        for initial in "ㅈㅉㅊ"
        for vowel, plain in _UNGLIDED.items()
        for final in ("", *FINALS.strip())
    }


def looks_transliterated(word: str) -> bool:
    """Whether a Hangul word has a syllable Korean writes for foreign sounds: ㅡ with no final
    after a stop or fricative (스, 트, 프, 크, 드, 즈, 츠, 브: the st, t, p of English words,
    which Korean cannot close a syllable with), an aspirated consonant before an open ㅓ (퍼,
    커, 터: -per, -ker, -ter), or a last syllable spelling -er, -ing or -tion. Native and
    Sino-Korean nouns rarely have any of them."""
    anywhere, closing, after_first = _foreign_syllables()
    if not anywhere.isdisjoint(word):
        return True
    last = word[-1:]
    return last in closing or (len(word) > 1 and last in after_first)


@functools.cache
def _foreign_syllables() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The syllables `looks_transliterated` looks for: anywhere in a word, closing it, and
    closing it after a first syllable. Kept as sets: a build asks this of every word."""
    anywhere = {compose(i, "ㅡ") for i in "ㅅㅌㅍㅋㄷㅈㅊㅂ"}
    anywhere |= {compose(i, "ㅓ") for i in "ㅍㅋㅌ"}  # 퍼, 커, 터 anywhere
    # -ner, -der, -ler, -ber closing a word (컨테이너); -tion: 파티션, 세션.
    closing = {compose(i, "ㅓ") for i in "ㄴㄷㄹㅂ"} | {compose("ㅅ", "ㅕ", "ㄴ")}
    # -ning, -ling, -ming, -sing, -ting: 체이닝, 스케줄링.
    after_first = {compose(i, "ㅣ", "ㅇ") for i in "ㄴㄹㅁㅅㄷㅌㅋㅍ"}
    return frozenset(anywhere), frozenset(closing), frozenset(after_first)


def is_syllable(ch: str) -> bool:
    return SYLLABLE_FIRST <= ord(ch) <= SYLLABLE_LAST


def is_hangul(token: str) -> bool:
    """Whether a token starts with a precomposed syllable (tokens do not mix scripts)."""
    return _FIRST_SYLLABLE <= token[:1] <= _LAST_SYLLABLE


def is_choseong(token: str) -> bool:
    """Only initial consonants, as people type 환경 for short: ``ㅎㄱ``."""
    # Stripping them leaves nothing: one pass in C, not a Python call per letter.
    return bool(token) and not token.strip(INITIALS)


def decompose(ch: str) -> tuple[str, str, str]:
    """(initial, vowel, final) jamo of one syllable; final is "" for an open syllable."""
    code = ord(ch) - SYLLABLE_FIRST
    initial, rest = divmod(code, 21 * 28)
    vowel, final = divmod(rest, 28)
    return INITIALS[initial], VOWELS[vowel], FINALS[final].strip()


def compose(initial: str, vowel: str, final: str = "") -> str:
    """The syllable of these jamo (compatibility letters as `decompose` gives them)."""
    code = (INITIALS.index(initial) * 21 + VOWELS.index(vowel)) * 28
    return chr(SYLLABLE_FIRST + code + (FINALS.index(final) if final else 0))


def choseong(word: str) -> str:
    """``환경`` → ``ㅎㄱ``; non-Hangul characters are dropped."""
    syllables, initial_of = _by_translation()
    if syllables.fullmatch(word):
        # One C call for a word of syllables (every Korean word of a build's vocabulary).
        return word.translate(initial_of)
    return "".join(INITIALS[(ord(ch) - SYLLABLE_FIRST) // 588] for ch in word if is_syllable(ch))


@functools.cache
def _by_translation() -> tuple[re.Pattern[str], dict[int, str]]:
    """A word of syllables only, and each syllable's code point → its initial, for
    `str.translate`: made at a build's first word (a question never needs them)."""
    table = {
        SYLLABLE_FIRST + k: INITIALS[k // 588] for k in range(SYLLABLE_LAST - SYLLABLE_FIRST + 1)
    }
    return re.compile(f"[{_FIRST_SYLLABLE}-{_LAST_SYLLABLE}]*"), table


def jamo(word: str) -> str:
    """Hangul decomposed into letters, so one mistyped letter costs one edit, not a syllable."""
    return unicodedata.normalize("NFD", word)


def is_one_syllable(letters: str) -> bool:
    """Whether letters as `jamo` gives them make exactly one whole syllable (ㄹ+ㅣ is 리)."""
    joined = unicodedata.normalize("NFC", letters)
    return len(joined) == 1 and is_syllable(joined)


def strip_endings(token: str) -> list[str]:
    """What is left of a Hangul token after each particle/ending it ends with, longest first.

    Runs for every word of every note: one set lookup per ending length."""
    out = []
    for length in _ENDING_LENGTHS:
        if len(token) > length and token[-length:] in _ENDING_SET:
            out.append(token[:-length])
    if token.endswith(_NEGATED_VERB) and len(token) > 2:
        # 속하지 (않는), 변경되지 (않게): the verb a long negation is built on, as 속하는 gives it.
        out.append(token[:-1])
    return out


def syllable_swaps(word: str) -> list[str]:
    """The word with two neighbouring syllables swapped (토스리보드 → 스토리보드, …).

    A slip of typing order moves whole syllables in Hangul, which letter-level edit distance
    counts as four or more edits; this names those readings directly."""
    return [word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)]


def fewest_pieces(
    word: str, is_piece: Callable[[str], bool], max_piece: int = 30
) -> list[str] | None:
    """Split ``word`` into the fewest pieces ``is_piece`` accepts, or None.

    Used both for glued loanwords (도커파일 → 도커 + 파일) and glued query words (gitreset →
    git + reset); ties keep the first split found (longer pieces first from the left)."""
    n = len(word)
    best: list[list[str] | None] = [None] * (n + 1)
    best[0] = []
    for end in range(1, n + 1):
        for start in range(max(0, end - max_piece), end):
            prev = best[start]
            if prev is None:
                continue
            current = best[end]
            if current is not None and len(prev) + 1 >= len(current):
                continue
            if is_piece(word[start:end]):
                best[end] = [*prev, word[start:end]]
    return best[n]
