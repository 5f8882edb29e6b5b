"""Fuzzy search over entries, tuned to how people type questions in Korean and English.

How a query is answered:
1. Slack markup, question words and particles are removed (``<@U1> SQLAlchemy가 뭐야?`` →
   ``sqlalchemy``). A query that spells a title with its spaces left out (``springboot설정``)
   is read as that title's words.
2. Each remaining token becomes alternatives with a confidence: the exact term, its stems,
   the English of a Hangul loanword (장고 → django), Korean words it starts (작동 → 작동방식),
   initial consonants (ㅎㄱ → 환경), typo neighbours (rapidfuzz), a split of glued words
   (gitreset → git reset) and, last, a sound-alike English word.
3. An entry scores the idf-weighted share of query tokens it contains, where a token in the
   title counts more than one in the body, nudged up when the query covers the whole title.
   Words in no note, verbs and words only ever seen in bodies count less against it; a word
   no title names that only a handful of entries say counts in their text as a phrase does.
4. Every title, squashed and without its leading number, is a candidate of its own: a query
   that reads like it within a typo or a swap (COSR → CORS) is that entry.
5. Only scores above a threshold calibrated on the dev query set (``bench/quality.py``) are
   answers; below it the bot says it does not know and offers suggestions.

Every weight and cut-off is in `Tuning`.
"""

from __future__ import annotations

import functools
import heapq
import itertools
import math
import random
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from operator import itemgetter
from typing import TypeVar

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, Indel, Levenshtein

from knowledge import dates, glossary, loanwords
from knowledge.hangul import (
    fewest_pieces,
    informal_verb,
    is_choseong,
    is_ending,
    is_hangul,
    is_one_syllable,
    is_syllable,
    jamo,
    looks_like_predicate,
    looks_transliterated,
    only_endings,
    predicate_stems,
    syllable_swaps,
    with_final_l,
    without_particle,
)
from knowledge.indexing import (
    FieldWeights,
    MemoryStore,
    Store,
    TitleInfo,
    TitleTokens,
    bigram,
    file_words,
    hangul_spellings,
    idf,
    own_words,
    sibling_claims,
    token_terms,
)
from knowledge.models import Entry, EntryKind
from knowledge.normalize import (
    CONJUNCTIONS,
    NEGATIONS,
    asked_for,
    asks_as_verb,
    clean_text,
    compact,
    grammar_words,
    intent_words,
    latin_parts,
    negates,
    question_intents,
    question_words,
    side_by_side,
    signs,
    signs_form,
    small_talk_word,
    stems,
    tokens,
    without_numbering,
)
from knowledge.textutil import cut_at_word, lazy_pattern


def _verb_form(word: str) -> bool:
    """Whether a word ends like a Korean verb and is not a loanword that merely ends alike
    (이미지 "image", 메시지, 패키지 end in 지 as 만들지 does, and 이미 "already" is no stem of
    이미지)."""
    return looks_like_predicate(word) and not loanwords.spells_english(word)


class Tuning:
    """Every weight and cut-off of the ranking, with what each one protects.

    Read-only: `Tuning(threshold=0.3)` or `TUNING.replace(breadth=0.0)` makes another. A plain
    class, not a frozen dataclass: generating a dataclass's methods for these fields cost a
    cold `/til` ~1% of its instructions, and an instance needs nothing but its values."""

    # Answers score at least this; below it the bot says it found nothing. Protects "주말 날씨"
    # and keyboard mash from getting the least bad entry (swept by bench/quality.py).
    threshold: float = 0.25
    # Suggestions ("did you mean") need this much; below it one stray particle matched.
    suggest: float = 0.15
    # An answer under this is shown as not a sure match: on the in-sample dev questions about
    # the seven corpora, first answers scoring 0.25–0.45 were right about half the time (16 of
    # 31), those above 0.45 nine times in ten (152 of 174). The asker should look at the other
    # candidates too.
    sure: float = 0.45
    # Where a word is found: the title says what an entry is about, a body only mentions it.
    title: float = 1.0
    tags: float = 0.6
    keywords: float = 0.5
    body: float = 0.4
    # Two query words adjacent in an entry ("git remote add") beat the same words scattered:
    # each counts this share of the way from its field's weight to a title's (a phrase in a body
    # is not yet a title, so a body that repeats the question cannot outrank the entry about it).
    bigram: float = 0.5
    # Share of the score that rewards covering the whole title: "docker 작동" is "Docker
    # 작동방식", not "Docker" (at most this much, so a partial title match still answers).
    title_precision: float = 0.2
    # A query that reads like a title as a string (spaces removed, a typo, a swap) is that
    # entry when the two agree at least this much; protects short queries from look-alikes.
    title_string: float = 0.75
    # The query without its question words reads like a title a little less surely than the
    # query as typed: "JavaScript 정리" asked is that title, not "02_JavaScript".
    reading: float = 0.99
    # Confidence of each way a query word can be read, against 1.0 for the word as typed.
    stem: float = 0.97  # 도커는 → 도커
    # One syllable left after a particle (푸이 → 푸) is as likely another word: a typo (풀이) may
    # read it better.
    short_stem: float = 0.6
    loanword: float = 0.95  # 도커 → docker, image → 이미지
    # Readings at least this sure are spellings of the same word (stems, loanwords): a word
    # weighs what the commonest of them does.
    spelled: float = 0.9
    english_stem: float = 0.93  # 컨테이너들 → containers → container
    typo: float = 0.9  # times the typo's similarity (dockr → docker at 0.83)
    prefix: float = 0.85  # 작동 → 작동방식
    glossary: float = 0.8  # deploy → 배포: a translation, less sure than a spelling
    # A term the notes gloss in parentheses (경합 조건(race condition)) read in the other
    # language: one writer's word for it, read by rule, so below the hand-checked glossary (a
    # translation of both wins) and never above a word as the asker typed it.
    noted_gloss: float = 0.75
    sound: float = 0.8  # 그라파나 ≈ grafana by sound and spelling, for words not in the table
    # A sound-alike's spelling compared with r/l, b/v, p/f, e/u/o folded (하이퍼바이저 ≈
    # hypervisor, 다익스트라 ≈ dijkstra) counts this many points (of 100) less than the same
    # agreement letter for letter: folding makes unrelated words agree more (자율 ~ jail).
    sound_folded: float = 15.0
    # A plain Korean word found in no note weighs this share of the rarest word (a technology
    # in no note weighs in full), and a word found only in bodies, never in a title, tag or
    # keyword, weighs this share less against an entry without it: they lower the confidence
    # without sinking a strong, specific match the other words make ("docker 파일 만드는 명령어").
    unmatched: float = 0.5
    # A document (or enclosing section) comes before its part that led when its title names
    # this many more of the question's words, and all those the part's title names: one more
    # word is often the part's own title read another way ("TCP Client" for 클리이언트).
    whole_title: int = 2
    # A part that led on its body alone, its title naming none of the question's words (a
    # heading such as "문제", "해결", "References"), gives way to a document (or enclosing section)
    # whose title names this many: fewer is a document named by its subject ("리눅스 명령어")
    # whose part ("pwd") the question describes.
    body_led_whole_title: int = 3
    # Share of a leader's score that is the share of the question's words (by weight) it has
    # anywhere, a body as much as a title: a paraphrase names what the right entry's text says
    # ("검사점", "버퍼", "디스크" in its body) more than any one title does, and a section with a
    # generic heading ("Getting Started", "Transform range to …") is found by what its text
    # says. Small: the highest no-answer question of our note's dev set scores 0.16 at 0.15
    # (0.154 at 0.1), well under `threshold`; 0.3 starts to let sections with a title word lose
    # to siblings that only mention the words.
    breadth: float = 0.15
    # A long question describes what it wants more than it names it ("동시에 실행되는 트랜잭션끼리
    # 서로 중간 결과를 못 보게 분리하는 성질"): each word found past the `breadth_from`th adds
    # `breadth_per_word` to `breadth`, up to `breadth_most`, so what an entry's text says counts
    # for more the more the question says. On the in-sample sets (the seventh to tenth unseen
    # sets, both dev sets) 0.05 a word past the fourth and 0.4 or 0.5 at most measure alike, six
    # questions more than a fixed 0.15 (and one of the precision set's fewer); a step to 0.25–0.4
    # at the sixth or seventh word gains 3–6.
    breadth_from: int = 4
    breadth_per_word: float = 0.05
    breadth_most: float = 0.4
    # A title that says the opposite of the question keeps this share of its score: negated
    # where the question is not, or plain where it negates ("안 속하는 오브젝트" asks for
    # "속하지 않는 오브젝트 종류", not "속하는 오브젝트 종류").
    opposite: float = 0.9
    # A section under the first answer takes its place only when what it has that the headings
    # over it lack, less what it lacks that they have, is this share of the question: a
    # subsection that mentions one word of five in passing (의미 in "SEQ" under "kind 컬럼") is
    # not what was asked; 설치 in the "Getting Started" of a note titled "Tortoise" is half of
    # "tortoise 설치".
    family_part: float = 0.15
    # A word of the question that no title, tag or file name has and at most this many entries
    # say counts where it is said as a phrase of two question words does (`bigram`): a
    # handful of entries to choose from, whatever the size of the notes, is strong evidence
    # (epel-release in the one section that installs ansible with it), where a word said in
    # hundreds of bodies is said in passing. 3 to 8 measure alike (bench/synthetic.py). And at
    # most this share of the entries: in a note of 25 entries every word is in a handful, and
    # "엑셀 피벗 테이블" would find 테이블 in a body.
    rare: int = 5
    rare_share: float = 0.01
    # Two parts of one heading within this share of each other's score, each with a word of
    # the question the other lacks, answer as that heading (`_whole_over_tied_parts`).
    tied_parts: float = 0.95
    # Entries ranked in full per query; the rest cannot reach the top.
    candidates: int = 100

    def __init__(self, **changes: float) -> None:
        unknown = changes.keys() - _TUNING_FIELDS
        if unknown:
            raise TypeError(f"Tuning has no {', '.join(sorted(unknown))}")
        # Every value on the instance, in one order, as a dataclass sets them: attribute reads
        # in the ranking loops then take the interpreter's fastest path.
        for name in _TUNING_FIELDS:
            object.__setattr__(self, name, changes.get(name, getattr(Tuning, name)))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Tuning is read-only (make another: Tuning({name}=...))")

    def replace(self, **changes: float) -> Tuning:
        return Tuning(**{**self.__dict__, **changes})

    def _values(self) -> tuple[float, ...]:
        return tuple(self.__dict__.values())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Tuning) and self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        return f"Tuning({', '.join(f'{k}={v!r}' for k, v in self.__dict__.items())})"


_TUNING_FIELDS = tuple(Tuning.__annotations__)  # in the order they are written
TUNING = Tuning()


def field_weights(tuning: Tuning) -> FieldWeights:
    """What a word counts where it is found: fixed when the index is built."""
    return (tuning.title, tuning.tags, tuning.keywords, tuning.body)


THRESHOLD = TUNING.threshold  # calibrated by bench/quality.py on tests/dev_queries.tsv
MAX_QUERY_CHARS = 500  # a question longer than this is cut: nobody's question is 100 kB
MAX_TOKENS = 12
# Compiled at first use, these three and the glued-number sign below, and used only on text
# they can match: each took a cold /til's import ~0.3-1.8 M instructions. A questioning word
# starts with one of these Hangul words, so no ASCII token is one.
_QUESTIONISH = lazy_pattern(r"^(알려|설명|가르쳐|뭐|무엇|궁금|어떻게|어떤)")
# Where a question's sentence ends: a question or full stop before a space or the end, or an
# interrogative joined to what follows by a connective ("ES 모듈이 뭐고 named export는 …": what
# it is, and then the rest), which ends the first question as a question mark would. A full
# stop after a number is the number's ("4. Circular wait", "8.6 버전").
_SENTENCE_END = lazy_pattern(r"(?:(?<!\d)[?？.!。]+|(?<=뭐고)|(?<=무엇이고)|(?<=뭐며)),?(?=\s|$)")
# A Latin word with Hangul glued after it: a particle on an English noun (where는, for이랑).
_PARTICLED = lazy_pattern(r"(?<![A-Za-z])([A-Za-z]+)(?=[가-힣])")
# An English question's subject: the word after its interrogative and auxiliary ("How does an
# LSTM keep …", "Why is Redis single-threaded", "What do React hooks …"). After a modal the
# subject is mostly the one who acts ("when should a team pick Kanban"), not the topic.
_ASKED_SUBJECT = lazy_pattern(
    r"(?i)\s*(?:how|why|when|where|what|which)\s+(?:does|do|is|are|did|was|were)"
    r"\s+(?:(?:a|an|the|my|our|your|this|that)\s+)?([A-Za-z][\w.+#-]*)\b"
)
# English joins the two as Korean's 뭐고 does: "what is OAuth 2.0 and how do I …" names the
# subject, then asks about it.
_WHAT_AND = lazy_pattern(
    r"^\s*what(?:'s|\s+is|\s+are)\s+\S.*?\s+and\s+"
    r"(?=(?:how|why|when|where|which|what|can|do|does|should|is|are)\b)",
    re.I,
)
# An acronym typed in capitals (GIL, ORM, DDL) is meant letter for letter: its only typo is two
# letters swapped (COSR for CORS), never another letter (GIL is not git). Only a text with a
# capital letter (one that lower() changes) has one.
_ACRONYM = lazy_pattern(r"(?<![A-Za-z0-9])[A-Z][A-Z0-9]{1,4}(?![A-Za-z0-9])")

_CAPITALS = lazy_pattern(r"(?<![A-Za-z0-9])[A-Z]{2,}(?![A-Za-z0-9])")
# English clitics ("what's", "they're", "I'd"): a letter of grammar split off as a word of its
# own. n't stays: it negates (`negates`).
_CLITIC = lazy_pattern(r"(?i)(?<=[A-Za-z])['’](?:s|re|ve|ll|d|m)\b")

Alternative = tuple[tuple[str, ...], float]
# The verbs of how a thing is asked about, never what (쓰는 법, 보는 법; 하 is grammar already).
_HOW_VERBS = frozenset({"쓰", "써", "보", "봐"})
# "써본 사람?", "아는 분?", "해보신 분 있어요?": a person described by a verb asks whether anyone
# has done it, never about people.
_ANYONE = frozenset({"사람", "사람들", "분", "분들"})
# 없다 "there is none" as a word after a noun says (비밀번호 없이, 상태 없는, 서버 없는).
_WITHOUT = frozenset({"없이", "없는", "없음", "없고", "없어도", "없을", "없게"})
_ADNOMINAL = ("본", "는", "신", "던", "한", "봤던")

T = TypeVar("T")
# Length windows of at most this many words or title forms are kept per index (`_windows`).
_WINDOW_KEPT = 4096
# Entries whose titles are compared with the query as strings (`Index._rescore`).
_POOL = 50
# A word the notes have is read as a typo only of a word they have this many times as often.
_COMMONER = 5
# What a question has besides the words it shares with a title reads like what the title has
# besides them at least this much when it is a slip of typing (one jamo in two syllables).
_SLIP = 0.5
# A word of a title looks like a word of the question at this rapidfuzz ratio (one slip in a
# word of five letters: dokcer ~ docker 83, 배퐈 ~ 배포 75; rebase ~ create 50).
_LOOKS_LIKE = 70


class Match:
    """An entry and its score. `entry` may be given as a function that reads it: an index over
    an artifact reads an entry only when someone looks at it."""

    __slots__ = ("_entry", "score")

    def __init__(self, entry: Entry | Callable[[], Entry], score: float) -> None:
        self._entry = entry
        self.score = score

    @property
    def entry(self) -> Entry:
        if not isinstance(self._entry, Entry):
            self._entry = self._entry()
        return self._entry

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Match):
            return NotImplemented
        return (self.entry, self.score) == (other.entry, other.score)

    def __repr__(self) -> str:
        return f"Match(entry={self.entry.id!r}, score={self.score})"


