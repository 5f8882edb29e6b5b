"""Term pairs the notes gloss themselves: 경합 조건(race condition), Bounded Waiting(한정 대기).

Korean technical writing puts a term's other language in parentheses right after it. Read
strictly, that gives a glossary of the notes' own words, for questions asked in the other
language than the note is written in. Only prose is read (titles and text lines, never code), and
only a parenthesis that holds nothing but the term; the term before it is taken by counting words
(as many as the parenthesis holds), never by guessing where a phrase begins, so "위한 복제
(replication)" gives 복제, not "위한 복제".

Rules (the precision of each was measured by reading samples of what the seven corpora give):
- Korean(English): the English is one to four words (function words such as "of" are not
  counted, and never begin or end it), with no word of a sentence (is, you, e.g.) and no
  identifier (p83, setIfAbsent); the Korean is that many Hangul words right before the
  parenthesis, none with a particle or a verb ending (조건을, 위한, 하는), and for a term of two
  words or more not preceded by another plain noun (이진 탐색 기능(Binary Search) is longer than
  its English). Or one glued word of three syllables or more for two or three English words
  (상호배제(mutual exclusion)), not a loanword of only one of them (디렉터리 is not "two level
  directory").
- English(Korean): the Korean in the parenthesis is one to four plain nouns, and the whole run of
  English words before it has as many; a single English word only when written as a term
  (Durability(지속성), not pop (빼고)).
- A Korean loanword must spell a word of the English side (인코딩 never glosses enctype).
- An acronym (2-5 capitals) is the English side only when the Korean is a noun phrase of one
  word a letter, its loanwords' initials matching (애플리케이션 로드 밸런서(ALB), not 서버
  네트워크 카드(LAN)), or one glued word of two syllables a letter (운영체제(OS)).
- The notes must agree on a pair both ways (`table`): a word glossed every which way (생성 as
  new, create, insert…) is a common word, not a term.
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator

from knowledge import loanwords
from knowledge.hangul import is_syllable, looks_like_predicate
from knowledge.normalize import grammar_words, stems, tokens
from knowledge.textutil import lazy_pattern  # compiled on first use: only a build mines

# Translations kept per term, the most often written first: a term glossed three ways is
# glossed loosely, and its rarest readings are the likeliest misreadings.
KEPT = 3
# A parenthesis that holds one term and nothing else (no nested parenthesis, no sentence).
_PAREN = lazy_pattern(r"\(([^()]{1,60})\)")
# A word, not an identifier: letters (a hyphen inside, C++ or C# at the end), no digits, dots
# or camelCase (p83, t2.micro, setIfAbsent, ServletContext name a thing, they do not translate).
_ENGLISH_WORD = lazy_pattern(r"(?:[A-Z]?[a-z]+|[A-Z]+)(?:-(?:[A-Z]?[a-z]+|[A-Z]+))*[+#]*")
_ACRONYM = lazy_pattern(r"[A-Z]{2,5}s?")
# English closed classes inside a term (Separation of Concerns, Time to Live): not counted
# against the Korean side's words, and never at either end of a term.
_JOINERS = frozenset("of the a an and or to for in on by with at per vs".split())
# Words that make English a sentence or an aside, not a term (it is, e.g., see also, ...).
_SENTENCE = frozenset(
    """
    is are was were be been being am do does did done can could will would should shall may might
    must has have had not no yes i you we they he she it its this that these those there here
    my your our their his her me us them so if then than also e.g i.e ex eg ie etc see cf
    which who what when where why how
    """.split()
)
# Endings that mark a Korean word as a modifier or a verb form, not part of a noun phrase: case
# particles (조건을, 프로세스의), adnominal and verb endings (위한, 발생하는, 구현된).
_NOT_NOUN = tuple(
    sorted(
        """
        을 를 의 은 는 에 에서 으로 에게 와 과 이나 이며 이고 이다 이라는 라는 이란 란 로서 로써
        하는 되는 있는 없는 위한 대한 통한 인한 의한 관한 같은 하여 되어 해서 하고 하며 하다 되다 한다 된다
        했다 하기 되기 하면 되면 시킨 시키는 적인 한 된 할 될 던 위해 대해 통해 의해 인해 관해 있기 없기
        """.split(),
        key=len,
        reverse=True,
    )
)


def _hangul_word(word: str) -> bool:
    return bool(word) and all(map(is_syllable, word))


# A subject particle or "or" after a word of two syllables or more (클라이언트가, 문제나): short
# nouns end the same way (평가, 길이).
_LONG_PARTICLES = ("가", "이", "나")
# A head that is a sentence's predicate, not a noun (문제들이었다, 해야함, 관리대상임).
_PREDICATE_HEAD = ("다", "함", "임", "됨", "하라")
# The same after two syllables or more (등록되어야, 되고있음): short nouns end so too (분야, 다음).
_LONG_PREDICATE_HEAD = ("야", "음", "는")


def _noun(word: str, head: bool) -> bool:
    """A Hangul word that can be part of a term: pure Hangul, two syllables or more for the
    head (the word the term ends with), no ending that makes it a modifier or a verb. A
    particle after the head follows the parenthesis (조건(condition)을), so the head carries
    none; a modifier carrying one (위한, 프로세스의) is not part of the term."""
    if not _hangul_word(word) or (head and len(word) < 2):
        return False
    if head:
        return not word.endswith(_PREDICATE_HEAD) and not (
            len(word) >= 3 and word.endswith(_LONG_PREDICATE_HEAD)
        )
    if len(word) >= 3 and word.endswith(_LONG_PARTICLES):
        return False
    # A one-syllable ending must leave a word (의 alone is not 프로세스의); a longer one is a
    # modifier even alone (위해, 위한).
    return not any(word.endswith(e) and len(word) > min(len(e), 1) for e in _NOT_NOUN)


@functools.cache
def _head_endings() -> tuple[str, ...]:
    """The verb endings a term's last word never has (발생하는, 구현된), only a modifier's."""
    return tuple(e for e in _NOT_NOUN if len(e) >= 2)


def _carries_particle(word: str) -> bool:
    """A word of three syllables or more ending in a particle (정상상태로, 무언가): shorter
    words end so as nouns (효과, 결과, 정의)."""
    return len(word) >= 3 and word[-1] in "을를로는은의에가이나"


def _korean_term(words: list[str]) -> bool:
    if not words or len(words) > 4:
        return False
    head = words[-1]
    if not _noun(head, head=True) or head.endswith(_head_endings()):
        return False
    grammar = grammar_words()
    return all(_noun(w, head=False) and w not in grammar for w in words[:-1]) and (
        head not in grammar
    )


def _english_term(text: str) -> list[str] | None:
    """The words of `text` when it is one English term (1-4 content words), else None."""
    words = text.split()
    if not words or len(words) > 6:
        return None
    if any(not _ENGLISH_WORD().fullmatch(w) for w in words):
        return None
    lower = [w.lower() for w in words]
    if lower[0] in _JOINERS or lower[-1] in _JOINERS or any(w in _SENTENCE for w in lower):
        return None
    content = [w for w in lower if w not in _JOINERS]
    # One letter is a variable or a symbol (부호(S), O(차수)), not a term.
    return words if 1 <= len(content) <= 4 and len("".join(content)) > 1 else None


def _content(words: list[str]) -> int:
    return sum(w.lower() not in _JOINERS for w in words)


def _acronym(words: list[str]) -> bool:
    return len(words) == 1 and _ACRONYM().fullmatch(words[0]) is not None


def _acronym_letters(word: str) -> int:
    return len(word.rstrip("s")) if word.endswith("s") and word[:-1].isupper() else len(word)


# Endings of a connective verb form or an adverb (처리하므로, 쓰지만, 흔히): a clause ends there.
_CLAUSE_ENDS = ("므로", "니까", "지만", "는데", "어서", "아서", "여서", "도록", "으며", "히", "때")


def _bare_noun(word: str) -> bool:
    """A Hangul word with no ending: the term before a gloss may begin further back."""
    return (
        _hangul_word(word)
        and _noun(word, head=False)
        and word not in grammar_words()
        and not word.endswith(_CLAUSE_ENDS)
        and not looks_like_predicate(word)
    )


def _agrees(korean: list[str], english: list[str]) -> bool:
    """Whether the loanwords of the Korean side spell words of the English side: a gloss of a
    transliteration is its spelling (인코딩 glosses encoding, never enctype; 서버 never
    Github). An acronym's letters are its words' initials (애플리케이션 로드 밸런서 = ALB, not
    서버 네트워크 카드 = LAN)."""
    if _acronym(english):
        letters = english[0].lower()
        for i, word in enumerate(korean if len(korean) == len(letters) else ()):
            spelled = loanwords.to_english(word)
            if spelled and not any(r[:1] == letters[i] for r in spelled):
                return False
        return True
    forms = {form for word in english for form in stems(word.lower())}
    whole = "".join(english).lower()
    for word in korean:
        spelled = loanwords.to_english(word)
        if spelled and not any(
            set(r.split()) <= forms or r.replace(" ", "") in whole for r in spelled
        ):
            return False
    return True


def _spells_whole(head: str, english: list[str]) -> bool:
    """A glued word glossing several English words is a compound of them (상호배제), or their
    transliteration as a whole (레플리카셋); a loanword of one of them (디렉터리 for "two level
    directory", 컴파일러 for "just-in-time compiler") glosses that one word only."""
    spelled = loanwords.to_english(head)
    whole = "".join(english).lower()
    return not spelled or any(r.replace(" ", "") == whole for r in spelled)


def _korean_before(before: str, english: list[str]) -> str | None:
    """The Korean words right before a parenthesis that gloss `english`, or None."""
    words = before.split()
    if not words or not _hangul_word(words[-1]):
        return None
    if _acronym(english):
        letters = _acronym_letters(english[0])
        taken = words[-letters:]
        if len(taken) == letters and _korean_term(taken) and _agrees(taken, english):
            return " ".join(taken)
        head = words[-1]
        if len(head) >= 2 * letters and _korean_term([head]):
            return head
        return None
    count = _content(english)
    taken = words[-count:]
    # Another plain noun before a term of two words or more: the Korean is longer than the
    # English ("이진 탐색 기능(Binary Search)"), and which words gloss which is a guess.
    longer = count > 1 and len(words) > count and _bare_noun(words[-count - 1])
    if len(taken) == count and _korean_term(taken):
        return None if longer or not _agrees(taken, english) else " ".join(taken)
    # 상호배제(mutual exclusion): Korean glues a compound the English spaces.
    head = words[-1]
    # "uniqueness of tuple" is 튜플의 유일성: a word glued before "of" glosses only its half.
    if (
        2 <= count <= 3
        and count == len(english)
        and len(head) >= 3
        and _korean_term([head])
        and not (len(words) > 1 and _bare_noun(words[-2]))
        and _spells_whole(head, english)
    ):
        return head
    return None


def _english_before(before: str, korean: list[str]) -> list[str] | None:
    """The English words right before a parenthesis that `korean` glosses, or None: the whole
    run of English words there, which must have as many words as the Korean ("at most once
    (최대 한번)" is not "most once")."""
    words = before.split()
    taken: list[str] = []
    for word in reversed(words):
        if not _ENGLISH_WORD().fullmatch(word):
            break
        taken.insert(0, word)
    term = _english_term(" ".join(taken)) if taken else None
    if term is None or not _agrees(korean, term):
        return None
    if _acronym(term):
        letters = _acronym_letters(term[0])
        return term if len(korean) == letters or len(korean[0]) >= 2 * letters else None
    # One lower-case word before a Korean aside is running text with a comment (head(더미),
    # pop (빼고), interface(역할)); a term named in English is written capitalised
    # (Durability(지속성), Mock(가짜)).
    if len(term) == 1 and not term[0][0].isupper():
        return None
    return term if _content(term) == len(korean) else None


def pairs(line: str) -> Iterator[tuple[str, str]]:
    """(Korean term as written, English term lower-cased) for each gloss on a line of prose."""
    for korean, english, _ in ruled_pairs(line):
        yield korean, english


def ruled_pairs(line: str) -> Iterator[tuple[str, str, str]]:
    """`pairs`, each with the rule that found it (for measuring each rule's precision)."""
    for m in _PAREN().finditer(line):
        inner = m.group(1).strip()
        before = line[: m.start()]
        if before.endswith((" ", "\t")) and before[-2:-1] == " ":
            continue  # two spaces apart: not glossing the word before
        english = _english_term(inner)
        if english is not None:
            korean = _korean_before(before, english)
            if korean:
                rule = (
                    "acronym"
                    if _acronym(english)
                    else "glued"
                    if " " not in korean and _content(english) > 1
                    else "korean(english)"
                )
                yield korean, " ".join(english).lower(), rule
            continue
        korean_words = inner.split()
        # Inside the parenthesis the particle comes after it: a head that carries one
        # (false(정상상태로)) is a phrase of a sentence.
        if _korean_term(korean_words) and not _carries_particle(korean_words[-1]):
            found = _english_before(before, korean_words)
            if found:
                rule = "acronym" if _acronym(found) else "english(korean)"
                yield " ".join(korean_words), " ".join(found).lower(), rule


def written(texts: Iterable[str]) -> set[tuple[str, str]]:
    """The glosses of some lines of prose (a title, a body's text lines), each once."""
    return {pair for text in texts if "(" in text for pair in pairs(text)}


def key(text: str) -> str:
    """What a term is looked up by: Korean squashed (경합 조건 and 경합조건 are one term, as
    people type it either way), English as lower-case words."""
    words = tokens(text)
    return "".join(words) if words and _hangul_word(words[0]) else " ".join(words)


def _agreed(counts: Counter[tuple[str, str]], side: int) -> set[tuple[str, str]]:
    """The pairs whose `side` (0: Korean, 1: English) the notes agree on: its commonest
    translation is at least half of its glosses, and this one is written at least half as
    often as that (`KEPT` at most)."""
    by_term: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
    for pair, count in counts.items():
        by_term[key(pair[side])][pair] += count
    agreed: set[tuple[str, str]] = set()
    for term, glossed in by_term.items():
        # Written the same way twice over (경합 조건, 경합조건) is one translation.
        others: Counter[str] = Counter()
        for pair, count in glossed.items():
            others[key(pair[1 - side])] += count
        ranked = sorted(others.items(), key=lambda wc: (-wc[1], wc[0]))[:KEPT]
        top = ranked[0][1]
        if term and 2 * top >= others.total():
            kept = {other for other, n in ranked if 2 * n >= top}
            agreed.update(pair for pair in glossed if key(pair[1 - side]) in kept)
    return agreed


def table(counts: Counter[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    """Each term's translations as written, the most often written first, both ways, so a
    question in either language finds the other. Only pairs the notes agree on both ways
    (`_agreed`): a word glossed every which way (생성 as new, create, insert,
    exercise-image…; 상태 as healthy, status, terminated…) is a common word that a note named
    something by, not a term, and a name glossed by it (terminated → 상태) is no translation."""
    kept = _agreed(counts, 0) & _agreed(counts, 1)
    found: dict[str, Counter[str]] = defaultdict(Counter)
    for (korean, english), count in counts.items():
        if (korean, english) in kept:
            found[key(korean)][english] += count
            found[key(english)][korean] += count
    return {
        term: tuple(w for w, _ in sorted(others.items(), key=lambda wc: (-wc[1], wc[0])))
        for term, others in sorted(found.items())
    }
