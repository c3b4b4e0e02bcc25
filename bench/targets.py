"""The figures a bench reports and the targets of issue 17 they are held to.

A smoke run (small sizes, CI) holds each figure to half its target: a ratio that must be at
least 0.5 must reach 0.25 there, a time that must stay under 3 s must stay under 6 s.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    limit: float
    higher_is_better: bool

    def met(self, value: float, share: float = 1.0) -> bool:
        """Whether ``value`` meets ``share`` of the target (1: the target itself)."""
        if self.higher_is_better:
            return value >= self.limit * share
        return value <= self.limit / share

    def __str__(self) -> str:
        return f"{'≥' if self.higher_is_better else '≤'} {self.limit:g}"


TARGETS: dict[str, Target] = {
    "cold.classify": Target(2.0, higher_is_better=False),
    "cold.report": Target(1.0, higher_is_better=False),
    "archive.vs_jieba": Target(0.5, higher_is_better=True),
    "archive.two_workers": Target(1.7, higher_is_better=True),
    "archive.startup_s": Target(3.0, higher_is_better=False),
    "api.vs_hello": Target(0.5, higher_is_better=True),
    "api.p99_ms": Target(50.0, higher_is_better=False),
    "explain.extra": Target(1.0, higher_is_better=False),
}


@dataclass(frozen=True)
class Figure:
    """One measured figure: ``key`` names its target, if it has one."""

    key: str
    what: str
    value: float
    unit: str = "×"

    @property
    def target(self) -> Target | None:
        return TARGETS.get(self.key)

    def shown(self) -> str:
        if self.unit == "×":
            return f"{self.value:.2f}×"
        if self.unit == "%":
            return f"{self.value:.0f} %"
        return f"{self.value:.{1 if self.value >= 10 else 2}f} {self.unit}"


def verdict(figure: Figure, share: float = 1.0) -> str:
    """✓ or ✗ against the target (or its ``share``), blank without one."""
    if figure.target is None:
        return ""
    return "✓" if figure.target.met(figure.value, share) else "✗"