class Answer:
    """What a question found. A plain class: a dataclass's generated methods cost a cold `/til`
    more than the few lines below."""

    __slots__ = ("matches", "query", "suggestions", "sure", "terms", "unmatched")

    def __init__(
        self,
        query: str,
        matches: list[Match] | None = None,
        suggestions: list[Entry] | None = None,
        terms: list[str] | None = None,  # what the query was understood as
        # Query words found nowhere in the notes (not even as a typo): a best match for "git
        # rebase" is about git, not rebase, and the user should be told so.
        unmatched: list[str] | None = None,
        # Whether the first match scores as a sure one (`Tuning.sure`).
        sure: bool = True,
    ) -> None:
        self.query = query
        self.matches = matches if matches is not None else []
        self.suggestions = suggestions if suggestions is not None else []
        self.terms = terms if terms is not None else []
        self.unmatched = unmatched if unmatched is not None else []
        self.sure = sure

    def __repr__(self) -> str:
        return (
            f"Answer(query={self.query!r}, matches={self.matches!r}, unmatched={self.unmatched!r})"
        )

    @property
    def best(self) -> Match | None:
        return self.matches[0] if self.matches else None


# Answers ranked whatever the number asked for, and the ones the ranking's later steps may put
# first: a reader sees the first and four more (Slack's candidates), and the first answer is
# the same for one asked (the question log) as for five (Slack, the terminal) or three.
FRONT = 5

# A sign between a number and the word glued to it, as squashed typing leaves it ("1.Model").
_NUMBER_GLUED = lazy_pattern(r"(?<=\d)[.\-_)](?=[^\W\d_])")


_NUMBERS = {
    word: str(n)
    for n, word in enumerate(("two", "three", "four", "five", "six", "seven", "eight", "nine"), 2)
}


# Endings English words are inflected with (gold-en, fast-er, slow-ly, build-ing); a glued
# token that splits into a word and one of them is that word inflected.
_ENGLISH_ENDINGS = frozenset({"en", "er", "ers", "ed", "es", "ly", "ing", "ings", "est"})


@functools.cache
def _frame_words() -> frozenset[str]:
    return question_words() - question_intents().keys()


def _max_edits(length: int) -> int:
    """Typos allowed in a word or title of this many letters (none below four: `GIL` is not a
    typo of `git`, `vue` not of `vim`)."""
    return 0 if length < 4 else 1 if length <= 5 else 2 if length <= 12 else 3


def _near(key: str, words: Sequence[str], max_edits: int) -> list[tuple[int, int, str]]:
    """The words within `max_edits` of `key`, counting a swap of neighbours as one edit, as
    (edits, position, word), nearest first and ties in the words' order.

    A word that close is within twice as many insertions and deletions (a swap or a
    substitution is two), which is quicker to count: the swaps are counted only for those."""
    if not words:
        return []
    rough = process.extract(
        key, words, scorer=Indel.distance, score_cutoff=2 * max_edits, limit=None
    )
    found = []
    for word, _, k in rough:
        edits = OSA.distance(key, word, score_cutoff=max_edits)
        if edits <= max_edits:
            found.append((edits, k, word))
    found.sort()
    return found


def _numeral(forms: set[str]) -> bool:
    """Whether a title word (its forms) is a number: "03." in "03. Entity 생명주기" numbers it."""
    return any(form.isdigit() for form in forms)


def _is_number(word: str) -> bool:
    """Whether a word is a number as typed: 5, 11, 3.8."""
    return word.replace(".", "").isdigit()


def _prefixed(key: str, word: str, hangul: bool) -> bool:
    """Whether two spellings differ by a whole syllable (or two letters) before the same word:
    비동기 and 동기, 무중단 and 중단, 리밸런싱 and 밸런싱, rebase and base are a prefix apart,
    often opposites, never a slip of two keys. Compared as jamo for Hangul."""
    short, long = sorted((key, word), key=len)
    extra = len(long) - len(short)
    if not long.endswith(short) or not extra:
        return False
    return is_one_syllable(long[:extra]) if hangul else extra >= 2


def _without(text: str, spellings: Iterable[str]) -> str:
    """`text` less the longest of `spellings` it has, once."""
    found = [spelled for spelled in spellings if spelled in text]
    return text.replace(max(found, key=len), "", 1) if found else text


def _of_lengths(buckets: Iterable[Sequence[T]]) -> list[T]:
    """Words (or their ranks) of several lengths in one list, so they are compared in one
    pass."""
    out: list[T] = []
    for bucket in buckets:
        out += bucket
    return out


def _similarity(query: str, letters: str, title: str) -> float:
    """How alike a squashed query (`letters`: its jamo) reads to a squashed title, 0-1: the
    better of an indel ratio and an edit distance where a swap of neighbours counts once (COSR ~
    CORS).

    The indel ratio counts a swap as two edits (a letter out, a letter in) and a letter more as
    one, so "oCde" read more like "VO Code" than "Code"; counted as one edit there too, a swap
    weighs what a missing letter does."""
    if not query or not title:
        return 0.0
    rough = fuzz.ratio(query, title) / 100
    if rough < 0.5:
        return rough  # far apart (most pairs): no need to look closer
    other = jamo(title)  # Hangul letter by letter: 전요 is one key from 전에
    edits = OSA.distance(letters, other)
    swaps = Levenshtein.distance(letters, other) - edits
    indel = Indel.distance(letters, other) - swaps
    size = len(letters) + len(other)
    longest = max(len(letters), len(other))
    # Two Hangul syllables swapped (사용법방 for 사용방법) move six letters, and are one slip
    # of typing order, as `_fuzzy_words` counts them.
    swapped = len(query) == len(title) and query in syllable_swaps(title)
    slips = 1 if swapped else edits
    # Letters, not syllables: a Hangul syllable more is two or three slips ("reactvdom빨라서야"
    # is no typo of "reactdom"), which the syllables' ratio counts as one.
    return max(1 - indel / size, 1 - slips / longest)


class _Tally:
    """What the query words add up to, per entry (see `Index._tally`)."""

    __slots__ = (
        "asked",
        "found",
        "intent_had",
        "matched",
        "scores",
        "total",
        "unmatched",
        "verb",
        "verb_present",
        "weak",
        "weak_present",
    )

    def __init__(self) -> None:
        self.scores: dict[int, float] = defaultdict(float)
        self.total = 0.0  # the weight of every query word
        self.weak = 0.0  # weight of the words found only in bodies
        self.weak_present: dict[int, float] = defaultdict(float)
        self.verb = 0.0  # weight of the verbs and intents, which count only for an entry
        self.verb_present: list[tuple[float, dict[int, float]]] = []
        # The weight of the intents each entry has, by its best spelling of each.
        self.intent_had: dict[int, float] = defaultdict(float)
        self.matched: set[str] = set()  # every reading of the words
        self.unmatched: list[str] = []  # words found nowhere
        # Each matched word's weight and {entry: how well the entry has it}.
        self.found: list[tuple[float, dict[int, float]]] = []
        # The same for every word asked, with its readings (terms and confidence); what the
        # question's interrogatives ask for (이유, reason, why) is one word however many ways it
        # is spelled, found where any of them is.
        self.asked: list[tuple[float, tuple[dict[int, float], ...], tuple[Alternative, ...]]] = []

    def add(self, weight: float, found: dict[int, float]) -> None:
        scores = self.scores
        for entry_index, s in found.items():
            scores[entry_index] += weight * s

    def verb_had(self, entry_index: int) -> float:
        """The weight of the verbs and intents the entry has."""
        had = sum(weight for weight, found in self.verb_present if entry_index in found)
        return had + self.intent_had.get(entry_index, 0.0)


def _says_opposite(title: Sequence[set[str]], negated: bool) -> bool:
    """Whether a title (its words' stems) negates where the question does not, or the other way
    round."""
    return negated == NEGATIONS.isdisjoint(itertools.chain.from_iterable(title))


def _stem_tuple(token: str) -> tuple[str, ...]:
    return tuple(stems(token))


def _readings(
    asked: Sequence[tuple[float, tuple[dict[int, float], ...], tuple[Alternative, ...]]],
) -> list[set[str]]:
    """Each asked word's terms, every reading of it together."""
    return [{term for terms, _ in alts for term in terms} for _, _, alts in asked]


def _led_by(entry: Entry, matches: list[Match], limit: int) -> list[Match]:
    """`entry` first, at the first answer's score (it takes that answer's place), then the
    others without it, at most `limit`."""
    rest = [m for m in matches if m.entry.id != entry.id]
    return [Match(entry, matches[0].score), *rest][:limit]


def _keys_by_length(table: dict[str, list[str]]) -> dict[int, tuple[list[str], list[int]]]:
    """A sound table's keys by length, each with its place among all keys."""
    out: dict[int, tuple[list[str], list[int]]] = {}
    for rank, key in enumerate(table):
        keys, ranks = out.setdefault(len(key), ([], []))
        keys.append(key)
        ranks.append(rank)
    return out


def _best_first(alts: dict[tuple[str, ...], float]) -> tuple[Alternative, ...]:
    """Readings of a word, the most confident first (ties in the order they were found)."""
    return tuple(sorted(alts.items(), key=itemgetter(1), reverse=True))


