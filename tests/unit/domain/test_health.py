"""The health score: each component, renormalisation when some are missing, bands."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from am_desktop.domain.enums import HealthBand, Sentiment, Severity, SurveyKind
from am_desktop.domain.health import HealthInputs, band_of, score

TODAY = date(2026, 11, 22)


def inputs(**fields: object) -> HealthInputs:
    base: dict[str, object] = {"today": TODAY, "cadence_days": 30, "last_touch": TODAY}
    return HealthInputs(**{**base, **fields})  # type: ignore[arg-type]


def values(health_inputs: HealthInputs) -> dict[str, float | None]:
    return {c.key: c.value for c in score(health_inputs).components}


@pytest.mark.parametrize(
    ("days", "expected"), [(0, 100.0), (30, 100.0), (60, 50.0), (90, 0.0), (200, 0.0)]
)
def test_engagement_falls_from_the_cadence_to_three_cadences(days: int, expected: float) -> None:
    assert values(inputs(last_touch=TODAY - timedelta(days=days)))["engagement"] == expected


def test_never_touched_is_no_engagement() -> None:
    health = score(inputs(last_touch=None))
    engagement = health.components[0]
    assert engagement.value == 0.0 and "Never touched" in engagement.why


def test_stakeholders_mean_sentiment_less_coverage_warnings() -> None:
    mixed = [Sentiment.ADVOCATE, Sentiment.NEUTRAL, None]
    assert values(inputs(sentiments=mixed))["stakeholders"] == 75.0
    assert values(inputs(sentiments=mixed, coverage_warnings=2))["stakeholders"] == 45.0
    assert values(inputs(sentiments=[None]))["stakeholders"] is None


def test_surveys_latest_answer_on_a_hundred() -> None:
    assert values(inputs(latest_survey=(SurveyKind.NPS, 7)))["surveys"] == 70.0
    assert values(inputs(latest_survey=(SurveyKind.CSAT, 4)))["surveys"] == 75.0


def test_usage_is_active_over_licensed_capped() -> None:
    assert values(inputs(usage=(40, 80)))["usage"] == 50.0
    assert values(inputs(usage=(120, 80)))["usage"] == 100.0
    assert values(inputs(usage=(5, 0)))["usage"] is None


def test_open_issues_cost_by_severity() -> None:
    assert values(inputs())["issues"] == 100.0
    open_issues = [Severity.CRITICAL, Severity.HIGH, Severity.LOW]
    assert values(inputs(open_issues=open_issues))["issues"] == 30.0


def test_missing_components_are_left_out_and_weights_renormalised() -> None:
    # engagement 100 (25) and issues 100 (15) only: 100 whatever the missing weights
    assert score(inputs()).score == 100.0
    # engagement 50 (25), usage 50 (20), issues 100 (15): (1250 + 1000 + 1500) / 60
    health = score(inputs(last_touch=TODAY - timedelta(days=60), usage=(1, 2)))
    assert health.score == pytest.approx(62.5)
    assert health.band is HealthBand.WATCH


def test_weights_are_a_preference() -> None:
    weights = {"engagement": 0, "stakeholders": 0, "surveys": 0, "usage": 1, "issues": 0}
    assert score(inputs(usage=(1, 4)), weights).score == 25.0


@pytest.mark.parametrize(
    ("value", "band"),
    [(70, HealthBand.HEALTHY), (69.9, HealthBand.WATCH), (40, HealthBand.WATCH),
     (39.9, HealthBand.AT_RISK)],
)  # fmt: skip
def test_bands(value: float, band: HealthBand) -> None:
    assert band_of(value) is band
