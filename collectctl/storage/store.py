"""Ledger YAML: the only module that imports ruamel.yaml.

Reads return plain data: files in the plain layout through `plain_yaml`, the rest through
libyaml's parser with a minimal resolver (both give the same answers). Scalars that YAML would
turn into numbers or timestamps stay the exact text the person wrote, so the schema
decides whether `000123` is an invoice number and `1234.50` an exact Decimal; nothing
ever passes through a float. Mappings remember the line of each key for error messages.

Only a file being changed is loaded round-trip, so its comments, key order, quoting and
indentation survive the save.
"""

from __future__ import annotations

import datetime
import io
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.cyaml import CParser  # type: ignore[attr-defined]  # the C extension
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, ScalarNode
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarstring import LiteralScalarString
from ruamel.yaml.util import load_yaml_guess_indent

from collectctl.errors import LedgerFileError
from collectctl.storage import plain_yaml
from collectctl.storage.files import read_text
from collectctl.storage.plain_yaml import BOOL, NULL, Mapping

_DIRECTIVE = re.compile(r"^%", re.MULTILINE)
_CONFLICT_MARKER = re.compile(r"^(<{7} |={7}$|>{7} )", re.MULTILINE)
# libyaml's composer recurses in C for each level of nesting, with no limit: 50,000
# levels on one line (`- - - …`, `[[[…`) overflow the stack and kill the process. Past
# about a thousand, reading stops anyway (Python's recursion: "nesting is too deep"), so
# deeper is refused before libyaml is asked. Brackets are counted quoted or not.
_MOST_LEVELS = 1000
_DASH_CHAIN = re.compile(rf"(?:[-?] ++){{{_MOST_LEVELS}}}")
_BRACKET = re.compile(r"[\[\]{}]")


_PLAIN_TAGS = ("null", "bool", "str", "map", "seq")


