"""The plain layout most ledger files are in, read without building a YAML parse tree.

libyaml through ruamel costs about 33 µs a file, nearly all of it Python objects made
for each token and node; a cold read of 10,000 accounts parses 220,000 files. Files
that stay inside the layout collectctl writes and people keep to — block mappings and
lists, one-line plain or quoted scalars, flow lists of words, `|` notes, comments — are
read here line by line, with the values, types and line numbers the strict loader gives.
Anything outside it (tags, anchors, escapes, flow mappings, folded text, tabs, a scalar
over several lines, anything unusual at all) returns OUTSIDE, and `store.parse` hands the
text to libyaml, which decides. `tests/test_plain_yaml.py` and `bench/run.py` hold this
module to libyaml's answers on every file of the sample and benchmark ledgers and on
hundreds of thousands of hand-broken files.
"""

from __future__ import annotations

import re
from typing import Any


class Mapping(dict):
    """A mapping read from a ledger file; knows its own line and the line of each key."""

    line: int = 0
    _lines: dict[str, int] | None = None  # None: one key a line, in order, from `line`

    @property
    def key_lines(self) -> dict[str, int]:
        # a flat file's lines are only needed to report a problem: worked out then
        if self._lines is None:
            return {key: number for number, key in enumerate(self, self.line)}
        return self._lines

    @key_lines.setter
    def key_lines(self, lines: dict[str, int]) -> None:
        self._lines = lines

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


# What a plain scalar means besides its text (YAML 1.2's core schema, as libyaml is asked)
NULL = frozenset({"", "~", "null", "Null", "NULL"})
BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}

OUTSIDE: Any = object()  # not in the plain layout: libyaml must read it

# Characters that send the whole file to libyaml: tabs and carriage returns (indentation
# rules), control characters, the BOM and the line breaks YAML 1.1 knows besides \n;
# and (below) document markers or directives at the start of a line.
_UNUSUAL_CHARACTERS = "\t\r\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff\u2028\u2029\ufffe\uffff"
_UNUSUAL = re.compile(f"[{_UNUSUAL_CHARACTERS}]")
_MARKERS = ("---", "...", "%")
_LINE_MARKERS = ("\n---", "\n...", "\n%")
_KEY = re.compile(r"( *)([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*))?")
_ITEM = re.compile(r"( *)(- +)(.*)")
# The layout collectctl writes, one line at a time: `key: value` lines, and under a
# `key:` a list of `  - value` items or of records (`  - key: value`, then `    key:
# value` lines). Values are told apart as they are read: a word or words (letters,
# digits, . _ @ / + - inside) can only be plain text, unless null, true or false; any
# other value is read by _value.
_WORDS = r"([A-Za-z0-9](?:[A-Za-z0-9 ._@/+-]*[A-Za-z0-9._@/+-])?)"
# The rest of a line, with nothing unusual in it: a file whose every line these patterns
# match needs no search for unusual characters or document markers of its own
_REST = f"([^\n{_UNUSUAL_CHARACTERS}]*)"
# Possessive where giving back could never help: a name is never given back in part, nor
# a value's leading spaces (backtracking them made a long line of spaces ending in
# something unusual take time quadratic in its length)
_NAME = r"([A-Za-z_][A-Za-z0-9_-]*+)"
_LINE = re.compile(
    rf"^(?:{_NAME}:(?: ++(?:{_WORDS}|{_REST}))?"  # key, words, other
    rf"|(  - |    ){_NAME}:(?: ++(?:{_WORDS}|{_REST}))?"  # a record's line: lead, key, …
    rf"|  - (?:{_WORDS}|{_REST}))$",  # an item: words, other
    re.MULTILINE,
)
# The commonest two files have findalls of their own, quicker still: `key: value` lines
# alone (nearly every activity file), and one key holding a list of records, each line
# a record's `key: value` (invoices.yaml)
_PAIR = re.compile(rf"^{_NAME}:(?: ++(?:{_WORDS}|{_REST}))?$", re.MULTILINE)
_FLAT_ITEM = "\n  - "
_RECORDS_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*:\n")
_RECORD_LINE = re.compile(rf"^(  - |    ){_NAME}:(?: ++(?:{_WORDS}|{_REST}))?$", re.MULTILINE)
# A plain scalar that cannot be anything else: it starts with none of YAML's indicators
# (`-` only before a non-space), has no `: ` or ` #` in it and ends in neither.
_PLAIN = re.compile(r"(?:[^\s\-?:,\[\]{}#&*!|>'\"%@`]|-(?=\S))(?:[^:#]|:(?! )|(?<! )#)*(?<![: ])")
_plain = _PLAIN.fullmatch
_SPECIAL = NULL | BOOL.keys()  # plain words that are not text
_SINGLE = re.compile(r"'((?:[^']|'')*)'(?: +#.*)?")
_DOUBLE = re.compile(r'"([^"\\]*)"(?: +#.*)?')
# (a word ends in a non-space: spaces before the comma are the separator's, never both's,
# or a long run of them would be tried every way)
_FLOW_ITEM = re.compile(
    r" *(?:([A-Za-z0-9](?:[A-Za-z0-9 ._/+-]*[A-Za-z0-9._/+-])?)|'([^',]*)'|\"([^\",\\]*)\") *"
)
_COMMENT = re.compile(r" +#.*")
_OPENERS = frozenset("'\"[")  # what quoted scalars and flow lists start with
_BLOCK_LITERAL = ("|", "|-")


