"""The KPI formulas of PRODUCT.md §3 against hand-computed portfolios and every boundary."""

from __future__ import annotations

from datetime import date

import pytest

from am_desktop.domain.kpis import LedgerSums, clv, compute, csat, default_period, nps

START, END = date(2026, 1, 1), date(2026, 12, 31)


def test_a_hand_computed_portfolio() -> None:
    # A: 100 before, +20 expansion, -10 contraction  -> 110 at the end
    # B: 50 before, churned 50                        -> 0
    # C: new inside the period, 30 (not in the cohort, not in NRR)
    # D: 0 before (churned earlier), reactivated 40 inside (not in the cohort)
    sums = LedgerSums(
        START,
        END,
        arr_before={1: 100_00, 2: 50_00, 4: 0},
        arr_at_end={1: 110_00, 2: 0, 3: 30_00, 4: 40_00},
        cohort_expansion=20_00,
        cohort_contraction=10_00,
        cohort_churn=50_00,
        new_arr=30_00,
    )
    kpis = compute(sums, nps_scores=[10, 9, 7, 3], csat_scores=[5, 4, 2], renewal_days=[10, -4])
    assert (kpis.starting_arr, kpis.ending_arr, kpis.new_arr) == (150_00, 180_00, 30_00)
    assert kpis.nrr == pytest.approx((150 + 20 - 10 - 50) / 150)
    assert kpis.grr == pytest.approx((150 - 10 - 50) / 150)
    assert (kpis.logo_retention, kpis.logo_churn) == (0.5, 0.5)
    assert (kpis.accounts_at_start, kpis.accounts_at_end) == (2, 3)
    assert kpis.nps == 25.0 and kpis.csat == pytest.approx(200 / 3)
    assert kpis.time_to_renewal_days == 3.0
    # CLV: ARPA 60 * 0.8 * lifetime (1 / (60/150 * 365/365) = 2.5 years) = 120
    assert kpis.clv == 120_00


def test_no_data_gives_nulls_not_errors() -> None:
    kpis = compute(LedgerSums(START, END, {}, {}))
    assert (kpis.nrr, kpis.grr, kpis.logo_retention, kpis.logo_churn) == (None, None, None, None)
    assert (kpis.nps, kpis.csat, kpis.clv, kpis.time_to_renewal_days) == (None, None, None, None)
    document = kpis.as_json()
    assert document["nrr"] is None and document["starting_arr"] == 0.0
    assert list(document) == [
        "from", "to", "currency", "rates_date", "rates", "starting_arr", "expansion",
        "contraction", "churn", "new_arr",
        "ending_arr", "nrr", "grr", "logo_retention", "logo_churn", "accounts_at_start",
        "accounts_at_end", "nps", "csat", "clv", "bridge",
    ]  # fmt: skip
    assert not kpis.bridge.has_data


def test_lifetime_is_capped_at_ten_years_also_when_nothing_churned() -> None:
    assert clv(100_00, 1, 100_00, lost=0, days=365, gross_margin=0.8) == 800_00
    assert clv(100_00, 1, 100_00, lost=1_00, days=365, gross_margin=0.8) == 800_00  # 100 y
    assert clv(100_00, 1, 100_00, lost=50_00, days=365, gross_margin=0.8) == 160_00  # 2 y
    assert clv(100_00, 1, 100_00, lost=50_00, days=730, gross_margin=0.8) == 320_00  # annualised
    assert clv(100_00, 0, 100_00, lost=0, days=365, gross_margin=0.8) is None


@pytest.mark.parametrize(
    ("scores", "expected"),
    [([9, 10], 100.0), ([0, 6], -100.0), ([7, 8], 0.0), ([], None)],
)
def test_nps_counts_promoters_and_detractors(scores: list[int], expected: float | None) -> None:
    assert nps(scores) == expected


def test_csat_counts_fours_and_fives() -> None:
    assert csat([5, 4, 3, 1]) == 50.0
    assert csat([]) is None


def test_the_default_period_is_the_twelve_months_ending_today() -> None:
    assert default_period(date(2026, 11, 29)) == (date(2025, 11, 30), date(2026, 11, 29))
    assert default_period(date(2028, 2, 29)) == (date(2027, 3, 1), date(2028, 2, 29))
