"""``am-desktop seed``: a realistic, deterministic portfolio for demos, tests and benchmarks.

Same seed and same ``today``, same data (uids included). Dates are relative to ``today``:
up to two years of notes behind it (never before the customer started), renewals spread over
the 18 months ahead of it. The story holds together: everything dated happens after the
customer's first deal, open action items are recent or upcoming (older ones are done), sums
proposed to a customer are proportionate to what it pays, an account names each risk once, and
a term's name carries its own start year. Rows go in through the bulk path in batches, parents
before children, in one transaction.
"""

from __future__ import annotations

import calendar
from bisect import bisect
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate
from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from am_desktop.db import models as m
from am_desktop.db import search_index
from am_desktop.db.base import Base
from am_desktop.db.connection import datetime_to_db
from am_desktop.db.deferred_indexes import indexes_built_afterwards
from am_desktop.db.sync_tracking import untracked_while_unlinked
from am_desktop.domain.cancel import CancelToken, Progress, no_progress
from am_desktop.domain.changes import Origin, origin
from am_desktop.domain.enums import (
    ActionItemStatus,
    ContactRole,
    EscalationStatus,
    MovementType,
    NoteKind,
    ObjectiveStatus,
    OpportunityKind,
    OpportunityStage,
    RenewalStage,
    RiskStatus,
    Segment,
    Sentiment,
    Severity,
    SurveyKind,
    Tier,
    WhitespaceStatus,
)
from am_desktop.domain.timeline import add_months, term_end
from am_desktop.errors import ValidationError
from am_desktop.services import seed_vocabulary as v
from am_desktop.services import summaries
from am_desktop.services.seed_random import SeedRandom
from am_desktop.services.store import Store, driver_connection
from am_desktop.services.transfer.bulk import (
    UidSource,
    bulk_cache,
    insert_rows,
    no_garbage_collection,
    table_of,
)

Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Scale:
    """How big a seeded portfolio is (PRODUCT.md §2)."""

    accounts: int
    contacts_per_account: int
    notes_per_account: int
    movements_per_account: int


SCALES = {
    "small": Scale(40, 10, 100, 20),
    "medium": Scale(1_000, 10, 100, 20),
    "large": Scale(10_000, 10, 100, 20),
}

#: Tables in the order their rows are written (parents first).
_TABLE_ORDER: tuple[type[Base], ...] = (
    m.Account,
    m.Contact,
    m.InfluenceLink,
    m.Contract,
    m.Renewal,
    m.Opportunity,
    m.ArrMovement,
    m.Note,
    m.NoteAttendee,
    m.ActionItem,
    m.ProductFeedback,
    m.AccountObjective,
    m.AccountRisk,
    m.WhitespaceProduct,
    m.Escalation,
    m.SurveyResponse,
    m.UsageSample,
)
_BATCH_ROWS = 50_000
#: How the seed's summary names each table, where adding an "s" would not do.
_LABELS: dict[type[Base], str] = {
    m.Opportunity: "opportunities",
    m.NoteAttendee: "note attendees",
    m.ProductFeedback: "feedback items",
    m.ArrMovement: "ARR movements",
}
#: A new customer's first-year ARR range in hundreds of dollars, by segment.
_ARR_RANGE = {
    Segment.ENTERPRISE: (1_200, 12_000),
    Segment.MID_MARKET: (250, 1_500),
    Segment.SMB: (40, 300),
}
_MONTHS = tuple(calendar.month_name)[1:]

_ROLE_SENTIMENT: dict[ContactRole, tuple[int, ...]] = {
    ContactRole.CHAMPION: (60, 30, 10, 0, 0),
    ContactRole.COACH: (40, 45, 15, 0, 0),
    ContactRole.BLOCKER: (0, 0, 20, 40, 40),
}
_DEFAULT_SENTIMENT = (12, 38, 32, 12, 6)
_SENTIMENTS = tuple(Sentiment)
_KIND_WEIGHTS: tuple[tuple[NoteKind, int], ...] = (
    (NoteKind.CALL, 40),
    (NoteKind.MEETING, 25),
    (NoteKind.EMAIL, 20),
    (NoteKind.NOTE, 10),
    (NoteKind.QBR, 5),
)
_KINDS = tuple(kind for kind, _ in _KIND_WEIGHTS)
#: ``random.choices(_KINDS, weights)`` picks by these running totals: one ``random()`` each.
_KIND_BOUNDS = tuple(accumulate(weight for _, weight in _KIND_WEIGHTS))
_KIND_TOTAL = float(_KIND_BOUNDS[-1])
_QUARTER_HOURS = (0, 15, 30, 45)
_TOPICS = tuple(v.NOTE_SENTENCES)
_FILLER_PCTS = (5, 10, 12, 15, 20, 25, 30, 40)
_FILLER_COUNTS = (8, 12, 20, 25, 40, 60, 80, 150)
_QUARTERS = ("Q1", "Q2", "Q3", "Q4")
#: What :meth:`_Generator.filler` draws, in order (sizes for ``below``): a whole ``fill``'s
#: placeholders (product, product2, competitor, team, pct and n of nine, weeks 2-12, month,
#: quarter, year) of which only the product is used, then its own (pct and n of eight).
_FILLER_DRAWS = (
    *(len(v.PRODUCTS), len(v.PRODUCTS), len(v.COMPETITORS), len(v.TEAMS), 9, 9, 11, 12, 4, 2),
    *(len(v.PRODUCTS), len(v.COMPETITORS), len(v.TEAMS)),
    *(len(_FILLER_PCTS), len(_FILLER_COUNTS), 11, 12, 4, 2),
)
_CONTRACT_NAMES = (
    "Master subscription",
    "Platform subscription",
    "Enterprise agreement",
    "Order form",
)


