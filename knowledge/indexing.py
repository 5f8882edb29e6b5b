"""What search knows about the notes, worked out once per KB: the builder and the storage interface.

Everything here depends only on the entries, never on a query, so `python -m knowledge build`
computes it and `knowledge.artifact` stores it; a cold process then opens the artifact instead of
recomputing it. `knowledge.search.Index` asks a `Store` (this module's `MemoryStore`, built now,
or the artifact's `SqliteStore`, read lazily) and ranks with one copy of the search logic.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Protocol

from knowledge import loanwords, textutil
from knowledge.hangul import choseong, is_hangul, jamo
from knowledge.models import Entry
from knowledge.normalize import (
    compact,
    latin_parts,
    question_words,
    stems,
    tokens,
    without_numbering,
)

# (title, tags, keywords, body): the weight of a word found in each field of an entry.
FieldWeights = tuple[float, float, float, float]
Progress = Callable[[Iterable[int], int], Iterable[int]]
TitleTokens = list[set[str]]


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

    def postings(self, term: str) -> dict[int, float]:
        """{entry number: weight of the best field holding `term`}, in entry order."""

    def title_info(self, numbers: Iterable[int]) -> dict[int, tuple[str, TitleTokens]]:
        """{entry number: (its title squashed, the stems of each title word)}."""

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


@functools.cache
def hangul_spellings() -> dict[str, list[str]]:
    """English → its Hangul spellings, so ``docker image`` finds ``Docker 이미지``."""
    out: dict[str, list[str]] = defaultdict(list)
    for korean, english in loanwords.table().items():
        out[english.lower()].append(korean)
    return dict(out)


def bigram(a: str, b: str) -> str:
    return f"{a} {b}"


@functools.lru_cache(maxsize=200_000)
def token_terms(tok: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A token's index terms, and the words it contributes to bigrams (cached: words repeat)."""
    parts = latin_parts(tok)
    word_stems = stems(tok)
    return (tok, *parts, *word_stems[1:]), tuple(parts) or (word_stems[-1],)


def entry_terms(text: str) -> set[str]:
    out: set[str] = set()
    sequence: list[str] = []
    skip = question_words()
    for tok in tokens(text):
        terms, pieces = token_terms(tok)
        out.update(terms)
        if tok not in skip:  # as a question reads: "Indexing in Django" → indexing django
            sequence += pieces
    # Adjacent words as one term, so "git remote add" in a body beats "git" and "add" in a title.
    out.update(bigram(a, b) for a, b in itertools.pairwise(sequence))
    return out


_URL = re.compile(r"https?://\S+")
_NOTE_LINK = re.compile(
    r"^\s*(?:[-*+]|\d+[.)])\s+\[[^\]]*\]\((?![a-z]+:)[^)\s]*\.md(?:#[^)]*)?\)\s*$", re.I
)


def body_text(entry: Entry, parts: Sequence[str] = ()) -> str:
    """The words of an entry's body that are its own: without the bodies of `parts` (its
    sections), which answer for their words more specifically than the whole document does."""
    body = entry.body
    for part in parts:
        body = body.replace(part, "\n", 1)
    # Its sections' headings are their titles ("key 설정" is that section's, not the file's),
    # and a list item that only links to another note (a README's table of contents) is that
    # note's title, which answers for its words itself.
    body = "\n".join(
        line
        for line, role in textutil.fence_lines(body)
        if role != "text"
        or not ((parts and textutil.classify(line).kind == "heading") or _NOTE_LINK.match(line))
    )
    code = " ".join(block.code for block in entry.code if not parts or block.code in body)
    # URLs are addresses, not what an entry is about (a /docker/image/ path is no "image" topic).
    return _URL.sub(" ", textutil.plain_summary(body, limit=1 << 30) + " " + code)


_GLOSS = re.compile(r"\([^()]*\)")


def own_words(title: str) -> str:
    """A title without what it glosses in parentheses (``함수 호이스팅 (Function Hoisting)``,
    ``백트래킹(Backtracking)``): the gloss says the same again in other words, so a question
    need not repeat it to ask for the whole title."""
    bare = _GLOSS.sub(" ", title)
    return bare if bare.strip() else title


def file_words(source: str) -> str:
    """The words of a note's file name (``daily/consul.md`` → consul, ``k8s-configmap.md`` →
    k8s configmap): people name a file for what it holds, so it is context for every entry in
    it, as a document's title is for its sections."""
    stem = source.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return re.sub(r"[-_.]+", " ", stem)


def title_forms(title: str) -> set[str]:
    """A title as people type it from memory: squashed, and without its leading number."""
    forms = {compact(title), compact(without_numbering(title))}
    return {f for f in forms if f}


def idf(size: int, df: int) -> float:
    return 1.0 + math.log(1.0 + size / df)


