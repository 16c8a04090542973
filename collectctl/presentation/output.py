"""Listings for people (a clean table) and for machines (stable JSON and CSV)."""

from __future__ import annotations

import csv
import json
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from msgspec import Struct

from collectctl.presentation import grid


class Column(Struct, frozen=True):
    key: str
    header: str
    align: str = "left"  # "right" for amounts and counts


def _plain(value: Any) -> Any:
    """JSON-safe: Decimal money as an exact string, dates as ISO 8601."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def to_json(data: Any) -> str:
    return json.dumps(_plain(data), indent=2, ensure_ascii=False)


def write_json(data: Any) -> None:
    sys.stdout.write(to_json(data) + "\n")


def write_csv(rows: list[dict], columns: list[Column]) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow([column.key for column in columns])
    for row in rows:
        writer.writerow([_csv_cell(_plain(row.get(column.key))) for column in columns])


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    if isinstance(value, dict):  # amounts by currency
        return " + ".join(f"{amount} {code}" for code, amount in value.items())
    if isinstance(value, bool):
        return "true" if value else "false"  # as JSON and YAML write it
    return str(value)


# How wide a listing for people may be: the terminal's width (or --width), set once by
# the command line; None — output into a pipe or a file — keeps each record on one line.
_screen_width: int | None = None


def fit_to(width: int | None) -> None:
    global _screen_width
    _screen_width = width


def screen_width() -> int | None:
    return _screen_width


def table(
    rows: list[dict], columns: list[Column], markdown: bool = False, width: int | None = None
) -> str:
    """Rows as a table for people; text columns wrap to fit `width` (else the screen)."""
    body = [[_table_cell(row.get(column.key)) for column in columns] for row in rows]
    if not markdown:
        headers, right = [c.header for c in columns], [c.align == "right" for c in columns]
        return grid.simple(headers, right, body, width or _screen_width)
    from tabulate import tabulate

    return tabulate(
        body,
        headers=[column.header for column in columns],
        tablefmt="github",
        disable_numparse=True,  # amounts are exact text; never let them become floats
        colalign=[column.align for column in columns],
    )


def _table_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(str(item) for item in value)
    if isinstance(value, dict):  # amounts by currency
        return " + ".join(f"{_plain(amount)} {code}" for code, amount in value.items())
    return str(_plain(value))


def write_rows(rows: list[dict], columns: list[Column], fmt: str, empty: str) -> None:
    """One listing in the chosen format; `empty` is what a person sees for no rows."""
    if fmt == "json":
        write_json(rows)
    elif fmt == "csv":
        write_csv(rows, columns)
    elif rows:
        sys.stdout.write(table(rows, columns) + "\n")
    else:
        sys.stdout.write(empty + "\n")


class Listing(Struct, frozen=True):
    """A listing for people: a title line over a table, or a line saying there is nothing."""

    title: str
    rows: list[dict]
    columns: list[Column]
    empty: str

    def text(self, width: int | None = None) -> str:
        """For people; `width` (else the screen's) wraps the title and text columns."""
        fit = width or _screen_width
        if not self.rows:
            return grid.fill(self.empty, fit) + "\n"
        return f"{grid.fill(self.title, fit)}\n\n{table(self.rows, self.columns, width=fit)}\n"

    def html(self) -> str:
        from html import escape

        from tabulate import tabulate

        if not self.rows:
            return f"<p>{escape(self.empty)}</p>\n"
        body = [[_table_cell(row.get(column.key)) for column in self.columns] for row in self.rows]
        grid = tabulate(  # tabulate's html format escapes every cell
            body, headers=[c.header for c in self.columns], tablefmt="html", disable_numparse=True
        )
        return f"<h2>{escape(self.title)}</h2>\n{grid}\n"


def noted(note: str, text: str, html: str) -> tuple[str, str]:
    """A mailed listing's text and HTML parts with a note above them (in a whole page,
    at the top of its body)."""
    from html import escape

    paragraph = f"<p>Note: {escape(note)}.</p>\n"
    head, body, rest = html.partition("<body>")
    html = f"{head}{body}{paragraph}{rest}" if body else paragraph + html
    return f"Note: {note}.\n\n{text}", html


def to_stdout(path: Path) -> bool:
    """`-` for a file names standard output, as everywhere in the shell."""
    return str(path) == "-"


def write_file(path: Path, content: str | bytes) -> None:
    """A file the user asked for (a statement, a page), replaced atomically; into a
    folder that exists, never one made up on the way; `-`: standard output."""
    from collectctl.errors import UsageError
    from collectctl.storage.files import atomic_write

    if to_stdout(path):
        sys.stdout.flush()
        data = content.encode() if isinstance(content, str) else content
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    if not path.parent.is_dir():
        raise UsageError(f"{path}: no folder {path.parent}")
    if path.is_dir():
        raise UsageError(f"{path} is a folder; name a file")
    atomic_write(path, content)
