"""The slides of a business review for its audience (issue 15), from the review's read model.

- **Customer deck** (one account): title, agenda, the account plan's objectives, value
  delivered, adoption against seats, support issues, NPS/CSAT when there are answers, the next
  period's plan and next steps with the renewal date. It carries no internal figure: no ARR,
  health, retention, churn, pipeline, likelihood, risk or internal-only text — not in a title,
  a cell, a chart's data or the speaker notes (the customer may be sent the file).
- **Internal review** (an account or the portfolio): the ledger's bridge and ARR by month,
  retention, health month by month, NPS/CSAT, usage, the open pipeline and renewals, risks
  with their mitigation, issues, and for an account its plan and next steps.

Every figure is formatted by ``domain.formatting`` (as on screen); every bridge reconciles
because it is the ledger's ``ArrBridge``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date

from am_desktop.domain import formatting as fmt
from am_desktop.domain.deck import (
    Audience,
    Band,
    BulletSlide,
    Chart,
    ChartKind,
    ChartSlide,
    Deck,
    PictureSlide,
    Series,
    Slide,
    StepKind,
    TableSlide,
    TitleSlide,
    ValueFormat,
)
from am_desktop.domain.kpis import csat, nps
from am_desktop.domain.review import NextStep, ReviewData
from am_desktop.domain.values import counted

GREY, BLUE, GREEN, RED, AMBER = "#8d99a6", "#4f86c6", "#2e7d32", "#d93025", "#e37400"

#: Words that mark a text as the AM's own business: an action item holding one is left out of
#: the customer deck (the speaker notes say how many were), and no customer slide uses them.
INTERNAL_WORDS = (
    "health",
    "nrr",
    "grr",
    "churn",
    "pipeline",
    "likelihood",
    "forecast",
    "risk",
    "internal",
    "discount",
    "competitor",
    "comparison against",
    "price increase",
    "upsell",
    "quota",
    "arr",
)
_INTERNAL = re.compile(
    r"\b(" + "|".join(re.escape(w) for w in INTERNAL_WORDS) + r")(s|es|ed|y)?\b", re.IGNORECASE
)

#: How each objective status reads to the customer (dropped objectives are not shown to them).
CUSTOMER_STATUS = {
    "not_started": "Not started",
    "on_track": "On track",
    "at_risk": "Needs attention",
    "achieved": "Achieved",
}
INTERNAL_STATUS = {**CUSTOMER_STATUS, "at_risk": "At risk", "dropped": "Dropped"}
SEVERITIES = ("critical", "high", "medium", "low")


def is_internal(text: str) -> bool:
    """Whether a text speaks of the AM's own figures or plans (see ``INTERNAL_WORDS``)."""
    return bool(_INTERNAL.search(text))


def build_deck(
    data: ReviewData,
    audience: Audience,
    *,
    logo: bytes | None = None,
    contact_map: bytes | None = None,
) -> Deck:
    """The deck of ``data`` for ``audience`` (a portfolio is always internal); the contact map
    (a PNG: it cannot be a native chart) only ever goes into an account's internal review —
    it shows sentiment."""
    if audience is Audience.CUSTOMER and data.account_id is not None:
        slides = customer_slides(data, logo)
    else:
        audience = Audience.INTERNAL
        slides = internal_slides(data, logo)
        if contact_map is not None and data.account_id is not None:
            slides.append(
                PictureSlide(
                    "contacts",
                    "Stakeholders",
                    contact_map,
                    notes=(
                        "The contact map as the Contacts tab shows it: role, sentiment, "
                        "influence and who reports to whom, as recorded today."
                    ),
                )
            )
    return Deck(audience, data.title, data.start, data.end, tuple(slides))


# ---------------------------------------------------------------- the customer deck