class _Outside(Exception):
    pass


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
        elif (rows := _LINE.findall(text)) and _every_line(len(rows), text):
            return _layout(rows)
        if _UNUSUAL.search(text) or text.startswith(_MARKERS) or _marked(text):
            return OUTSIDE
        return _Reader(text.split("\n")).document()
    except (_Outside, RecursionError):  # nested past Python's stack: libyaml says so
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
    for number, (lead, key, words, value) in enumerate(rows, 2):
        if lead == "  - ":
            record = Mapping()
            record.line = number
            records.append(record)
        elif key in record:
            raise _Outside
        record[key] = words if words and words not in _SPECIAL else _value(words or value)
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


def _pairs(pairs: list[tuple[str, str, str]]) -> Mapping:
    """A file of `key: value` lines: a key's line is its place, worked out if asked."""
    data = Mapping()
    data.line = 1
    for key, words, value in pairs:  # _told written out, here and in _records: most files
        data[key] = words if words and words not in _SPECIAL else _value(words or value)
    if len(data) < len(pairs):
        raise _Outside  # a key twice: libyaml refuses it
    return data


def _layout(rows: list[tuple[str, ...]]) -> Mapping:
    """The data of a file in the layout collectctl writes, from its lines' matches."""
    data = Mapping()
    data.line = 1
    lines: dict[str, int] = {}
    data.key_lines = lines
    items: list[Any] | None = None  # the list the items under the last key go to
    record: Mapping | None = None  # the record a `    key: value` line goes to
    key, bare = "", False  # the last key, and whether nothing but a comment followed it
    for number, row in enumerate(rows, 1):
        top, words, other, lead, name, record_words, record_other, item, item_other = row
        if top:
            key, items, record = top, None, None
            bare = not (words or other) or other[:1] == "#"
            if key in lines:
                raise _Outside  # a key twice: libyaml refuses it
            lines[key] = number
            data[key] = _told(words, other)
            continue
        if lead == "    ":
            if record is None or name in record:
                raise _Outside  # a deeper mapping, or a key twice: libyaml's to read
            record[name] = _told(record_words, record_other)
            continue
        if items is None:
            if not bare:
                raise _Outside  # `key: value` then an item: libyaml refuses it
            items = data[key] = []
        if lead:  # a record's first line; its keys' lines follow it, worked out if asked
            record = Mapping({name: _told(record_words, record_other)})
            record.line = number
            items.append(record)
        else:
            record = None
            items.append(_told(item, item_other))
    return data


def _told(words: str, other: str) -> Any:
    """A value a line's pattern has told apart: words, or anything else."""
    return words if words and words not in _SPECIAL else _value(words or other)


def _value(text: str) -> Any:
    """What follows `key: ` on its line: a scalar, a flow list, or null."""
    if text[:1] in _OPENERS:
        return _scalar(text)  # quoted or a flow list: never plain
    if _plain(text):
        return _resolved(text)
    return _scalar(text) if text and text[0] != "#" else None


