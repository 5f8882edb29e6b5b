"""Fuzzy search over entries, tuned to how people type questions in Korean and English.

How a query is answered:
1. Slack markup, question words and particles are removed (``<@U1> SQLAlchemy가 뭐야?`` →
   ``sqlalchemy``).
2. Each remaining token becomes alternatives with a confidence: the exact term, its stems,
   the English of a Hangul loanword (장고 → django), Korean words it starts (작동 → 작동방식),
   initial consonants (ㅎㄱ → 환경), typo neighbours (rapidfuzz), a split of glued words
   (gitreset → git reset) and, last, a sound-alike English word.
3. An entry scores the idf-weighted share of query tokens it contains, where a token in the
   title counts more than one in the body, nudged up when the query covers the whole title and
   when the query reads like the title as a string.
4. Only scores above a threshold calibrated on the dev query set (``bench/quality.py``) are
   answers; below it the bot says it does not know and offers suggestions.
"""

from __future__ import annotations

import bisect
import functools
import heapq
import itertools
import math
import random
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from knowledge import glossary, loanwords, textutil
from knowledge.models import Entry
from knowledge.normalize import (
    QUESTION_WORDS,
    choseong,
    clean_text,
    compact,
    is_choseong,
    is_hangul,
    jamo,
    latin_parts,
    stems,
    tokens,
)

THRESHOLD = 0.25  # calibrated by bench/quality.py on tests/dev_queries.tsv
SUGGEST = 0.15  # below an answer, above what one stray letter or particle scores
MAX_QUERY_CHARS = 500  # a question longer than this is cut: nobody's question is 100 kB
MAX_TOKENS = 12
_CANDIDATES = 100  # entries ranked in full per query; the rest cannot reach the top

TITLE, TAGS, KEYWORDS, BODY = 1.0, 0.6, 0.5, 0.4
_PREDICATE = re.compile(r"[가-힣](?:기|법|거|돼|돼요|됨|함|해|해요|까|까요|나요|죠|지|니|냐)$")
_QUESTIONISH = re.compile(r"^(알려|설명|가르쳐|뭐|무엇|궁금|어떻게|어떤)")

Alternative = tuple[tuple[str, ...], float]


@functools.cache
def _hangul_spellings() -> dict[str, list[str]]:
    """English → its Hangul spellings, so ``docker image`` finds ``Docker 이미지``."""
    out: dict[str, list[str]] = defaultdict(list)
    for korean, english in loanwords.TABLE.items():
        out[english.lower()].append(korean)
    return dict(out)


@dataclass(frozen=True)
class Match:
    entry: Entry
    score: float


@dataclass
class Answer:
    query: str
    matches: list[Match] = field(default_factory=list)
    suggestions: list[Entry] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)  # what the query was understood as
    # Query words found nowhere in the notes (not even as a typo): a best match for "git rebase"
    # is about git, not rebase, and the user should be told so.
    unmatched: list[str] = field(default_factory=list)

    @property
    def best(self) -> Match | None:
        return self.matches[0] if self.matches else None


def _entry_terms(text: str) -> set[str]:
    out: set[str] = set()
    sequence: list[str] = []
    for tok in tokens(text):
        terms, pieces = _token_terms(tok)
        out.update(terms)
        sequence += pieces
    # Adjacent words as one term, so "git remote add" in a body beats "git" and "add" in a title.
    out.update(bigram(a, b) for a, b in itertools.pairwise(sequence))
    return out


