"""What each audience's deck says (issue 15): the customer sees their plan, value and next
steps and no internal figure or word; the manager sees the ledger, health, pipeline and risks."""

from __future__ import annotations

from datetime import date

from am_desktop.domain.deck import Audience, BulletSlide, ChartSlide, PictureSlide, TableSlide
from am_desktop.domain.kpis import ArrBridge, LedgerSums, compute
from am_desktop.domain.review import (
    IssueSummary,
    NextStep,
    Objective,
    OpenRenewal,
    ReviewData,
    Risk,
)
from am_desktop.domain.review_deck import build_deck, is_internal, quarters

START, END = date(2026, 1, 1), date(2026, 12, 31)


def review(account_id: int | None = 7) -> ReviewData:
    bridge = ArrBridge(starting=100_000_00, expansion=20_000_00, churn=5_000_00, moved=2)
    sums = LedgerSums(
        START, END, {7: 100_000_00}, {7: 115_000_00}, 20_000_00, 0, 5_000_00, 0, bridge
    )
    return ReviewData(
        title="Acme",
        start=START,
        end=END,
        kpis=compute(sums, nps_scores=[10, 9, 3]),
        arr_by_month=((date(2026, 1, 31), 100_000_00), (date(2026, 12, 31), 115_000_00)),
        movements=(),
        health_trend=((date(2026, 1, 31), 64.0), (date(2026, 12, 31), None)),
        surveys=(
            (date(2026, 2, 1), "nps", 10),
            (date(2026, 2, 2), "nps", 9),
            (date(2026, 8, 1), "nps", 3),
        ),
        usage=((date(2026, 6, 1), 80, 100), (date(2026, 12, 1), 90, 100)),
        pipeline=(("renewal", "negotiation", 115_000_00), ("expansion", "proposal", 30_000_00)),
        issues=IssueSummary({"high": 2}, resolved=2, mean_days_to_resolve=4.5, open_now=1),
        account_id=account_id,
        objectives=(
            Objective("Roll out SSO to all users", "achieved"),
            Objective("Automate the monthly close", "at_risk", date(2027, 3, 1)),
            Objective("Old idea", "dropped"),
        ),
        next_steps=(
            NextStep("Send the training schedule", "Dana Reyes", True, date(2027, 1, 10)),
            NextStep("Share the adoption dashboard", "sam", False, None),
            NextStep("Update the renewal forecast for Q1", "sam", False, None),
            NextStep("Prepare a comparison against Rival Inc", "sam", False, None),
        ),
        renewal_date=date(2027, 3, 31),
        risks=(Risk("Acme", "Champion is leaving", "Find a new one", "high", "sam"),),
        renewals=(OpenRenewal("Acme", date(2027, 3, 31), 115_000_00, "negotiation", 60),),
    )


def table(deck_slides: object, title: str) -> TableSlide:
    return next(s for s in deck_slides if isinstance(s, TableSlide) and s.title == title)  # type: ignore[attr-defined]


def test_the_customer_deck_shows_their_plan_and_next_steps_and_nothing_internal() -> None:
    deck = build_deck(review(), Audience.CUSTOMER)
    assert deck.audience is Audience.CUSTOMER
    titles = [s.title for s in deck.slides]
    assert titles[:3] == ["Acme", "Agenda", "Your objectives"]
    assert "Next steps" in titles and "The plan for the next period" in titles
    objectives = table(deck.slides, "Your objectives")
    assert [row[:2] for row in objectives.rows] == [
        ("Roll out SSO to all users", "Achieved"),
        ("Automate the monthly close", "Needs attention"),
    ]  # a dropped objective is not shown to the customer
    steps = table(deck.slides, "Next steps")
    assert [row[:2] for row in steps.rows] == [
        ("Send the training schedule", "Dana Reyes (Acme)"),
        ("Share the adoption dashboard", "Sam (our team)"),
    ]
    assert steps.subtitle == "Renewal date: 31 Mar 2027"
    assert "2 open action items about our own preparations are left out" in steps.notes
    words = " ".join(deck.texts()).casefold()
    for internal in ("health", "nrr", "grr", "churn", "pipeline", "likelihood", "risk", "arr",
                     "forecast", "rival", "115,000", "64"):  # fmt: skip
        assert internal not in words, internal
    assert not [t for t in deck.texts() if is_internal(t)]
    value = dict(table(deck.slides, "Value delivered").rows)
    assert value["Objectives achieved"] == "1 of 2"
    assert value["Adoption"] == "90 of 100 seats active (90%)"
    assert value["NPS"] == "33 (3 answers)" and value["CSAT"] == "—"
    assert value["Time to resolve"] == "4 days on average"
    for slide in deck.charts:
        assert slide.chart.value_format.value != "money"


