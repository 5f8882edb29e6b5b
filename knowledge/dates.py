"""Dates as search terms: a question that names a day finds the notes of that day.

A TIL collection is a log as often as a wiki: a note per day (``# 2022.10.05. WED``,
``2023-08-26.md``), a section a day in a monthly file, or a log of a period (our ``TIL 9-1 ~
9-15``). People ask for them by the day ("10월 5일에 배운 거", "what did I learn on Oct 5"), in
words no note writes: the index gives every dated entry its date as terms of their own, and a
question's date expressions are read as those terms.

Terms start with ``@``, which no word of a note becomes (`knowledge.normalize.tokens` never
keeps it), so a date term can only ever match a date: ``@2022-10-05`` (the day), ``@10-05``
(the day of any year, as "10월 5일" asks, and as a period log without a year is dated) and
``@2022-10`` (the month, as "2022년 10월" asks).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from knowledge import textutil

MARK = "@"
# A period log names its first and last day; longer than a season it is no log of days.
_MOST_DAYS = 92
# What follows a date in a Korean question: a particle or a word for "day" glued to it
# ("10월 5일에", "5일날", "2022-10-05자"), gone with the date.
_AFTER = r"(?:에는|에서|에|의|날|자|부터|까지|쯤|경)?"
_YEAR = r"((?:19|20)\d{2})"
# A year before a month is written "2019년 3월", "2019-03", or "2019 3월" as a title writes it.
_KOREAN_DAY = textutil.lazy_pattern(
    rf"(?<![\d.])(?:{_YEAR}(?:\s*년\s*|\s*[-./]\s*|\s+(?=\d{{1,2}}\s*월)))?"
    rf"(\d{{1,2}})\s*(?:월\s*|[-./]\s*)(\d{{1,2}})\s*"
    rf"(?:일{_AFTER}|(?<=\d){_AFTER}(?!\.?\d))"
)
_KOREAN_MONTH = textutil.lazy_pattern(rf"(?<![\d.]){_YEAR}(?:\s*년|\s)\s*(\d{{1,2}})\s*월{_AFTER}")
_ENGLISH_DAY = textutil.lazy_pattern(
    rf"\b(?:{textutil.MONTH_PATTERN}\s+(\d{{1,2}})(?:st|nd|rd|th)?"
    rf"|(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{textutil.MONTH_PATTERN})"
    rf"(?:,?\s+{_YEAR})?(?![\d:])",
    re.I,
)
_ENGLISH_MONTH = textutil.lazy_pattern(rf"\b{textutil.MONTH_PATTERN}\s+{_YEAR}(?!\d)", re.I)


def is_term(word: str) -> bool:
    """Whether a query word is a date term, not a word typed."""
    return word.startswith(MARK)


def day(date: dt.date) -> str:
    return f"{MARK}{date.year:04d}-{date.month:02d}-{date.day:02d}"


def month_day(month: int, day_of_month: int) -> str:
    return f"{MARK}{month:02d}-{day_of_month:02d}"


def month(year: int, month_of_year: int) -> str:
    return f"{MARK}{year:04d}-{month_of_year:02d}"


def terms_of_date(date: dt.date) -> tuple[str, ...]:
    """The terms an entry of that date is found by: the day, the day of any year, the month."""
    return day(date), month_day(date.month, date.day), month(date.year, date.month)


def terms_of_period(period: str) -> tuple[str, ...]:
    """Each day of a period without a year (``9-1 ~ 9-15``, `textutil.find_period`)."""
    try:
        first, last = (tuple(map(int, end.split("-"))) for end in period.split("~"))
        # A leap year, so a period through February 29 holds it.
        start = dt.date(2000, first[0], first[1])
        end = dt.date(2000 if last >= first else 2001, last[0], last[1])
    except ValueError:
        return ()
    days = (end - start).days + 1
    if not 0 < days <= _MOST_DAYS:
        return ()
    dates = (start + dt.timedelta(days=n) for n in range(days))
    return tuple(month_day(d.month, d.day) for d in dates)


def _valid(year: int, month_of_year: int, day_of_month: int) -> bool:
    try:
        dt.date(year, month_of_year, day_of_month)
    except ValueError:
        return False
    return True


def read(text: str) -> tuple[str, list[tuple[str, ...]]]:
    """The text without the dates it names, and for each date the terms that would find it,
    the most specific first (a day of a year is also that day of any year: a period log has no
    year). Only what reads unambiguously as a date: "10월 5일", "2022년 10월 5일", "2022-10-05",
    "2022년 10월", "Oct 5", "5 October 2022"; never "10/5" or "10.5", which are as often a
    fraction or a version."""
    if not any(c.isdigit() for c in text):
        return text, []
    found: list[tuple[str, ...]] = []

    def take(pattern: re.Pattern[str], terms: Callable[[re.Match[str]], tuple[str, ...]]) -> None:
        nonlocal text
        kept = []
        last = 0
        for m in pattern.finditer(text):
            read_as = terms(m)
            if read_as:
                found.append(read_as)
                kept.append(text[last : m.start()])
                last = m.end()
        if kept:
            text = " ".join([*kept, text[last:]])

    def korean_day(m: re.Match[str]) -> tuple[str, ...]:
        year, mon, d = m.group(1), int(m.group(2)), int(m.group(3))
        # A bare "10-5" or "10.5" is no date: only 월/일 or a year makes one.
        if not year and "월" not in m.group(0):
            return ()
        return _day_terms(int(year) if year else None, mon, d)

    def english_day(m: re.Match[str]) -> tuple[str, ...]:
        name = (m.group(1) or m.group(4)).lower()
        mon = textutil.MONTHS.index(name[:3]) + 1
        d = int(m.group(2) or m.group(3))
        return _day_terms(int(m.group(5)) if m.group(5) else None, mon, d)

    def any_month(m: re.Match[str]) -> tuple[str, ...]:
        if m.re is _KOREAN_MONTH():
            year, mon = int(m.group(1)), int(m.group(2))
        else:
            year, mon = int(m.group(2)), textutil.MONTHS.index(m.group(1)[:3].lower()) + 1
        return (month(year, mon),) if 1 <= mon <= 12 else ()

    take(_KOREAN_DAY(), korean_day)
    take(_ENGLISH_DAY(), english_day)
    take(_KOREAN_MONTH(), any_month)
    take(_ENGLISH_MONTH(), any_month)
    return text, found


def _day_terms(year: int | None, month_of_year: int, day_of_month: int) -> tuple[str, ...]:
    if not _valid(year or 2000, month_of_year, day_of_month):
        return ()
    general = month_day(month_of_year, day_of_month)
    return (day(dt.date(year, month_of_year, day_of_month)), general) if year else (general,)


def entry_terms(
    title: str, kind: str, date: dt.date | None, period: str | None
) -> tuple[tuple[str, ...], bool]:
    """An entry's date terms, and whether the date is its own: a document's (its title, file
    name or front matter, the file being the document) or a heading that names it, found as a
    title's words are; a section dated by the headings over it has the date as context, so the
    day's note comes before each of its parts, and "10월 5일 JDBC" finds that day's JDBC."""
    if date is not None:
        return terms_of_date(date), kind == "document" or textutil.find_date(title) is not None
    if period:
        return terms_of_period(period), kind == "document"
    return (), False