class MemoryStore:
    """The index worked out from entries, held in dicts: for tests, small notes, and the build."""

    def __init__(
        self, entries: Sequence[Entry], weights: FieldWeights, progress: Progress | None = None
    ) -> None:
        self.entries = entries
        self.size = len(entries)
        self.weights = weights
        title_w, tags_w, keywords_w, body_w = weights
        postings: dict[str, dict[int, float]] = defaultdict(dict)
        self.title_tokens: list[TitleTokens] = []
        self.title_compact: list[str] = []
        forms: dict[str, list[int]] = defaultdict(list)
        skip = question_words()
        parts: dict[str, list[str]] = defaultdict(list)
        for entry in entries:
            if entry.parent and entry.body.strip():
                parts[entry.parent].append(entry.body.strip())
        numbers: Iterable[int] = range(self.size)
        for i in progress(numbers, self.size) if progress else numbers:
            entry = entries[i]
            own = body_text(entry, parts.get(entry.id, ()))
            fields = (
                (own, body_w),
                # Keywords of the text the entry owns: a document's come from its sections
                # otherwise, and a table of contents' from the notes it links.
                (" ".join(textutil.keywords(entry.title, own)), keywords_w),
                (" ".join([*entry.tags, entry.category, file_words(entry.source)]), tags_w),
                (entry.title, title_w),
            )
            for text, weight in fields:
                for term in entry_terms(text):
                    if postings[term].get(i, 0.0) < weight:
                        postings[term][i] = weight
            self.title_tokens.append(
                [set(stems(t)) for t in tokens(own_words(entry.title)) if t not in skip]
            )
            self.title_compact.append(compact(entry.title))
            # Sorted: ties between titles go the same way in every process (sets are not).
            for form in sorted(title_forms(entry.title)):
                forms[form].append(i)
        self.all_postings = dict(postings)
        self.title_forms = dict(forms)
        self.forms_by_length: dict[int, tuple[list[str], list[int]]] = defaultdict(lambda: ([], []))
        for rank, form in enumerate(self.title_forms):
            bucket = self.forms_by_length[len(form)]
            bucket[0].append(form)
            bucket[1].append(rank)
        self.forms_by_length = dict(self.forms_by_length)
        self._build_vocabulary(body_w)
        self._by_id = {e.id: i for i, e in enumerate(entries)}

    def _build_vocabulary(self, body_weight: float) -> None:
        self.latin_by_len: dict[int, list[str]] = defaultdict(list)
        self.hangul_by_len: dict[int, list[str]] = defaultdict(list)
        self.jamo_to_word: dict[str, str] = {}
        # English spellings of Hangul words the notes use (이미지 → image), so a typo typed in
        # English (imgae) still finds the note that writes the word in Hangul.
        self.spelled_as: dict[str, str] = {}
        self.choseong_map: dict[str, list[str]] = defaultdict(list)
        hangul = []
        for term in sorted(self.all_postings):
            if " " in term:
                continue  # bigrams are for ranking, not for spelling
            where = self.all_postings[term]
            # A typo is read as a word the notes use as a topic or more than once; a word seen
            # once in one body is as likely a typo itself (and half of any vocabulary).
            spellable = len(where) > 1 or max(where.values()) > body_weight
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
                for spelling in hangul_spellings().get(term, ()):
                    words = self.choseong_map[choseong(spelling)]
                    if term not in words:
                        words.append(term)
        for korean, english in loanwords.table().items():
            if (
                " " not in english
                and english not in self.all_postings
                and korean in self.all_postings
            ):
                if english not in self.spelled_as:
                    self.latin_by_len[len(english)].append(english)
                self.spelled_as.setdefault(english, korean)
        self.hangul_sorted = hangul

    # -- Store ------------------------------------------------------------------------------

    def df(self, term: str) -> int:
        return len(self.all_postings.get(term, ()))

    def postings(self, term: str) -> dict[int, float]:
        return self.all_postings.get(term, {})

    def title_info(self, numbers: Iterable[int]) -> dict[int, tuple[str, TitleTokens]]:
        return {i: (self.title_compact[i], self.title_tokens[i]) for i in numbers}

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
                if len(word) > 2 and word in self.all_postings:
                    keys[loanwords.phonetic_key(word)].append(word)
        return dict(keys)

    def phonetic(self) -> dict[str, list[str]]:
        return self._phonetic

    def titles(self, kind: str | None = None) -> list[str]:
        return [e.title for e in self.entries if kind is None or e.kind == kind]

    def position(self, entry_id: str) -> int | None:
        return self._by_id.get(entry_id)

    def vocabulary_buckets(self) -> Iterator[tuple[bool, int, list[str]]]:
        """Every (hangul?, length, words) bucket, for writing the artifact."""
        for hangul, buckets in ((False, self.latin_by_len), (True, self.hangul_by_len)):
            for length, words in buckets.items():
                yield hangul, length, words