class Index:
    """Search over entries: built now from `entries`, or over a `store` built before (the
    artifact `python -m knowledge build` writes, opened by `knowledge.artifact`)."""

    def __init__(
        self,
        entries: Sequence[Entry] = (),
        threshold: float | None = None,
        tuning: Tuning = TUNING,
        *,
        store: Store | None = None,
    ) -> None:
        self.threshold = tuning.threshold if threshold is None else threshold
        self.tuning = tuning
        self._store = store or MemoryStore(list(entries), field_weights(tuning))
        self.entries = self._store.entries
        self._in_memory = isinstance(self.entries, list)
        self._size = self._store.size
        self._max_idf = 1.0 + math.log(1.0 + max(self._size, 1))
        self._has = self._store.has
        # Per-index memo: one query asks about the same word several times (split? typo of?).
        self._fuzzy = functools.lru_cache(maxsize=8192)(self._fuzzy_words)
        self._known = functools.lru_cache(maxsize=65536)(self._known_word)
        self._alternatives = functools.lru_cache(maxsize=8192)(self._word_alternatives)
        self._words = functools.lru_cache(maxsize=8192)(self._token_words)
        # Segmenting a glued word asks for the English of each of its pieces.
        self._english = functools.lru_cache(maxsize=65536)(loanwords.to_english)
        self._heard = functools.lru_cache(maxsize=8192)(self._sound_alikes)
        self._spoken = functools.lru_cache(maxsize=8192)(self._spoken_in_hangul)
        # Asked for every form of every word and pair of neighbours of a query.
        self._noted = functools.lru_cache(maxsize=8192)(self._noted_glosses)
        # A query's words are read as verbs and stemmed at every step (split? alternatives?
        # tally? unmatched?): once each is enough.
        self._predicate = functools.lru_cache(maxsize=65536)(_verb_form)
        self._stems = functools.lru_cache(maxsize=65536)(_stem_tuple)
        # A question is read once for `terms` and again for its search.
        self._read = functools.lru_cache(maxsize=256)(self._read_query)
        # Words and title forms by length window: fixed by the index, not by the queries.
        self._windows: dict[tuple[int, int], tuple[list[str], list[int]]] = {}
        self._vocabularies: dict[tuple[bool, int, int], list[str]] = {}
        self._short_forms: dict[int, tuple[list[str], list[str]]] = {}
        self._common: dict[tuple[int, int, int], list[str]] = {}

    def _reader(self, number: int) -> Entry | Callable[[], Entry]:
        # Entries held in a list cost nothing to hand over; an artifact's are read when looked at.
        if self._in_memory:
            return self.entries[number]
        return functools.partial(self.entries.__getitem__, number)

    def _idf(self, term: str) -> float:
        return idf(self._size, self._store.df(term))

    # -- public API -------------------------------------------------------------------------

    def clear_memo(self) -> None:
        """Forget memoised word look-ups (benchmarks measure a cold memo)."""
        self._read.cache_clear()
        self._fuzzy.cache_clear()
        self._known.cache_clear()
        self._heard.cache_clear()
        self._spoken.cache_clear()
        self._noted.cache_clear()
        self._alternatives.cache_clear()
        self._words.cache_clear()
        self._english.cache_clear()
        self._predicate.cache_clear()
        self._stems.cache_clear()

    def get(self, entry_id: str) -> Entry | None:
        i = self._store.position(entry_id)
        return None if i is None else self.entries[i]

    def random(self, rng: random.Random | None = None) -> Entry:
        return (rng or random).choice(self.entries)

    def titles(self, kind: EntryKind | None = None) -> list[str]:
        """Every entry's title, or every document's, section's or topic's: without reading
        whole entries from an artifact."""
        return self._store.titles(kind)

    def categories(self) -> dict[str, list[Entry]]:
        groups: dict[str, list[Entry]] = {}
        for entry in self.entries:
            groups.setdefault(entry.category or "기타", []).append(entry)
        return dict(sorted(groups.items()))

    def terms(self, query: str) -> list[str]:
        """The words `search` reads `query` as (its answer's `terms`), without searching: what
        a caller keyed by them can fetch while the search runs."""
        return list(self._read(query)[3])

    def search(self, query: str, limit: int = 5) -> Answer:
        text, squashed, acronyms, read = self._read(query)
        words = list(read)
        answer = Answer(query=query, terms=words)
        if not self.entries:
            return answer
        if not words or (
            len(words) == 1 and len(words[0]) == 1 and (words[0].isascii() or is_choseong(words[0]))
        ):
            # "b", "1", "ㄱ": one letter says too little, and any pick by likeness would be
            # noise. But a title made of question words, numbers or one sign ("How to", "2) 방법",
            # "1번", "%s") is still a title when typed whole: only that title answers.
            exact = self._store.title_form_entries(squashed or signs_form(text))
            answer.matches = [Match(self._reader(i), 1.0) for i in exact[:limit]]
            return answer
        scored, predicate = self._split_predicate(words, acronyms)
        ranked, unmatched = self._rank(
            scored,
            acronyms,
            squashed,
            max(limit, FRONT),
            intent_words(text),
            negates(text),
            side_by_side(text),
        )
        ranked = self._subject_first(ranked, text, squashed, acronyms)
        ranked = self._note_over_namesake(ranked)
        ranked = self._numbered_as_asked(ranked, words, acronyms)
        # A verb read only through a synonym (지우기 → erase → 삭제) lifts the entries with it, and
        # is still named: the notes may not cover what the asker wants done.
        sure = self.tuning.glossary
        missing = {*unmatched, *predicate}
        missing.update(
            w
            for w in scored
            if self._predicate(w)
            and all(conf < sure for _, conf in self._alternatives(w, w in acronyms))
        )
        # Named without a particle (채널스에서 → 채널스), and never the verb ending a split left
        # (만드는법 → 만드 + 는법): the words asked about, not their grammar.
        typed = set(tokens(text)) if missing else set()
        answer.unmatched = list(
            dict.fromkeys(
                self._as_named(w)
                for w in words
                if w in missing and (w in typed or not only_endings(w)) and not self._says_how(w)
            )
        )
        answer.matches = [m for m in ranked if m.score >= self.threshold][:limit]
        answer.sure = not answer.matches or (
            answer.matches[0].score >= self.tuning.sure
            and self._about_any(answer.matches[0].entry, scored, acronyms)
        )
        if not answer.matches:
            answer.suggestions = [m.entry for m in ranked[:3] if m.score >= self.tuning.suggest]
            if not answer.suggestions and len(unmatched) < len(scored):
                # Some word matched: "did you mean" is always offered, best guesses first.
                answer.suggestions = [m.entry for m in ranked[:3]]
            # Titles that look like the words, but never for an acronym typed as written.
            spelled = [w for w in words if w not in acronyms]
            if not answer.suggestions and spelled:
                answer.suggestions = self._title_suggestions(" ".join(spelled))
        return answer

    # -- query understanding -----------------------------------------------------------------

    def _read_query(self, query: str) -> tuple[str, str, frozenset[str], tuple[str, ...]]:
        """The query's text (or the title it spells), squashed, its acronyms and its words."""
        text, squashed = self._as_title(clean_text(cut_at_word(query, MAX_QUERY_CHARS)))
        capitals = text != text.lower()
        acronyms = (
            frozenset(m.lower() for m in _ACRONYM().findall(text)) if capitals else frozenset()
        )
        rest, asked = dates.read(text)
        # A date is found as one (`knowledge.dates`), the day of any year where the notes do
        # not have the year asked (a period log has none); a day no note has is a word in no
        # note: named back, never read as its figures ("12월 25일" is no "12" in a body).
        days = [next((t for t in terms if self._has(t)), terms[0]) for terms in asked]
        if days:
            # The date is what is asked: the words around it that only put the question ("what
            # did I learn on", "배운 거") are no topic left over, as they would be alone.
            skip, grammar = question_words(), grammar_words()
            words = [
                w for w in self._query_tokens(rest, acronyms) if w not in skip and w not in grammar
            ]
            return text, squashed, acronyms, (*words, *days)
        return text, squashed, acronyms, tuple(self._query_tokens(text, acronyms))

    def _as_title(self, text: str) -> tuple[str, str]:
        """The query, or the title it spells letter for letter with the spaces left out
        (``springboot설정``, ``whatiswebpack``): its words are then the title's, and a glued
        title needs no splitting, typo or sound-alike look-ups to be read. The title is the
        answer either way (nothing reads more like a title than itself); the other answers are
        those of the title typed with its spaces. Returned with its squashed form, which is
        the query's either way."""
        squashed = compact(text)
        found = self._store.title_form_entries(squashed)
        if not found and _NUMBER_GLUED().search(text):
            # Squashed, a title's number runs into its first word ("1.Model" for "1. Model"),
            # and the sign between them is read as part of one token: the title has none.
            bare = compact(_NUMBER_GLUED().sub(" ", text))
            found = self._store.title_form_entries(bare)
            squashed = bare if found else squashed
        if not found:
            found, squashed = self._framed_title(text) or (found, squashed)
        asked = set(signs(text)) if found else set()
        if asked:
            found = [i for i in found if self._names_operators(i, asked)]
        if not found:
            return text, squashed
        info = self._store.title_info(found)
        # The entry that comes first among equals (see `_rescore`): the shortest title.
        title = self.entries[min(found, key=lambda i: (len(info[i][0]), i))].title
        for spelled in (title, without_numbering(title)):
            if compact(spelled) == squashed:
                return spelled, squashed
        return text, squashed

    def _names_operators(self, number: int, operators: set[str]) -> bool:
        """Whether an entry's title names every operator asked: squashed forms have no signs,
        so a title naming others is not the one typed (`?. 연산자` does not spell `?? 연산자`)."""
        return operators <= set(signs(self.entries[number].title))

    def _framed_title(self, text: str) -> tuple[list[int], str] | None:
        """The title a question asks about whole, in a frame of question words ("문제 설명이
        뭐야?", "Git과 Github에 대해 알려줘", "what is About?"), with its squashed form: the
        longest run of the question's words, a particle off its last, that is a title's words
        while the words before and after it are all question words. An interrogative that
        says what is asked (왜, 차이) is never frame: "왜 docker야?" asks for a reason."""
        toks = tokens(text)
        frame = _frame_words()
        # A greeting or thanks frames a question as question words do ("안녕 도커 볼륨이 뭐야?").
        asked = [tok not in frame and not small_talk_word(tok) for tok in toks]
        lead = next((i for i, tok in enumerate(asked) if tok), len(toks))
        trail = next((i for i in range(len(toks), 0, -1) if asked[i - 1]), 0)
        spans = [
            (i, j)
            for i in range(min(lead, len(toks) - 1) + 1)
            for j in range(max(trail, i + 1), len(toks) + 1)
            if (i, j) != (0, len(toks))
        ]
        for i, j in sorted(spans, key=lambda span: span[0] - span[1]):
            if all(tok in CONJUNCTIONS for tok in toks[i:j]):
                continue  # "vs" between two things ("for in vs for of") joins what is asked
            *head, last = toks[i:j]
            for stem in self._stems(last):
                words = [*head, stem]
                # Word for word, not only squashed alike: "what is null?" asks for "null",
                # not for "ISNULL" (is + null). The first such title is enough (a title shared
                # by a thousand write-ups is one title), and reading each one's record from an
                # artifact is what costs.
                found = next(
                    (
                        n
                        for n in self._store.title_form_entries("".join(words))
                        if words
                        in (
                            tokens(title := self.entries[n].title),
                            tokens(without_numbering(title)),
                        )
                    ),
                    None,
                )
                if found is not None:
                    return [found], "".join(words)
        return None

    def _query_tokens(self, text: str, acronyms: frozenset[str]) -> list[str]:
        out: list[str] = []
        skip = question_words()
        # A word typed in capitals among lower-case or Korean ones is a name (SQL's EXPLAIN,
        # SHOW, AS), never the English word of how a question is put ("how do I read EXPLAIN
        # output", "EXPLAIN 읽는 법"); a question typed all in capitals is still a question.
        named = (
            {m.lower() for m in _CAPITALS().findall(text)}
            if text != text.lower() and any(c.islower() or is_syllable(c) for c in text)
            else set()
        )
        # An English word with a Korean particle on it ("having이랑 where는 언제 써?") is a
        # noun the question is about: Korean's grammar puts the question, never the word.
        if not text.isascii():
            named |= {m.lower() for m in _PARTICLED().findall(text)}
        typed = tokens(_CLITIC().sub("", text) if "'" in text or "’" in text else text)
        asked = [
            tok
            for i, tok in enumerate(typed)
            if (tok not in skip or tok in named)
            and not (not tok.isascii() and _QUESTIONISH().match(tok) and not self._has(tok))
            and not asks_as_verb(tok)
            and not (i and tok in _ANYONE and typed[i - 1].endswith(_ADNOMINAL))
        ]
        # A greeting or thanks ("안녕 도커가 뭐야?", "hi, how do I …") is how a question is said:
        # no word to find, nor to name as missing, unless a title is typed. Alone ("ㅎㅇ"), it
        # answers only as a title typed whole, as question words do.
        chat = [tok for tok in asked if small_talk_word(tok) and tok not in acronyms]
        if chat and not self._store.title_form_entries(compact(text)):
            asked = [tok for tok in asked if tok not in chat]
        grammar = grammar_words()
        if any(tok in grammar for tok in asked) and all(
            tok in grammar or asked_for(tok) for tok in asked
        ):
            # A particle follows a noun: when nothing but grammar and what is asked (달라, 차이)
            # is left, the English function words typed are the topic, as code's keywords are
            # ("for in이랑 for of 뭐가 달라?": two loops).
            left = set(asked)
            asked = [tok for tok in typed if tok in left or (tok in skip and tok.isascii())]
        # What a question asks for (차이, 왜) lifts the entries that name it (`intent_words`);
        # it is not a topic they must contain, unless nothing else is asked ("차이점", "1) 비교")
        # or the query is a title as typed.
        topical = [tok for tok in asked if not asked_for(tok)]
        if (
            len(topical) < len(asked)
            and any(len(tok) > 1 for tok in topical)
            and not self._store.title_form_entries(compact(text))
        ):
            asked = topical
        # Grammar (있는, 같은, 할 때, 뭐가) is how a question is put, not what it is about; a
        # question made only of it ("경우") is still asked as typed. A word typed in capitals
        # is a name (WAS, AS), not the English function word.
        for tok in [
            tok
            for tok in asked
            if tok not in grammar
            or tok in acronyms
            or tok in named
            # A verb's 기 form that the glossary knows is its noun (주기 "period", not 주 + 기).
            or (tok.endswith("기") and glossary.translations(tok))
        ] or asked:
            words = self._words(tok, tok in acronyms)
            # A verb glued to its auxiliary (설치해주는 → 설치 + 해주는, 생성해줘, 정리돼있는) is
            # split like any glued word; the auxiliary half is grammar, as it is typed apart.
            out += [w for w in words if w not in grammar] if len(words) > 1 else words
        # A word named twice ("서버 사양을 올리는 것과 서버 대수를 늘리는 것", "L4 로드밸런서랑 L7
        # 로드밸런서 차이") is one topic, whatever particle each time: it counts once, or it
        # would outweigh the words that tell the two apart. A number or a letter repeated is not
        # a word repeated (Transaction(2/2), 1:M:M).
        seen: set[str] = set()
        kept = []
        for word in out:
            # A Korean word's particle says how it is used, not what it is (English "line" and
            # "lines" may be two things a title says: "split over lines into one line").
            forms = self._stems(word) if is_hangul(word) else (word,)
            if len(word) < 2 or word.isdigit() or seen.isdisjoint(forms):
                kept.append(word)
                seen.update(forms)
        # An operator typed by its signs (`?. 연산자`) is a word where a title names it.
        kept += [sign for sign in signs(text) if self._has(sign) and sign not in kept]
        return kept[:MAX_TOKENS]

    def _token_words(self, tok: str, acronym: bool) -> tuple[str, ...]:
        """The words a query token stands for: itself, or the words it was glued from."""
        if "-" in tok.strip("-") and not self._known(tok):
            hyphened = self._hyphened(tok)
            if hyphened:
                return hyphened
        elif ("." in tok or "_" in tok) and not self._known(tok) and not self._fuzzy(tok):
            # An identifier the notes never write whole, nor one slip from it (collections.deque,
            # heapq.heappush, user_id), is the words it joins, as the index reads it where a
            # note writes it.
            joined = tuple(p for p in latin_parts(tok) if len(p) > 1 or p.isdigit())
            if joined:
                return joined
        if (
            not acronym
            and not self._known(tok)
            and len(tok) >= 4
            and not is_choseong(tok)
            # 하이퍼바이저 is hypervisor, not 하이 + 퍼바이저.
            and not (is_hangul(tok) and looks_transliterated(tok) and self._sounds_english(tok))
        ):
            parts = self._segment(tok)
            if parts and self._prefer_split(tok, parts):
                return tuple(parts)
            parts = self._compound_head(tok)
            if parts and not self._fuzzy(tok):
                return tuple(parts)
        tail = self._noun_tail(tok) if not acronym else None
        return (tok[:-1], tail) if tail else (tok,)

    def _hyphened(self, tok: str) -> tuple[str, ...]:
        """The words of a compound joined by hyphens that the notes do not have whole, where
        they write those words side by side (two-phase → 2, phase under "2-Phase-Commit"): a
        count is written in figures as often as in words. Words the notes never put together
        ("one-way", "two-way" in notes that say 단방향) are no reading of it."""
        parts = [part for part in tok.split("-") if part]
        for words in (parts, [_NUMBERS.get(part, part) for part in parts]):
            if all(self._has(bigram(a, b)) for a, b in itertools.pairwise(words)):
                return tuple(words)
        return ()

    def _noun_tail(self, tok: str) -> str | None:
        """The one-syllable noun a Korean compound ends in (특정값 = 특정 + 값, 클래스명 =
        클래스 + 명), where the notes know both and not the whole: Korean glues such nouns on
        freely, and a piece of one syllable is otherwise too short to split off. Not when the
        word is one slip from a word of the notes, nor when the syllable is a particle."""
        if not is_hangul(tok) or len(tok) < 3 or self._known(tok):
            return None
        head, tail = tok[:-1], tok[-1]
        if (
            is_ending(tail)
            or tail in grammar_words()
            or self._predicate(tok)
            or not (self._has(tail) and self._known(head))
        ):
            return None
        nearest = self._fuzzy(tok)
        one_slip = 100 * (1 - 1 / len(jamo(tok)))
        return None if nearest and nearest[0][1] >= one_slip else tail

    def _split_predicate(
        self, words: list[str], acronyms: frozenset[str]
    ) -> tuple[list[str], list[str]]:
        """Verbs of a Korean question (만드는, 올리는, 둬야돼, 지우기) that are in no note.

        They say what the asker wants done, not what about, so they should not sink the answer
        the other words find: they do not count for the score, and are still named to the
        user, since 지우기 may be exactly what is missing.
        """
        if len(words) < 2:
            return words, []
        verbs = [
            w for w in words if self._predicate(w) and not self._alternatives(w, w in acronyms)
        ]
        if len(verbs) == len(words):
            return words, []
        return [w for w in words if w not in verbs], verbs

    def _known_word(self, tok: str) -> bool:
        if self._has(tok) or any(self._has(s) for s in self._stems(tok)[1:]):
            return True
        return self._noted_loanword(tok)

    def _noted_loanword(self, tok: str) -> bool:
        """Whether a Hangul word spells English the notes have (장고 → django): a noun, though
        it ends like a verb form (장 + 고)."""
        return is_hangul(tok) and any(
            all(self._has(t) for t in eng.split()) for eng in self._english(tok)
        )

    def _segment(self, tok: str) -> list[str]:
        """Split a glued token into the fewest known words (``gitreset`` → git, reset), at
        least two even when the notes know it whole too."""

        def is_piece(piece: str) -> bool:
            return (
                len(piece) < len(tok)
                and (len(piece) > 1 or self._single_ok(piece))
                and self._known(piece)
            )

        parts = fewest_pieces(tok, is_piece)
        if not parts or len(parts) < 2:
            return []
        if tok.isascii() and (
            parts[-1] in _ENGLISH_ENDINGS
            or max(map(len, parts)) < 3
            or any(len(p) == 1 and not p.isdigit() for p in parts)
            or any(map(glossary.translations, self._stems(tok)))
        ):
            # An English word's inflection is no word of its own: "golden" is gold + its
            # ending, not gold and "en". Nor is a word cut into nothing longer than two
            # letters a compound ("myelin" is not my + el + in): people glue words, and
            # English words of two letters are particles, not what a note is about.
            return []
        return parts

    def _compound_head(self, tok: str) -> list[str]:
        """A Korean compound noun whose one half the notes know (타입힌트 → 타입 + 힌트).

        Korean glues nouns into compounds freely and people type them either way; the known
        half is what the notes can answer, the other half is named as not found."""
        if not is_hangul(tok) or len(tok) < 4:
            return []
        for cut in sorted(range(2, len(tok) - 1), key=lambda c: -max(c, len(tok) - c)):
            head, tail = tok[:cut], tok[cut:]
            if self._known(head) or self._known(tail):
                return [head, tail]
        return []

    def _prefer_split(self, tok: str, parts: list[str]) -> bool:
        """``gitreset`` is two words, ``wepack`` is a typo of one: long pieces mean words, and
        a piece of one letter (``anotated`` → a + notated) is a typo's leftover, not a word.
        Nor is a piece of two where the whole is one slip from a word of the notes
        (``selectorrs`` is selectors, not selector + rs; ``monitorng`` is monitoring)."""
        if sum(map(len, parts)) / len(parts) >= 3.5 and min(map(len, parts)) > 2:
            return True
        nearest = self._fuzzy(tok)
        return not nearest or nearest[0][1] < 100 * (1 - 1 / len(tok))

    @staticmethod
    def _single_ok(piece: str) -> bool:
        """One-letter pieces are allowed where they are words: ``a``, digits, 깃 (git)."""
        return piece in {"a", "i"} or piece.isdigit() or piece in loanwords.table()

    def _word_alternatives(self, tok: str, acronym: bool = False) -> tuple[Alternative, ...]:
        t = self.tuning
        alts: dict[tuple[str, ...], float] = {}

        has = self._has

        def add(terms: tuple[str, ...], conf: float) -> None:
            if (
                terms
                and conf > alts.get(terms, 0)
                and (has(terms[0]) if len(terms) == 1 else all(map(has, terms)))
            ):
                alts[terms] = conf

        if dates.is_term(tok):
            return (((tok,), 1.0),) if has(tok) else ()
        if is_choseong(tok):
            for word in self._store.choseong_words(tok)[:20]:
                add((word,), t.typo)
            return _best_first(alts)
        variants = list(self._stems(tok))
        # A count is written in figures as often as in words (two-phase commit, 2PC; three-way
        # handshake, 3-way).
        number = _NUMBERS.get(tok)
        if number:
            add((number,), t.glossary)
        if self._predicate(tok):
            # A verb is read by its stem too (해결해 → 해결, 합치고 → 합치).
            variants += [v for v in predicate_stems(tok) if len(v) > 1 and v not in variants]
            # The short negation is glued to its verb as often as not (안닫히는, 못찾음): a verb
            # the notes have only so is read there ("안 닫히는데" finds "…안닫히는 이슈").
            if not any(map(has, variants)):
                for negated in (n + v for v in variants for n in ("안", "못")):
                    add((negated,), t.stem)
        for i, variant in enumerate(variants):
            penalty = (
                1.0 if i == 0 else t.stem if len(variant) > 1 or variant.isascii() else t.short_stem
            )
            add((variant,), penalty)
            if is_hangul(variant):
                for eng in self._english(variant):
                    terms = tuple(eng.split())
                    if all(self._has(x) for x in terms):
                        add(terms, t.loanword * penalty)
                    elif len(terms) == 1:
                        for english_stem in self._stems(eng)[1:]:
                            add((english_stem,), t.english_stem * penalty)
                        for word, score in self._fuzzy(eng):
                            add((word,), t.typo * penalty * score / 100)
                if len(variant) >= 2:
                    for word in self._hangul_prefixed(variant):
                        add((word,), t.prefix * penalty)
            else:
                spelled = hangul_spellings().get(variant, ())
                for korean in spelled:
                    add((korean,), t.loanword * penalty)
                if not spelled and not acronym and len(variant) >= 4:
                    # An English word the table does not spell may be one the notes write in
                    # Hangul (bridge → 브릿지, postmortem → 포스트모텀), as a Hangul word may spell
                    # English the notes write (`_sound_alikes`).
                    for korean, conf in self._spoken(variant):
                        add((korean,), conf * penalty)
            translated_words = glossary.translations(variant)
            if not translated_words and i and is_hangul(variant):
                translated_words = glossary.translations(with_final_l(variant))
            for translated in translated_words:
                # A term of two words (경쟁상태 → race condition) is found as both, like a
                # loanword compound (도커이미지 → docker image).
                add(tuple(translated.split()), t.glossary * penalty)
                # A verb the table gives in its 기 form (read → 읽기) is written in any form
                # (읽는 법, 읽어서): its stem finds them, as a Korean question's verb is read.
                for verb_stem in predicate_stems(translated) if is_hangul(translated) else ():
                    add((verb_stem,), t.glossary * t.stem * penalty)
                # The notes may have the word in another form (동기화 → synchronization, a
                # title "synchronized 블럭" → synchronize), as a loanword's English is read.
                for english_stem in self._stems(translated)[1:] if translated.isascii() else ():
                    add((english_stem,), t.glossary * t.english_stem * penalty)
                # 교착상태 → deadlock → 데드락 where the notes write the loanword.
                for korean in hangul_spellings().get(translated, ()):
                    for written in self._as_written(korean):
                        add(written, t.glossary * t.loanword * penalty)
                # The row's other words are synonyms (나누 → split → 분할; final → 마지막 →
                # last): two translations away, so less sure than one.
                for synonym in glossary.translations(translated):
                    for written in self._as_written(synonym):
                        add(written, t.glossary * t.glossary * penalty)
            if not translated_words and is_hangul(variant) and len(variant) >= 4:
                # A compound glued from words the tables know (시간복잡도 = 시간 + 복잡도,
                # 지연로딩 = 지연 + 로딩) is read as theirs: time complexity, lazy loading.
                for terms in self._glued_english(variant):
                    add(terms, t.glossary * penalty)
            # What the notes themselves gloss it as (경합조건 → race condition; decorator →
            # 데코레이터), read as their words, where they have them all.
            for reading in self._noted(variant):
                add(reading, t.noted_gloss * penalty)
        hangul = is_hangul(tok)
        # A word the notes have once or twice may itself be their typo (relase) of a word they
        # use often (release): that word is a reading too.
        rare = len(tok) >= 5 and 0 < self._store.df(tok) <= 2
        if rare and alts and max(alts.values()) >= t.typo and not self._commoner_near(tok):
            rare = False  # no word it could be a typo of is common enough to be read
        # A Korean word the glossary knows (문서 "document") is a word, not a slip of another
        # (순서 "order" is one key away): it may be in no note, which is for the asker to know.
        known_word = hangul and any(map(glossary.translations, variants))
        # An English word the notes lack, read only as stems cut by rule (curring → curr, cur),
        # is as likely a typo of a word they have (currying): both are readings.
        guessed = (
            not hangul
            and bool(alts)
            and not has(tok)
            and all(len(terms) == 1 and terms[0] in variants[1:] for terms in alts)
        )
        slips: list[tuple[str, float]] = []
        if (not alts or max(alts.values()) < t.typo or rare or guessed) and not known_word:
            for word, score in self._typos(tok, variants):
                # An acronym's only typo is a swap of its own letters (COSR → CORS).
                if acronym and sorted(word) != sorted(tok):
                    continue
                if alts and not self._store.df(word) >= _COMMONER * self._store.df(tok):
                    continue
                add((word,), t.typo * score / 100)
                if guessed and (word,) in alts:
                    slips.append((word, alts[(word,)]))
                # The word the typo meant may be one the notes write in English (실슈 → 실수 →
                # mistake): its translation is a reading too, as the word's own would be.
                for translated in glossary.translations(word) if hangul else ():
                    add(tuple(translated.split()), t.typo * score / 100 * t.glossary)
                    for english_stem in self._stems(translated)[1:]:
                        add((english_stem,), t.typo * score / 100 * t.glossary * t.english_stem)
        if slips:
            # A stem the rule guessed that the notes write far less often than a word one slip
            # from what was typed is the lesser reading: inoed is inode (17 entries), not
            # ino + ed (one entry's st_ino).
            word, conf = max(slips, key=itemgetter(1))
            common = self._store.df(word)
            for terms in [terms for terms in alts if terms[0] in variants[1:]]:
                if common >= _COMMONER * self._store.df(terms[0]):
                    alts[terms] = min(alts[terms], conf * t.stem)
        if hangul and len(tok) >= 2:
            weak = not alts or max(alts.values()) < t.sound
            # Whether it is written the way Korean writes foreign words decides only for a
            # verb form or a word read well enough already.
            predicate = self._predicate(tok)
            foreign = (predicate or not weak) and any(map(looks_transliterated, self._stems(tok)))
            # A verb form (쓰는, 찾는) is no loanword (쓰는 is not "then"); it may be a typo. So
            # is 아/어 after a closed syllable (막아, 찾아, 읽어): how Korean ends a verb, never
            # how it spells an English sound (막아 is not "make").
            verb = (predicate and not foreign) or informal_verb(tok)
            if not verb and (weak or foreign) and not self._english(tok):
                # A Hangul word may spell an English word of the notes that the table lacks
                # (카프카, 레지스트리): tried when nothing reads it better, or when it is
                # written the way Korean writes foreign words, even if the notes write it in
                # Hangul too.
                for word, conf in self._heard(tok):
                    add((word,), conf)
        return _best_first(alts)

    def _glued_english(self, word: str) -> list[tuple[str, ...]]:
        """The English of a Korean compound of two words the glossary or the loanword table
        knows, each of two syllables or more, every way they translate (지연평가 → lazy
        evaluation, delay evaluation); none for a word that is no such compound."""

        def english(piece: str) -> tuple[str, ...]:
            return (*glossary.translations(piece), *self._english(piece))

        for cut in range(2, len(word) - 1):
            heads, tails = english(word[:cut]), english(word[cut:])
            if heads and tails:
                return [(*h.split(), *t.split()) for h in heads for t in tails]
        return []

    def _noted_glosses(self, term: str) -> tuple[tuple[str, ...], ...]:
        """The readings of a term (a word, or two neighbours) that the notes gloss in the other
        language, each as the words the notes write (체크포인트 and 체크 포인트). A query's words
        are tokens already: their `glosses.key` is themselves."""
        out: list[tuple[str, ...]] = []
        for other in self._store.glosses(term):
            words = tokens(other)
            readings = self._as_written("".join(words)) if len(words) == 1 else [tuple(words)]
            out += [r for r in readings if r and r not in out]
        return tuple(out)

    def _as_written(self, word: str) -> list[tuple[str, ...]]:
        """A word of a table as the notes may write it: whole, and as the known words it is
        glued from (체크포인트 and 체크 포인트; 임계구역 and 임계 구역)."""
        # English is not split: its words are spaced already (class is no cl + a + ss).
        split = tuple(self._segment(word)) if len(word) >= 4 and is_hangul(word) else ()
        return [(word,), split] if split else [(word,)]

    def _sound_alikes(self, tok: str) -> tuple[tuple[str, float], ...]:
        """English words of the notes that a Hangul word not in the table sounds like, each
        with its confidence (memoised per index as `_heard`): the word's own sound first, then
        its stems' (체이닝은 → 체이닝)."""
        found: dict[str, float] = {}
        for i, variant in enumerate(self._stems(tok)):
            if i and len(variant) < 2:
                continue
            key = loanwords.phonetic_key(variant)
            if len(key) < 2:
                continue
            keys = self._keys_sounding_like(key)
            # Spelled out only when some key sounds alike (most words sound like none).
            spelled = loanwords.romanize(variant) if keys else ""
            # Only a word written the way Korean writes foreign words (퍼, 스, 트) is compared
            # folded: a native word (소멸) folds into English (smell) by chance.
            transliterated = bool(keys) and looks_transliterated(variant)
            folded = loanwords.folded(spelled) if transliterated else ""
            # A word that sounds like this one without its first syllable is a prefix apart
            # (리밸런싱 is rebalancing, not balancing), as `_prefixed` says of typos.
            unprefixed = loanwords.phonetic_key(variant[1:]) if keys and len(variant) > 2 else ""
            for k, score in keys:
                if k == unprefixed:
                    continue
                for word in self._store.phonetic()[k][:30]:
                    conf = self._heard_as(spelled, folded, word, score)
                    if conf:
                        found[word] = max(found.get(word, 0.0), conf)
            if found:
                break
        return tuple(found.items())

    def _spoken_in_hangul(self, word: str) -> tuple[tuple[str, float], ...]:
        """Hangul words of the notes, written the way Korean writes foreign words, that sound
        like an English word and spell it closely enough, each with its confidence."""
        key = loanwords.phonetic_key(word)
        if len(key) < 3:
            return ()
        found: dict[str, float] = {}
        for k, score in self._keys_sounding_like(key, cutoff=90, hangul=True):
            for korean in self._hangul_by_sound[k][:30]:
                spelled = loanwords.romanize(korean)
                conf = self._heard_as(spelled, loanwords.folded(spelled), word, score)
                if conf:
                    found[korean] = max(found.get(korean, 0.0), conf)
        return tuple(found.items())

    def _heard_as(self, spelled: str, folded: str, word: str, sound: float) -> float:
        """How surely a Hangul word spelled out (`spelled`, and `folded` where it looks
        transliterated, else "") is the English `word` whose sound key is `sound` alike: 0 when
        its letters disagree. Sounding alike is not enough (주말 ~ gemfile)."""
        letters = fuzz.ratio(spelled, word)
        if letters < 65 and folded:
            # hipubijer is hypervisor once the letters Korean writes alike are one.
            alike = fuzz.ratio(folded, loanwords.folded(word))
            letters = max(letters, alike - self.tuning.sound_folded)
        return self.tuning.sound * (sound + letters) / 200 if letters >= 65 else 0.0

    @functools.cached_property
    def _phonetic_by_length(self) -> dict[int, tuple[list[str], list[int]]]:
        return _keys_by_length(self._store.phonetic())

    @functools.cached_property
    def _hangul_sound_lengths(self) -> dict[int, tuple[list[str], list[int]]]:
        return _keys_by_length(self._hangul_by_sound)

    @functools.cached_property
    def _hangul_by_sound(self) -> dict[str, list[str]]:
        """The notes' Hangul words that look transliterated, by sound key: built on the first
        English word that needs it."""
        out: dict[str, list[str]] = {}
        store = self._store
        for size in range(2, 40):
            for key in store.vocabulary(True, size):
                word = store.jamo_word(key)
                if len(word) >= 2 and looks_transliterated(word):
                    out.setdefault(loanwords.phonetic_key(word), []).append(word)
        return out

    def _sounds_english(self, tok: str) -> bool:
        """Whether a Hangul word not in the loanword table spells an English word of the notes
        as a whole (하이퍼바이저 is hypervisor, not 하이 + 퍼바이저)."""
        return bool(self._heard(tok))

    def _keys_sounding_like(
        self, key: str, cutoff: int = 85, hangul: bool = False
    ) -> list[tuple[str, float]]:
        """The three sound keys most like `key` (a ratio of at least `cutoff`), best first, ties
        in the keys' order: of the notes' English words, or of their transliterated Hangul.

        That ratio needs the two lengths within cutoff : (200 - cutoff) of each other, so only
        keys of those lengths are compared."""
        by_length = self._hangul_sound_lengths if hangul else self._phonetic_by_length
        size, rest = len(key), 200 - cutoff
        keys: list[str] = []
        ranks: list[int] = []
        for length in range(size * cutoff // rest, size * rest // cutoff + 1):
            bucket = by_length.get(length)
            if bucket:
                keys += bucket[0]
                ranks += bucket[1]
        found = process.extract(key, keys, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None)
        found.sort(key=lambda hit: (-hit[1], ranks[hit[2]]))
        return [(k, score) for k, score, _ in found[:3]]

    def _hangul_prefixed(self, prefix: str, limit: int = 8) -> list[str]:
        out: list[str] = []
        # The word itself may come first: one more than `limit` are enough.
        for word in self._store.hangul_from(prefix, limit + 1):
            if not word.startswith(prefix):
                break
            # An inflection (사이트를) adds nothing: the index holds its stem (사이트) already.
            if word != prefix and prefix not in token_terms(word)[0]:
                out.append(word)
        return out[:limit]

    def _typos(self, tok: str, variants: Sequence[str]) -> list[tuple[str, float]]:
        """Known words a typo away from a word as typed or, for Korean, from it without its
        particle (멱등섬이 → 멱등섬 → 멱등성): the particle's letters are no part of the typo,
        and would put a slip in a long word out of reach. A stem's typos count as the stem."""
        found = dict(self._fuzzy(tok))
        if is_hangul(tok):
            for variant in variants[1:]:
                if len(variant) >= 2:
                    for word, score in self._fuzzy(variant):
                        found.setdefault(word, score * self.tuning.stem)
        return sorted(found.items(), key=lambda ws: -ws[1])[:3]

    def _fuzzy_words(self, tok: str) -> list[tuple[str, float]]:
        """Known words one or two typos away (a swap counts once), as (word, 0-100 score).

        Hangul is compared letter by letter (jamo), so 횐경 is one edit from 환경, and two
        neighbouring syllables swapped (토스리보드) count as one typo of 스토리보드."""
        hangul = is_hangul(tok)
        key = jamo(tok) if hangul else tok
        max_edits = _max_edits(len(key))
        if not max_edits:
            # Three letters or one syllable: only two of them swapped (OMR → ORM), never
            # another letter (GIL is not git).
            swaps = syllable_swaps(tok) if len(tok) == 3 and not hangul else []
            return [(w, 100 * 2 / 3) for w in swaps if w != tok and self._has(w)][:3]
        found: dict[str, float] = {}
        if hangul and len(tok) >= 2:
            for swapped in syllable_swaps(tok):
                if swapped != tok and self._has(swapped):
                    found[swapped] = 100 * (1 - 1 / len(key))  # one slip, like one jamo key
        words = self._vocabulary_near(hangul, len(key), max_edits)
        # The three nearest of each length, shortest words first.
        kept: list[tuple[int, int, int, str]] = []
        per_length: dict[int, int] = defaultdict(int)
        for edits, k, word in _near(key, words, max_edits):
            if edits > 1 and _prefixed(key, word, hangul):
                continue
            if per_length[len(word)] < 3:
                per_length[len(word)] += 1
                kept.append((len(word), edits, k, word))
        for _, edits, _, word in sorted(kept):
            score = 100 * (1 - edits / max(len(key), len(word)))
            term = self._store.jamo_word(word) if hangul else self._store.spelled(word)
            found[term] = max(found.get(term, 0.0), score)
        return sorted(found.items(), key=lambda ws: -ws[1])[:3]

    # -- ranking -----------------------------------------------------------------------------

    def _rank(
        self,
        words: list[str],
        acronyms: frozenset[str],
        literal: str,
        limit: int,
        intents: Sequence[tuple[str, ...]] = (),
        negated: bool = False,
        pairs: Sequence[tuple[str, str]] = (),
    ) -> tuple[list[Match], list[str]]:
        """Entries by score, best first, and the query words that matched nothing.

        `intents` are what the question's interrogatives ask for (왜 → 이유): an entry with one
        scores higher, one without no lower.

        `literal` is the query squashed as typed, question words and all, for comparing with
        titles as strings ("JavaScript 정리" is that title, though 정리 is a question word)."""
        t = self.tuning
        tally = self._tally(words, acronyms, intents)
        reading = "".join(words)
        by_string = self._title_string_matches(literal)
        operators = {w for w in words if not any(map(str.isalnum, w))}
        if operators and by_string:
            by_string = {
                i: sim for i, sim in by_string.items() if self._names_operators(i, operators)
            }
        if reading != literal and 1.0 not in by_string.values():
            for entry_index, sim in self._title_string_matches(reading).items():
                by_string[entry_index] = max(by_string.get(entry_index, 0.0), t.reading * sim)
        if by_string and 1.0 not in by_string.values():
            titles = self._store.title_info(by_string)
            by_string = {
                i: sim for i, sim in by_string.items() if self._slip_of(words, literal, *titles[i])
            }
        scores = tally.scores
        days = [w for w in words if dates.is_term(w) and self._has(w)]
        if days:
            # A day named is a condition, not one word among others: "10월 5일에는 수업에서 뭘
            # 배웠어?" asks what that day's notes say, not for another day's "1일차 수업".
            of_day = set(self._store.postings(days[0])).union(
                *(self._store.postings(day) for day in days[1:])
            )
            scores = {i: score for i, score in scores.items() if i in of_day}
            by_string = {i: sim for i, sim in by_string.items() if i in of_day}
        if not scores and not by_string:
            return [], tally.unmatched
        leaders = (
            sorted(scores.items(), key=itemgetter(1), reverse=True)  # the same, quicker in C
            if len(scores) <= 4 * t.candidates
            else heapq.nlargest(t.candidates, scores.items(), key=itemgetter(1))
        )[: t.candidates]
        # (title squashed, its words' stems) of every entry that can still make the answer.
        info = self._store.title_info(itertools.chain(map(itemgetter(0), leaders), by_string))
        ranked = self._by_coverage(leaders, tally, info, _POOL, negated)
        ranked.sort()
        pool = ranked[:_POOL]  # the rest cannot reach the top
        matches = self._rescore(
            pool, by_string, info, literal, words, limit, negated, tally.found, tally.matched
        )
        matches = self._within_document(matches, pool, tally, by_string, literal, limit, negated)
        asks = {word for group in intents for word in group}
        matches = self._whole_over_part(matches, tally.matched, limit, literal, asks)
        matches = self._whole_over_tied_parts(matches, tally, limit, literal)
        matches = self._heading_of_named_parts(matches, pool, tally, literal, limit)
        if pairs:
            comparing = any("difference" in group for group in intents)
            matches = self._spread_over_parts(
                matches, pool, tally, literal, pairs, acronyms, comparing
            )
        return matches, tally.unmatched

    def _over(self, entry: Entry, depth: int | None = None) -> list[int]:
        """The entries whose headings an entry sits under (its sections' and document's),
        nearest first, at most `depth` of them."""
        out: list[int] = []
        parent = entry.parent
        while parent and (depth is None or len(out) < depth):
            whole = self._store.position(parent)
            if whole is None:
                break
            out.append(whole)
            parent = self.entries[whole].parent
        return out

    def _headings_unasked(self, number: int, matched: set[str]) -> int:
        """How many words of the headings over an entry (its sections' and document's titles)
        name nothing the question asked: none for a document."""
        return sum(
            sum(map(matched.isdisjoint, self._store.title_info([whole])[whole][1]))
            for whole in self._over(self.entries[number])
        )

    def _headings(self) -> Callable[[int], list[int]]:
        """Entry number → the entries whose headings it sits under (its sections' and
        document's), nearest first; each read once per question."""
        headings: dict[int, list[int]] = {}

        def enclosing(i: int) -> list[int]:
            found = headings.get(i)
            if found is None:
                parent = self.entries[i].parent
                whole = self._store.position(parent) if parent else None
                found = [] if whole is None else [whole, *enclosing(whole)]
                headings[i] = found
            return found

        return enclosing

    def _family(
        self,
        number: int,
        pool: list[tuple[float, int, int]],
        enclosing: Callable[[int], list[int]],
    ) -> list[int]:
        """The entries of entry `number`'s file among the leaders. A file's entries are
        numbered in one run, its document first, so only those after it are read, up to the
        first of another file."""
        start = (enclosing(number) or [number])[-1]
        source = self.entries[number].source
        family = []
        for i in sorted(entry_index for _, _, entry_index in pool if entry_index >= start):
            if self.entries[i].source != source:
                break
            family.append(i)
        return family

    def _within_document(
        self,
        matches: list[Match],
        pool: list[tuple[float, int, int]],
        tally: _Tally,
        by_string: dict[int, float],
        literal: str,
        limit: int,
        negated: bool = False,
    ) -> list[Match]:
        """The entry of the first answer's file that answers best when each of its sections is
        read under its headings: a word of the question that an enclosing heading (a section's
        document's or parent section's title) names counts for the section as its own title's.

        A reader sees a section under its headings, so "tortoise 설치" asks for the "Getting
        Started" section of the note titled "Tortoise" that says how to install it, not the
        note's few lines of introduction; and of two sections under "Boyer Moore Algorithm",
        "Bad character rule" answers "boyer moore bad character rule" as surely as "Boyer Moore
        using bad character rule" does, and says no more than was asked. Only the file's
        entries among the leaders compete, so the file the answer is in never changes. A title
        the question spells, or mistypes (`_title_string_matches`), is what was asked."""
        t = self.tuning
        asked = tally.asked
        if not matches or len(asked) < 2:
            return matches
        first = matches[0].entry
        number = self._store.position(first.id)
        ranked = {i: -score for score, _, i in pool}
        if (
            number not in ranked
            or by_string.get(number, 0.0) >= t.title_string
            or number in self._store.title_form_entries(literal)
        ):
            return matches
        # The first keeps what reading its title as a string gave it (`_rescore`): the others
        # must beat that.
        ranked[number] = max(ranked[number], matches[0].score)
        enclosing = self._headings()
        family = self._family(number, pool, enclosing)
        if len(family) < 2 or number not in family:
            # A file whose entries are not numbered in one run (entries given in another
            # order) has no family read here: the answer stands.
            return matches
        info = self._store.title_info(itertools.chain(family, *(enclosing(i) for i in family)))
        matched = tally.matched
        share, fixed = t.title_precision, 1 - t.title_precision
        readings = _readings(asked)
        # Each one's score with what its headings name counted as its own title's, and how well
        # it has each word that way.
        read: dict[int, float] = {}
        have: dict[int, list[float]] = {}
        # A heading's words are read once, not once per section under it.
        words_of: dict[int, set[str]] = {}

        def words_in(k: int) -> set[str]:
            words = words_of.get(k)
            if words is None:
                words = words_of[k] = set(itertools.chain.from_iterable(info[k][1]))
            return words

        unheard = self._claimed_by_siblings(family, enclosing, words_in)
        for i in family:
            title = info[i][1]
            own_title = words_in(i)
            above = [(k, words_in(k) - unheard.get((i, k), set())) for k in enclosing(i)]
            gain = 0.0
            has = have[i] = []
            for (weight, found, _), terms in zip(asked, readings, strict=True):
                # Found in one place unless it is what an interrogative asks for.
                own = (
                    found[0].get(i, 0.0)
                    if len(found) == 1
                    else max(where.get(i, 0.0) for where in found)
                )
                if above and terms.isdisjoint(own_title):
                    heard = max(
                        (
                            where.get(k, 0.0)
                            for k, words in above
                            if not terms.isdisjoint(words)
                            for where in found
                        ),
                        default=0.0,
                    )
                    if heard > own:
                        gain += weight * (heard - own)
                        own = heard
                has.append(own)
            if not gain:
                read[i] = ranked[i]  # nothing its headings name lifts it
                continue
            precision = (
                sum(not matched.isdisjoint(word) for word in title) / len(title) if title else 0.0
            )
            lift = gain / tally.total * (fixed + share * precision)
            if _says_opposite(title, negated):
                lift *= t.opposite
            read[i] = ranked[i] + lift
        # Each contender against the best so far. A section under the best so far must also
        # have a share of the question the headings it is read under lack; an enclosing heading
        # never takes over here (`_whole_over_part` says when a whole is asked for).
        best = number
        for i in family:
            if i == best or i in enclosing(best):
                continue
            part = best in enclosing(i)
            if part and self._says_more_of(i, best, have, matched):
                best = i
                continue
            if read[i] <= read[best]:
                continue
            if part:
                # What it has more of the question, less what it lacks that the section over it
                # has in its own text: a subsection whose title names 유니크 does not answer
                # "전략 auto 유니크" in place of its section that says all three.
                beyond = sum(
                    weight * (mine - theirs)
                    for (weight, _, _), mine, theirs in zip(asked, have[i], have[best], strict=True)
                )
                if beyond < t.family_part * tally.total:
                    continue
            best = i
        if best == number:
            return matches
        return _led_by(self.entries[best], matches, limit)

    def _says_more_of(
        self, part: int, whole: int, have: dict[int, list[float]], matched: set[str]
    ) -> bool:
        """Whether a part has every word of the question that the whole it is in has, and its
        title names more of them: "RAID 0 EBS IOPS" asks for "EBS에서 RAID 0을 쓰는 이유", not
        the note "RAID 0이란?" that has it as a section, though the note's shorter title says
        less besides."""
        if any(theirs and not mine for mine, theirs in zip(have[part], have[whole], strict=True)):
            return False
        info = self._store.title_info([part, whole])
        return self._named(info[whole][1], matched) < self._named(info[part][1], matched)

    @staticmethod
    def _claimed_by_siblings(
        family: list[int],
        enclosing: Callable[[int], list[int]],
        words_in: Callable[[int], set[str]],
    ) -> dict[tuple[int, int], set[str]]:
        """(entry, heading over it) → the heading's words that the entry's siblings under it
        claim (`sibling_claims`): under "Short Polling vs Long Polling", the section "Short
        Polling" does not hear "long". The siblings are the sections of the heading that the
        family's entries are in."""
        path: dict[tuple[int, int], int] = {}  # (entry, heading) → the heading's part it is in
        parts: dict[int, list[int]] = defaultdict(list)
        for i in family:
            child = i
            for k in enclosing(i):
                path[i, k] = child
                if child not in parts[k]:
                    parts[k].append(child)
                child = k
        claims: dict[int, dict[int, set[str]]] = {}
        for k, children in parts.items():
            if len(children) > 1:
                lost = sibling_claims(words_in(k), [words_in(c) for c in children])
                claims[k] = dict(zip(children, lost, strict=True))
        return {
            (i, k): claims[k][child]
            for (i, k), child in path.items()
            if k in claims and claims[k][child]
        }

    def _whole_over_part(
        self,
        matches: list[Match],
        matched: set[str],
        limit: int,
        literal: str,
        asks: set[str],
    ) -> list[Match]:
        """The document (or enclosing section) first when the question names more of its
        title than of the title of the part that came first, and every title word of the part
        it names is one of the whole's: "classes of IP addresses" asks for "IP 주소의 클래스
        구조", not its section "클래스", which led only on what its body says.

        A section carries its document's title as context, so it leads its document only on
        its own title or its body: when its own title adds no word of the question the
        document's title lacks, the question asks for the document. A part whose title names
        none of the question's words led on its body; it gives way only to a title that names
        the question outright (`Tuning.body_led_whole_title`). A part whose title the
        question (`literal`, squashed) spells whole is what was asked for, and stays."""
        if not matches or not matched:
            return matches
        t = self.tuning
        first = matches[0].entry
        if first.kind == "document" or not first.parent:
            return matches
        number = self._store.position(first.id)
        if number is None or number in self._store.title_form_entries(literal):
            return matches
        # What the question asks of its topic (왜 → 원인, 어떻게 고쳐 → 해결) is no topic a part's
        # title names: "원인" under "latest 태그 사용 시, 혼동" led on its body and that word.
        part = self._named(self._store.title_info([number])[number][1], matched) - asks
        need = t.whole_title if part else t.body_led_whole_title
        # A part whose title has a word of the question its whole's lacks still gives way
        # when the whole's title names twice as many of the question's words and `need` more:
        # "[Java] 오토 박싱 & 오토 언박싱" answers "자바 오토박씽 언박싱 성능", not its section "성능".
        part_words = self._words_named(number, matched - asks)
        best, best_named = None, part
        for whole in self._over(first, 3):  # a section's section's document at most
            named = self._named(self._store.title_info([whole])[whole][1], matched)
            if len(named) >= len(best_named) + need and (
                part <= named or self._words_named(whole, matched) >= 2 * part_words + need
            ):
                best, best_named = whole, named
        if best is None:
            return matches
        return _led_by(self.entries[best], matches, limit)

    def _whole_over_tied_parts(
        self, matches: list[Match], tally: _Tally, limit: int, literal: str
    ) -> list[Match]:
        """The heading over the first two answers when they are parts of it that tie, each
        with a word of the question the other lacks: "웹 폰트 불러오기랑 폰트 종류" asks about
        "Font Faces" and "Font Types" both, which is their note "Fonts", not either half. A
        part whose title the question spells whole (`literal`, squashed) was asked for."""
        if len(matches) < 2:
            return matches
        first, second = matches[0], matches[1]
        parent = first.entry.parent
        if (
            not parent
            or second.entry.parent != parent
            or second.score < self.tuning.tied_parts * first.score
            # Looked up last: on an artifact it is a query of the file.
            or self._store.title_form_entries(literal)
        ):
            return matches
        a, b = self._store.position(first.entry.id), self._store.position(second.entry.id)
        if a is None or b is None:
            return matches
        # A word said more than in passing (a body's mention is not what a part is about).
        said = self.tuning.body
        has_a = {k for k, (_, found) in enumerate(tally.found) if found.get(a, 0.0) > said}
        has_b = {k for k, (_, found) in enumerate(tally.found) if found.get(b, 0.0) > said}
        if not (has_a - has_b and has_b - has_a):
            return matches
        whole = self._store.position(parent)
        if whole is None:
            return matches
        return _led_by(self.entries[whole], matches, limit)

    def _heading_of_named_parts(
        self,
        matches: list[Match],
        pool: list[tuple[float, int, int]],
        tally: _Tally,
        literal: str,
        limit: int,
    ) -> list[Match]:
        """The heading of the first answer's file that names, with the parts under it whose
        titles the question names whole (two or more), more of the question than the first
        answer does under its headings: "MySQL EXPLAIN type const ref range all" asks for
        "Explain 의 TYPE 칼럼 이해하기", whose parts are Const, Ref, Range and All, not the one
        part whose body said most; "교착상태 발생 조건 상호배제 점유와 대기" for "교착 상태의
        발생 조건", not "예방", whose body lists the conditions again. The heading's own title
        names a word of the question its parts do not. A title the question spells whole
        (`literal`, squashed) is what was asked for."""
        asked = tally.asked
        if not matches or len(asked) < 3:
            return matches
        number = self._store.position(matches[0].entry.id)
        if number is None or number in self._store.title_form_entries(literal):
            return matches
        readings = _readings(asked)
        skip = question_words()
        enclosing = self._headings()
        # The file's entries among the leaders and the headings over them: a part the question
        # names whole is a leader.
        family = [number, *self._family(number, pool, enclosing)]
        file = sorted(set(family).union(*(enclosing(i) for i in family)))
        hits = {i: self._title_hits(own_words(self.entries[i].title), readings, skip) for i in file}
        own = {i: frozenset().union(*found) for i, found in hits.items()}
        parts: dict[int, set[int]] = defaultdict(set)
        counted: dict[int, int] = defaultdict(int)
        for i in file:
            over = enclosing(i)
            whole = over[0] if over else None
            if whole is not None and hits[i] and all(hits[i]) and own[i] - own[whole]:
                # A part named only by its heading's words ("Flow" under "Git Flow") is not.
                parts[whole].update(own[i])
                counted[whole] += 1

        def context(i: int) -> frozenset[int]:
            return own[i].union(*(own[k] for k in enclosing(i)))

        mine = context(number)
        # Two names can be a thing and its context ("hotfix 브랜치", "createSlice reducers"):
        # a part the question names whole gives way only to a heading of three it names.
        fewest = 3 if own[number] else 2
        best, best_cover = number, len(mine)
        for whole, words in parts.items():
            if counted[whole] < fewest or not own[whole] - words or whole == number:
                continue
            cover = len(context(whole) | words)
            if cover > best_cover:
                best, best_cover = whole, cover
        if best == number:
            return matches
        return _led_by(self.entries[best], matches, limit)

    def _spread_over_parts(
        self,
        matches: list[Match],
        pool: list[tuple[float, int, int]],
        tally: _Tally,
        literal: str,
        pairs: Sequence[tuple[str, str]],
        acronyms: frozenset[str],
        comparing: bool = False,
    ) -> list[Match]:
        """The nearest entry of the first answer's file whose title, or the titles of the
        parts under it, name more of the things the question puts side by side than the first
        answer's do. A question `comparing` them (차이, vs) is answered where they are told
        apart: a part that names them all read under its headings stays.

        "로컬 스토리지, 세션 스토리지, 쿠키는 각각 어떻게 달라?", "Scanner랑 BufferedReader 중에
        뭐가 더 빨라?" and "nested classes and anonymous objects" ask about what the things they
        list are parts of: the heading over them ("브라우저 저장소", "Scanner와 BufferedReader",
        the chapter's note), not the one part its body led to. Only titles about the thing
        count: "setTimeout()에 지정되는 함수의 사용자 정의" mentions setTimeout, "Cookie" is
        about the cookie. Words side by side that one title names ("빈 등록 초기화, 소멸
        메서드 지정") are asked about together, there."""
        asked = tally.asked
        if not matches or len(asked) < 2:
            return matches
        readings = _readings(asked)

        def position(word: str) -> int | None:
            forms = self._read_as(self._query_tokens(word, acronyms), acronyms)
            return next(
                (k for k, terms in enumerate(readings) if not terms.isdisjoint(forms)), None
            )

        listed = {
            (a, b)
            for left, right in pairs
            if (a := position(left)) is not None and (b := position(right)) is not None and a != b
        }
        if not listed:
            return matches
        first = matches[0].entry
        number = self._store.position(first.id)
        if number is None or number in self._store.title_form_entries(literal):
            return matches
        enclosing = self._headings()
        family = {number, *self._family(number, pool, enclosing)}
        family.update(*(enclosing(i) for i in list(family)))
        skip = question_words()
        # Which of the question's words each title names (its glosses too: "(Deployment)"),
        # and whether they are at least half of what it says.
        own: dict[int, frozenset[int]] = {}
        about: dict[int, bool] = {}
        for i in family:
            title = self.entries[i].title
            hits = self._title_hits(title, readings, skip)
            own[i] = frozenset().union(*hits)
            # A gloss in parentheses names the thing again ("DLX (Dead Letter Exchange)" is
            # about DLX): what the title is about is judged without it.
            bare = own_words(title)
            said = hits if bare == title else self._title_hits(bare, readings, skip)
            about[i] = sum(map(bool, said)) * 2 >= len(said)
        # What each entry's title, and the titles under it that are about what they name,
        # name of the things listed: "Scanner와 BufferedReader" both, its "Scanner" one.
        named = {i: set(own[i]) for i in family}
        for i in family:
            if about[i]:
                for k in enclosing(i):
                    named[k] |= own[i]
        things = set(itertools.chain.from_iterable(listed))

        def listed_in(i: int) -> int:
            return len(named[i] & things)

        # The nearest entry naming most of them.
        best = max(family, key=lambda i: (listed_in(i), len(enclosing(i)), -i))
        if best == number or listed_in(best) < 2 or listed_in(best) <= listed_in(number):
            return matches
        # Never at the cost of a word the first answer's title and headings name.
        context = own[number].union(*(own[k] for k in enclosing(number)))
        heading = own[best].union(*(own[k] for k in enclosing(best)))
        if not context <= named[best] | heading:
            return matches
        # Nor, asked their difference, when the first answer read under its headings names all
        # the heading does and its own title one the heading's own title does not: "가상머신과
        # 차이" under the note "Docker" answers "docker 가상머신 차이", where the note names the
        # other thing only through it; "nested classes and anonymous objects" lists two topics
        # of the chapter on both.
        if comparing and named[best] & things <= context and not own[number] & things <= own[best]:
            return matches
        # Nor of the question's subject, its first word, when the first answer's title names
        # it and neither the list, the heading over it nor its other parts do: "UMD pattern to
        # support both CommonJS and AMD" asks about UMD, where "environment variables and …
        # like LD_PRELOAD" asks about what is listed, and "지속적 제공이랑 지속적 배포" about
        # both parts that say 지속적.
        parts = [own[i] for i in family if i != number and about[i] and best in enclosing(i)]
        if 0 in own[number] and 0 not in things.union(heading, *parts):
            return matches
        return _led_by(self.entries[best], matches, len(matches))

    def _title_hits(
        self, title: str, readings: Sequence[set[str]], skip: frozenset[str]
    ) -> list[set[int]]:
        """For each word of a title (question words and numbers aside), which of the question's
        words (by position in `readings`) it is."""
        return [
            {k for k, terms in enumerate(readings) if not terms.isdisjoint(forms)}
            for forms in (
                self._stems(tok) for tok in tokens(title) if tok not in skip and not tok.isdigit()
            )
        ]

    def _subject_first(
        self, matches: list[Match], text: str, literal: str, acronyms: frozenset[str]
    ) -> list[Match]:
        """The document or section over the first answer whose title (or tags, file name)
        has every word of the question's first sentence, when more sentences follow.

        People state the subject first, then ask about it: "KMP 알고리즘이 뭐야? 실패 함수로
        어떻게 문자열 매칭해?" and "OSIV가 뭐야? 끄면 어떻게 달라져?" ask about the note on KMP
        or OSIV, the later sentences about its details, so the whole answers, not the section
        the details led to. A first sentence with a word the whole is not titled by ("도커
        볼륨이 뭐야? 마운트는?") asks about the part."""
        if not matches or matches[0].entry.kind == "document" or not matches[0].entry.parent:
            return matches
        sentences = [s for s in _SENTENCE_END().split(text) if s.strip()]
        joined = _WHAT_AND().match(text) if len(sentences) < 2 else None
        if joined:
            sentences = [joined.group(0), text[joined.end() :]]
        if self._store.title_form_entries(literal):
            return matches  # a title typed whole: what it names was asked
        if len(sentences) < 2:
            chosen = self._subject_of_question(matches, text, acronyms)
            return matches if chosen is None else _led_by(chosen, matches, len(matches))
        # Each word as it is read (stems, loanwords, translations). A verb says how it is asked
        # (동작해, 써야), and a word in no note cannot be in a title: neither counts.
        readings = [
            reading
            for w in self._query_tokens(sentences[0], acronyms)
            if len(w) > 1
            and not w.isdigit()
            and (not self._predicate(w) or self._topical(w) or self._noted_loanword(w))
            if (reading := [t for terms, _ in self._alternatives(w, w in acronyms) for t in terms])
        ]
        if not readings:
            return matches
        # A part titled by the subject and nothing else ("트리쉐이킹(Tree Shaking)" under "Scope &
        # Tree Shaking") is about it as much as the whole is; "OSIV OFF" is about a detail.
        first = self._store.position(matches[0].entry.id)
        said = set(itertools.chain.from_iterable(readings))
        if first is not None and self._titled_by(first, said):
            return matches
        # A title, tag or file name has it (a body or keywords only mention it): what the entry
        # is about. Spelled in a tag (loanwords and stems), or any way in a title.
        about = self.tuning.tags * self.tuning.loanword
        # The outermost that has them all: a file name is every entry's context, so a section
        # under the document may have them by it alone, where the document is what was named.
        chosen = None
        for whole in self._over(matches[0].entry, 3):
            if all(
                any(self._store.postings(term).get(whole, 0.0) >= about for term in terms)
                for terms in readings
            ):
                chosen = self.entries[whole]
        if chosen is None:
            # Another part of the same note titled by the subject alone ("2. Closure" for
            # "파이썬 클로저가 뭐야? 중첩 함수 쓰는 이유가 그거야?", which "중첩함수" led on the
            # details): the note's own word for what was asked first.
            note = self._over(matches[0].entry)[-1:]
            chosen = next(
                (
                    m.entry
                    for m in matches[1:FRONT]
                    if m.entry.parent
                    and self._over(m.entry)[-1:] == note
                    and (number := self._store.position(m.entry.id)) is not None
                    and self._titled_by(number, said)
                ),
                None,
            )
        if chosen is None:
            chosen = self._subject_of_question(matches, text, acronyms)
        if chosen is None:
            return matches
        # A title with a question mark in it ("Class imbalance란? (deep learning에서)") typed with
        # a slip is that title: the question reads as it, sentences and all.
        if (
            first is not None
            and self._title_string_matches(literal).get(first, 0.0) >= self.tuning.title_string
        ):
            return matches
        return _led_by(chosen, matches, len(matches))

    def _subject_of_question(
        self, matches: list[Match], text: str, acronyms: frozenset[str]
    ) -> Entry | None:
        """The entry among the first few titled by an English question's subject alone, when
        the first answer's title and headings do not name it: "How does an LSTM keep long-term
        information and avoid the vanishing gradient of a plain RNN?" asks about the LSTM, which
        its "vanishing gradient" only led on; what follows the subject says what is asked of it."""
        m = _ASKED_SUBJECT().match(text)
        if not m:
            return None
        subject = m.group(1).lower()
        if subject in question_words() or subject in grammar_words() or asked_for(subject):
            return None
        said = {t for terms, _ in self._alternatives(subject, subject in acronyms) for t in terms}
        first = self._store.position(matches[0].entry.id)
        if not said or first is None:
            return None
        context = [first, *self._over(matches[0].entry)]
        info = self._store.title_info(context)
        if any(not said.isdisjoint(forms) for i in context for forms in info[i][1]):
            return None
        return next(
            (
                m.entry
                for m in matches[1:FRONT]
                if (number := self._store.position(m.entry.id)) is not None
                and self._titled_by(number, said)
            ),
            None,
        )

    def _read_as(self, words: Iterable[str], acronyms: frozenset[str]) -> set[str]:
        """Every term the words are read as (stems, loanwords, translations, typos)."""
        return {
            term
            for w in words
            for terms, _ in self._alternatives(w, w in acronyms)
            for term in terms
        }

    def _about_any(self, entry: Entry, words: list[str], acronyms: frozenset[str]) -> bool:
        """Whether the entry's title, the headings it is under, its tags or its file's name
        name a word of the question, read any way: an answer whose text only mentions them
        all ("git", "branch" and "삭제" in a setup note's commands) is not sure to be about
        them."""
        number = self._store.position(entry.id)
        if number is None:
            return True
        said = self._read_as(words, acronyms)
        if any(dates.is_term(w) for w in words):
            # The day asked for is the day it was written (or the day of the note it is in).
            dated, _ = dates.entry_terms(entry.title, entry.kind, entry.date, entry.period)
            if not said.isdisjoint(dated):
                return True
        numbers = [number, *self._over(entry)]
        info = self._store.title_info(numbers)
        if any(self._named(info[i][1], said) for i in numbers):
            return True
        context = " ".join([*entry.tags, file_words(entry.source)])
        return any(not said.isdisjoint(self._stems(tok)) for tok in tokens(context))

    @staticmethod
    def _note_over_namesake(matches: list[Match]) -> list[Match]:
        """Of a section and a note titled alike that score the same, the note first: a whole
        note about "Redis Stream" says more than a section of that name in another note (often
        a heading that only links to it)."""
        if len(matches) < 2 or matches[0].entry.kind == "document":
            return matches
        first, score = matches[0].entry, matches[0].score
        for k, m in enumerate(matches[1:FRONT], 1):
            if m.score < score:
                break
            if m.entry.kind == "document" and compact(m.entry.title) == compact(first.title):
                return [m, *matches[:k], *matches[k + 1 :]]
        return matches

    def _numbered_as_asked(
        self, matches: list[Match], words: list[str], acronyms: frozenset[str]
    ) -> list[Match]:
        """An entry titled by the asked word with the asked number ahead of those titled by it
        with another one. "RAID 5", "Android 11" and "자바 8" name one of several things told
        apart only by a number: "RAID 3", whose body says more of the rest of the question, is
        another thing, not a closer answer."""
        asked = {
            (w, n)
            for w, n in itertools.pairwise(words)
            if _is_number(n) and len(w) > 1 and not _is_number(w)
        }
        if len(matches) < 2 or not asked:
            return matches
        readings = {
            w: {w, *(t for terms, _ in self._alternatives(w, w in acronyms) for t in terms)}
            for w, _ in asked
        }

        def says(entry: Entry) -> int:
            """1 when the title numbers an asked word as asked, -1 when otherwise, else 0."""
            numbered = [(a, b) for a, b in itertools.pairwise(tokens(entry.title)) if _is_number(b)]
            found = [b == n for a, b in numbered for w, n in asked if a in readings[w]]
            return 1 if any(found) else -1 if found else 0

        verdicts = [says(m.entry) for m in matches[:FRONT]]
        if verdicts[0] >= 0 or 1 not in verdicts:
            return matches
        k = verdicts.index(1)
        return [matches[k], *matches[:k], *matches[k + 1 :]]

    @staticmethod
    def _as_named(word: str) -> str:
        """A word named back to the asker, without its particle. 는 and 은 also end verbs
        (만드는, 작은), so they come off only a loanword (리베이스는 → 리베이스), a noun. A date
        is named as its figures (12-25, 2022-10-05)."""
        if dates.is_term(word):
            return word[1:]
        bare = without_particle(word)
        if (
            bare == word
            and len(word) >= 3
            and word[-1] in "는은"
            and loanwords.to_english(word[:-1])
        ):
            return word[:-1]
        return bare

    def _titled_by(self, number: int, said: set[str]) -> bool:
        """Whether every word of an entry's own title (numbering aside) is one the question
        said: the entry is about that and nothing else."""
        own = [w for w in self._store.title_info([number])[number][1] if not _numeral(w)]
        return bool(own) and all(not said.isdisjoint(forms) for forms in own)

    def _says_how(self, word: str) -> bool:
        """Whether a word is a form of 쓰다 "use" or 보다 "see, try" (쓰는, 써, 보는, 봐): how a
        thing is asked about ("docker 같이 쓰는 법"), never a word the notes should have had.
        Other one-syllable stems are words, or a noun read as one (경기 is no 경 + 기)."""
        stems = predicate_stems(word) if self._predicate(word) else []
        return bool(stems) and all(stem in _HOW_VERBS for stem in stems)

    def _topical(self, verb: str) -> bool:
        """Whether a verb form the notes have may be what is asked about: 설치하는 (설치) may,
        a native verb of one syllable (쓰는, 보는, 하는) says how, not what."""
        return self._has(verb) and all(len(stem) > 1 for stem in predicate_stems(verb))

    def _words_named(self, number: int, matched: set[str]) -> int:
        """How many words of an entry's title name a word of the question (`_named` counts
        the question's words as read, several forms of one word apart)."""
        return sum(
            not matched.isdisjoint(forms) for forms in self._store.title_info([number])[number][1]
        )

    @staticmethod
    def _named(title: Sequence[set[str]], matched: set[str]) -> set[str]:
        """The question's words (as read) that a title names."""
        return matched.intersection(itertools.chain.from_iterable(title))

    def _tally(
        self, words: list[str], acronyms: frozenset[str], intents: Sequence[tuple[str, ...]]
    ) -> _Tally:
        """Each entry's idf-weighted score over the query words, each counted once through
        its best reading, and raised where adjacent words are adjacent in it too."""
        t = self.tuning
        tally = _Tally()
        scores = tally.scores
        # Each word as the index spells it in a bigram (its last stem, or its Latin parts).
        best_words: list[tuple[str, ...] | None] = []
        joined = self._compounds(words)
        # Each matched word's weight and {entry: how well the entry has it}, by position.
        found_at: dict[int, tuple[float, dict[int, float]]] = {}
        rare = min(t.rare, t.rare_share * self._size)
        for i, tok in enumerate(words):
            alts = self._alternatives(tok, tok in acronyms)
            # A reading of this word joined with its neighbour (격리 수준 → isolation level)
            # stands for both words together: it is found only where all its words are. An
            # entry with one of them (a "Level traversal") has that word's own reading, not
            # this one too, and where no entry has them all the word is as if read alone.
            together: dict[tuple[str, ...], dict[int, float]] = {}
            if i in joined:
                own = {terms for terms, _ in alts}
                together = {
                    terms: self._phrase_postings(terms, whole=True)
                    for terms, _ in joined[i]
                    if len(terms) > 1 and terms not in own
                }
                kept = tuple(alt for alt in joined[i] if together.get(alt[0], True))
                alts = tuple(sorted(alts + kept, key=itemgetter(1), reverse=True))
            if not alts:
                best_words.append(None)
                if not self._joins_neighbour(words, i):
                    tally.total += self._unmatched_share(tok) * self._max_idf
                    tally.unmatched.append(tok)
                else:
                    tally.total += self._max_idf
                continue
            (first, conf), *others = alts
            # A date is no word of a phrase.
            phrased = len(first) == 1 and not dates.is_term(tok)
            best_words.append(token_terms(first[0])[1] if phrased else None)
            weight = self._weight(alts, first)
            tally.total += weight
            tally.matched.update(first)
            found = together.get(first) or self._phrase_postings(first)
            # The word as typed (conf 1) scores what the postings say: a copy, made in C.
            token_scores = dict(found) if conf == 1.0 else {i: conf * fw for i, fw in found.items()}
            for terms, conf in others:
                tally.matched.update(terms)
                for entry_index, fw in (
                    together.get(terms) or self._phrase_postings(terms)
                ).items():
                    s = conf * fw
                    if s > token_scores.get(entry_index, 0.0):
                        token_scores[entry_index] = s
            only_bodies = max(token_scores.values(), default=0.0) <= t.body
            if len(token_scores) <= rare and max(token_scores.values(), default=1.0) <= t.keywords:
                # A word no title names that a handful of entries say (chromedriver, caffeinate)
                # is as specific as a phrase of the question (`Tuning.rare`); still a word no
                # note is about for the entries without it (below).
                for entry_index, s in token_scores.items():
                    token_scores[entry_index] = s + t.bigram * (1 - s)
            found_at[i] = (weight, token_scores)
            tally.found.append((weight, token_scores))
            tally.asked.append((weight, (token_scores,), alts))
            tally.add(weight, token_scores)
            if self._predicate(tok) and not self._known(tok):
                # Verbs the notes have only in translation (만드는 → create): an entry with one
                # is the better for it, one without is not the worse.
                tally.verb += weight
                tally.verb_present.append((weight, token_scores))
            elif only_bodies:
                # Only ever in bodies (파일, 설정 in passing): a word no note is about. An entry
                # without it is missing less than one without a topic word.
                tally.weak += weight
                for entry_index in token_scores:
                    tally.weak_present[entry_index] += weight
        weights: dict[str, float] = {}
        for word in dict.fromkeys(w for group in intents for w in group if self._has(w)):
            weight = weights[word] = self._idf(word)
            tally.total += weight
            tally.verb += weight
            tally.matched.add(word)
        # Each interrogative is one word asked, however many ways its answer is spelled (왜 →
        # 이유, reason): an entry that says it twice ("사용하는 경우가 언제인가요?") has it once,
        # by its best spelling, and no more of a lift over the note the question names ("전략
        # 패턴은 언제 써?"). "왜 써?" asks two things of a title, why and use.
        # What is asked of a topic lifts the entries on one: an entry with none of the
        # question's words ("언제 사용?" under Heap, for "having이랑 where는 언제 써?") is not
        # lifted into an answer by the interrogative alone.
        topical = (
            set().union(*(where for _, where in tally.found)) if weights and tally.found else None
        )
        for group in dict.fromkeys(intents):
            spelled = tuple(((w,), 1.0) for w in dict.fromkeys(group) if w in weights)
            if not spelled:
                continue
            postings_of = tuple(self._store.postings(w) for (w,), _ in spelled)
            tally.asked.append((min(weights[w] for (w,), _ in spelled), postings_of, spelled))
            best: dict[int, tuple[float, float]] = {}
            for ((word,), _), postings in zip(spelled, postings_of, strict=True):
                weight = weights[word]
                for entry_index, fw in postings.items():
                    if weight * fw > best.get(entry_index, (0.0, 0.0))[0]:
                        best[entry_index] = (weight * fw, weight)
            for entry_index, (score, weight) in best.items():
                if topical is not None and entry_index not in topical:
                    continue
                tally.scores[entry_index] += score
                tally.intent_had[entry_index] += weight
        scores = tally.scores
        for i, (a, b) in enumerate(itertools.pairwise(best_words)):
            if not (a and b):
                continue
            # Each word of the pair counts part of the way from its field's weight to a title's,
            # never past it: a phrase lifts an entry no higher than the words it has.
            for entry_index, fw in self._store.postings(bigram(a[-1], b[0])).items():
                phrase = fw + t.bigram * (1 - fw)
                for k in (i, i + 1):
                    weight, token_scores = found_at[k]
                    had = token_scores.get(entry_index, 0.0)
                    if had < phrase:
                        token_scores[entry_index] = phrase
                        scores[entry_index] += weight * (phrase - had)
        return tally

    def _by_coverage(
        self,
        leaders: list[tuple[int, float]],
        tally: _Tally,
        info: TitleInfo,
        keep: int,
        negated: bool = False,
    ) -> list[tuple[float, int, int]]:
        """(-score, title length, entry) of the leaders (best score first) that can be among
        the best `keep`: the share of the question's words each contains, nudged up when the
        query covers its whole title."""
        t = self.tuning
        share, fixed = t.title_precision, 1 - t.title_precision
        total, weak, verb, matched = tally.total, tally.weak, tally.verb, tally.matched
        # Title precision moves a score by at most its share, so it is worked out only where it
        # can change the order at the top: for the leaders within that share of the first.
        floor = fixed * (leaders[0][1] if leaders else 0.0)
        top = next((k for k, (_, raw) in enumerate(leaders) if raw < floor), len(leaders))
        # Without words found only in bodies, or verbs, every leader has the same total.
        plain = not weak and not verb and total
        # One word has no breadth to speak of: its entries are already ranked by how they have it.
        every = sum(weight for weight, _ in tally.found) if len(tally.found) > 1 else 0.0
        past = max(0, len(tally.found) - t.breadth_from)
        breadth = min(t.breadth_most, t.breadth + t.breadth_per_word * past)
        ranked = []
        for k, (entry_index, raw) in enumerate(leaders):
            if k >= top and plain:
                break
            own_total = total
            if weak:
                own_total -= t.unmatched * (weak - tally.weak_present.get(entry_index, 0.0))
            if verb:
                own_total -= verb - tally.verb_had(entry_index)
            coverage = raw / own_total if own_total else 0.0
            title_compact, title = info[entry_index]
            if k < top and title:
                precision = (len(title) - sum(map(matched.isdisjoint, title))) / len(title)
                coverage *= fixed + share * precision
                if _says_opposite(title, negated):
                    coverage *= t.opposite
                if every:
                    # How many of the question's words it has at all, wherever (see `Tuning`).
                    have = sum(weight for weight, found in tally.found if entry_index in found)
                    blend = (1 - breadth) * coverage + breadth * fixed * have / every
                    coverage = max(coverage, blend)  # it lifts, never lowers a score
            else:
                coverage *= fixed
            ranked.append((-coverage, len(title_compact), entry_index))
        if plain:
            # The rest score in the order of their raw scores, each below every leader above:
            # the first `keep` of them and any that tie with the last are all that can place.
            rest = leaders[top:]
            need = max(keep - len(ranked), 1)
            if len(rest) > need:
                last = rest[need - 1][1] / total * fixed
                while need < len(rest) and rest[need][1] / total * fixed >= last:
                    need += 1
                rest = rest[:need]
            ranked += [(-(raw / total * fixed), len(info[i][0]), i) for i, raw in rest]
        return ranked

    def _rescore(
        self,
        pool: list[tuple[float, int, int]],
        by_string: dict[int, float],
        info: TitleInfo,
        literal: str,
        words: Sequence[str],
        limit: int,
        negated: bool = False,
        found: Sequence[tuple[float, dict[int, float]]] = (),
        matched: set[str] | None = None,
    ) -> list[Match]:
        """The best `limit` of the pool (its (-score, title length, entry) best first) and the
        entries `by_string` found, where a query that reads like a title as a string (spaces, a
        typo, a swap) is that entry.

        A title that reads like the query only by a long run of shared letters, on an entry
        lacking the question's rarest word (of `found`: each word the notes have, its weight
        and entries), is not that entry: "bat syntax highlighting" shares "syntaxhighlighting"
        with "Toggling Syntax Highlighting", whose note never says bat, the word that says
        what is asked about. A commoner word missing ("load 이벤트랑 DOMContentLoaded" for
        "load vs. DOMContentLoaded") is phrasing, and a title within a typo of the query
        (`by_string`) is what was typed.

        Ties go to the title that reads most like the query, then to the fewest slips from it
        (OSA edits), then to the shorter title; of those tied first with the same title, to the
        one whose headings name fewest words the question does not (of `matched`, the
        question's words as read). Only titles within half a match of the query can read like
        one, so those are found in one pass; the rest keep their score and are compared one by
        one only where they can still make the top."""
        t = self.tuning
        reading = "".join(words)
        heaviest = max((weight for weight, _ in found), default=0.0)
        specific = [where for weight, where in found if weight >= heaviest]
        numbers = list(map(itemgetter(2), pool))
        pooled = set(numbers)
        numbers += [i for i in by_string if i not in pooled]
        squashed = list(map(itemgetter(0), map(info.__getitem__, numbers)))
        queries = dict.fromkeys((literal, reading), "")
        # Below this a title is too far from the query to read like it (`_similarity`).
        near = min(0.5, t.title_string) * 100 - 0.1
        close = {i: -pool[numbers.index(i)][0] if i in pooled else 0.0 for i in by_string}
        for query in queries:
            for _, _, k in process.extract(
                query, squashed, scorer=fuzz.ratio, score_cutoff=near, limit=None
            ):
                close[numbers[k]] = -pool[k][0] if k < len(pool) else 0.0

        if close:
            queries = {query: jamo(query) for query in queries}
        # Alike ties go to the title fewer slips away: "COPs" is as alike to Cost as to COPY
        # letter in, letter out, but one key from COPY and two from Cost.
        slips = OSA.distance
        keys = []
        for entry_index, score in close.items():
            title = info[entry_index][0]
            alike = by_string.get(entry_index, 0.0)
            if alike < 1.0:  # nothing reads more alike than the title itself
                typed = _similarity(literal, queries[literal], title)
                read = (
                    typed if reading == literal else _similarity(reading, queries[reading], title)
                )
                alike = max(alike, typed, t.reading * read)
                if _says_opposite(info[entry_index][1], negated):
                    # 속하는 reads like 안 속하는 as a string, and means its opposite.
                    alike *= t.opposite
            if (
                alike >= t.title_string
                and alike > score
                and (
                    by_string.get(entry_index, 0.0) >= t.title_string
                    or all(entry_index in where for where in specific)
                )
                and (alike >= 1.0 or self._slip_of(words, literal, *info[entry_index]))
            ):
                score = alike
            keys.append(
                (
                    -round(min(score, 1.0), 4),
                    -alike,
                    (slips(literal, title), len(title)),
                    entry_index,
                )
            )
        # The rest keep their score: in the pool's order, the first `limit` and those that tie
        # with the last of them (rounded) can still make the top. They are not close enough for
        # `_similarity` to look past the plain ratio.
        ratio = fuzz.ratio
        taken, last, rounded = 0, 1.0, 0.0
        for score, length, entry_index in pool:
            if entry_index in close:
                continue
            if score != last:
                last, rounded_before = score, rounded
                rounded = -round(min(-score, 1.0), 4)
                if taken >= limit and rounded != rounded_before:
                    break
            title = info[entry_index][0]
            typed = ratio(literal, title) / 100
            alike = (
                typed
                if reading == literal
                else max(typed, t.reading * (ratio(reading, title) / 100))
            )
            keys.append((rounded, -alike, (slips(literal, title), length), entry_index))
            taken += 1
        keys.sort()
        # Of those tied first, score and likeness both, and titled alike (the same title
        # squashed), the one whose headings say least besides the question: a section is read
        # under its headings, so "✔️ Redis" in a note titled "Django Cache" is Redis as
        # Django's cache, where a note titled "redis" is about Redis itself. Ties that remain
        # keep the order above.
        if matched is not None and len(keys) > 1 and keys[1][:2] == keys[0][:2]:
            form = info[keys[0][3]][0]
            same = [
                k
                for k, key in enumerate(
                    itertools.takewhile(lambda key: key[:2] == keys[0][:2], keys)
                )
                if info[key[3]][0] == form
            ]
            if len(same) > 1:
                ordered = sorted(
                    (keys[k] for k in same),
                    key=lambda key: (self._headings_unasked(key[3], matched), *key[2:]),
                )
                for k, key in zip(same, ordered, strict=True):
                    keys[k] = key
        return [Match(self._reader(i), -score) for score, _, _, i in keys[:limit]]

    def _slip_of(
        self, words: Sequence[str], literal: str, squashed: str, title: TitleTokens
    ) -> bool:
        """Whether a question (`literal`, squashed as typed; `words`, as read) that reads like
        a title (`squashed`, and its words' stems) as a string does so as a slip of typing or
        spacing, not by sharing the title's words and having others.

        A long word shared makes the strings alike whatever else they say: "디플로이먼트 왜 써"
        reads like "디플로이먼트 생성" at 0.83, "kitty 입력" like "Kitty" at 0.83, though 왜 써
        is no slip of 생성 and 입력 none of nothing. The words both have are taken out of both;
        what the question has left must read like what the title has left (a typo: "dockr
        compose" for "docker compose" leaves dockr and docker; "가질 수 있을따" leaves 수
        있을따 and 수 있을까), or the likeness is the shared words', which the tally counts
        already. Only letters are compared (+ and - are signs), and not numbering. A
        question whose words as read the title all has (its question words aside: "TCP 3-way
        handshake 과정" for "TCP three-way handshake") asks for no more than the title says."""
        asked = literal
        left = [w for w in title if w]
        more = False
        for i, word in enumerate(words):
            if word[:1].isdigit() or (len(word) == 1 and i and words[i - 1][:1].isdigit()):
                # Numbering (1.2, ① read as 1; 3장 read as 3 and 장), not a word of the topic.
                asked = _without(asked, (word,))
                continue
            stems = self._stems(word)
            shared = next((w for w in left if not w.isdisjoint(stems)), None)
            if shared is None:
                figures = "".join(filter(str.isdigit, word))
                if figures and not any(figures in w for stems in left for w in stems):
                    # A name with figures the title lacks (L7 beside L4, ES6 beside ES5) is
                    # another thing, never a slip: the letters compared below would leave only
                    # its L. A slip in its letters keeps its figures (pyhton3, python3).
                    return False
                more = True
                continue
            left.remove(shared)
            asked, squashed = _without(asked, stems), _without(squashed, shared)
        asked = "".join(filter(str.isalpha, asked))
        if not more or not asked:
            return True
        said = "".join(filter(str.isalpha, squashed))
        return _similarity(asked, jamo(asked), said) >= _SLIP

    def _title_string_matches(self, query_compact: str) -> dict[int, float]:
        """Entries whose whole title (squashed, or without its number) the query spells within
        a typo or two: found over all titles, not only over entries sharing a word."""
        max_edits = _max_edits(len(query_compact))
        out: dict[int, float] = {}
        for entry_index in self._store.title_form_entries(query_compact):
            out[entry_index] = 1.0
        if out:
            return out
        if not max_edits:
            return self._short_title_slips(query_compact)
        # Only forms within `max_edits` letters of the query's length can be that close; the
        # best five over those lengths, ties to the earlier title, as one pass over all would.
        forms, ranks = self._title_forms_near(len(query_compact), max_edits)
        if not forms:
            return out
        near = _near(query_compact, forms, max_edits)
        near.sort(key=lambda hit: (hit[0], ranks[hit[1]]))
        for edits, _, form in near[:5]:
            similarity = 1 - edits / max(len(query_compact), len(form))
            for entry_index in self._store.title_form_entries(form):
                out[entry_index] = max(out.get(entry_index, 0.0), similarity)
        return out

    def _short_title_slips(self, query_compact: str) -> dict[int, float]:
        """Titles of two or three syllables that the query spells with one key slipped or two
        syllables swapped (희석 for 해석, 감수 for 함수, 정수 for 수정).

        Counted in syllables, such a title is too short for a typo (`_max_edits`), yet one
        slip of a Hangul key is one letter of five or six, as it is in a longer word; and the
        slip often spells another word of the notes (정수, 감수), so the query's own words
        never look for a typo: only the whole title can be read through it, and only when no
        title has the word as typed."""
        size = len(query_compact)
        if not 2 <= size <= 3 or not any(map(is_syllable, query_compact)):
            return {}
        title = self.tuning.title
        for stem in self._stems(query_compact):
            # A word some title has is meant as typed (수열 beside a title 순열; 술이 is 술).
            if max(self._store.postings(stem).values(), default=0.0) >= title:
                return {}
        letters = jamo(query_compact)
        similarity = 1 - 1 / len(letters)  # one slip, as `_fuzzy_words` counts it
        out: dict[int, float] = {}
        for swapped in syllable_swaps(query_compact):
            for entry_index in self._store.title_form_entries(swapped):
                out[entry_index] = similarity
        forms, spelled = self._short_title_forms(size)
        for edits, k, _ in _near(letters, spelled, 1)[:5]:
            for entry_index in self._store.title_form_entries(forms[k]):
                out.setdefault(entry_index, 1 - edits / max(len(letters), len(spelled[k])))
        return out

    def _short_title_forms(self, size: int) -> tuple[list[str], list[str]]:
        """The Hangul title forms of `size` letters, and each one's jamo: a few hundred even in
        a large index, kept once spelled out."""
        found = self._short_forms.get(size)
        if found is None:
            forms = [
                form
                for form in self._store.title_forms_of_length(size)[0]
                if any(map(is_syllable, form))
            ]
            found = self._short_forms[size] = (forms, [jamo(form) for form in forms])
        return found

    def _title_forms_near(self, size: int, max_edits: int) -> tuple[list[str], list[int]]:
        """The title forms `max_edits` letters or fewer longer or shorter than `size`, with
        their ranks. Every query of a length asks for the same ones: an index of a few
        thousand titles keeps them (a larger one spends more copying than the search does)."""
        found = self._windows.get((size, max_edits))
        if found is None:
            buckets = [
                self._store.title_forms_of_length(length)
                for length in range(max(size - max_edits, 1), size + max_edits + 1)
            ]
            forms = _of_lengths(bucket[0] for bucket in buckets)
            found = (forms, _of_lengths(bucket[1] for bucket in buckets))
            if len(forms) <= _WINDOW_KEPT:
                self._windows[size, max_edits] = found
        return found

    def _commoner_near(self, tok: str) -> bool:
        """Whether an English word within a typo of `tok` (a word the notes have once or twice)
        is one they have `_COMMONER` times as often: only such a word is read for it, and most
        rare words have none. The common words of a length window are few, so this is a
        fraction of `_fuzzy_words`'s pass over every word; it finds every word that pass could
        keep and read, so a rare word without one needs no typo look-up.

        True (look) for Hangul, whose typos also swap syllables outside the window, and for an
        artifact, where counting a window's words would read the disk once per word."""
        if is_hangul(tok) or not self._in_memory:
            return True
        max_edits = _max_edits(len(tok))
        least = _COMMONER * self._store.df(tok)
        common = self._common.get((len(tok), max_edits, least))
        if common is None:
            df, spelled = self._store.df, self._store.spelled
            words = self._vocabulary_near(False, len(tok), max_edits)
            common = [word for word in words if df(spelled(word)) >= least]
            self._common[len(tok), max_edits, least] = common
        return bool(_near(tok, common, max_edits))

    def _vocabulary_near(self, hangul: bool, size: int, max_edits: int) -> list[str]:
        """The known words (their jamo, for Hangul) `max_edits` letters or fewer longer or
        shorter than `size`, kept as `_title_forms_near` keeps title forms."""
        found = self._vocabularies.get((hangul, size, max_edits))
        if found is None:
            lengths = range(max(size - max_edits, 1), size + max_edits + 1)
            found = _of_lengths(self._store.vocabulary(hangul, length) for length in lengths)
            if len(found) <= _WINDOW_KEPT:
                self._vocabularies[hangul, size, max_edits] = found
        return found

    def _weight(self, alts: Sequence[Alternative], best: tuple[str, ...]) -> float:
        """A word weighs what its commonest spelling does (the rarest term of a phrase):
        기능이 is rarer than 기능 only by its particle, 레디스 than redis only because the notes
        write it in English."""
        # idf only falls as a term is in more entries: the rarest term is the one in fewest,
        # the commonest spelling the one whose rarest term is in most, and one logarithm does.
        spelled, df = self.tuning.spelled, self._store.df
        spellings = [
            min(map(df, terms))
            for terms, conf in alts
            if conf >= spelled and (len(terms) > 1 or len(terms[0]) > 1)
        ]
        return idf(self._size, max(spellings) if spellings else min(map(df, best)))

    def _compounds(self, words: list[str]) -> dict[int, tuple[Alternative, ...]]:
        """Neighbouring words the notes write as one (주요 기능 → 주요기능, next js → nextjs):
        Korean compounds and English names are typed with or without a space, so the joined
        word is a reading of each half."""
        out: dict[int, list[Alternative]] = defaultdict(list)
        for i in range(len(words) - 1):
            a, b = words[i], words[i + 1]
            if is_hangul(a) != is_hangul(b) or dates.is_term(a) or dates.is_term(b):
                continue
            readings: list[Alternative] = []
            for whole in self._stems(a + b):
                if self._has(whole):
                    readings = [((whole,), self.tuning.stem)]
                    break
                # 교착 상태 is 교착상태, which the glossary reads as deadlock (데드락).
                for english in glossary.translations(whole):
                    spellings = hangul_spellings().get(english, ())
                    readings += [
                        (terms, self.tuning.glossary)
                        for word in (english, *spellings, *glossary.translations(english))
                        if (terms := tuple(word.split()))
                        and all(map(self._has, terms))
                        and word != whole
                    ]
                # 모델 시리얼라이저 is ModelSerializer: a class name is asked as its loanwords.
                if is_hangul(whole):
                    readings += [
                        reading
                        for english in self._english(whole)
                        if " " not in english
                        and self._has(english)
                        and (reading := ((english,), self.tuning.loanword * self.tuning.stem))
                        not in readings
                    ]
            if is_hangul(a) and b in _WITHOUT:
                # "비밀번호 없이", "상태 없는": English says it in one word with -less
                # (passwordless, stateless), as titles do.
                readings += [
                    ((less,), self.tuning.glossary)
                    for stem in self._stems(a)
                    for english in (*glossary.translations(stem), *self._english(stem))
                    if " " not in english
                    and self._has(less := f"{english}less")
                    and ((less,), self.tuning.glossary) not in readings
                ]
            if not readings and is_hangul(a):
                # Notes drop the particle as well as the space (키없는, 값변경): the first word
                # without its particle, joined to the next (키가 없는 → 키없는).
                for head in self._stems(a)[1:]:
                    if self._has(head + b):
                        readings = [((head + b,), self.tuning.stem * self.tuning.stem)]
                        break
            # Two English words the notes write as one Korean compound (flow control →
            # 흐름제어, "TCP 흐름제어"): a Korean title glues its nouns, an English question
            # spaces them.
            if not is_hangul(a) and a.isalpha() and b.isalpha():
                readings += [
                    reading
                    for head in self._korean_of(a)
                    for tail in self._korean_of(b)
                    if self._has(head + tail)
                    and (reading := ((head + tail,), self.tuning.glossary)) not in readings
                ]
                # A term the glossary has as two English words (race condition → 경쟁상태,
                # data structures → 자료구조), its last word in any of its forms.
                for b2 in self._stems(b):
                    for korean in glossary.translations(f"{a} {b2}"):
                        readings += [
                            term
                            for written in self._as_written(korean)
                            if all(map(self._has, written))
                            and (term := (written, self.tuning.glossary)) not in readings
                        ]
            # A term of two words the notes gloss (race condition → 경합 조건, 상호 배제 →
            # mutual exclusion), its last word in any of its forms (race conditions).
            keys = self._stems(a + b) if is_hangul(a) else [f"{a} {b2}" for b2 in self._stems(b)]
            for key in keys:
                readings += [
                    gloss
                    for glossed in self._noted(key)
                    if all(map(self._has, glossed))
                    and (gloss := (glossed, self.tuning.noted_gloss)) not in readings
                ]
            if readings:
                out[i] += readings
                out[i + 1] += readings
        return {i: tuple(alts) for i, alts in out.items()}

    @staticmethod
    def _korean_of(word: str) -> tuple[str, ...]:
        """The Korean words for an English one: the glossary's and its loanword spellings
        (control → 제어; session → 세션)."""
        korean = (*glossary.translations(word), *hangul_spellings().get(word, ()))
        return tuple(k for k in dict.fromkeys(korean) if is_hangul(k) and " " not in k)

    def _unmatched_share(self, tok: str) -> float:
        """How much a word in no note counts against an answer: in full when it names a
        technology (rebase, 쿠버네티스: the question is about something the notes lack), less
        for a plain Korean word (명령어, 파일 is phrasing as often as a topic)."""
        if is_hangul(tok) and not self._english(tok):
            return self.tuning.unmatched
        return 1.0

    def _joins_neighbour(self, words: list[str], i: int) -> bool:
        """``자격 증명``: 증명 alone is in no note, but with its neighbour it is 자격증명."""
        before = words[i - 1] + words[i] if i > 0 else ""
        after = words[i] + words[i + 1] if i + 1 < len(words) else ""
        return any(joined and self._known(joined) for joined in (before, after))

    def _phrase_postings(self, terms: tuple[str, ...], whole: bool = False) -> dict[int, float]:
        """Where a multi-word expansion (도커이미지 → docker image) occurs, each word counting
        in either script (image or 이미지): partly where some of its words are, or with
        `whole` only where all are."""
        if len(terms) == 1:
            return self._store.postings(terms[0])
        combined: dict[int, float] = defaultdict(float)
        everywhere: set[int] | None = None
        for term in terms:
            best: dict[int, float] = {}
            for spelling in (term, *hangul_spellings().get(term, ())):
                for entry_index, fw in self._store.postings(spelling).items():
                    best[entry_index] = max(best.get(entry_index, 0.0), fw)
            for entry_index, fw in best.items():
                combined[entry_index] += fw / len(terms)
            if whole:
                everywhere = set(best) if everywhere is None else everywhere.intersection(best)
        if everywhere is not None:
            return {i: combined[i] for i in everywhere}
        return combined

    @functools.cached_property
    def _all_titles(self) -> list[str]:
        # Read once: an artifact reads them from disk, a list builds them anew on every call.
        return self._store.titles()

    def _title_suggestions(self, text: str) -> list[Entry]:
        """Titles that look like the words: WRatio over whole titles, then only those with a
        word like one of the question's ("dokcer" → Docker). A stretch of a long title that
        happens to share letters is no suggestion ("rebase" → "viewset의 perform_create")."""
        found = process.extract(
            text, self._all_titles, scorer=fuzz.WRatio, limit=10, score_cutoff=50
        )
        asked = [w for w in tokens(text) if len(w) >= 2]
        kept = [
            i
            for title, _, i in found
            if any(fuzz.ratio(w, word) >= _LOOKS_LIKE for w in asked for word in tokens(title))
        ]
        return [self.entries[i] for i in kept[:3]]
