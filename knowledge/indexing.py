"""What search knows about the notes, worked out once per KB: the builder and the storage interface.

Everything here depends only on the entries, never on a query, so `python -m knowledge build`
computes it and `knowledge.artifact` stores it; a cold process then opens the artifact instead of
recomputing it. `knowledge.search.Index` asks a `Store` (this module's `MemoryStore`, built now,
or the artifact's `SqliteStore`, read lazily) and ranks with one copy of the search logic.
"""

from __future__ import annotations

import array
import bisect
import contextlib
import functools
import gc
import itertools
import math
import operator
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple, Protocol, TypeVar

from knowledge import dates, loanwords, textutil
from knowledge.hangul import choseong, is_hangul, jamo
from knowledge.models import Entry
from knowledge.normalize import (
    compact,
    latin_parts,
    question_words,
    signs,
    signs_form,
    stems,
    tokens,
    without_numbering,
)

T = TypeVar("T")

if TYPE_CHECKING:
    # The build's modules (workers, glosses) are imported by the build: a process that opens
    # a built KB never needs them (~2 M instructions of a cold /til, callgrind).
    from knowledge.workers import Progress

# (title, tags, keywords, body): the weight of a word found in each field of an entry.
FieldWeights = tuple[float, float, float, float]
# The tags field's place: an entry's tags, category and file name words, the same text for
# every entry of a note (bar the words its siblings claim).
CONTEXT_FIELD = 1
TitleTokens = list[set[str]]


class TitleInfo(Protocol):
    """Entry number → (its title squashed, the stems of each title word)."""

    def __getitem__(self, number: int, /) -> tuple[str, TitleTokens]: ...


class Store(Protocol):
    """The precomputed index, as `knowledge.search.Index` reads it (entries are numbered 0..n-1)."""

    @property
    def size(self) -> int:
        """How many entries."""

    @property
    def entries(self) -> Sequence[Entry]:
        """The entries, in entry order."""

    def df(self, term: str) -> int:
        """How many entries contain `term` (0: no note has it)."""

    def has(self, term: str) -> bool:
        """Whether any entry contains `term` (asked far more often than how many)."""

    def postings(self, term: str) -> dict[int, float]:
        """{entry number: weight of the best field holding `term`}, in entry order."""

    def title_info(self, numbers: Iterable[int]) -> TitleInfo:
        """Entry number → (its title squashed, the stems of each title word), for at least
        `numbers`."""

    def title_form_entries(self, form: str) -> list[int]:
        """Entries whose title squashed (or without its number) is `form`."""

    def title_forms_of_length(self, length: int) -> tuple[list[str], list[int]]:
        """Title forms of `length` letters and each one's rank among all forms."""

    def vocabulary(self, hangul: bool, length: int) -> list[str]:
        """Words a typo may be read as, `length` letters long (Hangul as jamo)."""

    def jamo_word(self, key: str) -> str:
        """The Hangul word spelled by these jamo."""

    def spelled(self, english: str) -> str:
        """The Hangul word the notes write for `english`, or `english` itself."""

    def choseong_words(self, key: str) -> list[str]:
        """Words whose initial consonants are `key` (ㄷㅋ → 도커, docker)."""

    def hangul_from(self, prefix: str, count: int) -> list[str]:
        """The first `count` Hangul words in sorted order from `prefix` on."""

    def phonetic(self) -> dict[str, list[str]]:
        """English words of the notes by sound key."""

    def titles(self, kind: str | None = None) -> list[str]:
        """Every entry's title (or every `kind` entry's), in entry order."""

    def position(self, entry_id: str) -> int | None:
        """The entry number of `entry_id`."""

    def glosses(self, key: str) -> tuple[str, ...]:
        """The other language's words for a term the notes gloss in parentheses (its
        `knowledge.glosses.key`: 경합조건 → "race condition"; "race condition" → "경합 조건"),
        as written, the most often written first."""