def customer_slides(data: ReviewData, logo: bytes | None) -> list[Slide]:
    """Title, agenda, objectives, value delivered, adoption, support, feedback, plan, steps."""
    shown = [o for o in data.objectives if o.status in CUSTOMER_STATUS]
    achieved = [o for o in shown if o.status == "achieved"]
    upcoming = [o for o in shown if o.status != "achieved"]
    steps = [s for s in data.next_steps if not is_internal(s.text)]
    hidden = len(data.next_steps) - len(steps)
    answers = bool(data.surveys)
    agenda = [
        "Your objectives and where they stand",
        "Value delivered this period",
        "Adoption and usage",
        "Support",
        *(["Your feedback"] if answers else []),
        "The plan for the next period",
        "Next steps",
    ]
    slides: list[Slide] = [
        TitleSlide(data.title, "Business review", data.period_label, logo, notes=data.rates_line),
        BulletSlide("Agenda", tuple(agenda)),
        TableSlide(
            "Your objectives",
            "From the account plan we agreed",
            ("Objective", "Status", "Target date"),
            tuple((o.title, CUSTOMER_STATUS[o.status], fmt.day(o.due)) for o in shown),
            empty="No objectives are written down yet: let's agree them today.",
            notes="The objectives of the account plan, in the plan's order.",
        ),
        _value_delivered(data, len(achieved), len(shown)),
        _usage_slide(data, audience=Audience.CUSTOMER),
        _issues_slide(data, audience=Audience.CUSTOMER),
    ]
    if answers:
        slides.append(_survey_slide(data, "Your feedback"))
    slides.append(
        BulletSlide(
            "The plan for the next period",
            tuple(
                f"{o.title} — {CUSTOMER_STATUS[o.status].lower()}"
                + (f", by {fmt.day(o.due)}" if o.due else "")
                for o in upcoming
            ),
            empty="Every objective is achieved: time to set the next ones together.",
            notes="The account plan's objectives not yet achieved.",
        )
    )
    slides.append(_next_steps(data, steps, hidden))
    return slides


def _value_delivered(data: ReviewData, achieved: int, objectives: int) -> TableSlide:
    latest = data.usage[-1] if data.usage else None
    adoption = fmt.NO_DATA
    if latest and latest[2] > 0:
        adoption = f"{latest[1]:,} of {latest[2]:,} seats active ({latest[1] / latest[2]:.0%})"
    issues = data.issues
    speed = (
        fmt.NO_DATA
        if issues.mean_days_to_resolve is None
        else counted(round(issues.mean_days_to_resolve), "day") + " on average"
    )
    rows = [
        ("Objectives achieved", f"{achieved} of {objectives}" if objectives else fmt.NO_DATA),
        ("Adoption", adoption),
        ("Support issues resolved", fmt.count(issues.resolved)),
        ("Time to resolve", speed),
    ]
    rows += _survey_rows(data)
    return TableSlide(
        "Value delivered",
        data.period_label,
        ("Measure", "This period"),
        tuple(rows),
        notes=(
            "Objectives: the account plan. Adoption: the latest usage sample in the period. "
            "Issues: those resolved in the period and their mean days from opening to "
            "resolution. NPS and CSAT: the answers dated in the period; a dash means no answer."
        ),
    )


def _survey_rows(data: ReviewData) -> list[tuple[str, str]]:
    nps_scores = [s for _, kind, s in data.surveys if kind == "nps"]
    csat_scores = [s for _, kind, s in data.surveys if kind == "csat"]
    return [
        ("NPS", _with_answers(nps(nps_scores), len(nps_scores))),
        ("CSAT", _with_answers(csat(csat_scores), len(csat_scores))),
    ]


def _with_answers(value: float | None, answers: int) -> str:
    return fmt.NO_DATA if value is None else f"{fmt.score(value)} ({counted(answers, 'answer')})"


def _next_steps(data: ReviewData, steps: Sequence[NextStep], hidden: int) -> TableSlide:
    renewal = f"Renewal date: {fmt.day(data.renewal_date)}" if data.renewal_date else ""
    left_out = (
        f" {counted(hidden, 'open action item')} about our own preparations "
        f"{'is' if hidden == 1 else 'are'} left out; add {'it' if hidden == 1 else 'them'} here "
        "if the customer should see them."
        if hidden
        else ""
    )
    return TableSlide(
        "Next steps",
        renewal,
        ("Action", "Who", "By"),
        tuple((s.text, _who(s, data.title), fmt.day(s.due)) for s in steps),
        empty="No open action items: agree the next steps together.",
        notes="The open action items from the meeting notes, soonest due first." + left_out,
    )


def _who(step: NextStep, account: str) -> str:
    if step.theirs:
        return f"{step.owner} ({account})"
    return f"{step.owner.title()} (our team)" if step.owner else "Our team"


