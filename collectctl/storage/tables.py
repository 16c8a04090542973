"""An export file as rows of text cells: CSV in any common dialect, or an XLSX workbook.

Each row keeps its number in the file (the line a CSV record starts on, or the sheet's
row), so every problem found later names the row a person opens the file at.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import BinaryIO

from collectctl.errors import CollectctlError

MAX_IMPORT_BYTES = 100 * 1024 * 1024
_DELIMITERS = (",", ";", "\t", "|")
_XLSX_MAGIC = b"PK\x03\x04"

Row = tuple[int, tuple[str, ...]]


@dataclass(frozen=True)
class Table:
    label: str  # the file as the user named it, or "stdin"
    rows: list[Row]


def read_table(name: str, stdin: BinaryIO) -> Table:
    """`name` is a path, or `-` for standard input."""
    label = "stdin" if name == "-" else name
    try:
        if name == "-":
            data = stdin.read(MAX_IMPORT_BYTES + 1)
        else:
            with open(name, "rb") as handle:
                data = handle.read(MAX_IMPORT_BYTES + 1)
    except FileNotFoundError:
        raise CollectctlError(f"{label}: file not found") from None
    except OSError as exc:
        raise CollectctlError(f"{label}: {exc.strerror or exc}") from None
    if len(data) > MAX_IMPORT_BYTES:
        raise CollectctlError(f"{label}: larger than {MAX_IMPORT_BYTES // 2**20} MB")
    if data.startswith(_XLSX_MAGIC):
        return Table(label, _xlsx_rows(data, label))
    return Table(label, _csv_rows(_decoded(data, label), label))


def _decoded(data: bytes, label: str) -> str:
    """UTF-8 (with or without the BOM Excel writes), else Windows-1252, what Excel on
    Windows saves as "CSV" — a file in neither is refused, never read as mojibake."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise CollectctlError(
            f"{label}: byte {exc.start + 1} is neither UTF-8 nor Windows-1252 text; "
            "save the export as CSV UTF-8"
        ) from None


def _csv_rows(text: str, label: str) -> list[Row]:
    delimiter = _delimiter(text[:65536])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[Row] = []
    start = 1
    try:
        for cells in reader:
            rows.append((start, tuple(cells)))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise CollectctlError(f"{label}:{start}: {exc}") from None
    return rows


def _delimiter(sample: str) -> str:
    """The delimiter that splits the most rows into the same number of columns. (The
    standard Sniffer prefers a comma whenever commas are regular, and `1.234,50` amounts
    in a semicolon file are regular.)"""
    lines = sample.splitlines()[:-1] or sample.splitlines()  # the sample may cut a line
    best, best_score = ",", (0, 0)
    for candidate in _DELIMITERS:
        counts = [len(row) for row in csv.reader(lines, delimiter=candidate) if len(row) > 1]
        if not counts:
            continue
        width = max(set(counts), key=lambda n: (counts.count(n), n))
        score = (counts.count(width), width)
        if score > best_score:
            best, best_score = candidate, score
    return best


def _xlsx_rows(data: bytes, label: str) -> list[Row]:
    import zipfile

    from openpyxl import load_workbook  # only an XLSX import pays for it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise CollectctlError(f"{label}: not a readable XLSX workbook ({exc})") from None
    try:
        sheet = book.active
        if sheet is None:
            raise CollectctlError(f"{label}: the workbook has no sheet")
        return [
            (number, tuple(_cell_text(value) for value in values))
            for number, values in enumerate(sheet.iter_rows(values_only=True), 1)
        ]
    finally:
        book.close()


def _cell_text(value: object) -> str:
    """A cell as the text a CSV would hold: dates ISO, numbers exact as Excel shows them."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f")  # 1500.1, not 1500.0999999999999
    return str(value)