@functools.cache
def hangul_spellings() -> dict[str, list[str]]:
    """English → its Hangul spellings, so ``docker image`` finds ``Docker 이미지``."""
    out: dict[str, list[str]] = defaultdict(list)
    # The table's English is lower-case already.
    for korean, english in loanwords.table().items():
        out[english].append(korean)
    return dict(out)


def bigram(a: str, b: str) -> str:
    return f"{a} {b}"


@functools.lru_cache(maxsize=200_000)
def token_terms(tok: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A token's index terms, and the words it contributes to bigrams (cached: words repeat)."""
    parts = latin_parts(tok)
    word_stems = stems(tok)
    # A hyphenated word is typed with or without its hyphen (v-3 and v3, pre-commit and
    # precommit): the joined form is a term too.
    joined: tuple[str, ...] = ()
    if parts and "-" in tok:
        # Its last word and the joined form inflect as a word does (non-linearity is
        # nonlinearity, nonlinear; try-with-resources has resource).
        whole = "".join(parts)
        joined = (whole, *stems(whole)[1:], *stems(parts[-1])[1:])
    return (tok, *parts, *joined, *word_stems[1:]), tuple(parts) or (word_stems[-1],)


class TermAnalyser:
    """The index terms of texts, each distinct word analysed once: the same few thousand words
    recur across thousands of entries, so a build pays for a word's stems and parts once, not
    at every occurrence. One analyser serves one build (its memo grows with the vocabulary)."""

    def __init__(self) -> None:
        self._terms: dict[str, tuple[str, ...]] = {}
        # The words a token contributes to bigrams: none for a question word, which reads as
        # a question, not a topic ("Indexing in Django" → indexing django).
        self._pieces: dict[str, tuple[str, ...]] = {}
        self._stems: dict[str, frozenset[str]] = {}
        self._skip = question_words()
        self._repeated: dict[str, tuple[str, ...]] = {}

    def mark(self, text: str, posting: int, best: dict[str, int]) -> None:
        """Set every term of `text` to `posting` in `best`: every token's terms, and adjacent
        words as one term, so "git remote add" in a body beats "git" and "add" in a title.
        Straight into the entry's table, without a set of each field's terms first."""
        toks = tokens(text)
        distinct = set(toks)
        known = self._terms
        for tok in distinct.difference(known):
            known[tok], pieces = token_terms(tok)
            self._pieces[tok] = () if tok in self._skip else pieces
        best.update(
            dict.fromkeys(itertools.chain.from_iterable(map(known.__getitem__, distinct)), posting)
        )
        sequence = itertools.chain.from_iterable(map(self._pieces.__getitem__, toks))
        # bigram(a, b), without a call
        best.update(dict.fromkeys(map(" ".join, itertools.pairwise(sequence)), posting))

    def mark_repeated(self, text: str, posting: int, best: dict[str, int]) -> None:
        """`mark` for a text that many entries share (every section of a note has its file's
        tags, category and name as context): its terms are worked out once."""
        terms = self._repeated.get(text)
        if terms is None:
            found: dict[str, int] = {}
            self.mark(text, 0, found)
            terms = self._repeated[text] = tuple(found)
        best.update(dict.fromkeys(terms, posting))

    def words(self) -> set[str]:
        """Every one-word term of the texts analysed so far (bigrams are not words)."""
        return set(itertools.chain.from_iterable(self._terms.values()))

    def title_stems(self, toks: list[str]) -> TitleTokens:
        """The stems of each title word, question words left out. An identifier is the words
        it joins (``decorator_pattern``, ``secret_key``): "decorator pattern" asks for all of
        that title, "secret" for half of it."""
        memo = self._stems
        out = []
        for tok in toks:
            if tok not in self._skip:
                for word in latin_parts(tok) if "_" in tok else (tok,):
                    found = memo.get(word)
                    if found is None:
                        found = memo[word] = frozenset(stems(word))
                    out.append(set(found))
        return out


# The patterns of a KB build, compiled at first use: answering a question reads none of them,
# and compiling them (a long case-insensitive class, the link-line rule) cost a cold /til ~8 M
# instructions (callgrind).
_URL = textutil.lazy_pattern(r"https?://\S+")
_NOTE_LINK_RULE = r"^\s*(?:[-*+]|\d+[.)])\s+\[[^\]]*\]\((?![a-z]+:)[^)\s]*\.md(?:#[^)]*)?\)\s*$"
_NOTE_LINK = textutil.lazy_pattern(_NOTE_LINK_RULE, re.I)


# Any line of a body that `_NOTE_LINK` matches: most bodies have none, and need no line-by-line
# look (the look is a fifth of a build).
_ANY_NOTE_LINK = textutil.lazy_pattern(_NOTE_LINK_RULE, re.I | re.M)
# A line that is one link and nothing else (a list marker before it, a date after it, as
# README indexes write them, or a table row whose other cells are only numbers and dates): its
# text is looked up among the notes' titles.
_DATE = r"\d{4}[-./]\d{1,2}[-./]\d{1,2}"
_LINK_LINE = textutil.lazy_pattern(
    rf"^[ \t]*(?:\|[ \t]*(?:(?:\d+[.)]?|{_DATE})[ \t]*\|[ \t]*)*)?"
    r"(?:(?:[-*+]|\d+[.)])[ \t]+)?\[([^\]\n]+)\]\([^)\s]+\)"
    rf"(?:[ \t]*[-–—:(]?[ \t]*{_DATE}\)?)?(?:[ \t]*\|[ \t]*(?:{_DATE}|\d+)?)*[ \t]*$",
    re.M,
)


def body_text(
    entry: Entry, parts: Sequence[str] = (), titles: frozenset[str] = frozenset()
) -> tuple[str, bool]:
    """`body_prose` as one text, its code after its prose, without URLs (a /docker/image/ path
    is no "image" topic), and whether anything was left out."""
    lines, code, trimmed = body_prose(entry, parts, titles)
    return _URL().sub(" ", " ".join(lines) + " " + code), trimmed


def body_prose(
    entry: Entry, parts: Sequence[str] = (), titles: frozenset[str] = frozenset()
) -> tuple[list[str], str, bool]:
    """The words of an entry's body that are its own: without the bodies of `parts` (its
    sections), which answer for their words more specifically than the whole document does;
    its prose lines as plain text, its code, and whether anything was left out (else the
    entry's keywords are those of its own text).

    A line that only links to another note is that note's title, which answers for its words
    itself: a relative link to a ``.md`` file, or a link whose text is one of `titles`
    (squashed), wherever it points (a README's table of contents on GitHub, a site's list of
    pages)."""
    body = entry.body
    for part in parts:
        body = body.replace(part, "\n", 1)

    note_link, link_line = _NOTE_LINK(), _LINK_LINE()

    def points_at_note(line: str) -> bool:
        if note_link.match(line):
            return True
        m = link_line.match(line)
        return m is not None and compact(m.group(1)) in titles

    # Its sections' headings are their titles ("key 설정" is that section's, not the file's).
    trimmed = (
        bool(parts)
        or bool(_ANY_NOTE_LINK().search(body))
        or ("](" in body and any(compact(m.group(1)) in titles for m in link_line.finditer(body)))
    )
    if trimmed:
        body = "\n".join(
            line
            for line, role in textutil.fence_lines(body)
            if role != "text"
            or not ((parts and textutil.classify(line).kind == "heading") or points_at_note(line))
        )
    code = " ".join(block.code for block in entry.code if not parts or block.code in body)
    return list(textutil.plain_lines(body)), code, trimmed


_GLOSS = textutil.lazy_pattern(r"\([^()]*\)")


def own_words(title: str) -> str:
    """A title without what it glosses in parentheses (``함수 호이스팅 (Function Hoisting)``,
    ``백트래킹(Backtracking)``): the gloss says the same again in other words, so a question
    need not repeat it to ask for the whole title."""
    bare = _GLOSS().sub(" ", title)
    return bare if bare.strip() else title


@functools.lru_cache(maxsize=1024)  # every entry of a note asks for its file's
def file_words(source: str) -> str:
    """The words of a note's file name (``daily/consul.md`` → consul, ``k8s-configmap.md`` →
    k8s configmap, ``ShellShock/README.md`` → ShellShock): people name a file for what it
    holds, so it is context for every entry in it, as a document's title is for its sections."""
    return re.sub(r"[-_.]+", " ", textutil.note_name(source))


def sibling_claims(whole: set[T], parts: Sequence[set[T]]) -> list[set[T]]:
    """For each of `parts` (its sections' title words), the words of a heading (`whole`) that
    are another part's and not its own, when the heading names its parts side by side: a note
    titled "Short Polling vs Long Polling" with sections "Short Polling" and "Long Polling" is
    about long polling in the one and short polling in the other, not both in each. A heading
    names its parts when two or more of them each have a word of it the others lack; a note
    "Docker" with a section "Docker Compose" does not, and every section is about Docker."""
    own = [part & whole for part in parts]
    counts = Counter(itertools.chain.from_iterable(own))
    if sum(any(counts[w] == 1 for w in words) for words in own) < 2:
        return [set() for _ in parts]
    return [
        {w for k, words in enumerate(own) if k != i for w in words} - own[i]
        for i in range(len(parts))
    ]


def sibling_words(entries: Sequence[Entry]) -> dict[str, frozenset[str]]:
    """Entry id → the words of the headings over it that its siblings' titles claim
    (`sibling_claims`), along its whole path: a subsection of "Long Polling" is not about short
    polling either."""
    children: dict[str, list[Entry]] = defaultdict(list)
    by_id = {}
    for entry in entries:
        by_id[entry.id] = entry
        if entry.parent:
            children[entry.parent].append(entry)
    claimed: dict[str, set[str]] = {}
    for parent, parts in children.items():
        whole = by_id.get(parent)
        if whole is None or len(parts) < 2:
            continue
        words = sibling_claims(set(tokens(whole.title)), [set(tokens(p.title)) for p in parts])
        for part, theirs in zip(parts, words, strict=True):
            if theirs:
                claimed[part.id] = theirs
    out: dict[str, frozenset[str]] = {}
    for entry in entries:
        lost: set[str] = set()
        node: Entry | None = entry
        while node is not None and node.parent:
            lost |= claimed.get(node.id, set())
            node = by_id.get(node.parent)
        if lost:
            out[entry.id] = frozenset(lost)
    return out


def title_forms(title: str) -> set[str]:
    """A title as people type it from memory: squashed, and without its leading number."""
    forms = {compact(title), compact(without_numbering(title))}
    # A title of signs alone ("# \#" is "#", "=>") has no word: typed whole, its text is its form.
    return {f for f in forms if f} or {signs_form(title)} - {""}


def idf(size: int, df: int) -> float:
    return 1.0 + math.log(1.0 + size / df)


# Entries from which a build freezes what it made (`collector_paused`).
FREEZE_FROM = 1000


@contextlib.contextmanager
def collector_paused(freeze_after: bool = False) -> Iterator[None]:
    """No cyclic garbage collection while building or writing an index: the build allocates
    millions of lists and sets that live until it ends, and makes no cycles; collecting them as
    they piled up was a fifth of the build, and a collection over all of them during the write
    took seconds.

    `freeze_after`: what the build made is moved out of the collector's reach (`gc.freeze`)
    before it runs again, or its first collection walks all of it (4% of a build of 4,000
    entries, callgrind). Refcounting still frees it when the index goes. Only for large builds:
    a freeze keeps for good whatever cyclic garbage waits at that moment, and tests make
    hundreds of small indexes (as `bot.wsgi` freezes only its first build)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if freeze_after:
                gc.freeze()
            gc.enable()


class Run(NamedTuple):
    """The index of a run of consecutive entries on their own, as one build process finds it."""

    table: dict[str, int | list[int]]
    title_tokens: list[TitleTokens]
    title_compact: list[str]
    forms: dict[str, list[int]]
    words: set[str]
    # (Korean, English) glosses the entries write, and in how many entries each is written.
    glosses: Counter[tuple[str, str]]


class MemoryStore:
    """The index worked out from entries, held in memory: for tests, small notes, and the build.

    A posting is one int, the entry number shifted left by `SHIFT` bits with the field the term
    is best found in (its index in `levels`) in the low bits; a term found in one entry (most
    bigrams) is that int alone, others a list of them in entry order. A 100k-entry build holds
    millions of postings, and a container per term costs more than the term."""

    SHIFT = 3  # room for 8 field weights; FieldWeights has 4

    def __init__(
        self,
        entries: Sequence[Entry],
        weights: FieldWeights,
        progress: Progress | None = None,
        workers: int | None = 1,
    ) -> None:
        self.entries = entries
        self.size = len(entries)
        self.weights = weights
        # The distinct field weights, lowest first; a posting stores its field's position here.
        self.levels = sorted(set(weights))
        self._body_level = self.levels.index(weights[3])
        self._mask = (1 << self.SHIFT) - 1
        with collector_paused(freeze_after=self.size >= FREEZE_FROM):
            self._index(progress, workers)
        self._by_id = {e.id: i for i, e in enumerate(entries)}
        self._postings = functools.lru_cache(maxsize=4096)(self._read_postings)

    def _index(self, progress: Progress | None, workers: int | None) -> None:
        from knowledge import glosses
        from knowledge.workers import split_map

        parts: dict[str, list[str]] = defaultdict(list)
        for entry in self.entries:
            if entry.parent and entry.body.strip():
                parts[entry.parent].append(entry.body.strip())
        # An entry costs about as much as 800 more characters of body (measured on the corpora).
        costs = [800 + len(entry.body) for entry in self.entries]
        # What a line that only links to another note may name it by (see `body_text`).
        titles = frozenset(compact(entry.title) for entry in self.entries)
        unheard = sibling_words(self.entries)
        work = functools.partial(self._analyse, parts, titles, unheard)
        found = split_map(work, self.size, workers, progress, costs)
        first, *rest = found
        table = first.table
        get = table.get
        self.title_tokens = first.title_tokens
        self.title_compact = first.title_compact
        forms = first.forms
        words = first.words
        written = first.glosses
        # Each run's postings follow the earlier runs' (entry order), and a title form first
        # seen in a later run comes after the earlier runs' forms, as one process orders them.
        for run in rest:
            for term, posting in run.table.items():
                known = get(term)
                if known is None:
                    table[term] = posting
                elif isinstance(known, int):
                    table[term] = (
                        [known, posting] if isinstance(posting, int) else [known, *posting]
                    )
                elif isinstance(posting, int):
                    known.append(posting)
                else:
                    known.extend(posting)
            self.title_tokens += run.title_tokens
            self.title_compact += run.title_compact
            for form, numbers in run.forms.items():
                forms[form] += numbers
            words |= run.words
            written.update(run.glosses)
        self.table = table
        self.gloss_table = glosses.table(written)
        self.words = sorted(words)
        self.title_pairs = list(zip(self.title_compact, self.title_tokens, strict=True))
        self.title_forms = dict(forms)
        self.forms_by_length: dict[int, tuple[list[str], list[int]]] = defaultdict(lambda: ([], []))
        for rank, form in enumerate(self.title_forms):
            bucket = self.forms_by_length[len(form)]
            bucket[0].append(form)
            bucket[1].append(rank)
        self.forms_by_length = dict(self.forms_by_length)
        self._build_vocabulary()

    def _analyse(
        self,
        parts: dict[str, list[str]],
        titles: frozenset[str],
        unheard: dict[str, frozenset[str]],
        numbers: Iterable[int],
    ) -> Run:
        """The index of the entries `numbers` (consecutive, ascending) on their own."""
        from knowledge import glosses

        entries, weights = self.entries, self.weights
        analyser = TermAnalyser()
        table: dict[str, int | list[int]] = {}
        get = table.get
        title_tokens: list[TitleTokens] = []
        title_compact: list[str] = []
        forms: dict[str, list[int]] = defaultdict(list)
        written: Counter[tuple[str, str]] = Counter()
        # Fields from the lowest weight up, so a term found in several keeps the best one.
        order = sorted(range(len(weights)), key=weights.__getitem__)
        level_of = [self.levels.index(w) for w in weights]
        for i in numbers:
            entry = entries[i]
            lines, code, trimmed = body_prose(entry, parts.get(entry.id, ()), titles)
            own = _URL().sub(" ", " ".join(lines) + " " + code)
            # Each entry's own prose once (a document without its sections' text): a gloss
            # counts the entries that write it.
            written.update(glosses.written([entry.title, *lines]))
            # Keywords of the text the entry owns: a document's come from its sections
            # otherwise, and a table of contents' from the notes it links.
            keywords = textutil.keywords(entry.title, own) if trimmed else entry.keywords
            context = " ".join([*entry.tags, entry.category, file_words(entry.source)])
            others = unheard.get(entry.id)
            if others:
                context = " ".join(w for w in tokens(context) if w not in others)
            texts = (
                entry.title,
                context,
                " ".join(keywords),
                own,
            )
            best: dict[str, int] = {}
            base = i << self.SHIFT
            for k in order:
                if k == CONTEXT_FIELD:
                    analyser.mark_repeated(texts[k], base | level_of[k], best)
                else:
                    analyser.mark(texts[k], base | level_of[k], best)
            # An operator a title names by its signs (`$@과 $* 차이`) is one of its words.
            for sign in signs(entry.title):
                best[sign] = base | level_of[0]
            if entry.date or entry.period:
                # The day it was written, as a question names it ("10월 5일에 배운 거").
                date_terms, own_date = dates.entry_terms(
                    entry.title, entry.kind, entry.date, entry.period
                )
                for term in date_terms:
                    best[term] = base | level_of[0 if own_date else 1]
            # A title that names a month or a day ("2019 3월 회고", "October 2022") is found by
            # it, as a dated note is by its day: a month's retrospective is written in the
            # next month (20190401.md).
            for named in dates.read(entry.title)[1]:
                best.update(dict.fromkeys(named, base | level_of[0]))
            for term, posting in best.items():
                found = get(term)
                if found is None:
                    table[term] = posting
                elif isinstance(found, int):
                    table[term] = [found, posting]
                else:
                    found.append(posting)
            toks = tokens(entry.title)
            own_title = own_words(entry.title)
            title_tokens.append(
                analyser.title_stems(toks if own_title == entry.title else tokens(own_title))
            )
            title_compact.append("".join(toks))  # compact(entry.title)
            # Sorted: ties between titles go the same way in every process (sets are not).
            for form in sorted(title_forms(entry.title)):
                forms[form].append(i)
        return Run(table, title_tokens, title_compact, forms, analyser.words(), written)

    def _build_vocabulary(self) -> None:
        self.latin_by_len: dict[int, list[str]] = defaultdict(list)
        self.hangul_by_len: dict[int, list[str]] = defaultdict(list)
        self.jamo_to_word: dict[str, str] = {}
        # English spellings of Hangul words the notes use (이미지 → image), so a typo typed in
        # English (imgae) still finds the note that writes the word in Hangul.
        self.spelled_as: dict[str, str] = {}
        self.choseong_map: dict[str, list[str]] = defaultdict(list)
        hangul = []
        spellings = hangul_spellings()
        for term in self.words:
            found = self.table[term]
            # A typo is read as a word the notes use as a topic or more than once; a word seen
            # once in one body is as likely a typo itself (and half of any vocabulary).
            spellable = isinstance(found, list) or found & self._mask > self._body_level
            if is_hangul(term):
                hangul.append(term)
                self.choseong_map[choseong(term)].append(term)
                if spellable:
                    key = jamo(term)
                    self.hangul_by_len[len(key)].append(key)
                    self.jamo_to_word[key] = term
            elif term[0].isalpha() and len(term) > 1:
                if spellable:
                    self.latin_by_len[len(term)].append(term)
                # ㄷㅋ is how people type 도커 for short, and our notes write it "Docker".
                for spelling in spellings.get(term, ()):
                    words = self.choseong_map[choseong(spelling)]
                    if term not in words:
                        words.append(term)
        for korean, english in loanwords.table().items():
            if " " not in english and english not in self.table and korean in self.table:
                if english not in self.spelled_as:
                    self.latin_by_len[len(english)].append(english)
                self.spelled_as.setdefault(english, korean)
        self.hangul_sorted = hangul

    # -- Store ------------------------------------------------------------------------------

    def df(self, term: str) -> int:
        found = self.table.get(term)
        return 0 if found is None else 1 if isinstance(found, int) else len(found)

    def has(self, term: str) -> bool:
        return term in self.table

    def postings(self, term: str) -> dict[int, float]:
        return self._postings(term)

    def _read_postings(self, term: str) -> dict[int, float]:
        if term not in self.table:
            return {}
        _, numbers, levels = self.postings_of((term,))
        return dict(zip(numbers, map(self.levels.__getitem__, levels), strict=True))

    def postings_of(
        self, terms: Iterable[str]
    ) -> tuple[array.array[int], array.array[int], bytearray]:
        """The postings of `terms` one after another, for writing: how many each term has,
        and their entry numbers and field indexes."""
        lists = [[p] if isinstance(p, int) else p for p in map(self.table.__getitem__, terms)]
        postings = list(itertools.chain.from_iterable(lists))
        counts = array.array("i", map(len, lists))
        numbers = array.array("i", map(operator.rshift, postings, itertools.repeat(self.SHIFT)))
        levels = bytearray(map(operator.and_, postings, itertools.repeat(self._mask)))
        return counts, numbers, levels

    def title_info(self, numbers: Iterable[int]) -> TitleInfo:
        # Every title is at hand: a query reads them in place instead of copying them out.
        return self.title_pairs

    def title_form_entries(self, form: str) -> list[int]:
        return self.title_forms.get(form, [])

    def title_forms_of_length(self, length: int) -> tuple[list[str], list[int]]:
        return self.forms_by_length.get(length, ([], []))

    def vocabulary(self, hangul: bool, length: int) -> list[str]:
        return (self.hangul_by_len if hangul else self.latin_by_len).get(length, [])

    def jamo_word(self, key: str) -> str:
        return self.jamo_to_word[key]

    def spelled(self, english: str) -> str:
        return self.spelled_as.get(english, english)

    def choseong_words(self, key: str) -> list[str]:
        return self.choseong_map.get(key, [])

    def hangul_from(self, prefix: str, count: int) -> list[str]:
        i = bisect.bisect_left(self.hangul_sorted, prefix)
        return self.hangul_sorted[i : i + count]

    @functools.cached_property
    def _phonetic(self) -> dict[str, list[str]]:
        # Built on the first Hangul word that needs it: most questions never do.
        keys: dict[str, list[str]] = defaultdict(list)
        for words in self.latin_by_len.values():
            for word in words:
                if len(word) > 2 and word in self.table:
                    keys[loanwords.phonetic_key(word)].append(word)
        return dict(keys)

    def phonetic(self) -> dict[str, list[str]]:
        return self._phonetic

    def titles(self, kind: str | None = None) -> list[str]:
        return [e.title for e in self.entries if kind is None or e.kind == kind]

    def position(self, entry_id: str) -> int | None:
        return self._by_id.get(entry_id)

    def glosses(self, key: str) -> tuple[str, ...]:
        return self.gloss_table.get(key, ())

    def vocabulary_buckets(self) -> Iterator[tuple[bool, int, list[str]]]:
        """Every (hangul?, length, words) bucket, for writing the artifact."""
        for hangul, buckets in ((False, self.latin_by_len), (True, self.hangul_by_len)):
            for length, words in buckets.items():
                yield hangul, length, words