class _Reader:
    def __init__(self, lines: list[str]):
        self.lines = lines
        self.at = 0  # the next line to read

    def document(self) -> Mapping:
        indent = self._next_indent()
        if indent != 0:
            raise _Outside  # empty, a lone scalar or list, or indented: rare, libyaml's
        data = self._mapping(0)
        if self._next_indent() is not None:
            raise _Outside  # something left over: libyaml says what is wrong
        return data

    def _next_indent(self) -> int | None:
        """The indentation of the next line with content (blank and comment lines
        skipped), or None at the end."""
        lines = self.lines
        while self.at < len(lines):
            line = lines[self.at]
            content = line.lstrip(" ")
            if content and content[0] != "#":
                return len(line) - len(content)
            self.at += 1
        return None

    def _mapping(self, indent: int) -> Mapping:
        data = Mapping()
        data.line = self.at + 1
        data.key_lines = {}
        while self._next_indent() == indent:
            match = _KEY.fullmatch(self.lines[self.at])
            if match is None:
                raise _Outside
            key, value = match.group(2), match.group(3)
            if key in data.key_lines:
                raise _Outside  # a duplicate: libyaml's error names it
            data.key_lines[key] = self.at + 1
            self.at += 1
            if value in _BLOCK_LITERAL:
                data[key] = self._literal(indent, value)
            elif value and value[0] != "#":
                data[key] = _value(value)
            else:
                data[key] = self._nested(indent)
        return data

    def _nested(self, indent: int) -> Any:
        """What follows `key:` on the lines below: a mapping or a list, else null."""
        below = self._next_indent()
        if below is None or below < indent:
            return None
        if self.lines[self.at].startswith("-", below):
            return self._list(below)
        if below == indent:
            return None
        return self._mapping(below)

    def _list(self, indent: int) -> list[Any]:
        items = []
        while self._next_indent() == indent:
            line = self.lines[self.at]
            if line[indent] != "-":
                break  # the next key of a mapping whose list was not indented
            match = _ITEM.fullmatch(line)
            if match is None:
                raise _Outside  # `-` alone, or `-word`
            rest = match.group(3)
            if not rest:
                raise _Outside  # `-` with its item on the lines below
            if _KEY.fullmatch(rest):
                # `- key: value`: a mapping whose keys line up after the dash
                inner = indent + len(match.group(2))
                self.lines[self.at] = " " * inner + rest
                items.append(self._mapping(inner))
            else:
                items.append(_value(rest))
                self.at += 1
        return items

    def _literal(self, indent: int, header: str) -> str:
        """A `|` or `|-` block: lines indented past its key, that indentation removed."""
        lines = self.lines
        content: list[str] = []
        margin = None
        while self.at < len(lines):
            line = lines[self.at]
            if not line:
                content.append("")
                self.at += 1
                continue
            text = line.lstrip(" ")
            depth = len(line) - len(text)
            if not text:
                raise _Outside  # a line of spaces: how far it reaches matters; libyaml's
            if margin is None:
                if depth <= indent:
                    break
                margin = depth
            elif depth < margin:
                break
            content.append(line[margin:])
            self.at += 1
        while content and not content[-1]:
            content.pop()
            self.at -= 1  # trailing blank lines belong to what follows
        if margin is None or not content or self.at == len(lines):
            raise _Outside  # empty, or the file's last line with no line break after it
        text = "\n".join(content)
        return text if header == "|-" else text + "\n"


def _scalar(text: str) -> Any:
    first = text[0]  # quotes and brackets first: a plain scalar starts with neither
    if first == "'":
        single = _SINGLE.fullmatch(text)
        if single is None:
            raise _Outside
        return single.group(1).replace("''", "'")
    if first == '"':
        double = _DOUBLE.fullmatch(text)
        if double is None:
            raise _Outside  # escapes, or text after the closing quote
        return double.group(1)
    if first == "[":
        return _flow_list(text)
    if _plain(text):
        return _resolved(text)
    cut = text.find(" #")
    if cut > 0 and _plain(plain := text[:cut].rstrip(" ")):
        return _resolved(plain)  # a comment after the value
    raise _Outside


def _flow_list(text: str) -> list[Any]:
    end = text.find("]")
    if end < 0 or (text[end + 1 :] and not _COMMENT.fullmatch(text, end + 1)):
        raise _Outside
    inner = text[1:end]
    if not inner.strip(" "):
        return []
    items = []
    for part in inner.split(","):
        item = _FLOW_ITEM.fullmatch(part)
        if item is None:
            raise _Outside
        word, single, double = item.groups()
        items.append(_resolved(word) if word is not None else single or double or "")
    return items


def _resolved(plain: str) -> Any:
    """A plain scalar as the strict loader's resolver types it: null, a flag or text."""
    if plain in NULL:
        return None
    return BOOL.get(plain, plain)
