"""The rows of cells in a data file as users have them: CSV in any common dialect, or Excel.

A CSV file is UTF-8 (with or without a byte-order mark) or else Windows-1252, what Excel writes
with "CSV" on Windows; its separator is the header line's (a semicolon or a comma); a
semicolon-separated file has decimal commas (``1.234,56``), as a European Excel writes it. An
Excel workbook (.xlsx) is read from its first sheet, and its typed cells (numbers, dates,
yes/no) become the text a CSV file would hold, so both go through the same parsing.

Records are yielded one at a time, as text cells; the header is record 1, as a spreadsheet
numbers its rows. Nothing here knows the columns of a kind (see ``csv_reader``).
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, BinaryIO

from am_desktop.errors import ValidationError

#: The largest cell read, in characters: cells can hold whole meeting notes.
FIELD_LIMIT = 16 * 1024 * 1024
csv.field_size_limit(FIELD_LIMIT)
#: How much of a file's start is read to tell JSON from CSV and to find the separator.
_SNIFF_CHARS = 4096
#: How much is read at a time to check that a file is UTF-8 (memory stays flat).
_SCAN_BYTES = 1 << 20
#: The five bytes Windows-1252 leaves undefined: a file holding one is neither encoding.
_NOT_CP1252 = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # Excel 97-2003 (.xls)
_QUOTED = re.compile(r'"[^"]*"')


@dataclass(frozen=True, slots=True)
class TableFile:
    """An opened data file: its records, and whether its numbers use decimal commas."""

    records: Iterator[list[str]]
    decimal_comma: bool = False
    #: How the file was read, for the log: "xlsx" or "csv utf-8-sig ;" and the like.
    described: str = ""


def open_table(path: Path) -> TableFile:
    """The records of ``path``, a CSV file in any of the dialects above or an .xlsx workbook.

    Raises:
        ValidationError: the file is missing, unreadable, not text in a known encoding, JSON,
            an old .xls workbook, or not well-formed (raised while the records are read).
    """
    with _opened(path) as handle:
        start = handle.read(len(_ZIP_MAGIC))
    if start == _OLE_MAGIC:
        raise ValidationError(
            f"{path.name} is an Excel 97–2003 workbook (.xls). Save it as an Excel workbook "
            "(.xlsx) or as CSV, then import that."
        )
    if start == _ZIP_MAGIC:
        return TableFile(_workbook_records(path), described="xlsx")
    encoding = _text_encoding(path)
    delimiter = _sniff(path, encoding)
    return TableFile(
        _csv_records(path, encoding, delimiter),
        decimal_comma=delimiter == ";",
        described=f"csv {encoding} {delimiter}",
    )


def _opened(path: Path) -> BinaryIO:
    try:
        return path.open("rb")
    except FileNotFoundError as error:
        raise ValidationError(f"There is no file {path}.") from error
    except IsADirectoryError as error:
        raise ValidationError(f"{path} is a folder, not a CSV file.") from error
    except PermissionError as error:
        raise ValidationError(f"{path} cannot be read (permission denied).") from error


def _text_encoding(path: Path) -> str:
    """``utf-8-sig`` if the whole file decodes as UTF-8, else ``cp1252`` if it can be that.

    One pass over the bytes, a chunk at a time (decoding is far faster than parsing the CSV).
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    with _opened(path) as handle:
        while chunk := handle.read(_SCAN_BYTES):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                return _cp1252_or_refuse(path, handle, chunk, offset)
            offset += len(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8-sig"


def _cp1252_or_refuse(path: Path, handle: BinaryIO, chunk: bytes, offset: int) -> str:
    """Windows-1252, unless a byte from ``chunk`` (at ``offset``) on has no meaning in it.

    Bytes before ``chunk`` decoded as UTF-8, so they are ASCII or multi-byte letters that
    Windows-1252 reads too (as other letters: such a mixed file is garbled anyway).
    """
    while chunk:
        found = _NOT_CP1252.search(chunk)
        if found:
            raise ValidationError(
                f"{path.name} is neither UTF-8 nor Windows-1252 text (byte {offset + found.start()}"
                "). Save it as 'CSV UTF-8' and import it again."
            )
        offset += len(chunk)
        chunk = handle.read(_SCAN_BYTES)
    return "cp1252"


def _sniff(path: Path, encoding: str) -> str:
    """The separator of the header line, ``;`` or ``,``; a JSON file is refused here."""
    with path.open(encoding=encoding, newline="") as handle:
        start = handle.read(_SNIFF_CHARS)
    _refuse_json(path, start)
    header = _QUOTED.sub("", start.split("\n", 1)[0])
    return ";" if header.count(";") > header.count(",") else ","


def _refuse_json(path: Path, start: str) -> None:
    """A JSON file (such as ``export --format json`` writes) is named as such, not as a CSV
    file without the right columns."""
    if start.lstrip()[:1] in ("[", "{"):
        raise ValidationError(
            f"{path.name} holds JSON, and import reads CSV files and Excel workbooks only. "
            "Export as CSV (the default format) or save the data as CSV, then import that."
        )


def _csv_records(path: Path, encoding: str, delimiter: str) -> Iterator[list[str]]:
    number = 0  # records read so far: the header is record 1, as a spreadsheet numbers rows
    starts = 1  # the line the next record starts on (a quoted cell can span lines)
    try:
        with path.open(encoding=encoding, newline="") as handle:
            reader = csv.reader(handle, delimiter=delimiter, strict=True)
            for record in reader:
                number += 1
                yield record
                starts = reader.line_num + 1
    except UnicodeDecodeError as error:  # a UTF-8 sequence read as Windows-1252 (mixed file)
        raise ValidationError(
            f"{path.name} is neither UTF-8 nor Windows-1252 text (row {number + 1}). "
            "Save it as 'CSV UTF-8' and import it again."
        ) from error
    except csv.Error as error:
        raise ValidationError(
            f"{path.name} is not a well-formed CSV file: row {number + 1} (from line {starts}) "
            f"{_csv_problem(error)}. Nothing was imported."
        ) from error
    except OSError as error:  # removed or unreadable since it was checked
        raise ValidationError(f"{path} cannot be read: {error.strerror or error}.") from error


def _csv_problem(error: csv.Error) -> str:
    """The csv module's complaint in words (its own are terse and name no row)."""
    text = str(error)
    if "field larger than field limit" in text:
        return f"has a cell larger than {FIELD_LIMIT // (1024 * 1024)} MB"
    if "unexpected end of data" in text:
        return "opens a quote that is never closed (it runs to the end of the file)"
    return f"cannot be read: {text}"


def _workbook_records(path: Path) -> Iterator[list[str]]:
    """The first sheet's rows, streamed (read-only mode), trailing empty cells dropped."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises zipfile, XML and key errors alike
        raise ValidationError(
            f"{path.name} is not an Excel workbook that can be read ({type(error).__name__}). "
            "Save it again as .xlsx or as CSV, then import that."
        ) from error
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some writers store wrong dimensions; read what is there
        for row in sheet.iter_rows(values_only=True):
            cells = [cell_text(value) for value in row]
            while cells and not cells[-1]:
                cells.pop()
            yield cells
    finally:
        workbook.close()


def cell_text(value: Any) -> str:
    """A workbook cell as a CSV file would hold it: ``1234.5``, ``2026-01-02``, ``yes``."""
    if value is None or isinstance(value, str):
        return value or ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime) and value.time() == time():
        return value.date().isoformat()  # a date cell: Excel keeps it as midnight
    if isinstance(value, date | time):  # datetime too
        return value.isoformat()
    return str(value)  # int, float (shortest form: 1234.56), timedelta