class _LedgerParser(CParser):  # type: ignore[misc]
    """libyaml's parser with the plainest resolver: a plain scalar is null, a boolean or
    its own text. ruamel's Python resolver and constructor cost three times the parse."""

    def resolve(self, kind: type, value: str | None, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            if implicit[0]:
                if value in NULL:
                    return "null"
                if value in BOOL:
                    return "bool"
            return "str"
        return "map" if kind is MappingNode else "seq"

    def descend_resolver(self, *_: Any) -> None:
        pass

    def ascend_resolver(self, *_: Any) -> None:
        pass


def _build(node: Any, seen: set[int]) -> Any:
    """Plain data from a composed node; numbers and dates stay text for the schema."""
    # A node met twice is an alias: ledger files never need them, and refusing them
    # outright defuses "billion laughs" expansion in everything that walks the data.
    if id(node) in seen:
        raise _NodeError(node, "YAML anchors and aliases are not allowed in a ledger")
    seen.add(id(node))
    tag = node.ctag.suffix  # the string as resolved or written; node.tag rebuilds it slowly
    if tag not in _PLAIN_TAGS:
        shown = str(node.tag).replace("tag:yaml.org,2002:", "!!")
        raise _NodeError(node, f"unknown YAML tag {shown!r} (tags are not allowed in a ledger)")
    if tag == "str":
        return node.value
    if tag == "null":
        return None
    if tag == "bool":
        return BOOL[node.value]
    if tag == "seq":
        return [_build(item, seen) for item in node.value]
    data = Mapping()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    for key_node, value_node in node.value:
        if type(key_node) is not ScalarNode:
            raise _NodeError(key_node, "a key must be plain text")
        _build(key_node, seen)  # an aliased or tagged key is refused like any value
        key = key_node.value  # `yes:` or `2026:` is a key's text, not a flag or a number
        if key in data.key_lines:
            raise _NodeError(key_node, f"duplicate key '{key}'")
        data.key_lines[key] = key_node.start_mark.line + 1
        data[key] = _build(value_node, seen)
    return data


class _NodeError(Exception):
    def __init__(self, node: Any, message: str):
        super().__init__(message)
        self.line = node.start_mark.line + 1


class _VerbatimNumber(str):
    """A number in a file being edited, kept as written: `+4930123`, `000123`, `1234.50`."""

    tag: str


class _EditingConstructor(RoundTripConstructor):
    def construct_verbatim(self, node: Any) -> _VerbatimNumber:
        number = _VerbatimNumber(node.value)
        number.tag = str(getattr(node.tag, "value", node.tag))
        return number


for _tag in ("int", "float"):
    _EditingConstructor.add_constructor(
        f"tag:yaml.org,2002:{_tag}", _EditingConstructor.construct_verbatim
    )


class _LedgerRepresenter(RoundTripRepresenter):
    """Writes Decimal money and verbatim numbers as plain, unquoted numbers."""

    def ignore_aliases(self, data: Any) -> bool:
        return True  # a repeated amount or date is written out again, never as &id001/*id001

    def represent_decimal(self, value: Decimal) -> Any:
        text = format(value, "f")
        tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
        return self.represent_scalar(tag, text)

    def represent_verbatim(self, value: _VerbatimNumber) -> Any:
        return self.represent_scalar(value.tag, str(value))


_LedgerRepresenter.add_representer(Decimal, _LedgerRepresenter.represent_decimal)
_LedgerRepresenter.add_representer(_VerbatimNumber, _LedgerRepresenter.represent_verbatim)


def _round_trip_yaml() -> YAML:
    yaml = YAML()
    yaml.Constructor = _EditingConstructor
    yaml.Representer = _LedgerRepresenter
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a person's long lines
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def read(path: str | Path, label: str) -> Any:
    """Load a ledger file with the safe loader; `label` names it in errors."""
    return parse(read_text(path, label), label)


def parse(text: str, label: str) -> Any:
    """A ledger file's data; `label` names it in errors."""
    plain = plain_yaml.read(text)
    if plain is not plain_yaml.OUTSIDE:
        return plain  # the common layout, read without libyaml (same data, same lines)
    return parse_with_libyaml(text, label)


def parse_with_libyaml(text: str, label: str) -> Any:
    """What `parse` gives, always through libyaml: the reference the plain reader is
    tested against."""
    _refuse_unsafe_text(text, label)
    try:
        parser = _LedgerParser(text)
        try:
            node = parser.get_single_node()
        finally:
            parser.dispose()
        return None if node is None else _build(node, set())
    except _NodeError as exc:
        raise LedgerFileError(label, exc.line, str(exc)) from None
    except MarkedYAMLError as exc:
        raise _located_error(exc, label) from None
    except YAMLError as exc:
        raise LedgerFileError(label, None, str(exc).splitlines()[0]) from None
    except RecursionError:
        raise LedgerFileError(label, None, "nesting is too deep") from None


def _too_deep(text: str) -> int | None:
    """Where `text` opens more than _MOST_LEVELS levels at once, if it does."""
    chain = _DASH_CHAIN.search(text)
    if chain:
        return chain.start()
    if text.count("[") + text.count("{") <= _MOST_LEVELS:
        return None
    depth = 0
    for bracket in _BRACKET.finditer(text):
        depth = depth + 1 if bracket.group() in "[{" else max(depth - 1, 0)
        if depth > _MOST_LEVELS:
            return bracket.start()
    return None


def _refuse_unsafe_text(text: str, label: str) -> None:
    deep = _too_deep(text)
    if deep is not None:
        raise LedgerFileError(label, _line_at(text, deep), "nesting is too deep")
    marker = _CONFLICT_MARKER.search(text)
    if marker:
        line = _line_at(text, marker.start())
        raise LedgerFileError(label, line, "unresolved git conflict marker")
    directive = _DIRECTIVE.search(text)
    if directive:
        line = _line_at(text, directive.start())
        raise LedgerFileError(
            label, line, "YAML directives (%YAML, %TAG) are not allowed; ledgers are YAML 1.2"
        )


def _line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _located_error(exc: MarkedYAMLError, label: str) -> LedgerFileError:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else None
    problem = exc.problem or exc.context or "invalid YAML"
    if "constructor for the tag" in problem:
        tag = problem.split("tag", 1)[1].strip().strip("'")
        problem = f"unknown YAML tag {tag!r} (tags are not allowed in a ledger)"
    return LedgerFileError(label, line, problem.split("\n")[0])


class Document:
    """One file loaded round-trip for editing; `data` is edited in place, then saved."""

    def __init__(self, text: str, label: str):
        # written back as they came: a BOM and Windows line endings stay, so the diff of
        # an edit is the edit and not every line of the file
        self._bom = text.startswith("\ufeff")
        self._crlf = "\r\n" in text
        text = text.removeprefix("\ufeff").replace("\r\n", "\n")
        parse(text, label)  # validate with the strict loader first
        self._yaml = _round_trip_yaml()
        self.data, sequence_indent, dash_offset = load_yaml_guess_indent(text, yaml=self._yaml)
        if sequence_indent is not None and dash_offset is not None:
            self._yaml.indent(mapping=2, sequence=sequence_indent, offset=dash_offset)

    @classmethod
    def open(cls, path: Path, label: str) -> Document:
        return cls(read_text(path, label), label)

    def text(self) -> str:
        buffer = io.StringIO()
        self._yaml.dump(self.data, buffer)
        text = buffer.getvalue()
        if self._crlf:
            text = text.replace("\n", "\r\n")
        return "\ufeff" + text if self._bom else text


def to_yaml_text(data: dict[str, Any]) -> str:
    """A new file's text for plain Python data (Decimal, date, multi-line notes as blocks)."""
    buffer = io.StringIO()
    _round_trip_yaml().dump(to_yaml_node(data), buffer)
    return buffer.getvalue()


def yaml_scalar(value: str) -> str:
    """A string as it must be written after `key: ` (quoted only when YAML needs it)."""
    return to_yaml_text({"k": value}).split(": ", 1)[1].rstrip("\n")


def to_yaml_node(value: Any) -> Any:
    """Plain data as round-trip nodes, ready to insert into a Document."""
    if isinstance(value, dict):
        return CommentedMap((key, to_yaml_node(item)) for key, item in value.items())
    if isinstance(value, list | tuple):
        return CommentedSeq(to_yaml_node(item) for item in value)
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value if value.endswith("\n") else value + "\n")
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return value