class _StoredTimes(dict[datetime, str]):
    """Each moment's stored text, made once: ``strftime`` costs about 10 µs, and a large seed
    writes a million notes at a few tens of thousands of distinct moments."""

    def __missing__(self, moment: datetime) -> str:
        text = self[moment] = datetime_to_db(moment)
        return text


class _Batches:
    """Rows waiting to be written, per table; flushed parents first."""

    def __init__(
        self,
        session: Session,
        uids: UidSource,
        now: datetime,
        indexer: search_index.BackgroundIndexer | None = None,
    ) -> None:
        self.session, self.uids, self.now, self.indexer = session, uids, now, indexer
        self.rows: dict[type[Base], list[Row]] = {model: [] for model in _TABLE_ORDER}
        self.tables: dict[type[Base], Table] = {model: table_of(model) for model in _TABLE_ORDER}
        self.next_ids = {model: 1 for model in _TABLE_ORDER}
        self.counts = {model: 0 for model in _TABLE_ORDER}
        self.pending = 0

    def add(self, model: type[Base], row: Row) -> int:
        """Queue a row and return the id it will have."""
        row_id = self.next_ids[model]
        self.next_ids[model] = row_id + 1
        row["id"] = row_id
        self.rows[model].append(row)
        self.pending += 1
        return row_id

    def flush(self) -> None:
        """Write every queued row; the new notes are indexed while the next batch is made."""
        if self.indexer is not None:
            self.indexer.wait()  # the connection is the indexer's until then
        for model in _TABLE_ORDER:
            rows = self.rows[model]
            if rows:
                insert_rows(self.session, self.tables[model], rows, uids=self.uids, now=self.now)
                self.counts[model] += len(rows)
                rows.clear()
        self.pending = 0
        if self.indexer is not None:
            self.indexer.index_through(self.next_ids[m.Note] - 1)