@functools.lru_cache(maxsize=200_000)
def _token_terms(tok: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A token's index terms, and the words it contributes to bigrams (cached: words repeat)."""
    parts = latin_parts(tok)
    word_stems = stems(tok)
    return (tok, *parts, *word_stems[1:]), tuple(parts) or (word_stems[-1],)


def bigram(a: str, b: str) -> str:
    return f"{a} {b}"


_URL = re.compile(r"https?://\S+")


def _body_text(entry: Entry) -> str:
    code = " ".join(block.code for block in entry.code)
    # URLs are addresses, not what an entry is about (a /docker/image/ path is no "image" topic).
    return _URL.sub(" ", textutil.plain_summary(entry.body, limit=1 << 30) + " " + code)


class Index:
    def __init__(self, entries: Sequence[Entry], threshold: float = THRESHOLD) -> None:
        self.entries = list(entries)
        self.threshold = threshold
        self._by_id = {e.id: e for e in self.entries}
        postings: dict[str, dict[int, float]] = defaultdict(dict)
        self._title_tokens: list[list[set[str]]] = []
        self._title_compact: list[str] = []
        for i, entry in enumerate(self.entries):
            fields = (
                (_body_text(entry), BODY),
                (" ".join(entry.keywords), KEYWORDS),
                (" ".join([*entry.tags, entry.category]), TAGS),
                (entry.title, TITLE),
            )
            for text, weight in fields:
                for term in _entry_terms(text):
                    if postings[term].get(i, 0.0) < weight:
                        postings[term][i] = weight
            self._title_tokens.append(
                [set(stems(t)) for t in tokens(entry.title) if t not in QUESTION_WORDS]
            )
            self._title_compact.append(compact(entry.title))
        self._postings = dict(postings)
        n = len(self.entries)
        self._idf = {t: 1.0 + math.log(1.0 + n / len(p)) for t, p in self._postings.items()}
        self._max_idf = 1.0 + math.log(1.0 + max(n, 1))
        self._build_vocab()
        # Per-index memo: one query asks about the same word several times (split? typo of?).
        self._fuzzy = functools.lru_cache(maxsize=8192)(self._fuzzy_words)
        self._known = functools.lru_cache(maxsize=65536)(self._known_word)
        self._alternatives = functools.lru_cache(maxsize=8192)(self._word_alternatives)

    def _build_vocab(self) -> None:
        self._latin_by_len: dict[int, list[str]] = defaultdict(list)
        self._hangul_by_len: dict[int, list[str]] = defaultdict(list)
        self._jamo_to_word: dict[str, str] = {}
        self._choseong: dict[str, list[str]] = defaultdict(list)
        hangul = []
        for term in sorted(self._postings):
            if " " in term:
                continue  # bigrams are for ranking, not for spelling
            if is_hangul(term):
                hangul.append(term)
                key = jamo(term)
                self._hangul_by_len[len(key)].append(key)
                self._jamo_to_word[key] = term
                self._choseong[choseong(term)].append(term)
            elif term[0].isalpha() and len(term) > 1:
                self._latin_by_len[len(term)].append(term)
                # ㄷㅋ is how people type 도커 for short, and our notes write it "Docker".
                for spelling in _hangul_spellings().get(term, ()):
                    words = self._choseong[choseong(spelling)]
                    if term not in words:
                        words.append(term)
        self._hangul_sorted = hangul

    # -- public API -------------------------------------------------------------------------

    def clear_memo(self) -> None:
        """Forget memoised word look-ups (benchmarks measure a cold memo)."""
        self._fuzzy.cache_clear()
        self._known.cache_clear()
        self._alternatives.cache_clear()

    def get(self, entry_id: str) -> Entry | None:
        return self._by_id.get(entry_id)

    def random(self, rng: random.Random | None = None) -> Entry:
        return (rng or random).choice(self.entries)

    def categories(self) -> dict[str, list[Entry]]:
        groups: dict[str, list[Entry]] = {}
        for entry in self.entries:
            groups.setdefault(entry.category or "기타", []).append(entry)
        return dict(sorted(groups.items()))

    def search(self, query: str, limit: int = 5) -> Answer:
        text = clean_text(query[:MAX_QUERY_CHARS])
        words = self._query_tokens(text)
        answer = Answer(query=query, terms=words)
        if not words or not self.entries:
            return answer
        if len(words) == 1 and len(words[0]) == 1 and (words[0].isascii() or is_choseong(words[0])):
            return answer  # "b", "1", "ㄱ": one letter says too little; any pick would be noise
        scored, predicate = self._split_predicate(words)
        ranked, unmatched = self._rank(scored, "".join(words))
        answer.unmatched = unmatched + predicate
        answer.matches = [m for m in ranked if m.score >= self.threshold][:limit]
        if not answer.matches:
            answer.suggestions = [m.entry for m in ranked[:3] if m.score >= SUGGEST]
            if not answer.suggestions:
                answer.suggestions = self._title_suggestions(" ".join(words))
        return answer

    # -- query understanding -----------------------------------------------------------------

    def _query_tokens(self, text: str) -> list[str]:
        out: list[str] = []
        for tok in tokens(text):
            if tok in QUESTION_WORDS or (_QUESTIONISH.match(tok) and tok not in self._postings):
                continue
            if not self._known(tok) and len(tok) >= 4 and not is_choseong(tok):
                parts = self._segment(tok)
                if parts and self._prefer_split(tok, parts):
                    out += parts
                    continue
            out.append(tok)
        return out[:MAX_TOKENS]

    def _split_predicate(self, words: list[str]) -> tuple[list[str], list[str]]:
        """The verb closing a Korean question (둬야돼, 지우기, 조심할거), when it is in no note.

        It should not sink the answer that the words before it find, so it does not count for
        the score; it is still named to the user, since 지우기 may be exactly what is missing.
        """
        last = words[-1] if len(words) >= 2 else ""
        if last and _PREDICATE.search(last) and not self._alternatives(last):
            return words[:-1], [last]
        return words, []

    def _known_word(self, tok: str) -> bool:
        if any(s in self._postings for s in stems(tok)):
            return True
        if is_hangul(tok):
            return any(
                all(t in self._postings for t in eng.split()) for eng in loanwords.to_english(tok)
            )
        return False

    def _segment(self, tok: str) -> list[str]:
        """Split a glued token into the fewest known words (``gitreset`` → git, reset)."""
        n = len(tok)
        best: list[list[str] | None] = [None] * (n + 1)
        best[0] = []
        for end in range(1, n + 1):
            for start in range(max(0, end - 30), end):
                prev = best[start]
                piece = tok[start:end]
                if prev is None or (len(piece) == 1 and not self._single_ok(piece)):
                    continue
                if not self._known(piece):
                    continue
                if best[end] is None or len(prev) + 1 < len(best[end] or []):
                    best[end] = [*prev, piece]
        parts = best[n]
        return parts if parts and len(parts) > 1 else []

    def _prefer_split(self, tok: str, parts: list[str]) -> bool:
        """``gitreset`` is two words, ``wepack`` is a typo of one: long pieces mean words."""
        if sum(map(len, parts)) / len(parts) >= 3.5:
            return True
        nearest = self._fuzzy(tok)
        return not nearest or nearest[0][1] < 100 * (1 - 1 / len(tok))

    @staticmethod
    def _single_ok(piece: str) -> bool:
        """One-letter pieces are allowed where they are words: ``a``, digits, 깃 (git)."""
        return piece in {"a", "i"} or piece.isdigit() or piece in loanwords.TABLE

    def _word_alternatives(self, tok: str) -> tuple[Alternative, ...]:
        alts: dict[tuple[str, ...], float] = {}

        def add(terms: tuple[str, ...], conf: float) -> None:
            if terms and all(t in self._postings for t in terms) and conf > alts.get(terms, 0):
                alts[terms] = conf

        if is_choseong(tok):
            for word in self._choseong.get(tok, [])[:20]:
                add((word,), 0.9)
            return tuple(alts.items())
        for i, variant in enumerate(stems(tok)):
            penalty = 1.0 if i == 0 else 0.97
            add((variant,), penalty)
            if is_hangul(variant):
                for eng in loanwords.to_english(variant):
                    terms = tuple(eng.split())
                    if all(t in self._postings for t in terms):
                        add(terms, 0.95 * penalty)
                    elif len(terms) == 1:
                        for english_stem in stems(eng)[1:]:
                            add((english_stem,), 0.93 * penalty)
                        for word, score in self._fuzzy(eng):
                            add((word,), 0.9 * penalty * score / 100)
                if len(variant) >= 2:
                    for word in self._hangul_prefixed(variant):
                        add((word,), 0.85 * penalty)
            else:
                for korean in _hangul_spellings().get(variant, ()):
                    add((korean,), 0.95 * penalty)
            for translated in glossary.translations(variant):
                add((translated,), 0.8 * penalty)
        if not alts or max(alts.values()) < 0.9:
            for word, score in self._fuzzy(tok):
                add((word,), 0.9 * score / 100)
        if is_hangul(tok) and (not alts or max(alts.values()) < 0.8) and len(tok) >= 2:
            key = loanwords.phonetic_key(tok)
            spelled = loanwords.romanize(tok)
            if len(key) >= 2:
                for k, score, _ in process.extract(
                    key, self._phonetic_keys, scorer=fuzz.ratio, score_cutoff=85, limit=3
                ):
                    for word in self._phonetic[k][:3]:
                        # Sounding alike is not enough (주말 ~ gemfile): the spelling must agree too.
                        letters = fuzz.ratio(spelled, word)
                        if letters >= 65:
                            add((word,), 0.8 * (score + letters) / 200)
        return tuple(alts.items())

    @functools.cached_property
    def _phonetic(self) -> dict[str, list[str]]:
        """Sound keys of the English words, built on the first Hangul word that needs them."""
        keys: dict[str, list[str]] = defaultdict(list)
        for words in self._latin_by_len.values():
            for word in words:
                if len(word) > 2:
                    keys[loanwords.phonetic_key(word)].append(word)
        return dict(keys)

    @functools.cached_property
    def _phonetic_keys(self) -> list[str]:
        return list(self._phonetic)

    def _hangul_prefixed(self, prefix: str, limit: int = 8) -> list[str]:
        i = bisect.bisect_left(self._hangul_sorted, prefix)
        out: list[str] = []
        while i < len(self._hangul_sorted) and len(out) < limit:
            word = self._hangul_sorted[i]
            if not word.startswith(prefix):
                break
            if word != prefix:
                out.append(word)
            i += 1
        return out

    def _fuzzy_words(self, tok: str) -> list[tuple[str, float]]:
        """Known words one or two typos away (a swap counts once), as (word, 0-100 score).

        Hangul is compared letter by letter (jamo), so 횐경 is one edit from 환경."""
        hangul = is_hangul(tok)
        key = jamo(tok) if hangul else tok
        if len(key) < 3:
            return []
        max_edits = 1 if len(key) <= 5 else 2 if len(key) <= 12 else 3
        buckets = self._hangul_by_len if hangul else self._latin_by_len
        found: list[tuple[str, float]] = []
        for length in range(len(key) - max_edits, len(key) + max_edits + 1):
            words = buckets.get(length)
            if not words:
                continue
            for word, edits, _ in process.extract(
                key, words, scorer=OSA.distance, score_cutoff=max_edits, limit=3
            ):
                score = 100 * (1 - edits / max(len(key), len(word)))
                found.append((self._jamo_to_word[word] if hangul else word, score))
        found.sort(key=lambda ws: -ws[1])
        return found[:3]

    # -- ranking -----------------------------------------------------------------------------

    def _rank(self, words: list[str], query_compact: str) -> tuple[list[Match], list[str]]:
        """Entries by score, best first, and the query words that matched nothing.

        `query_compact` is the whole query without spaces, compared with each title as a string.
        """
        total_weight = 0.0
        scores: dict[int, float] = defaultdict(float)
        matched_terms: set[str] = set()
        best_words: list[str | None] = []
        unmatched: list[str] = []
        for i, tok in enumerate(words):
            alts = self._alternatives(tok)
            if not alts:
                total_weight += self._max_idf
                best_words.append(None)
                if not self._joins_neighbour(words, i):
                    unmatched.append(tok)
                continue
            best_terms, _ = max(alts, key=lambda a: a[1])
            best_words.append(best_terms[-1] if len(best_terms) == 1 else None)
            weight = max(self._idf[t] for t in best_terms)
            total_weight += weight
            token_scores: dict[int, float] = {}
            for terms, conf in alts:
                matched_terms.update(terms)
                for entry_index, fw in self._phrase_postings(terms).items():
                    s = conf * fw
                    if s > token_scores.get(entry_index, 0.0):
                        token_scores[entry_index] = s
            for entry_index, s in token_scores.items():
                scores[entry_index] += weight * s
        for a, b in itertools.pairwise(best_words):
            pair = bigram(a, b) if a and b else ""
            for entry_index, fw in self._postings.get(pair, {}).items():
                scores[entry_index] += 0.5 * self._idf[pair] * fw
        if not scores:
            return [], unmatched
        ranked = []
        # Title precision moves a score by at most 20%, so only the leaders need it.
        leaders = heapq.nlargest(_CANDIDATES, scores.items(), key=lambda item: item[1])
        for entry_index, raw in leaders:
            coverage = min(raw / total_weight, 1.0)
            title = self._title_tokens[entry_index]
            covered = sum(1 for stem_set in title if stem_set & matched_terms)
            precision = covered / len(title) if title else 0.0
            ranked.append((coverage * (0.8 + 0.2 * precision), entry_index))
        ranked.sort(key=lambda si: (-si[0], len(self._title_compact[si[1]]), si[1]))
        rescored = []
        for score, entry_index in ranked[:50]:
            # A query that reads like the title as a string (spaces, one typo) is that entry.
            similarity = fuzz.ratio(query_compact, self._title_compact[entry_index]) / 100
            if similarity >= 0.8:
                score = max(score, similarity)
            rescored.append((round(min(score, 1.0), 4), similarity, entry_index))
        # Ties go to the title that reads most like the query, then to the shorter title.
        rescored.sort(key=lambda r: (-r[0], -r[1], len(self._title_compact[r[2]]), r[2]))
        return [Match(self.entries[i], score) for score, _, i in rescored], unmatched

    def _joins_neighbour(self, words: list[str], i: int) -> bool:
        """``자격 증명``: 증명 alone is in no note, but with its neighbour it is 자격증명."""
        before = words[i - 1] + words[i] if i > 0 else ""
        after = words[i] + words[i + 1] if i + 1 < len(words) else ""
        return any(joined and self._known(joined) for joined in (before, after))

    def _phrase_postings(self, terms: tuple[str, ...]) -> dict[int, float]:
        """Where a multi-word expansion (도커이미지 → docker image) occurs, each word counting
        in either script (image or 이미지)."""
        if len(terms) == 1:
            return self._postings[terms[0]]
        combined: dict[int, float] = defaultdict(float)
        for term in terms:
            best: dict[int, float] = {}
            for spelling in (term, *_hangul_spellings().get(term, ())):
                for entry_index, fw in self._postings.get(spelling, {}).items():
                    best[entry_index] = max(best.get(entry_index, 0.0), fw)
            for entry_index, fw in best.items():
                combined[entry_index] += fw / len(terms)
        return combined

    def _title_suggestions(self, text: str) -> list[Entry]:
        titles = [e.title for e in self.entries]
        found = process.extract(text, titles, scorer=fuzz.WRatio, limit=3, score_cutoff=50)
        return [self.entries[i] for _, _, i in found]