# --- many new records at once (an import) ----------------------------------------------
# ruamel's emitter costs 2-5 ms a record: 30 s for a 10,000-invoice import. Flat records
# (scalars, lists of scalars or of flat mappings) are written here in the layout
# to_yaml_text gives them, each text read back with the strict loader and compared with
# the data; anything else, or any text that would not read back the same, goes through
# ruamel after all.

_PLAIN_TEXT = re.compile(r"[A-Za-z][A-Za-z0-9 ._/#&()+,'@-]*")
_QUOTED_WORDS = frozenset({"true", "false", "yes", "no", "on", "off", "null", "y", "n"})


def records_text(data: dict[str, Any]) -> str:
    """to_yaml_text for a flat record, a tenth of the time."""
    lines = _record_lines(data, "")
    if lines is not None:
        text = "\n".join(lines) + "\n"
        if _reads_back(text, data):
            return text
    return to_yaml_text(data)


def with_items_appended(text: str, key: str, records: list[dict[str, Any]]) -> str | None:
    """`text` (a file whose only top-level key is `key`, a block list) with `records`
    appended to that list as text, indented like its items; None when the file is not
    shaped so (the caller then edits it round-trip)."""
    if "\r" in text or text.startswith("\ufeff") or not records:
        return None
    try:
        before = parse(text, "appended")
    except LedgerFileError:
        return None
    if not isinstance(before, dict) or list(before) != [key] or not before[key]:
        return None
    dash = re.search(r"^( *)- ", text, re.MULTILINE)
    if dash is None or not re.match(rf"{re.escape(key)}:[ \t]*(#.*)?\n", text):
        return None
    pad = dash.group(1)
    lines = []
    for record in records:
        item = _record_lines(record, pad + "  ")
        if item is None:
            return None
        lines.append(pad + "- " + item[0].removeprefix(pad + "  "))
        lines.extend(item[1:])
    appended = text + ("" if text.endswith("\n") else "\n") + "\n".join(lines) + "\n"
    expected = {key: [*before[key], *(_as_read(r) for r in records)]}
    return appended if _reads_back(appended, expected) else None


def _record_lines(data: dict[str, Any], indent: str) -> list[str] | None:
    lines = []
    for key, value in data.items():
        if isinstance(value, list | tuple):
            lines.append(f"{indent}{key}:")
            for item in value:
                if isinstance(item, dict):
                    inner = _record_lines(item, indent + "    ")
                    if not inner:
                        return None
                    lines.append(f"{indent}  - " + inner[0].removeprefix(indent + "    "))
                    lines.extend(inner[1:])
                    continue
                scalar = _scalar(item)
                if scalar is None:
                    return None
                lines.append(f"{indent}  - {scalar}")
            continue
        scalar = _scalar(value)
        if scalar is None:
            return None
        lines.append(f"{indent}{key}: {scalar}")
    return lines


def _scalar(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value.isoformat()
    if not isinstance(value, str) or "\n" in value or "\r" in value:
        return None  # block scalars and the rest: ruamel
    plain = (
        _PLAIN_TEXT.fullmatch(value)
        and value.lower() not in _QUOTED_WORDS
        and not value.endswith(" ")
        and " #" not in value
    )
    if plain:
        return value
    if value.isprintable():
        return "'" + value.replace("'", "''") + "'"  # as ruamel quotes it
    return json.dumps(value)  # escapes: valid YAML double-quoted


def _as_read(value: Any) -> Any:
    """Data as the strict loader gives it back: every scalar but a flag as its text."""
    if isinstance(value, dict):
        return {key: _as_read(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_as_read(item) for item in value]
    if isinstance(value, bool) or value is None:
        return value
    return _scalar(value) if not isinstance(value, str) else value


def _reads_back(text: str, data: dict[str, Any]) -> bool:
    try:
        return bool(parse(text, "new") == _as_read(data))
    except LedgerFileError:
        return False
