"""The account health score of PRODUCT.md §3 (issue 7): a weighted mean of five components,
each 0–100 and each with the reason for its value, so the score can be explained.

Missing components are left out and the other weights renormalised; bands: ≥ 70 healthy,
40–69 watch, < 40 at risk (weights and bands are preferences).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from am_desktop.domain.enums import HealthBand, Sentiment, Severity, SurveyKind
from am_desktop.domain.values import counted

#: The components, their default weights and their names on screen.
DEFAULT_WEIGHTS: dict[str, float] = {
    "engagement": 25,
    "stakeholders": 20,
    "surveys": 20,
    "usage": 20,
    "issues": 15,
}
LABELS = {
    "engagement": "Engagement",
    "stakeholders": "Stakeholders",
    "surveys": "NPS / CSAT",
    "usage": "Usage",
    "issues": "Open issues",
}
#: A score at or above the first is healthy; at or above the second, watch; else at risk.
DEFAULT_BANDS = (70.0, 40.0)

_SENTIMENT_POINTS = {
    Sentiment.ADVOCATE: 100,
    Sentiment.SUPPORTER: 75,
    Sentiment.NEUTRAL: 50,
    Sentiment.SKEPTIC: 25,
    Sentiment.DETRACTOR: 0,
}
#: Points an open issue takes off, by severity.
ISSUE_COST = {Severity.CRITICAL: 40, Severity.HIGH: 25, Severity.MEDIUM: 10, Severity.LOW: 5}
#: Points each coverage warning takes off the stakeholder component.
COVERAGE_COST = 15


@dataclass(frozen=True, slots=True)
class Component:
    """One part of the score: its value (None: no data), its weight and why it is so."""

    key: str
    value: float | None
    weight: float
    why: str

    @property
    def label(self) -> str:
        return LABELS.get(self.key, self.key)


@dataclass(frozen=True, slots=True)
class Health:
    """A score, its band and the components behind it."""

    score: float | None
    band: HealthBand | None
    components: tuple[Component, ...]


@dataclass(frozen=True, slots=True)
class HealthInputs:
    """What the score is made from, for one account on one day."""

    today: date
    cadence_days: int
    last_touch: date | None
    sentiments: Sequence[Sentiment | None] = ()
    coverage_warnings: int = 0
    latest_survey: tuple[SurveyKind, int] | None = None
    usage: tuple[int, int] | None = None  # (active users, licensed seats)
    open_issues: Sequence[Severity] = ()


def band_of(score: float, bands: tuple[float, float] = DEFAULT_BANDS) -> HealthBand:
    """The band of a score."""
    healthy, watch = bands
    if score >= healthy:
        return HealthBand.HEALTHY
    return HealthBand.WATCH if score >= watch else HealthBand.AT_RISK


def engagement(inputs: HealthInputs) -> tuple[float, str]:
    """100 within the cadence, falling to 0 at three cadences without a touch."""
    if inputs.last_touch is None:
        return 0.0, "Never touched: no note or meeting recorded."
    days = (inputs.today - inputs.last_touch).days
    cadence = max(1, inputs.cadence_days)
    value = 100.0 * min(1.0, max(0.0, 1 - (days - cadence) / (2 * cadence)))
    return value, (
        f"Last touch {counted(days, 'day')} ago; the check-in cadence is {counted(cadence, 'day')}."
    )


def stakeholders(inputs: HealthInputs) -> tuple[float | None, str]:
    """The contacts' mean sentiment, less 15 points a coverage warning."""
    known = [_SENTIMENT_POINTS[s] for s in inputs.sentiments if s is not None]
    if not known:
        return None, "No contact's sentiment is recorded."
    mean = sum(known) / len(known)
    value = max(0.0, mean - COVERAGE_COST * inputs.coverage_warnings)
    warnings = inputs.coverage_warnings
    tail = f", less {warnings} coverage warning{'s' if warnings != 1 else ''}" if warnings else ""
    return value, f"Mean sentiment of {len(known)} contacts {mean:.0f}{tail}."


def surveys(inputs: HealthInputs) -> tuple[float | None, str]:
    """The latest answer: NPS 0–10 as 0–100, CSAT 1–5 as 0–100."""
    if inputs.latest_survey is None:
        return None, "No NPS or CSAT answer yet."
    kind, score = inputs.latest_survey
    if kind is SurveyKind.NPS:
        return score * 10.0, f"Latest NPS answer: {score} of 10."
    return (score - 1) * 25.0, f"Latest CSAT answer: {score} of 5."


def usage(inputs: HealthInputs) -> tuple[float | None, str]:
    """Active users over licensed seats (capped at 100)."""
    if inputs.usage is None or inputs.usage[1] <= 0:
        return None, "No usage sample with licensed seats."
    active, seats = inputs.usage
    return min(100.0, 100.0 * active / seats), f"{active} of {seats} seats active."


def issues(inputs: HealthInputs) -> tuple[float, str]:
    """100 less each open issue's cost by severity."""
    if not inputs.open_issues:
        return 100.0, "No open issue."
    cost = sum(ISSUE_COST.get(s, 10) for s in inputs.open_issues)
    return max(0.0, 100.0 - cost), f"{len(inputs.open_issues)} open, costing {cost} points."


_MEASURES = {
    "engagement": engagement,
    "stakeholders": stakeholders,
    "surveys": surveys,
    "usage": usage,
    "issues": issues,
}


def score(
    inputs: HealthInputs,
    weights: Mapping[str, float] | None = None,
    bands: tuple[float, float] = DEFAULT_BANDS,
) -> Health:
    """The health of one account: weighted mean of the components with data."""
    weights = weights or DEFAULT_WEIGHTS
    components = []
    for key, measure in _MEASURES.items():
        value, why = measure(inputs)
        components.append(Component(key, value, float(weights.get(key, 0)), why))
    present = [c for c in components if c.value is not None and c.weight > 0]
    total = sum(c.weight for c in present)
    if not total:
        return Health(None, None, tuple(components))
    value = sum(c.weight * (c.value or 0) for c in present) / total
    return Health(round(value, 1), band_of(value, bands), tuple(components))