def test_the_customer_deck_leaves_out_feedback_without_answers() -> None:
    data = review()
    quiet = ReviewData(**{**{f: getattr(data, f) for f in data.__slots__}, "surveys": ()})  # type: ignore[attr-defined]
    deck = build_deck(quiet, Audience.CUSTOMER)
    assert "Your feedback" not in [s.title for s in deck.slides]
    agenda = next(s for s in deck.slides if isinstance(s, BulletSlide))
    assert "Your feedback" not in agenda.bullets


def test_the_internal_review_has_the_ledger_health_pipeline_and_risks() -> None:
    deck = build_deck(review(), Audience.INTERNAL)
    summary = dict(table(deck.slides, "Summary").rows)
    assert summary["Starting ARR"] == "$100,000" and summary["Ending ARR"] == "$115,000"
    assert summary["Churn"] == "−$5,000" and summary["Net revenue retention"] == "115.0 %"
    assert summary["CSAT"] == "—"
    bridge = next(s for s in deck.charts if s.name == "bridge")
    assert bridge.chart.series[0].values == (
        100_000_00, 0, 20_000_00, 0, 0, -5_000_00, 115_000_00,
    )  # fmt: skip
    health = next(s for s in deck.charts if s.name == "health")
    assert health.chart.series[0].values == (64.0, None)  # a month without a score is a gap
    assert table(deck.slides, "Risks and mitigation").rows == (
        ("Champion is leaving", "Find a new one", "High", "sam"),
    )
    assert table(deck.slides, "Open renewals").rows[0][-1] == "60 %"
    steps = table(deck.slides, "Next steps")
    assert len(steps.rows) == 4  # the manager sees every open item


def test_a_portfolio_is_always_reviewed_internally() -> None:
    deck = build_deck(review(account_id=None), Audience.CUSTOMER)
    assert deck.audience is Audience.INTERNAL
    assert deck.slides[0].subtitle == "Portfolio review"  # type: ignore[union-attr]
    assert table(deck.slides, "Risks and mitigation").columns[0] == "Account"


def test_quarters_are_clipped_to_the_period() -> None:
    assert quarters(date(2025, 12, 4), date(2026, 4, 2)) == [
        ("Q4 2025", date(2025, 12, 4), date(2025, 12, 31)),
        ("Q1 2026", date(2026, 1, 1), date(2026, 3, 31)),
        ("Q2 2026", date(2026, 4, 1), date(2026, 4, 2)),
    ]


def test_internal_words_are_found_in_their_forms_but_not_inside_other_words() -> None:
    assert is_internal("Churned last year") and is_internal("Risks ahead")
    assert is_internal("Update the renewal forecast")
    assert not is_internal("Arrange the training") and not is_internal("Send the SOC 2 report")
    assert isinstance(build_deck(review(), Audience.INTERNAL).charts[0], ChartSlide)


def test_the_contact_map_goes_only_into_an_accounts_internal_review() -> None:
    png = b"\x89PNG\r\n\x1a\n..."
    internal = build_deck(review(), Audience.INTERNAL, contact_map=png)
    assert [s.name for s in internal.slides if isinstance(s, PictureSlide)] == ["contacts"]
    for deck in (
        build_deck(review(), Audience.CUSTOMER, contact_map=png),  # sentiment is internal
        build_deck(review(account_id=None), Audience.INTERNAL, contact_map=png),
    ):
        assert not [s for s in deck.slides if isinstance(s, PictureSlide)]


def test_a_table_holding_only_the_first_rows_says_how_many_there_are() -> None:
    from dataclasses import replace

    whole = build_deck(review(), Audience.INTERNAL)
    assert table(whole.slides, "Open renewals").subtitle == "Soonest first"
    cut = build_deck(replace(review(), open_renewals=36, open_risks=40), Audience.INTERNAL)
    assert table(cut.slides, "Open renewals").subtitle == "The soonest 1 of 36"
    assert table(cut.slides, "Risks and mitigation").subtitle == (
        "The 1 most severe of 40 open risks"
    )