# ---------------------------------------------------------------- the internal review


def internal_slides(data: ReviewData, logo: bytes | None) -> list[Slide]:
    """Summary, bridge, ARR by month, health, feedback, usage, pipeline, renewals, risks,
    issues; for an account, its objectives and next steps."""
    kind = "Portfolio review" if data.account_id is None else "Internal account review"
    slides: list[Slide] = [
        TitleSlide(data.title, kind, data.period_label, logo, notes=data.rates_line),
        _summary(data),
        _bridge_slide(data),
        _arr_slide(data),
        _health_slide(data),
        _survey_slide(data, "NPS and CSAT"),
        _usage_slide(data, audience=Audience.INTERNAL),
        _pipeline_slide(data),
        _renewals_table(data),
        _risks_table(data),
        _issues_slide(data, audience=Audience.INTERNAL),
    ]
    if data.account_id is not None:
        slides.append(
            TableSlide(
                "Account plan",
                "Objectives",
                ("Objective", "Status", "Target date"),
                tuple(
                    (o.title, INTERNAL_STATUS.get(o.status, o.status), fmt.day(o.due))
                    for o in data.objectives
                ),
                empty="No objectives in the account plan.",
            )
        )
        slides.append(
            TableSlide(
                "Next steps",
                f"Renewal date: {fmt.day(data.renewal_date)}",
                ("Action", "Who", "By"),
                tuple((s.text, _who(s, data.title), fmt.day(s.due)) for s in data.next_steps),
                empty="No open action items.",
            )
        )
    return slides


def _summary(data: ReviewData) -> TableSlide:
    k, bridge, money = data.kpis, data.kpis.bridge, _money(data.currency)
    has = bridge.has_data
    rows = [(label, money(amount) if has else fmt.NO_DATA) for label, amount in bridge.steps()]
    rows += [
        ("Customers at the start and end", f"{k.accounts_at_start:,} → {k.accounts_at_end:,}"),
        ("Net revenue retention", fmt.percent(k.nrr)),
        ("Gross revenue retention", fmt.percent(k.grr)),
        ("Logo retention", fmt.percent(k.logo_retention)),
        *_survey_rows(data),
        ("Issues open at the end", fmt.count(data.issues.open_now)),
        ("Exchange rates", data.rates_line),
    ]
    return TableSlide(
        "Summary",
        data.period_label,
        ("Measure", "Value"),
        tuple(rows),
        notes=(
            "ARR figures: the ARR ledger (movements dated inside the period, both days "
            "included). Starting ARR + new + expansion + reactivation − contraction − churn = "
            "ending ARR. Retention (NRR, GRR, logos) counts only the accounts that had ARR "
            "just before the period starts, so an account won or won back inside the period "
            "is in the bridge but not in retention. A dash means no data."
        ),
    )


def _money(currency: str) -> Callable[[float], str]:
    def shown(cents: float) -> str:
        return fmt.money(cents, currency)

    return shown


def _bridge_slide(data: ReviewData) -> ChartSlide:
    bridge = data.kpis.bridge
    steps = bridge.steps()
    kinds = tuple(
        StepKind.TOTAL if i in (0, len(steps) - 1) else StepKind.UP if v >= 0 else StepKind.DOWN
        for i, (_, v) in enumerate(steps)
    )
    chart = Chart(
        ChartKind.BRIDGE,
        tuple(label for label, _ in steps),
        (Series("ARR", tuple(float(v) for _, v in steps) if bridge.has_data else (), BLUE),),
        ValueFormat.MONEY,
        data.currency,
        steps=kinds,
        empty="No ARR recorded up to the end of this period.",
    )
    return ChartSlide(
        "bridge",
        "ARR bridge",
        data.period_label,
        chart,
        facts=(
            (("Net change", fmt.signed_money(bridge.ending - bridge.starting, data.currency)),)
            if bridge.has_data
            else ()
        ),
        notes=(
            f"From the ARR ledger: {counted(bridge.moved, 'movement')} dated in the period. "
            "The bars add up: the starting ARR plus each movement gives the ending ARR."
        ),
    )


