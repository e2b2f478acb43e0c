"""Reading a data file of one KIND: header matching and cell parsing.

The file is a CSV in any dialect users have (UTF-8 or Windows-1252, comma- or
semicolon-separated, decimal commas with semicolons; CRLF or LF; quoted separators and line
breaks) or an .xlsx workbook: ``table_files`` turns each into rows of text cells. Each data row
is numbered as a spreadsheet shows it (the header is row 1), whatever line breaks its cells
hold. Every problem found is collected, none stops the reading.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from am_desktop.domain.csv_formats import FORMATS, CsvColumn, header_key, restore_formula_guard
from am_desktop.domain.values import refuse_control_characters
from am_desktop.errors import RowProblem, ValidationError
from am_desktop.services.transfer.table_files import open_table


@dataclass(slots=True)
class SourceRow:
    """One data row: its number, its parsed non-empty cells, and what is wrong with it."""

    number: int
    values: dict[str, Any]
    problems: list[RowProblem] = field(default_factory=list)
    account_id: int | None = None

    @property
    def valid(self) -> bool:
        """Whether no problem was found in the row."""
        return not self.problems


@dataclass(slots=True)
class SourceFile:
    """A parsed file: which columns it has (by canonical name) and its rows."""

    kind: str
    columns: tuple[str, ...]
    headers: dict[str, str]
    rows: list[SourceRow]
    ignored_headers: tuple[str, ...]

    def problem(self, row: SourceRow, column: str | None, reason: str) -> None:
        """Record a problem on ``row``, naming the column as the file's header writes it."""
        header = self.headers.get(column, column) if column else None
        row.problems.append(RowProblem(row.number, header, reason))


def guess_column(kind: str, header: str) -> str | None:
    """The canonical column a header stands for (by name or CRM alias), or None."""
    key = header_key(header)
    for known in FORMATS[kind]:
        if key in (header_key(name) for name in (known.name, *known.aliases)):
            return known.name
    return None


def read_headers(path: Path) -> list[str]:
    """The header row of a CSV file or workbook, as written.

    Raises:
        ValidationError: the file cannot be read or is empty.
    """
    header = next(open_table(path).records, None)
    if header is None:
        raise ValidationError(f"{path.name} is empty: it has no header row.")
    return [h.strip() for h in header]


def _header_map(
    kind: str, headers: list[str], mapping: Mapping[str, str | None] | None = None
) -> tuple[dict[int, CsvColumn], dict[str, str], list[str]]:
    by_name = {known.name: known for known in FORMATS[kind]}
    positions: dict[int, CsvColumn] = {}
    written: dict[str, str] = {}
    ignored: list[str] = []
    for index, header in enumerate(headers):
        if mapping is not None and header.strip() in mapping:
            chosen = mapping[header.strip()]
        else:
            chosen = guess_column(kind, header)
        column = by_name.get(chosen) if chosen else None
        if column is None:
            if header.strip():
                ignored.append(header.strip())
            continue
        if column.name in written:
            raise ValidationError(
                f"The file has two columns for {column.name}: "
                f"'{written[column.name]}' and '{header.strip()}'. Keep one."
            )
        positions[index] = column
        written[column.name] = header.strip()
    missing = [c for c in FORMATS[kind] if c.required and c.name not in written]
    if missing:
        names = "; ".join(
            f"{c.name}" + (f" (or {', '.join(c.aliases[:3])})" if c.aliases else "")
            for c in missing
        )
        raise ValidationError(f"The file has no column for: {names}. Nothing was imported.")
    return positions, written, ignored


def no_rows_message(path: Path) -> str:
    """What to say of a file that has a header but no data row (nothing to import)."""
    return f"{path.name} has no rows, only a header: there is nothing to import."


def read_csv(kind: str, path: Path, mapping: Mapping[str, str | None] | None = None) -> SourceFile:
    """Read and parse the whole of ``path`` (CSV or .xlsx) into ``SourceFile.rows``.

    For small files and tests; an import streams the rows instead (:func:`open_source`).

    Raises:
        ValidationError: the file cannot be read at all, or lacks a required column.
    """
    source, rows = open_source(kind, path, mapping)
    source.rows.extend(rows)
    return source


