"""The ``am-desktop`` command: the window, and the scripting commands of PRODUCT.md §2.

Start-up matters, so this module imports only the standard library; each command imports
what it needs when it runs. User errors print one plain sentence on stderr and exit 1;
``--json`` output goes to stdout as one document.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from am_desktop import __version__, log
from am_desktop.cli_args import (
    FIRST_DAY,
    LAST_DAY,
    currency_code,
    day,
    default_currency,
    reporting_currency,
    whole_number,
)
from am_desktop.domain.csv_formats import KINDS
from am_desktop.domain.values import counted
from am_desktop.errors import AppError, Cancelled, ExportError, ImportRejected, ValidationError

if TYPE_CHECKING:
    from am_desktop.services.store import Store

PROG = "am-desktop"
EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
#: The most search results asked for at once, and the longest renewal window (100 years).
MAX_RESULTS, MAX_WITHIN_DAYS = 100_000, 36_500


class StderrProgress:
    """Progress for long commands on stderr.

    On a terminal: one line that updates in place. Otherwise (logs, pipes): a line now and
    then, and nothing at all for work that ends within a couple of seconds.
    """

    QUIET_SECONDS = 2.0
    EVERY_SECONDS = 5.0

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty()
        self._started = time.monotonic()
        self._last_line = 0.0
        self._shown = ""

    def __call__(self, done: int, total: int, stage: str) -> None:
        percent = 100 * done // total if total else 100
        text = f"{stage}… {percent}%"
        if self.live:
            if text != self._shown:
                self.stream.write(f"\r\x1b[K{text}")
                self.stream.flush()
                self._shown = text
            return
        now = time.monotonic()
        if (
            now - self._started >= self.QUIET_SECONDS
            and now - self._last_line >= self.EVERY_SECONDS
        ):
            self.stream.write(text + "\n")
            self._last_line = now

    def finish(self) -> None:
        """End the progress line so the next output starts clean."""
        if self.live and self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors can end with a hint (``hint=`` to ``add_parser``)."""

    def __init__(self, *args: Any, hint: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.hint = hint

    def error(self, message: str) -> NoReturn:
        super().error(f"{message}\n{self.hint}" if self.hint else message)


#: How to search for a word that starts with a dash (argparse takes it for an option).
LEADING_DASH = (
    'A query starting with "-" goes last, after the options and --: '
    "am-desktop search --limit 5 -- -renewal"
)


def _add_db(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH",
        default=None if top else argparse.SUPPRESS,
        help="the database file (default: $AM_DESKTOP_DB, else the user data folder)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The command line of PRODUCT.md §2 (the commands this version has)."""
    parser = _Parser(
        prog=PROG,
        description="AM Desktop: your accounts, renewals, notes and KPIs, offline.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument("--demo", action="store_true", help="open a seeded demo database")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    _add_db(parser, top=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    seed = commands.add_parser("seed", help="fill a new database with realistic demo data")
    seed.add_argument("--db", metavar="PATH", required=True, help="the new database file")
    seed.add_argument("--scale", choices=("small", "medium", "large"), default="small")
    seed.add_argument("--seed", type=int, default=1, metavar="N", help="same N, same data")

    from am_desktop import cli_calendar

    imp = commands.add_parser("import", help="import a CSV file, or a calendar (.ics)")
    imp_kinds = (*KINDS, cli_calendar.KIND)
    imp.add_argument("kind", choices=imp_kinds, metavar="KIND", help=", ".join(imp_kinds))
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
    imp.add_argument(
        "--skip-invalid", action="store_true", help="import the valid rows, list the others"
    )
    cli_calendar.add_options(imp)
    _add_db(imp)

    test = commands.add_parser("self-test", help="open every view offscreen and check it works")
    _add_db(test)

    exp = commands.add_parser("export", help="export records as CSV or JSON")
    exp.add_argument("kind", choices=KINDS, metavar="KIND", help=", ".join(KINDS))
    exp.add_argument("--format", choices=("csv", "json"), default="csv")
    exp.add_argument("--out", type=Path, metavar="FILE", help="write to FILE (default: stdout)")
    _add_db(exp)

    find = commands.add_parser(
        "search",
        help='search every note (words, "phrases", prefix*)',
        epilog=LEADING_DASH,
        hint=LEADING_DASH,
    )
    find.add_argument("query", metavar="QUERY")
    find.add_argument(
        "--limit",
        type=whole_number(1, MAX_RESULTS, "N"),
        default=20,
        metavar="N",
        help=f"at most N results (1 to {MAX_RESULTS:,}; default 20)",
    )
    find.add_argument("--json", action="store_true", help="one JSON document on stdout")
    _add_db(find)

    ren = commands.add_parser("renewals", help="list upcoming renewals")
    ren.add_argument(
        "--within",
        type=whole_number(0, MAX_WITHIN_DAYS, "DAYS"),
        default=90,
        metavar="DAYS",
        help=f"ending within DAYS (0 to {MAX_WITHIN_DAYS:,}; default 90)",
    )
    ren.add_argument("--json", action="store_true", help="one JSON document on stdout")
    _add_currency(ren)
    _add_db(ren)

    _add_reports(commands)
    _add_week(commands)

    cmap = commands.add_parser("map", help="save an account's contact map as SVG or PNG")
    cmap.add_argument("account", metavar="ACCOUNT", help="the account's name or web domain")
    cmap.add_argument(
        "--out", type=Path, metavar="FILE", required=True, help="FILE.svg or FILE.png"
    )
    _add_db(cmap)

    from am_desktop import cli_backup, cli_crm, cli_db, cli_rates

    for module in (cli_crm, cli_rates, cli_backup, cli_db):
        module.add_commands(commands, _add_db)
    return parser


def _add_week(commands: Any) -> None:
    """The AM's week: tasks and the pre-call brief (issue 19)."""
    tasks = commands.add_parser("tasks", help="list open action items, grouped by when due")
    tasks.add_argument(
        "--due",
        choices=("overdue", "today", "week", "all"),
        default="all",
        help="overdue; due by today; due by Sunday; or every open item (default)",
    )
    tasks.add_argument("--json", action="store_true", help="one JSON document on stdout")
    _add_db(tasks)

    brief = commands.add_parser("brief", help="write a pre-call brief for an account's meeting")
    brief.add_argument("account", metavar="ACCOUNT", help="the account's name or web domain")
    brief.add_argument(
        "--date", type=day, metavar="DATE", help="that day's first meeting with the account"
    )
    brief.add_argument(
        "--out", type=Path, metavar="FILE", required=True, help="FILE.md, FILE.html or FILE.pdf"
    )
    _add_db(brief)


def _add_reports(commands: Any) -> None:
    """The commands that read the portfolio back: kpis and qbr."""
    kpi = commands.add_parser("kpis", help="the portfolio's KPIs for a period")
    _add_period(kpi)
    _add_currency(kpi)
    kpi.add_argument("--json", action="store_true", help="one JSON document on stdout")
    _add_db(kpi)

    qbr = commands.add_parser(
        "qbr", help="export a business review (PowerPoint, PDF deck, PNG, SVG)"
    )
    target = qbr.add_mutually_exclusive_group(required=True)
    target.add_argument("account", nargs="?", metavar="ACCOUNT", help="name or web domain")
    target.add_argument("--portfolio", action="store_true", help="the whole portfolio")
    qbr.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        required=True,
        help="folder to write to (made if missing)",
    )
    qbr.add_argument(
        "--audience",
        choices=("customer", "internal"),
        help="customer (the default for an account) or internal (always for --portfolio)",
    )
    qbr.add_argument(
        "--format", default="pptx,pdf", metavar="LIST", help="any of pptx,pdf,png,svg (pptx,pdf)"
    )
    qbr.add_argument(
        "--template", type=Path, metavar="FILE.pptx", help="build the PowerPoint on this deck"
    )
    qbr.add_argument("--logo", type=Path, metavar="FILE", help="a PNG or JPEG for the title slide")
    _add_period(qbr)
    _add_currency(qbr)
    _add_db(qbr)


def _add_currency(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--currency",
        type=currency_code,
        metavar="CODE",
        help="totals in this currency (default: the reporting currency setting)",
    )


def _add_period(parser: argparse.ArgumentParser) -> None:
    span = f"{FIRST_DAY.year} to {LAST_DAY.year}"
    parser.add_argument(
        "--from", dest="start", type=day, metavar="DATE", help=f"first day (YYYY-MM-DD, {span})"
    )
    parser.add_argument(
        "--to", dest="end", type=day, metavar="DATE", help="last day (default: today)"
    )


def _open(args: argparse.Namespace, *, create: bool = False) -> Store:
    """The database of ``--db`` (else the default one), opened.

    Only commands that fill a database (``seed``, ``import``) may ``create`` it: for the others
    a mistyped path would silently be a new, empty database, and "nothing found" a lie.
    """
    from am_desktop.db.location import resolve_db_path
    from am_desktop.services.store import open_store

    path = resolve_db_path(args.db)
    if not create and _missing(path):
        raise ValidationError(
            f"There is no database {path}. Check --db (or $AM_DESKTOP_DB); "
            f"`{PROG} import` or `{PROG} seed` create a new one."
        )
    return open_store(path)


def _missing(path: Path) -> bool:
    """Whether nothing is at ``path`` (a dangling link counts as nothing; other failures to
    look are left for opening to explain)."""
    try:
        return not path.exists()
    except OSError:
        return False


def run_seed(args: argparse.Namespace) -> int:
    """``am-desktop seed``: a deterministic, realistic portfolio."""
    from am_desktop.services.seed import SCALES, seed_database

    progress = StderrProgress()
    store = _open(args, create=True)
    try:
        counts = seed_database(
            store, SCALES[args.scale], seed=args.seed, progress=progress, alone=True
        )
    finally:
        progress.finish()
        store.close()
    listed = ", ".join(f"{count:,} {name}" for name, count in counts.items())
    print(f"Seeded {store.path}: {listed}.")
    return EXIT_OK


def run_import(args: argparse.Namespace) -> int:
    """``am-desktop import KIND FILE``."""
    from am_desktop import cli_calendar
    from am_desktop.services.transfer.importer import import_csv

    cli_calendar.refuse_calendar_options(args)
    if args.kind == cli_calendar.KIND:
        return cli_calendar.run(args, _open, StderrProgress())
    progress = StderrProgress()
    store = _open(args, create=True)
    try:
        summary = import_csv(
            store,
            args.kind,
            args.file,
            dry_run=args.dry_run,
            skip_invalid=args.skip_invalid,
            progress=progress,
            default_currency=default_currency(),
        )
    finally:
        progress.finish()
        store.close()
    if not summary.rows:
        from am_desktop.services.transfer.csv_reader import no_rows_message

        print(no_rows_message(args.file), file=sys.stderr)
        return EXIT_OK
    verb = "would be" if summary.dry_run else "were"
    print(
        f"{summary.kind}: {summary.rows:,} rows — {summary.added:,} added, "
        f"{summary.updated:,} updated, {summary.unchanged:,} unchanged"
        + (f", {summary.skipped:,} skipped as invalid" if summary.skipped else "")
        + ("." if not summary.dry_run else " (dry run: nothing was written).")
    )
    if summary.ledger_movements:
        print(f"ARR: {summary.ledger_movements:,} opening balances {verb} written to the ledger.")
    if summary.ledger_kept:
        print(
            f"ARR: {summary.ledger_kept:,} accounts state an ARR that differs from their ledger; "
            "the ledger was kept. Import an 'arr' file to record the movements behind it."
        )
    if summary.ignored_headers:
        print(f"Ignored columns: {', '.join(summary.ignored_headers)}.", file=sys.stderr)
    for problem in summary.problems:
        print(f"  skipped {problem}", file=sys.stderr)
    if summary.unlisted_problems:
        print(f"  … and {summary.unlisted_problems:,} more problems, not listed", file=sys.stderr)
    return EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    """``am-desktop export KIND``."""
    from am_desktop.services.transfer.exporter import export_records, export_to_file

    store = _open(args)
    try:
        if args.out is None:
            count = export_records(store, args.kind, sys.stdout, fmt=args.format)
        else:
            count = export_to_file(store, args.kind, args.out, fmt=args.format)
    finally:
        store.close()
    if args.out is not None:
        print(f"Exported {count:,} {args.kind} to {args.out}.", file=sys.stderr)
    return EXIT_OK


def run_search(args: argparse.Namespace) -> int:
    """``am-desktop search QUERY``: the same ranked search as the window's Ctrl+F."""
    from am_desktop.services.note_search import search_notes

    query = _valid_text(args.query)
    if query != args.query:
        print("The query holds bytes that are not UTF-8: each was replaced by �.", file=sys.stderr)
    store = _open(args)
    try:
        results = search_notes(store, query, limit=args.limit)
    finally:
        store.close()
    if args.json:
        document = {
            "query": query,
            "results": [
                {
                    "note_id": hit.note_id,
                    "account_id": hit.account_id,
                    "account": hit.account_name,
                    "kind": hit.kind.value,
                    "occurred_at": hit.occurred_at.isoformat(),
                    "title": hit.title,
                    "snippet": hit.snippet_text("[", "]"),
                }
                for hit in results.hits
            ],
        }
        if results.message:
            document["message"] = results.message
        json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return EXIT_OK
    if results.message:
        print(results.message, file=sys.stderr)
    elif not results.hits:
        print(f'No note matches "{query}".', file=sys.stderr)
    for hit in results.hits:
        when = hit.occurred_at.astimezone().strftime("%Y-%m-%d %H:%M")
        title = f" — {hit.title}" if hit.title else ""
        print(f"{when}  {hit.account_name}  ({hit.kind.label}){title}")
        print(f"    {hit.snippet_text()}")
    return EXIT_OK


def _valid_text(argument: str) -> str:
    """``argument`` with the bytes that were not UTF-8 (kept by Python as lone surrogates)
    replaced by U+FFFD, so what is printed or written as JSON is valid UTF-8."""
    return argument.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def run_renewals(args: argparse.Namespace) -> int:
    """``am-desktop renewals``: open renewals of contracts ending within the window."""
    from datetime import date

    from am_desktop.domain import formatting as fmt
    from am_desktop.domain.money import to_major
    from am_desktop.services.renewal_queries import in_reporting_currency, upcoming

    today = date.today()
    currency = reporting_currency(args.currency)
    store = _open(args)
    try:
        rows = upcoming(store, today, args.within)
        conversion = in_reporting_currency(store, rows, currency, today)
    finally:
        store.close()
    if args.json:
        items = []
        for row in rows:
            item = row.as_json(today)
            shown = conversion.convert(row.arr_cents, row.currency)
            item.update(reporting_arr=to_major(shown, currency), reporting_currency=currency)
            items.append(item)
        json.dump(items, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return EXIT_OK
    if not rows:
        print(f"No open renewal in the next {args.within} days.", file=sys.stderr)
    for row in rows:
        deadline = row.notice_deadline
        notice = f"  notice by {deadline.isoformat()}" if deadline else ""
        print(
            f"{row.end_date.isoformat()}  {_in_days(row.days_left(today)):>12}  "
            f"{row.account} — {row.contract}  {fmt.money(row.arr_cents, row.currency)}  "
            f"{row.stage.label}, {row.likelihood}%{notice}"
        )
    if rows:
        total = sum(conversion.convert(row.arr_cents, row.currency) for row in rows)
        print(f"Total {fmt.money(total, currency)} ARR. {conversion.describe()}")
    return EXIT_OK


def run_tasks(args: argparse.Namespace) -> int:
    """``am-desktop tasks``: open action items, grouped as the Tasks view groups them."""
    from datetime import UTC, datetime

    from am_desktop.domain.tasks import DueWindow, grouped, local_today
    from am_desktop.services.tasks import open_tasks

    today = local_today(datetime.now(UTC))
    store = _open(args)
    try:
        tasks = open_tasks(store, today, window=DueWindow(args.due))
    finally:
        store.close()
    groups = grouped(tasks, today)
    if args.json:
        items = [task.as_json() for _group, listed in groups for task in listed]
        json.dump(items, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return EXIT_OK
    if not groups:
        print("No open action item.", file=sys.stderr)
    for group, listed in groups:
        print(f"{group.label} ({len(listed)})")
        for task in listed:
            due = task.due.isoformat() if task.due else "—"
            owner = f"  @{task.owner}" if task.owner else ""
            print(f"  {due:<10}  {task.text} — {task.account}{owner}")
    return EXIT_OK


def run_kpis(args: argparse.Namespace) -> int:
    """``am-desktop kpis``: the KPIs of PRODUCT.md §3 for a period (default: twelve months)."""
    from am_desktop.services.kpis import period_kpis

    start, end = _period(args)
    currency = reporting_currency(args.currency)
    store = _open(args)
    try:
        kpis = period_kpis(store, start, end, currency=currency)
    finally:
        store.close()
    document = kpis.as_json()
    if args.json:
        json.dump(document, sys.stdout, indent=2)
        print()
        return EXIT_OK
    from am_desktop.domain import formatting as fmt

    bridge = kpis.bridge
    print(f"ARR bridge, {fmt.period(start, end)}")
    for label, cents in bridge.steps():
        amount = fmt.money(cents, currency) if bridge.has_data else fmt.NO_DATA
        print(f"  {label:<16} {amount:>16}")
    print()
    cohort = {"expansion", "contraction", "churn"}  # NRR's: the accounts with ARR at the start
    for key, value in document.items():
        if key in ("bridge", "new_arr", "ending_arr", "currency", "rates_date", "rates"):
            continue  # shown in the bridge above, or on the last line
        shown = "—" if value is None else f"{value:,.2f}" if isinstance(value, float) else value
        label = f"cohort_{key}" if key in cohort else key
        print(f"{label:<20} {shown}")
    if kpis.conversion is not None:
        print(kpis.conversion.describe())
    return EXIT_OK


def _period(args: argparse.Namespace) -> tuple[date, date]:
    from am_desktop.domain.kpis import default_period

    start, end = default_period(date.today())
    end = args.end or end
    start = args.start or (default_period(end)[0] if args.end else start)
    return start, end


def run_qbr(args: argparse.Namespace) -> int:
    """``am-desktop qbr``: a business review for the customer or for the AM's manager, as
    PowerPoint, a PDF deck and charts, for an account or the portfolio."""
    from am_desktop.domain.deck import Audience
    from am_desktop.exports.review import ReviewRequest, check_formats, export_review

    formats = check_formats(args.format.split(","))
    if args.portfolio and args.audience == "customer":
        raise ValidationError(
            "A customer deck is for one account; the portfolio's review is internal "
            "(leave out --audience, or name an account)."
        )
    if args.template is not None and "pptx" not in formats:
        raise ValidationError("--template is for the PowerPoint file: add pptx to --format.")
    audience = Audience(args.audience or ("internal" if args.portfolio else "customer"))
    start, end = _period(args)
    store = _open(args)
    try:
        account_id = None
        if not args.portfolio:
            from am_desktop.services.portfolio import find_account

            account_id = find_account(store, args.account)
        picture = None
        if account_id is not None and audience is Audience.INTERNAL:
            from am_desktop.app import contact_map_png

            picture = contact_map_png(store, account_id)
        request = ReviewRequest(
            account_id, start, end, args.out, audience, formats, args.template, args.logo,
            contact_map=picture, currency=reporting_currency(args.currency),
        )  # fmt: skip
        written = export_review(store, request)
    finally:
        store.close()
    for path in written:
        print(path)
    whose = "the portfolio" if args.portfolio else args.account
    print(
        f"{audience.value.capitalize()} review of {whose}: {counted(len(written), 'file')} "
        f"in {args.out}.",
        file=sys.stderr,
    )
    return EXIT_OK


def _in_days(days: int) -> str:
    return "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"


def run_map(args: argparse.Namespace) -> int:
    """``am-desktop map ACCOUNT --out FILE``: the contact map, drawn as in the window."""
    from am_desktop.app import export_contact_map

    if args.out.suffix.lower() not in (".svg", ".png"):
        raise ExportError(f"Name the output FILE.svg or FILE.png (not {args.out.name}).")
    store = _open(args)
    try:
        graph = export_contact_map(store, args.account, args.out)
    finally:
        store.close()
    print(
        f"Contact map of {graph.account_name} ({len(graph)} contacts) saved to {args.out}.",
        file=sys.stderr,
    )
    return EXIT_OK


def run_brief(args: argparse.Namespace) -> int:
    """``am-desktop brief ACCOUNT [--date DATE] --out FILE``: the pre-call brief of that day's
    first meeting with the account (else of the account) as Markdown, HTML or PDF."""
    from am_desktop.exports.brief import check_brief_path, write_brief
    from am_desktop.services.brief import meeting_on, read_brief
    from am_desktop.services.portfolio import find_account

    check_brief_path(args.out)  # refused before anything is read
    store = _open(args)
    try:
        account_id = find_account(store, args.account)
        note_id = meeting_on(store, account_id, args.date) if args.date else None
        brief = read_brief(store, account_id, date.today(), note_id=note_id)
    finally:
        store.close()
    write_brief(brief, args.out)
    if args.date and note_id is None:
        print(
            f"No meeting with {brief.account} on {args.date.isoformat()}: "
            "this is the account's brief.",
            file=sys.stderr,
        )
    print(f"{brief.title} saved to {args.out}.", file=sys.stderr)
    return EXIT_OK


def run_window(args: argparse.Namespace) -> int:
    """No command: the desktop window."""
    from am_desktop.app import run_gui

    return run_gui(args.db, demo=args.demo)


def run_self_test(args: argparse.Namespace) -> int:
    """``am-desktop self-test``: every view offscreen on a seeded database."""
    from am_desktop.app import run_self_test as self_test

    return self_test(getattr(args, "db", None))


COMMANDS: dict[str | None, Callable[[argparse.Namespace], int]] = {
    None: run_window,
    "seed": run_seed,
    "import": run_import,
    "export": run_export,
    "self-test": run_self_test,
    "map": run_map,
    "brief": run_brief,
    "search": run_search,
    "renewals": run_renewals,
    "tasks": run_tasks,
    "kpis": run_kpis,
    "qbr": run_qbr,
    "crm": lambda args: _crm().run_crm(args),
    "sync": lambda args: _crm().run_sync(args, _open, StderrProgress()),
    "conflicts": lambda args: _crm().run_conflicts(args, _open),
    "rates": lambda args: _rates().run_rates(args, _open),
    "backup": lambda args: _backup().run_backup(args),
    "db": lambda args: _db_commands().run_db(args, StderrProgress()),
}


def _rates() -> Any:
    from am_desktop import cli_rates

    return cli_rates


def _backup() -> Any:
    from am_desktop import cli_backup

    return cli_backup


def _crm() -> Any:
    from am_desktop import cli_crm

    return cli_crm


def _db_commands() -> Any:
    from am_desktop import cli_db

    return cli_db


def _report(error: AppError) -> None:
    print(f"{PROG}: {error.user_message}", file=sys.stderr)
    if isinstance(error, ImportRejected):
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    log.install_redaction()
    try:
        return COMMANDS[args.command](args)
    except Cancelled:
        return EXIT_INTERRUPTED
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted; nothing half-written was kept.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except AppError as error:
        logging.getLogger("am_desktop").info("failed: %s", error.detail or error.user_message)
        _report(error)
        return EXIT_ERROR
    except BrokenPipeError:
        # WORKAROUND: `am-desktop export … | head` closes stdout early; exit quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
