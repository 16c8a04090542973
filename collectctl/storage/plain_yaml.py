"""The plain layout most ledger files are in, read without building a YAML parse tree.

libyaml through ruamel costs about 33 µs a file, nearly all of it Python objects made
for each token and node; a cold read of 10,000 accounts parses 220,000 files. Files
that stay inside the layout collectctl writes and people keep to — block mappings and
lists, one-line plain or quoted scalars, flow lists of words, `|` notes, comments — are
read here line by line, with the values, types and line numbers the strict loader gives.
Anything outside it (tags, anchors, escapes, flow mappings, folded text, tabs, a scalar
over several lines, anything unusual at all) returns OUTSIDE, and `store.parse` hands the
text to libyaml, which decides. The layouts collectctl writes are read here with one
`findall` of a line pattern each; anything else in the plain layout by plain_nested.py,
line by line; values by plain_scalars.py. `tests/test_plain_yaml.py` and `bench/run.py`
hold these modules to libyaml's answers on every file of the sample and benchmark ledgers and on
hundreds of thousands of hand-broken files.
"""

from __future__ import annotations

import re
from typing import Any

from collectctl.storage.plain_nested import Reader
from collectctl.storage.plain_scalars import (
    BOOL,
    NULL,
    SPECIAL,
    Mapping,
    NotPlain,
    read_value,
    told,
)

__all__ = ["BOOL", "NULL", "OUTSIDE", "Mapping", "read"]


OUTSIDE: Any = object()  # not in the plain layout: libyaml must read it

# Characters that send the whole file to libyaml: tabs and carriage returns (indentation
# rules), control characters, the BOM and the line breaks YAML 1.1 knows besides \n;
# and (below) document markers or directives at the start of a line.
_UNUSUAL_CHARACTERS = "\t\r\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff\u2028\u2029\ufffe\uffff"
_UNUSUAL = re.compile(f"[{_UNUSUAL_CHARACTERS}]")
_MARKERS = ("---", "...", "%")
_LINE_MARKERS = ("\n---", "\n...", "\n%")
# The layout collectctl writes, one line at a time: `key: value` lines, and under a
# `key:` a list of `  - value` items or of records (`  - key: value`, then `    key:
# value` lines). Values are told apart as they are read: a word or words (letters,
# digits, . _ @ / + - inside) can only be plain text, unless null, true or false; any
# other value is read by plain_scalars.read_value. (Taken whole and never given back,
# ending in no space: a line ends right after, so words that stop short of its end are
# no words, and a note's words before its first comma are not tried one shorter at a time.)
_WORDS = r"([A-Za-z0-9][A-Za-z0-9 ._@/+-]*+(?<! ))"
# Text in single quotes with no quote inside, as collectctl writes a moment
# (`recorded: '2026-12-02T00:58:00+00:00'`): always text, kept with its quotes so that
# `''` is told from no match
_QUOTED = f"('[^'\n{_UNUSUAL_CHARACTERS}]*+')"
# The rest of a line, with nothing unusual in it: a file whose every line these patterns
# match needs no search for unusual characters or document markers of its own
_REST = f"([^\n{_UNUSUAL_CHARACTERS}]*)"
# Possessive where giving back could never help: a name is never given back in part, nor
# a value's leading spaces (backtracking them made a long line of spaces ending in
# something unusual take time quadratic in its length)
_NAME = r"([A-Za-z_][A-Za-z0-9_-]*+)"
_VALUE = rf"(?: ++(?:{_WORDS}|{_QUOTED}|{_REST}))?"  # words, quoted, other
_ITEM_LINE = rf"  - (?:{_WORDS}|{_QUOTED}|{_REST})"
_LINE = re.compile(
    rf"^(?:{_NAME}:{_VALUE}"  # key and its value
    rf"|(  - |    ){_NAME}:{_VALUE}"  # a record's line: lead, key and value
    rf"|{_ITEM_LINE})$",  # an item
    re.MULTILINE,
)
# The commonest files have findalls of their own, quicker still: `key: value` lines
# alone (most activity files), those and lists of items under keys (an activity file
# naming invoices), and one key holding a list of records, each line a record's
# `key: value` (invoices.yaml)
_PAIR = re.compile(rf"^{_NAME}:{_VALUE}$", re.MULTILINE)
# (an item that is a record's first line, `  - key: value`, is not matched: _LINE reads it)
_PAIR_OR_ITEM = re.compile(
    rf"^(?:{_NAME}:{_VALUE}|(?!  - [A-Za-z_][A-Za-z0-9_-]*:(?: |$)){_ITEM_LINE})$", re.MULTILINE
)
_FLAT_ITEM = "\n  - "
_RECORD_FIELD = "\n    "
_RECORDS_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*:\n")
_RECORD_LINE = re.compile(rf"^(  - |    ){_NAME}:{_VALUE}$", re.MULTILINE)


