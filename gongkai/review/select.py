"""Which predictions a person should review: the ones two models disagree on, the requests
that wait for their case record, the least certain, and a random audit of the rest.

The audit is what keeps the review honest: a model confidently wrong is never uncertain,
and only a random sample of its sure answers shows how often that happens.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from gongkai.review.items import ReviewItem


class Strategy(StrEnum):
    margin = "margin"
    entropy = "entropy"


@dataclass(frozen=True)
class Selected:
    """An item chosen for review, why, and how uncertain the model was (0: sure)."""

    item: ReviewItem
    reasons: tuple[str, ...]
    uncertainty: float


def margin(item: ReviewItem) -> float:
    """How far the decision was from going the other way: a request's first score minus
    its second; for a paragraph the score nearest the 0.5 line, as its distance to it."""
    scores = sorted(item.scores.values(), reverse=True)
    if item.task == "request":
        return (scores[0] - (scores[1] if len(scores) > 1 else 0.0)) if scores else 0.0
    return min((abs(score - 0.5) * 2 for score in scores), default=1.0)


def entropy(item: ReviewItem) -> float:
    """Entropy in nats of what the output lists: a request's top scores with the mass they
    leave as one more outcome; a paragraph's labels as independent yes/no decisions."""
    def term(p: float) -> float:
        return -p * math.log(p) if p > 0 else 0.0

    scores = list(item.scores.values())
    if item.task == "request":
        return sum(term(p) for p in scores) + term(max(0.0, 1.0 - sum(scores)))
    return sum(term(p) + term(1.0 - p) for p in scores)


def uncertainty(item: ReviewItem, strategy: Strategy) -> float:
    """Higher means less certain, whichever the strategy."""
    if strategy is Strategy.margin:
        return 1.0 - margin(item)
    return entropy(item)


def flags(item: ReviewItem) -> tuple[str, ...]:
    """The reasons that send an item to review whatever its scores."""
    return (*(("disagreement",) if item.disagreement else ()),
            *(("needs_record",) if item.needs_record else ()))


def select(items: Sequence[ReviewItem], limit: int, strategy: Strategy = Strategy.margin,
           audit: float = 0.1, seed: int = 0) -> list[Selected]:
    """Up to ``limit`` items: ``audit`` of them drawn at random (seeded) from those not
    otherwise chosen; the rest flagged items first (disagreement, needs_record), then the
    least certain. Ties keep the input order, so the same input gives the same choice."""
    if limit < 1 or not 0.0 <= audit <= 1.0:
        raise ValueError("limit must be positive and audit a share between 0 and 1")
    limit = min(limit, len(items))
    audited = round(limit * audit)
    ranked = sorted(range(len(items)), key=lambda i: (
        not items[i].disagreement, not items[i].needs_record,
        -uncertainty(items[i], strategy)))
    chosen = []
    for i in ranked[:limit - audited]:
        why = flags(items[i]) or (strategy.value,)
        chosen.append(Selected(items[i], why, round(uncertainty(items[i], strategy), 4)))
    rest = sorted(ranked[limit - audited:])
    for i in sorted(random.Random(seed).sample(rest, audited)):
        chosen.append(Selected(items[i], ("audit",), round(uncertainty(items[i], strategy), 4)))
    return chosen
