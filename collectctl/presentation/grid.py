"""A table for people, laid out like tabulate's "simple" format — which guesses every
cell's type first (a third of a second on a 10,000-row aging report); ours are text
already — and fitted to a width: a long text column moves to an indented line under
its row, then text columns wrap inside themselves, the widest first."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

GAP = 2  # spaces between columns
LONGEST_KEPT = 20  # a word up to this long (an id, a date) is never broken by wrapping
MOVABLE = 24  # a text column this wide or wider may go under its row


def simple(
    headers: Sequence[str], right: Sequence[bool], body: list[list[str]], fit: int | None = None
) -> str:
    """The table; `right` marks the columns aligned right (numbers and amounts)."""
    named, headers, right = list(headers), list(headers), list(right)
    cells = [[text.strip().split("\n") for text in row] for row in body]
    widths = [len(header) + 2 for header in headers]  # tabulate's header padding
    for row in cells:
        for n, lines in enumerate(row):
            widths[n] = max(widths[n], *map(len, lines))
    under: list[list[str]] | None = None
    indent = 0
    if fit is not None and _span(widths) > fit:
        moved = _movable(widths, right)
        if moved is not None:
            under = [row.pop(moved) for row in cells]
            del headers[moved], right[moved], widths[moved]
        widths = [  # tight: no padding beyond the widest cell or header
            max([len(header)] + [len(x) for row in cells for x in row[n]])
            for n, header in enumerate(headers)
        ]
        indent = widths[0] + GAP
        narrowed = _narrowed(widths, headers, right, cells, fit)
        if _span(narrowed) > fit:  # numbers that cannot narrow: a record per block
            return _records(named, body, fit)
        if narrowed != widths:
            widths = narrowed
            cells = [
                [_wrapped(lines, w) for lines, w in zip(row, widths, strict=True)] for row in cells
            ]

    def line(texts: list[str]) -> str:
        padded = (
            text.rjust(width) if flush else text.ljust(width)
            for text, width, flush in zip(texts, widths, right, strict=True)
        )
        return (" " * GAP).join(padded).rstrip()

    out = [line(headers), line(["-" * w for w in widths])]
    for n, row in enumerate(cells):
        for depth in range(max(map(len, row), default=1)):
            out.append(line([lines[depth] if depth < len(lines) else "" for lines in row]))
        if under is not None and fit is not None:
            text = " ".join(under[n])
            out.extend(" " * indent + part for part in _wrapped([text], fit - indent) if part)
    return "\n".join(out)


def _records(headers: list[str], body: list[list[str]], fit: int) -> str:
    """Each row as a block: its first cell, then a line per other cell under its
    header — what `psql -x` does for a table wider than the screen."""
    label = max(len(h) for h in headers[1:]) if len(headers) > 1 else 0
    out = []
    for row in body:
        out.append(row[0].strip())
        for header, text in zip(headers[1:], row[1:], strict=True):
            lines = _wrapped(text.strip().split("\n"), max(fit - label - 4, 10))
            out.append(f"  {header.ljust(label)}  {lines[0]}".rstrip())
            out.extend(" " * (label + 4) + line for line in lines[1:])
    return "\n".join(out)


def fill(text: str, width: int | None) -> str:
    """Each line of `text` (a title, a sentence) wrapped to `width`, when one is set."""
    if width is None:
        return text
    return "\n".join(
        "\n".join(textwrap.wrap(line, width, break_on_hyphens=False)) or line
        for line in text.split("\n")
    )


def _span(widths: list[int]) -> int:
    return sum(widths) + GAP * (len(widths) - 1)


def _movable(widths: list[int], right: list[bool]) -> int | None:
    """The widest text column, if it is long text (not the first: it names the row)."""
    candidates = [n for n in range(1, len(widths)) if not right[n] and widths[n] >= MOVABLE]
    return max(candidates, key=lambda n: widths[n], default=None)


def _narrowed(
    widths: list[int], headers: list[str], right: list[bool], cells: list[list[list[str]]], fit: int
) -> list[int]:
    """Column widths within `fit`, taking from the widest text column one character at
    a time, never below its header or its longest word; numbers keep their width."""
    widths = list(widths)
    floor = [
        max(
            [len(header)]
            + [min(len(w), LONGEST_KEPT) for r in cells for x in r[n] for w in x.split()]
        )
        for n, header in enumerate(headers)
    ]
    excess = _span(widths) - fit
    while excess > 0:
        shrinkable = [n for n in range(len(widths)) if not right[n] and widths[n] > floor[n]]
        if not shrinkable:
            break  # as narrow as it gets: the terminal wraps the rest
        widest = max(shrinkable, key=lambda n: widths[n])
        widths[widest] -= 1
        excess -= 1
    return widths


def _wrapped(lines: list[str], width: int) -> list[str]:
    out = []
    for line in lines:
        fits = len(line) <= width
        out.extend([line] if fits else textwrap.wrap(line, width, break_on_hyphens=False))
    return out or [""]