def read(text: str) -> Any:
    """The data the strict loader would give for `text`, or OUTSIDE."""
    try:
        # the layouts collectctl writes first: every line matched leaves nothing unusual
        if _FLAT_ITEM not in text:  # no item line: only `key: value` lines can be one
            pairs = _PAIR.findall(text)
            if _every_line(len(pairs), text):
                return _pairs(pairs)
        elif _RECORDS_KEY.match(text) and (records := _records(text)) is not None:
            return records
        elif _RECORD_FIELD not in text:  # items, no records: only pairs and items can be
            rows = _PAIR_OR_ITEM.findall(text)
            if _every_line(len(rows), text):
                return _pairs_and_items(rows)
        elif (rows := _LINE.findall(text)) and _every_line(len(rows), text):
            return _layout(rows)
        if _UNUSUAL.search(text) or text.startswith(_MARKERS) or _marked(text):
            return OUTSIDE
        return Reader(text.split("\n")).document()
    except (NotPlain, RecursionError):  # nested past Python's stack: libyaml says so
        return OUTSIDE


def _records(text: str) -> Mapping | None:
    """A key holding a list of records, each key on a line of its own (so a key's line
    is its place after its record's first line, worked out if asked); None when the text
    is not only that."""
    rows = _RECORD_LINE.findall(text)  # never the first line, `key:`
    if not rows or rows[0][0] != "  - " or not _every_line(len(rows), text, after=1):
        return None
    records: list[Mapping] = []
    record = Mapping()  # the first row starts a record
    for number, (lead, key, words, quoted, value) in enumerate(rows, 2):
        if lead == "  - ":
            record = Mapping()
            record.line = number
            records.append(record)
        elif key in record:
            raise NotPlain
        record[key] = (
            words
            if words and words not in SPECIAL
            else quoted[1:-1]
            if quoted
            else read_value(words or value)
        )
    data = Mapping({text[: text.index(":")]: records})
    data.line = 1
    return data


def _every_line(matches: int, text: str, after: int = 0) -> bool:
    """Whether a findall's matches (a line's pattern matches once a line at most) were
    every line of `text` after the first `after`, each ending in a line break."""
    return matches == text.count("\n") - after and text.endswith("\n")


def _marked(text: str) -> bool:
    first, second, third = _LINE_MARKERS  # written out: a generator costs more than these
    return first in text or second in text or third in text


def _pairs(pairs: list[tuple[str, str, str, str]]) -> Mapping:
    """A file of `key: value` lines: a key's line is its place, worked out if asked."""
    data = Mapping()
    data.line = 1
    for key, words, quoted, value in pairs:  # told() written out, here and in _records
        data[key] = (
            words
            if words and words not in SPECIAL
            else quoted[1:-1]
            if quoted
            else read_value(words or value)
        )
    if len(data) < len(pairs):
        raise NotPlain  # a key twice: libyaml refuses it
    return data


def _pairs_and_items(rows: list[tuple[str, ...]]) -> Mapping:
    """A file of `key: value` lines and, under a bare key, lists of items."""
    data = Mapping()
    data.line = 1
    lines: dict[str, int] = {}
    data.key_lines = lines
    items: list[Any] | None = None  # the list the items under the last key go to
    key, key_row = "", None  # the last key and its line's match
    for number, row in enumerate(rows, 1):
        name, words, quoted, other, item, item_quoted, item_other = row
        if name:
            if name in lines:
                raise NotPlain  # a key twice: libyaml refuses it
            key, key_row, items, lines[name] = name, row, None, number
            data[name] = (  # told() written out: most activity files naming invoices
                words
                if words and words not in SPECIAL
                else quoted[1:-1]
                if quoted
                else read_value(words or other)
            )
            continue
        if items is None:
            if not _bare(key_row):
                raise NotPlain  # `key: value` then an item, or an item first: libyaml's
            items = data[key] = []
        items.append(told(item, item_quoted, item_other))
    return data


def _bare(key_row: tuple[str, ...] | None) -> bool:
    """Whether the key line matched as `key_row` has nothing but a comment after it, so
    the items below can be its value (None: no key yet)."""
    if key_row is None:
        return False
    _, words, quoted, other = key_row[:4]
    return not (words or quoted or other) or other[:1] == "#"


def _layout(rows: list[tuple[str, ...]]) -> Mapping:
    """The data of a file in the layout collectctl writes, from its lines' matches."""
    data = Mapping()
    data.line = 1
    lines: dict[str, int] = {}
    data.key_lines = lines
    items: list[Any] | None = None  # the list the items under the last key go to
    record: Mapping | None = None  # the record a `    key: value` line goes to
    key, key_row = "", None  # the last key and its line's match
    for number, row in enumerate(rows, 1):
        top, words, quoted, other, lead, name, in_words, in_quoted, in_other = row[:9]
        if top:
            key, key_row, items, record = top, row, None, None
            if key in lines:
                raise NotPlain  # a key twice: libyaml refuses it
            lines[key] = number
            data[key] = told(words, quoted, other)
            continue
        if lead == "    ":
            if record is None or name in record:
                raise NotPlain  # a deeper mapping, or a key twice: libyaml's to read
            record[name] = told(in_words, in_quoted, in_other)
            continue
        if items is None:
            if not _bare(key_row):
                raise NotPlain  # `key: value` then an item, or an item first: libyaml's
            items = data[key] = []
        if lead:  # a record's first line; its keys' lines follow it, worked out if asked
            record = Mapping({name: told(in_words, in_quoted, in_other)})
            record.line = number
            items.append(record)
        else:
            record = None
            items.append(told(*row[9:]))
    return data
