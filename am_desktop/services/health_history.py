"""Health over a period, month by month (issue 15): each month's score worked out again from
what had been recorded by that month's end — touches, survey answers, usage, issues open then —
with the same formula as today's score (``domain.health.score``).

Stored snapshots only exist from the days the app ran, so a review of a freshly imported or
seeded portfolio would otherwise show one dot at the period's end. Contacts' sentiment has no
history: it is taken as recorded today.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from am_desktop.domain.enums import Sentiment, Severity, SurveyKind
from am_desktop.domain.health import DEFAULT_BANDS, HealthInputs, score
from am_desktop.services.store import Store


@dataclass(slots=True)
class _Record:
    """One account's dated signals, each list sorted by day (ISO strings sort as dates)."""

    cadence: int
    since: str | None
    touches: list[str] = field(default_factory=list)
    surveys: list[tuple[str, str, int]] = field(default_factory=list)
    usage: list[tuple[str, int, int]] = field(default_factory=list)
    issues: list[tuple[str, str | None, str]] = field(default_factory=list)
    sentiments: list[Sentiment | None] = field(default_factory=list)

    def inputs(self, day: date) -> HealthInputs:
        """What the score would have been made from at the end of ``day``."""
        end = day.isoformat()
        touched = bisect_right(self.touches, end + "~")  # how many: the last is the latest
        answered = bisect_right(self.surveys, (end, "~"))
        sampled = bisect_right(self.usage, (end, float("inf")))
        survey = self.surveys[answered - 1] if answered else None
        sample = self.usage[sampled - 1] if sampled else None
        return HealthInputs(
            today=day,
            cadence_days=self.cadence,
            last_touch=date.fromisoformat(self.touches[touched - 1][:10]) if touched else None,
            sentiments=self.sentiments,
            latest_survey=(SurveyKind(survey[1]), survey[2]) if survey else None,
            usage=(sample[1], sample[2]) if sample else None,
            open_issues=[
                Severity(severity)
                for opened, resolved, severity in self.issues
                if opened <= end and (resolved is None or resolved > end)
            ],
        )


def month_end_scores(
    store: Store,
    days: Sequence[date],
    *,
    account_id: int | None = None,
    weights: Mapping[str, float] | None = None,
    bands: tuple[float, float] = DEFAULT_BANDS,
) -> tuple[tuple[date, float | None], ...]:
    """The score of one account (or the mean score of the portfolio's customers) at the end of
    each day of ``days``; None where nothing could be scored."""
    records = _read(store, account_id, days[0] if days else None) if days else {}
    series: list[tuple[date, float | None]] = []
    for day in days:
        scores = [
            health.score
            for record in records.values()
            if record.since is None or record.since <= day.isoformat()
            if (health := score(record.inputs(day), weights, bands)).score is not None
        ]
        series.append((day, round(sum(scores) / len(scores), 1) if scores else None))
    return tuple(series)


#: The touches a score needs: the last one before the period, then each month's last one in it
#: (a million notes of the large seed come down to a few per account; the scores only ever
#: ask for the last touch on or before a month's end).
_TOUCHES = """
SELECT account_id, max(occurred_at) FROM note
WHERE archived_at IS NULL AND occurred_at < :first {only} GROUP BY account_id
UNION ALL
SELECT account_id, max(occurred_at) FROM note
WHERE archived_at IS NULL AND occurred_at >= :first {only}
GROUP BY account_id, substr(occurred_at, 1, 7)
ORDER BY 2
"""


def _read(store: Store, account_id: int | None, first: date | None) -> dict[int, _Record]:
    only = "AND account_id = ?" if account_id is not None else ""
    extra: tuple[int, ...] = (account_id,) if account_id is not None else ()
    with store.raw() as connection:
        records = {
            ident: _Record(int(cadence or 30), since)
            for ident, cadence, since in connection.execute(
                "SELECT id, checkin_cadence_days, customer_since FROM account "
                f"WHERE archived_at IS NULL {only.replace('account_id', 'id')}",
                extra,
            )
        }
        grouped: dict[str, dict[int, list[object]]] = defaultdict(lambda: defaultdict(list))
        starts = (first or date.min).replace(day=1).isoformat()  # the first month whole
        touches = _TOUCHES.format(only=only.replace("?", ":account"))
        for account, touched in connection.execute(
            touches, {"first": starts, "account": account_id}
        ):
            grouped["touches"][account].append(touched)
        queries = (
            (
                "surveys",
                "SELECT account_id, responded_on, kind, score FROM survey_response "
                "WHERE archived_at IS NULL",
            ),
            (
                "usage",
                "SELECT account_id, sampled_on, active_users, licensed_seats FROM usage_sample "
                "WHERE archived_at IS NULL",
            ),
            (
                "issues",
                "SELECT account_id, opened_on, resolved_on, severity FROM escalation "
                "WHERE archived_at IS NULL",
            ),
            ("sentiments", "SELECT account_id, sentiment FROM contact WHERE archived_at IS NULL"),
        )
        for name, sql in queries:
            order = " ORDER BY 2" if name != "sentiments" else ""
            for account, *values in connection.execute(f"{sql} {only}{order}", extra):
                grouped[name][account].append(values[0] if len(values) == 1 else tuple(values))
    for ident, record in records.items():
        record.touches = [str(t) for t in grouped["touches"].get(ident, [])]
        record.surveys = grouped["surveys"].get(ident, [])  # type: ignore[assignment]
        record.usage = grouped["usage"].get(ident, [])  # type: ignore[assignment]
        record.issues = grouped["issues"].get(ident, [])  # type: ignore[assignment]
        record.sentiments = [
            Sentiment(str(s)) if s else None for s in grouped["sentiments"].get(ident, [])
        ]
    return records