def _arr_slide(data: ReviewData) -> ChartSlide:
    series = data.arr_by_month
    has = data.kpis.bridge.has_data
    return ChartSlide(
        "arr",
        "ARR by month",
        data.period_label,
        Chart(
            ChartKind.LINE,
            tuple(fmt.month(day) for day, _ in series),
            (Series("ARR at month end", tuple(float(v) for _, v in series) if has else (), BLUE),),
            ValueFormat.MONEY,
            data.currency,
            empty="No ARR recorded up to the end of this period.",
        ),
        notes="Each point is the signed sum of the ARR ledger's movements up to that day.",
    )


def _health_slide(data: ReviewData) -> ChartSlide:
    healthy, watch = data.bands
    whose = "the accounts' average score" if data.account_id is None else "score"
    latest = next((v for _, v in reversed(data.health_trend) if v is not None), None)
    return ChartSlide(
        "health",
        "Health",
        f"{whose.capitalize()} at each month's end, 0–100; healthy from {healthy:g}, "
        f"at risk below {watch:g}",
        Chart(
            ChartKind.LINE,
            tuple(fmt.month(day) for day, _ in data.health_trend),
            (Series("Health score", tuple(v for _, v in data.health_trend), GREEN),),
            ValueFormat.SCORE,
            value_range=(0, 100),
            bands=(
                Band(healthy, 100, GREEN, "Healthy"),
                Band(0, watch, RED, "At risk"),
            ),
            empty="Nothing to score in this period: no touches, answers, usage or issues.",
        ),
        facts=(("Latest", fmt.score(latest)),),
        notes=(
            "Each month's score is worked out from what had been recorded by that month's end "
            "(last touch, latest NPS/CSAT answer, latest usage sample, issues open then), with "
            "the weights set in Preferences; contacts' sentiment is taken as recorded today."
        ),
    )


def quarters(start: date, end: date) -> list[tuple[str, date, date]]:
    """The calendar quarters overlapping ``start``…``end``, each clipped to it."""
    found = []
    year, quarter = start.year, (start.month - 1) // 3
    while date(year, quarter * 3 + 1, 1) <= end:
        first = date(year, quarter * 3 + 1, 1)
        following = date(year + (quarter == 3), (quarter + 1) % 4 * 3 + 1, 1)
        last = date.fromordinal(following.toordinal() - 1)
        found.append((f"Q{quarter + 1} {year}", max(first, start), min(last, end)))
        year, quarter = following.year, (following.month - 1) // 3
    return found


def _survey_slide(data: ReviewData, title: str) -> ChartSlide:
    spans = quarters(data.start, data.end)
    values = {"nps": [], "csat": []}  # type: dict[str, list[float | None]]
    for _label, first, last in spans:
        for kind, formula in (("nps", nps), ("csat", csat)):
            scores = [s for day, k, s in data.surveys if k == kind and first <= day <= last]
            values[kind].append(formula(scores))
    series = tuple(
        Series(name, tuple(values[kind]), colour)
        for kind, name, colour in (("nps", "NPS", BLUE), ("csat", "CSAT", GREEN))
        if any(v is not None for v in values[kind])
    )
    return ChartSlide(
        "surveys",
        title,
        "By quarter; NPS from −100 to 100, CSAT the share of answers of 4 or 5",
        Chart(
            ChartKind.COLUMN,
            tuple(label for label, _, _ in spans),
            series,
            ValueFormat.SCORE,
            value_range=(-100, 100),
            empty="No NPS or CSAT answers in this period.",
        ),
        facts=tuple(_survey_rows(data)),
        notes=(
            "NPS = promoters (9–10) minus detractors (0–6), as a share of the answers; "
            "CSAT = answers of 4 or 5 on a 1–5 scale, as a share. Answers dated in each "
            "quarter; a quarter without answers has no point."
        ),
    )


def _usage_slide(data: ReviewData, *, audience: Audience) -> ChartSlide:
    days = tuple(day for day, _, _ in data.usage)
    latest = data.usage[-1] if data.usage else None
    facts: tuple[tuple[str, str], ...] = ()
    if latest and latest[2] > 0:
        facts = (
            ("Active users", fmt.count(latest[1])),
            ("Seats", fmt.count(latest[2])),
            ("Adoption", f"{latest[1] / latest[2]:.0%}"),
        )
    title = "Adoption and usage" if audience is Audience.CUSTOMER else "Usage and adoption"
    return ChartSlide(
        "usage",
        title,
        data.period_label,
        Chart(
            ChartKind.LINE,
            days,
            (
                Series("Active users", tuple(float(a) for _, a, _ in data.usage), BLUE),
                Series("Licensed seats", tuple(float(s) for _, _, s in data.usage), GREY, True),
            ),
            ValueFormat.COUNT,
            empty="No usage recorded in this period.",
        ),
        facts=facts,
        notes="The usage samples dated in the period (summed over accounts on each day).",
    )


