"""The most-asked questions the bot could not answer: logged questions grouped into topics.

Questions group by their normalised form first; groups whose words mostly overlap then merge
into the largest one ("react 상태관리" and "react 상태관리 라이브러리"). Each word is compared by
its stem (knowledge.normalize.stems: particles and endings off), so 도커를 and 도커 agree.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from bot.store import Outcome, Question
from knowledge.normalize import stems

GAP_OUTCOMES = frozenset({Outcome.UNANSWERED, Outcome.DOWNVOTED})
WINDOW_DAYS = 30
TOP = 5


@dataclass
class Gap:
    example: str  # one question as a user typed it (the most common spelling of the top form)
    count: int  # questions in the group
    words: frozenset[str] = field(default_factory=frozenset)
    downvoted: bool = False  # some answer was voted down: not closed by a note matching it


def _words(normalized: str) -> frozenset[str]:
    return frozenset(stems(word)[-1] for word in normalized.split())


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def top_gaps(
    questions: Iterable[Question],
    limit: int = TOP,
    answered_now: Callable[[str], bool] | None = None,
) -> list[Gap]:
    """The `limit` biggest groups of unanswered or voted-down questions, biggest first.

    With `answered_now`, a group that was only ever unanswered and whose example question
    gets an answer today (a note was written since, or people taught the answer) is closed.
    """
    by_form: dict[str, list[Question]] = defaultdict(list)
    for q in questions:
        if q.outcome in GAP_OUTCOMES and q.normalized:
            by_form[q.normalized].append(q)
    forms = sorted(by_form.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    gaps: list[Gap] = []
    for form, asked in forms:
        words = _words(form)
        downvoted = any(q.outcome is Outcome.DOWNVOTED for q in asked)
        # Compared with each group's first (largest) form, not its members: no chains of
        # one-word overlaps pulling "docker 볼륨" and "docker 네트워크" together.
        home = next((g for g in gaps if _overlap(words, g.words) > 0.5), None)
        if home is not None:
            home.count += len(asked)
            home.downvoted |= downvoted
        else:
            example = Counter(q.query for q in asked).most_common(1)[0][0]
            gaps.append(Gap(example, len(asked), words, downvoted))
    ranked = sorted(gaps, key=lambda g: -g.count)
    still_open = (
        g for g in ranked if g.downvoted or answered_now is None or not answered_now(g.example)
    )
    return [g for _, g in zip(range(limit), still_open, strict=False)]