class _Generator:
    """Makes one account at a time with everything that belongs to it."""

    def __init__(self, scale: Scale, rng: SeedRandom, today: date, out: _Batches) -> None:
        self.scale, self.rng, self.today, self.out = scale, rng, today, out
        self.used_names: set[str] = set()
        self.used_domains: set[str] = set()
        self.start = today - timedelta(days=730)
        #: The day the account being made became a customer (nothing of it is dated before).
        self.since = self.start
        self.last_contract_arr = 0
        #: Today's ARR of the account being made (cents; 0 when it has churned).
        self.arr = 0
        self.stored = _StoredTimes()

    # -- helpers ----------------------------------------------------------------------------

    def pick(self, items: tuple[str, ...]) -> str:
        return self.rng.pick(items)

    def fill(self, template: str, **extra: Any) -> str:
        rng = self.rng
        values = {
            "contact": extra.get("contact") or "the champion",
            "contact2": extra.get("contact2") or "the sponsor",
            "product": self.pick(v.PRODUCTS),
            "product2": self.pick(v.PRODUCTS),
            "competitor": self.pick(v.COMPETITORS),
            "team": self.pick(v.TEAMS),
            "pct": rng.choice((5, 8, 10, 12, 15, 20, 25, 30, 40)),
            "n": rng.choice((5, 12, 20, 25, 40, 60, 80, 150, 300)),
            "weeks": rng.randint(2, 12),
            "month": _MONTHS[rng.below(12)],
            "quarter": f"Q{rng.randint(1, 4)}",
            "year": self.today.year + rng.randint(0, 1),
            "owner": extra.get("owner") or v.OWNERS[0],
            "account": extra.get("account") or "the customer",
        }
        return template.format(**values)

    def day_between(self, low: date, high: date) -> date:
        span = (high - low).days
        return low + timedelta(days=self.rng.randint(0, max(span, 0)))

    def company_name(self) -> str:
        for _ in range(50):
            name = f"{self.pick(v.COMPANY_PREFIXES)} {self.pick(v.COMPANY_NOUNS)}"
            form = self.pick(v.COMPANY_FORMS)
            name = f"{name} {form}".strip()
            if name not in self.used_names:
                self.used_names.add(name)
                return name
        name = f"{name} {len(self.used_names)}"
        self.used_names.add(name)
        return name

    def domain_for(self, name: str) -> str:
        """A web domain from the company's first two words, unique in the portfolio."""
        words = "".join(ch for ch in name.lower() if ch.isalnum() or ch == " ").split()
        stem = "".join(words[:2])
        tlds = ("com", "io", "net", "co", "eu", "biz")
        first = self.rng.below(len(tlds))
        for attempt in range(len(tlds) * 20):
            suffix = "" if attempt < len(tlds) else str(attempt // len(tlds) + 1)
            domain = f"{stem}{suffix}.{tlds[(first + attempt) % len(tlds)]}"
            if domain not in self.used_domains:
                self.used_domains.add(domain)
                return domain
        raise AssertionError("no free domain")  # pragma: no cover - 120 tries per stem

    # -- an account ---------------------------------------------------------------------------

    def account(self) -> None:
        rng = self.rng
        name = self.company_name()
        domain = self.domain_for(name)
        segment = rng.choices(tuple(Segment), (20, 40, 40))[0]
        tier_weights = {
            Segment.ENTERPRISE: (45, 40, 15),
            Segment.MID_MARKET: (8, 37, 55),
            Segment.SMB: (1, 14, 85),
        }
        tier = rng.choices(tuple(Tier), tier_weights[segment])[0]
        cadence = {Tier.STRATEGIC: 14, Tier.KEY: 30, Tier.STANDARD: rng.choice((60, 90))}[tier]
        since = self.today - timedelta(days=rng.randint(200, 6 * 365))
        self.since = since
        owner = v.OWNERS[0] if rng.random() < 0.7 else self.pick(v.OWNERS)
        account = {
            "name": name,
            "domain": domain,
            "industry": self.pick(v.INDUSTRIES),
            "segment": segment,
            "tier": tier,
            "owner": owner,
            "customer_since": since,
            "checkin_cadence_days": cadence,
            "external_id": f"ACC-{100000 + self.out.next_ids[m.Account]}",
        }
        account_id = self.out.add(m.Account, account)
        contacts = self.contacts(account_id, domain, segment)
        arr, churned_on = self.ledger(account_id, segment, since)
        self.contract(account_id, arr, churned_on, segment)
        self.arr = arr
        last_touch = self.notes(account_id, name, contacts, owner, cadence)
        account["last_touch_at"] = last_touch
        self.plan(account_id, contacts, name, arr)
        self.signals(account_id, contacts, arr, churned_on, segment)

    def contacts(self, account_id: int, domain: str, segment: Segment) -> list[Row]:
        rng, out = self.rng, self.out
        count = max(3, round(rng.gauss(self.scale.contacts_per_account, 2)))
        people: list[Row] = []
        emails: set[str] = set()

        def person(level: str, role: ContactRole, manager: Row | None) -> Row:
            first, last = self.pick(v.FIRST_NAMES), self.pick(v.LAST_NAMES)
            email = f"{first}.{last}@{domain}".lower()
            while email in emails:
                email = f"{first}.{last}{rng.randint(2, 99)}@{domain}".lower()
            emails.add(email)
            weights = _ROLE_SENTIMENT.get(role, _DEFAULT_SENTIMENT)
            influence = {
                "executive": 5,
                "director": 4,
                "procurement": 3,
                "technical": 3,
                "manager": 3,
                "staff": 2,
            }[level]
            row = {
                "account_id": account_id,
                "first_name": first,
                "last_name": last,
                "email": email,
                "phone": f"+1 {rng.randint(200, 989)} 555 {rng.randint(1000, 9999)}",
                "title": self.pick(v.TITLES[level]),
                "role": role,
                "sentiment": rng.choices(_SENTIMENTS, weights)[0],
                "influence": max(1, min(5, influence + rng.choice((-1, 0, 0, 1)))),
                "relationship_strength": rng.randint(1, 5),
                "reports_to_id": manager["id"] if manager else None,
            }
            out.add(m.Contact, row)
            people.append(row)
            return row

        executive = person("executive", ContactRole.ECONOMIC_BUYER, None)
        directors = [
            person("director", ContactRole.DECISION_MAKER, executive)
            for _ in range(1 if segment is Segment.SMB else 2)
        ]
        champion = person("manager", ContactRole.CHAMPION, rng.choice(directors))
        roles = (
            ContactRole.INFLUENCER,
            ContactRole.TECHNICAL_BUYER,
            ContactRole.USER,
            ContactRole.USER,
            ContactRole.PROCUREMENT,
            ContactRole.COACH,
            ContactRole.BLOCKER,
        )
        while len(people) < count:
            role = rng.choices(roles, (20, 14, 40, 0, 8, 8, 4))[0]
            level, manager = {
                ContactRole.INFLUENCER: ("director", executive),
                ContactRole.TECHNICAL_BUYER: ("technical", rng.choice(directors)),
                ContactRole.PROCUREMENT: ("procurement", executive),
                ContactRole.BLOCKER: ("director", executive),
            }.get(role, ("staff", rng.choice((champion, *directors))))
            person(level, role, manager)
        pairs = {
            (source["id"], target["id"])
            for source, target in (rng.sample(people, 2) for _ in range(rng.randint(0, 3)))
        }
        for source_id, target_id in sorted(pairs):
            out.add(
                m.InfluenceLink,
                {
                    "account_id": account_id,
                    "from_contact_id": source_id,
                    "to_contact_id": target_id,
                    "note": None,
                },
            )
        return people

    def ledger(self, account_id: int, segment: Segment, since: date) -> tuple[int, date | None]:
        """ARR history from the first deal to today.

        Returns:
            Today's ARR (cents) and, when the account has churned for good, the churn date.
        """
        rng, today = self.rng, self.today
        low, high = _ARR_RANGE[segment]
        arr = rng.randint(low, high) * 100_00
        self.movement(account_id, since, MovementType.NEW, arr)
        count = max(1, round(rng.gauss(self.scale.movements_per_account, 4))) - 1
        events = [
            (self.day_between(since + timedelta(days=30), today), "adjust") for _ in range(count)
        ]
        if rng.random() < 0.06:
            churn_on = self.day_between(
                max(since + timedelta(days=60), today - timedelta(days=540)), today
            )
            events.append((churn_on, "churn"))
            back_on = churn_on + timedelta(days=rng.randint(60, 200))
            if back_on <= today and rng.random() < 0.15:
                events.append((back_on, "reactivate"))
        churned_on: date | None = None
        for day, what in sorted(events):
            if what == "churn":
                self.movement(account_id, day, MovementType.CHURN, arr)
                arr, churned_on = 0, day
            elif what == "reactivate":
                arr, churned_on = rng.randint(low, high) * 50_00, None
                self.movement(account_id, day, MovementType.REACTIVATION, arr)
            elif churned_on is None:
                step = max(100_00, arr * rng.randint(2, 12) // 100 // 100_00 * 100_00)
                if rng.random() < 0.67 or step >= arr:
                    arr += step
                    self.movement(account_id, day, MovementType.EXPANSION, step)
                else:
                    arr -= step
                    self.movement(account_id, day, MovementType.CONTRACTION, step)
        return arr, churned_on

    def movement(self, account_id: int, day: date, kind: MovementType, cents: int) -> None:
        self.out.add(
            m.ArrMovement,
            {
                "account_id": account_id,
                "occurred_on": day,
                "type": kind,
                "amount_cents": cents,
                "source": "seed",
            },
        )

    def contract(
        self, account_id: int, arr: int, churned_on: date | None, segment: Segment
    ) -> None:
        rng, out, today = self.rng, self.out, self.today
        months = 12 if segment is not Segment.ENTERPRISE else rng.choice((12, 24, 36))
        start, end = self.current_term(months, churned_on)
        self.last_contract_arr = arr or rng.randint(40, 400) * 100_00
        contract_id = out.add(
            m.Contract,
            {
                "account_id": account_id,
                "name": f"{rng.choice(_CONTRACT_NAMES)} {start.year}",
                "start_date": start,
                "end_date": end,
                "arr_cents": self.last_contract_arr,
                "currency": "USD",
                "auto_renew": rng.random() < (0.7 if segment is Segment.SMB else 0.3),
                "notice_days": rng.choice((30, 60, 60, 90)),
            },
        )
        if churned_on is not None:
            renewal = {
                "stage": RenewalStage.CHURNED,
                "likelihood": 0,
                "outcome_arr_cents": 0,
                "close_date": churned_on,
                "risk_notes": self.fill(rng.choice(v.RISK_LINES)[0]),
            }
        else:
            days_left = (end - today).days
            stage = (
                RenewalStage.NOT_STARTED
                if days_left > 180
                else RenewalStage.DISCOVERY
                if days_left > 120
                else RenewalStage.PROPOSAL
                if days_left > 60
                else RenewalStage.NEGOTIATION
                if days_left > 30
                else rng.choice((RenewalStage.NEGOTIATION, RenewalStage.COMMITTED))
            )
            likelihood = rng.choice((35, 50, 60, 70, 75, 80, 85, 90, 95))
            renewal = {
                "stage": stage,
                "likelihood": likelihood,
                "proposed_arr_cents": (arr * rng.randint(95, 115) // 100 // 100_00 * 100_00)
                if stage not in (RenewalStage.NOT_STARTED, RenewalStage.DISCOVERY)
                else None,
                "risk_notes": self.fill(rng.choice(v.RISK_LINES)[0]) if likelihood < 60 else None,
            }
        out.add(m.Renewal, {"contract_id": contract_id, **renewal})

    def current_term(self, months: int, churned_on: date | None) -> tuple[date, date]:
        """The term running today (or the one a churned customer left in): terms follow one
        another from the customer's first day, so renewals fall on its anniversaries and spread
        over the months ahead. A multi-year term that would end more than 18 months out is
        a one-year term instead."""
        last = churned_on or self.today
        while True:
            start, count = self.since, 0
            end = term_end(start, months)
            while end < last:
                count += 1
                start = add_months(self.since, months * count)
                end = term_end(start, months)
            if churned_on is not None:
                return start, churned_on
            if months == 12 or end <= self.today + timedelta(days=540):
                return start, end
            months = 12

    def notes(
        self,
        account_id: int,
        account: str,
        contacts: list[Row],
        owner: str,
        cadence: int,
    ) -> datetime | None:
        """Up to two years of notes, none before the customer started; returns the newest
        one's time (the account's last touch)."""
        rng, out, today = self.rng, self.out, self.today
        # The generator's own methods in the loop (a million notes): the same draws.
        pick, below, random = rng.pick, rng.below, rng.random
        stored = self.stored
        count = max(1, round(rng.gauss(self.scale.notes_per_account, 15)))
        last_day = (
            today if random() < 0.75 else today - timedelta(days=cadence + rng.randint(1, 60))
        )
        # Three days' margin: a weekend note moves back to the Friday before it.
        first_day = max(self.start, self.since + timedelta(days=3))
        span = max((last_day - first_day).days, 0) + 1  # as day_between draws
        days = sorted(first_day + timedelta(days=below(span)) for _ in range(count))
        risks_named: set[int] = set()
        engaged = [
            c
            for c in contacts
            if c["role"]
            in (
                ContactRole.CHAMPION,
                ContactRole.DECISION_MAKER,
                ContactRole.ECONOMIC_BUYER,
                ContactRole.TECHNICAL_BUYER,
            )
        ]
        newest: datetime | None = None
        for drawn in days:
            day = drawn - timedelta(days=max(0, drawn.weekday() - 4))  # weekends -> Friday
            hour = 7 + below(11)  # randint(7, 17)
            when = datetime.combine(day, time(hour, _QUARTER_HOURS[below(4)]), UTC)
            kind = _KINDS[bisect(_KIND_BOUNDS, random() * _KIND_TOTAL, 0, len(_KINDS) - 1)]
            attendees = (
                rng.sample(engaged, min(len(engaged), 1 + below(3)))
                if kind in (NoteKind.CALL, NoteKind.MEETING, NoteKind.QBR)
                else []
            )
            extra = pick(contacts)
            if random() < 0.3 and extra not in attendees:
                attendees.append(extra)
            names = [f"{c['first_name']} {c['last_name']}" for c in attendees] or [
                f"{contacts[0]['first_name']} {contacts[0]['last_name']}"
            ]
            ctx = {
                "contact": names[0],
                "contact2": names[-1] if len(names) > 1 else "the team",
                "owner": owner,
                "account": account,
            }
            fill = self.filler(ctx)
            lines = [fill(pick(v.NOTE_OPENERS[kind.value]))]
            for _ in range(2 + below(4)):  # randint(2, 5)
                lines.append(fill(pick(v.NOTE_SENTENCES[pick(_TOPICS)])))
            body = " ".join(lines)
            extras: list[str] = []
            note_id = out.next_ids[m.Note]
            roll = random()
            if roll < 0.10:
                extras.append(self.action_item(account_id, note_id, day, fill, owner))
            elif roll < 0.14 and len(risks_named) < len(v.RISK_LINES):
                extras.append(self.risk(account_id, note_id, day, fill, owner, named=risks_named))
            elif roll < 0.17:
                idea = fill(pick(v.EXPANSION_LINES))
                extras.append(f"{idea} #expansion")
                self.opportunity(account_id, fill, day, self.arr, stub=True)
            elif roll < 0.22:
                feedback = fill(pick(v.FEEDBACK_LINES))
                extras.append(f"{feedback} #feedback")
                out.add(
                    m.ProductFeedback,
                    {
                        "account_id": account_id,
                        "note_id": note_id,
                        "text": feedback,
                        "product_area": pick(v.PRODUCT_AREAS),
                    },
                )
            if extras:
                body = body + "\n\n" + "\n".join(extras)
            out.add(
                m.Note,
                {
                    "account_id": account_id,
                    "kind": kind,
                    "occurred_at": stored[when],
                    "title": fill(pick(v.NOTE_TITLES[kind.value])),
                    "body": body,
                },
            )
            for contact in attendees:
                out.add(
                    m.NoteAttendee,
                    {"note_id": note_id, "contact_id": contact["id"], "email": contact["email"]},
                )
                contact["last_contacted_at"] = max(when, contact.get("last_contacted_at") or when)
            newest = when if newest is None else max(newest, when)
        for contact in contacts:  # written with the account's batch, after its notes
            if (last := contact.get("last_contacted_at")) is not None:
                contact["last_contacted_at"] = stored[last]
        return newest

    def action_item(
        self, account_id: int, note_id: int, day: date, fill: Callable[[str], str], owner: str
    ) -> str:
        """An action item agreed in the note of ``day``; the note's line for it."""
        rng, today = self.rng, self.today
        due = day + timedelta(days=rng.randint(3, 45))
        text = fill(self.pick(v.ACTION_ITEMS))
        done = self.action_done(due)
        self.out.add(
            m.ActionItem,
            {
                "account_id": account_id,
                "note_id": note_id,
                "text": text,
                "owner": owner,
                "due_date": due,
                "status": ActionItemStatus.DONE if done else ActionItemStatus.OPEN,
                "done_at": self.stored[datetime.combine(min(due, today), time(12), UTC)]
                if done
                else None,
            },
        )
        box = "x" if done else " "
        handle = owner.split(maxsplit=1)[0].lower()
        return f"- [{box}] {text} @{handle} due:{due.isoformat()}"

    def risk(
        self,
        account_id: int,
        note_id: int,
        day: date,
        fill: Callable[[str], str],
        owner: str,
        *,
        named: set[int],
    ) -> str:
        """A risk raised in the note of ``day``, one the account has not named yet (``named``:
        the risk lines it has); the note's line for it."""
        rng = self.rng
        line = rng.below(len(v.RISK_LINES))
        while line in named:
            line = (line + 1) % len(v.RISK_LINES)
        named.add(line)
        risk, mitigation = (fill(t) for t in v.RISK_LINES[line])
        self.out.add(
            m.AccountRisk,
            {
                "account_id": account_id,
                "description": risk,
                "mitigation": mitigation,
                "owner": owner,
                "severity": rng.choice(tuple(Severity)[:3]),
                "status": RiskStatus.OPEN
                if day > self.today - timedelta(days=90)
                else RiskStatus.CLOSED,
                "note_id": note_id,
            },
        )
        return f"{risk} #risk"

    def action_done(self, due: date) -> bool:
        """Whether an action item due on ``due`` is done today: anything due more than two
        weeks ago is; of the last two weeks', most are (a few stay open, days overdue); of the
        upcoming ones, a few are done early."""
        if due < self.today - timedelta(days=14):
            return True
        if due < self.today:
            return self.rng.random() < 0.6
        return self.rng.random() < 0.1

    def filler(self, ctx: dict[str, Any]) -> Callable[[str], str]:
        """A formatter whose placeholders are fixed for one note (so it stays coherent).

        Its numbers are drawn as ``fill("{product}")`` followed by one fill's worth of
        placeholders always were (most of the first set unused), in one call: the draws, and
        so every number after them, stay the same.
        """
        d = self.rng.below_each(_FILLER_DRAWS)
        values = {**ctx}
        values.update(
            product=v.PRODUCTS[d[0]],
            product2=v.PRODUCTS[d[10]],
            competitor=v.COMPETITORS[d[11]],
            team=v.TEAMS[d[12]],
            pct=_FILLER_PCTS[d[13]],
            n=_FILLER_COUNTS[d[14]],
            weeks=2 + d[15],
            month=_MONTHS[d[16]],
            quarter=_QUARTERS[d[17]],
            year=self.today.year + d[18],
        )
        return lambda template: template.format_map(values)

    def opportunity(
        self, account_id: int, fill: Callable[[str], str], day: date, arr: int, *, stub: bool
    ) -> None:
        """An upsell or cross-sell raised on ``day`` (after the customer started), worth 5 to
        40 % of what the account pays."""
        rng, today = self.rng, self.today
        if stub:
            stage = (
                OpportunityStage.IDENTIFIED
                if day > today - timedelta(days=120)
                else rng.choice((OpportunityStage.WON, OpportunityStage.LOST))
            )
        else:
            stage = rng.choice(tuple(OpportunityStage))
        closed = stage.is_closed
        close = (
            self.day_between(day, today) if closed else today + timedelta(days=rng.randint(20, 270))
        )
        probability = {
            OpportunityStage.IDENTIFIED: 10,
            OpportunityStage.QUALIFIED: 25,
            OpportunityStage.PROPOSAL: 50,
            OpportunityStage.NEGOTIATION: 70,
            OpportunityStage.WON: 100,
            OpportunityStage.LOST: 0,
        }[stage]
        self.out.add(
            m.Opportunity,
            {
                "account_id": account_id,
                "kind": rng.choice((OpportunityKind.UPSELL, OpportunityKind.CROSS_SELL)),
                "name": fill(self.pick(v.OPPORTUNITY_NAMES)),
                "product": self.pick(v.PRODUCTS),
                "amount_cents": self.share_of(arr, 5, 40),
                "stage": stage,
                "probability": probability,
                "close_date": close,
            },
        )

    def share_of(self, arr: int, low: int, high: int) -> int:
        """``low``–``high`` % of ``arr`` (a churned account's last contract value when 0), in
        whole hundreds of dollars and at least $500."""
        base = arr or self.last_contract_arr
        return max(500_00, base * self.rng.randint(low, high) // 100 // 100_00 * 100_00)

    def plan(self, account_id: int, contacts: list[Row], account: str, arr: int) -> None:
        rng, out, today = self.rng, self.out, self.today
        fill = self.filler(
            {
                "contact": f"{contacts[0]['first_name']} {contacts[0]['last_name']}",
                "contact2": f"{contacts[-1]['first_name']} {contacts[-1]['last_name']}",
                "owner": v.OWNERS[0],
                "account": account,
            }
        )
        for position, objective in enumerate(rng.sample(v.OBJECTIVES, rng.randint(2, 4))):
            out.add(
                m.AccountObjective,
                {
                    "account_id": account_id,
                    "title": fill(objective),
                    "position": position,
                    "status": rng.choice(tuple(ObjectiveStatus)[:4]),
                    "due_date": today + timedelta(days=rng.randint(30, 360)),
                },
            )
        # Whitespace is for customers who pay something; each product 10 to 60 % of their ARR.
        for product in rng.sample(v.PRODUCTS, rng.randint(1, 4)) if arr else ():
            out.add(
                m.WhitespaceProduct,
                {
                    "account_id": account_id,
                    "product": product,
                    "status": rng.choice(tuple(WhitespaceStatus)),
                    "estimated_arr_cents": min(arr, self.share_of(arr, 10, 60)),
                },
            )
        for _ in range(rng.randint(0, 2)):
            raised = max(self.since, today - timedelta(days=rng.randint(0, 200)))
            self.opportunity(account_id, fill, raised, arr, stub=False)

    def signals(
        self,
        account_id: int,
        contacts: list[Row],
        arr: int,
        churned_on: date | None,
        segment: Segment,
    ) -> None:
        rng, out, today = self.rng, self.out, self.today
        fill = self.filler(
            {"contact": "the customer", "contact2": "the team", "owner": v.OWNERS[0], "account": ""}
        )
        for _ in range(rng.choices((0, 1, 2, 3), (35, 35, 20, 10))[0]):
            opened = self.day_between(max(self.start, self.since), today)
            resolved = opened + timedelta(days=rng.randint(1, 45))
            is_open = resolved > today or rng.random() < 0.08
            out.add(
                m.Escalation,
                {
                    "account_id": account_id,
                    "title": fill(self.pick(v.ESCALATION_TITLES)),
                    "severity": rng.choices(tuple(Severity), (30, 40, 22, 8))[0],
                    "status": rng.choice((EscalationStatus.OPEN, EscalationStatus.IN_PROGRESS))
                    if is_open
                    else EscalationStatus.RESOLVED,
                    "internal_owner": rng.choice(
                        ("Support", "Engineering", "Solutions", "Product")
                    ),
                    "opened_on": opened,
                    "resolved_on": None if is_open else resolved,
                    "resolution": None if is_open else fill(self.pick(v.ESCALATION_RESOLUTIONS)),
                },
            )
            if not is_open:
                out.add(
                    m.SurveyResponse,
                    {
                        "account_id": account_id,
                        "responded_on": resolved,
                        "kind": SurveyKind.CSAT,
                        "score": rng.choices((1, 2, 3, 4, 5), (5, 8, 17, 40, 30))[0],
                    },
                )
        sentiment_score = {
            Sentiment.ADVOCATE: (9, 10),
            Sentiment.SUPPORTER: (7, 10),
            Sentiment.NEUTRAL: (5, 9),
            Sentiment.SKEPTIC: (2, 7),
            Sentiment.DETRACTOR: (0, 5),
        }
        survey_day = max(self.start, self.since) + timedelta(days=rng.randint(0, 60))
        while survey_day <= (churned_on or today):
            for contact in rng.sample(contacts, min(len(contacts), rng.randint(1, 3))):
                low, high = sentiment_score[contact["sentiment"]]
                score = rng.randint(low, high)
                group = "promoter" if score >= 9 else "passive" if score >= 7 else "detractor"
                out.add(
                    m.SurveyResponse,
                    {
                        "account_id": account_id,
                        "responded_on": survey_day,
                        "kind": SurveyKind.NPS,
                        "score": score,
                        "contact_id": contact["id"],
                        "contact_email": contact["email"],
                        "comment": self.pick(v.SURVEY_COMMENTS[group])
                        if rng.random() < 0.5
                        else None,
                    },
                )
            survey_day += timedelta(days=182)
        seat_price = {Segment.ENTERPRISE: 900_00, Segment.MID_MARKET: 700_00, Segment.SMB: 500_00}[
            segment
        ]
        seats = max(5, (arr or 20_000_00) // seat_price)
        adoption = rng.uniform(0.35, 0.95)
        trend = rng.uniform(-0.012, 0.015)
        first = max(self.start, self.since)
        month = date(first.year, first.month, 1)
        if month < first:
            month = (month + timedelta(days=32)).replace(day=1)
        while month <= today and (churned_on is None or month <= churned_on):
            adoption = min(1.0, max(0.05, adoption + trend + rng.uniform(-0.03, 0.03)))
            out.add(
                m.UsageSample,
                {
                    "account_id": account_id,
                    "sampled_on": month,
                    "active_users": round(seats * adoption),
                    "licensed_seats": seats,
                },
            )
            month = (month + timedelta(days=32)).replace(day=1)


def seed_database(
    store: Store,
    scale: Scale,
    *,
    seed: int = 1,
    today: date | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
    alone: bool = False,
) -> dict[str, int]:
    """Fill an empty database with a portfolio of ``scale``, in one transaction.

    Args:
        alone: nothing else uses the file while it is filled (the command line's seed of a
            new file): it is loaded through :meth:`Store.loading_alone`, without the WAL and
            without checking each reference (the same seed in WAL mode checks them).

    Returns:
        Rows written per table.

    Raises:
        ValidationError: the database already holds accounts (seeding never mixes with data).
    """
    today = today or date.today()
    rng = SeedRandom(seed)
    now = datetime.combine(today, time(6), UTC)
    with (
        # Its rows refer only to rows made before them: no lookups of their parents.
        store.loading_alone(check_references=False) if alone else nullcontext(),
        no_garbage_collection(),
        origin(Origin.IMPORT),
        store.write(bulk=True) as session,
        bulk_cache(session),
        search_index.indexed_in_background(driver_connection(session)) as indexer,
    ):
        existing = session.scalar(select(func.count()).select_from(m.Account))
        if existing:
            raise ValidationError(
                f"{store.path.name} already holds {existing:,} accounts; "
                "seed a new database file instead (for example --db demo.sqlite3)."
            )
        out = _Batches(session, UidSource(seed), now, indexer)
        generator = _Generator(scale, rng, today, out)
        tables = [table_of(model).name for model in _TABLE_ORDER]
        connection = driver_connection(session)
        with (
            indexes_built_afterwards(connection, tables),
            untracked_while_unlinked(connection),
        ):
            for index in range(scale.accounts):
                generator.account()
                if out.pending >= _BATCH_ROWS:
                    out.flush()
                    progress(index + 1, scale.accounts, "Creating the demo portfolio")
                    if cancel:
                        cancel.raise_if_cancelled()
            out.flush()
            if indexer is not None:
                indexer.wait()
        summaries.refresh(session, today)
        progress(scale.accounts, scale.accounts, "Creating the demo portfolio")
    return {
        _LABELS.get(model, table_of(model).name.replace("_", " ") + "s"): out.counts[model]
        for model in _TABLE_ORDER
    }
