"""English developer words and the Korean words notes write for them: deploy ↔ 배포.

`loanwords` bridges spellings of the same word (도커 = docker). This bridges translations, which
our notes mix freely: a note titled "zappa 수동 배포" should answer ``zappa deploy``, and an
English note on "Deploying with Docker" should answer ``도커 배포``. Search uses it only on the
query side and with less confidence than a word as written, so a note that uses the asker's own
word still wins.

Only words whose translation is unambiguous in a developer's notes belong here (배포 is always
deploy; 실행 could be run, execute or launch, so all three are listed).
"""

from __future__ import annotations

import functools
from collections import defaultdict

from knowledge import data
from knowledge.hangul import is_syllable, predicate_stems, strip_endings


@functools.cache
def _rows() -> list[tuple[str, list[str]]]:
    """``knowledge/data/glossary.tsv``: one English word, a tab, its Korean words
    space-separated (nouns and verb stems as notes write them). Read once for both tables."""
    return [(english, korean.split()) for english, korean in data.rows("glossary")]


@functools.cache
def _to_korean() -> dict[str, tuple[str, ...]]:
    """English → Korean."""
    to_korean: dict[str, list[str]] = defaultdict(list)
    for english, words in _rows():
        for word in words:
            if word not in to_korean[english]:
                to_korean[english].append(word)
    return {k: tuple(v) for k, v in to_korean.items()}


@functools.cache
def _to_english() -> dict[str, tuple[str, ...]]:
    """Korean → English, every form of each Korean word of the table included."""
    to_english: dict[str, list[str]] = defaultdict(list)
    for english, words in _rows():
        for word in words:
            # A verb is asked in any form (찾는, 찾으려면): its stem (찾기 → 찾) finds it too.
            for form in (word, *strip_endings(word), *predicate_stems(word)):
                if english not in to_english[form]:
                    to_english[form].append(english)
    return {k: tuple(v) for k, v in to_english.items()}


def translations(word: str) -> tuple[str, ...]:
    """The other language's words for `word` (lower-case English or Hangul), or ()."""
    found = _to_korean().get(word)
    if not found and word.endswith("ize") and len(word) > 6:
        found = _made(word[:-3])
    # Not a regex: compiling the class of all Hangul syllables costs ~10 M instructions.
    if found or word.isascii() or not any(map(is_syllable, word)):
        # Every Korean word of the table has Hangul in every form (a test checks): a word
        # without any has no English here, and a process asked only in English never works
        # out every Korean form (a few ms of a cold /til).
        return found or ()
    return _to_english().get(word) or ()


def _made(base: str) -> tuple[str, ...]:
    """Korean for an English -ize verb the table lacks: 화 after its base's Korean, as Korean
    makes the same verbs (parallelize → 병렬화, tokenize → 토큰화, localize → 지역화), then the
    base's Korean itself, which notes write too (병렬로 처리)."""
    bases = [k for k in _to_korean().get(base, ()) if " " not in k and is_syllable(k[-1])]
    return (*(k + "화" for k in bases), *bases)