def open_source(
    kind: str, path: Path, mapping: Mapping[str, str | None] | None = None
) -> tuple[SourceFile, Iterator[SourceRow]]:
    """The file's columns (read at once) and its parsed rows, one at a time as they are read.

    ``SourceFile.rows`` stays empty: the caller holds only the rows it needs, so memory does
    not grow with the file.

    Args:
        mapping: header as written -> canonical column (None: ignore it), overriding the
            automatic matching for the headers it names.

    Raises:
        ValidationError: the file cannot be read at all, or lacks a required column (at once);
            or is not well-formed (while its rows are read).
    """
    if kind not in FORMATS:
        raise ValidationError(f"Unknown kind '{kind}'. Choose one of: {', '.join(FORMATS)}.")
    table = open_table(path)
    records = table.records
    header = next(records, None)
    if header is None:
        raise ValidationError(f"{path.name} is empty: it has no header row.")
    positions, written, ignored = _header_map(kind, header, mapping)
    source = SourceFile(
        kind, tuple(c.name for c in positions.values()), written, [], tuple(ignored)
    )
    return source, _parsed_rows(source, records, positions, len(header), table.decimal_comma)


def _parsed_rows(
    source: SourceFile,
    records: Iterator[list[str]],
    positions: dict[int, CsvColumn],
    width: int,
    comma: bool,
) -> Iterator[SourceRow]:
    written = source.headers
    required = [c.name for c in positions.values() if c.required]
    memos = [
        (index, column.name, _Memo(column.parser(decimal_comma=comma)))
        for index, column in positions.items()
    ]
    fast = [(index, name, memo.known.get, memo.read) for index, name, memo in memos]
    reach = max(positions, default=-1) + 1  # cells a row needs for every read column
    for number, cells in enumerate(records, start=2):
        whole = "".join(cells)
        if not whole or whole.isspace():
            continue  # blank lines are not rows
        row = SourceRow(number, {})
        count = len(cells)
        padded = cells if count >= reach else cells + [""] * (reach - count)
        if _holds_control_characters(whole):  # each cell is checked, to name the one
            for index, name, memo in memos:
                _keep(source, row, name, memo.read(padded[index], checked=True))
        else:
            _read_row(source, row, padded, fast)
        for name in required:
            if name not in row.values and not any(p.column == written[name] for p in row.problems):
                source.problem(row, name, "is required")
        if count > width:
            source.problem(row, None, f"has {count} cells but the header has {width}")
        yield row


def _read_row(
    source: SourceFile,
    row: SourceRow,
    cells: list[str],
    columns: Sequence[tuple[int, str, Callable[[str, Any], Any], Callable[[str], Any]]],
) -> None:
    """Read a row's cells (none holds a control character), known cells from the memos."""
    values = row.values
    for index, name, known, read in columns:
        cell = cells[index]
        value = known(cell, _UNKNOWN)
        if value is _UNKNOWN:
            value = read(cell)
        if type(value) is _Refused:
            source.problem(row, name, value.reason)
        elif value is not _BLANK:
            values[name] = value


def _keep(source: SourceFile, row: SourceRow, name: str, value: Any) -> None:
    if type(value) is _Refused:
        source.problem(row, name, value.reason)
    elif value is not _BLANK:
        row.values[name] = value


def _holds_control_characters(text: str) -> bool:
    try:
        refuse_control_characters(text)
    except ValueError:
        return True
    return False


class _Refused(NamedTuple):
    """A cell's value could not be read: why (the parser's words)."""

    reason: str


_UNKNOWN: Any = object()
#: What an empty cell (or one of spaces) reads as: nothing, the stored value stays.
_BLANK: Any = object()


class _Memo:
    """One column's parser, remembering what its short cells read as.

    Files repeat the same few values down a column (an account, a role, a title); a parser
    is a pure function of the cell, so each distinct short cell is parsed once. The memory is
    bounded: at most ``_MEMO_ENTRIES`` cells of at most ``_MEMO_CHARS`` characters.
    """

    __slots__ = ("known", "parse")

    def __init__(self, parse: Callable[[str], Any]) -> None:
        self.parse = parse
        self.known: dict[str, Any] = {}

    def read(self, cell: str, checked: bool = False) -> Any:
        """The cell's value, ``_BLANK`` or ``_Refused``; remembered if the cell is short.

        Args:
            checked: refuse a control character in the cell (its row holds one).
        """
        if not cell or cell.isspace():
            value: Any = _BLANK
        else:
            try:
                text = restore_formula_guard(cell) if cell[0] == "'" else cell
                value = self.parse(refuse_control_characters(text) if checked else text)
            except ValueError as error:
                value = _Refused(str(error))
        if not checked and len(cell) <= _MEMO_CHARS and len(self.known) < _MEMO_ENTRIES:
            self.known[cell] = value
        return value


#: Distinct cells remembered per column, and the longest remembered (see ``_Memo``).
_MEMO_ENTRIES = 4096
_MEMO_CHARS = 256