def _issues_slide(data: ReviewData, *, audience: Audience) -> ChartSlide:
    issues = data.issues
    counts = tuple(float(issues.opened.get(s, 0)) for s in SEVERITIES)
    speed = (
        fmt.NO_DATA
        if issues.mean_days_to_resolve is None
        else counted(round(issues.mean_days_to_resolve), "day")
    )
    title = "Support" if audience is Audience.CUSTOMER else "Issues"
    return ChartSlide(
        "issues",
        title,
        f"Issues opened in the period, by severity · {data.period_label}",
        Chart(
            ChartKind.COLUMN,
            tuple(s.title() for s in SEVERITIES),
            (Series("Opened", counts if any(counts) else (), BLUE),),
            ValueFormat.COUNT,
            empty="No issue was opened in this period.",
        ),
        facts=(
            ("Resolved", fmt.count(issues.resolved)),
            ("Time to resolve", speed),
            ("Open at the end", fmt.count(issues.open_now)),
        ),
        notes=(
            "Issues opened in the period by severity; resolved: those resolved in the period, "
            "with the mean days from opening to resolution."
        ),
    )


def _pipeline_slide(data: ReviewData) -> ChartSlide:
    money = _money(data.currency)
    labels = tuple(f"{k.title()}: {s.replace('_', ' ')}" for k, s, _ in data.pipeline)
    renewing = sum(c for k, _, c in data.pipeline if k == "renewal")
    expanding = sum(c for k, _, c in data.pipeline if k == "expansion")
    return ChartSlide(
        "pipeline",
        "Renewal and expansion pipeline",
        "Open, by stage",
        Chart(
            ChartKind.BAR,
            labels,
            (Series("Open", tuple(float(c) for _, _, c in data.pipeline), BLUE),),
            ValueFormat.MONEY,
            data.currency,
            empty="Nothing open: no renewal or expansion in progress.",
        ),
        facts=(("Renewals", money(renewing)), ("Expansion", money(expanding))),
        notes=(
            "Renewals: contracts ending on or after the period's start whose renewal is not "
            "closed, at the contract's ARR. Expansion: opportunities not won or lost."
        ),
    )


def _first_of(shown: int, total: int, some: str, every: str) -> str:
    """A table's subtitle: ``some`` (shown, total) when it holds only the first rows."""
    return some.format(shown, total) if total > shown else every


def _renewals_table(data: ReviewData) -> TableSlide:
    return TableSlide(
        "Open renewals",
        _first_of(
            len(data.renewals), data.open_renewals, "The soonest {} of {:,}", "Soonest first"
        ),
        ("Account", "Ends", "ARR", "Stage", "Likelihood"),
        tuple(
            (
                r.account,
                fmt.day(r.end_date),
                fmt.money(r.arr_cents, data.currency),
                r.stage.replace("_", " ").capitalize(),
                f"{r.likelihood} %",
            )
            for r in data.renewals
        ),
        empty="No open renewal.",
    )


def _risks_table(data: ReviewData) -> TableSlide:
    columns: tuple[str, ...] = ("Risk", "Mitigation", "Severity", "Owner")
    rows: tuple[tuple[str, ...], ...] = tuple(
        (r.description, r.mitigation or fmt.NO_DATA, r.severity.title(), r.owner or fmt.NO_DATA)
        for r in data.risks
    )
    if data.account_id is None:
        columns = ("Account", *columns)
        rows = tuple((r.account, *row) for r, row in zip(data.risks, rows, strict=True))
    return TableSlide(
        "Risks and mitigation",
        _first_of(
            len(data.risks),
            data.open_risks,
            "The {} most severe of {:,} open risks",
            "Open risks, most severe first",
        ),
        columns,
        rows,
        empty="No open risk recorded.",
    )
