"""Scalars of the plain layout (plain_yaml.py): one-line plain, quoted and flow-list
values, typed as the strict loader types them, and the mapping they are kept in."""

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


class NotPlain(Exception):
    """Outside the plain layout: libyaml must read the file."""


_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")  # what a plain scalar cannot start with


def _plain(text: str) -> bool:
    """A plain scalar that cannot be anything else: it starts with none of YAML's
    indicators nor a space (`-` only before a non-space), has no `: ` or ` #` in it and
    ends in neither. (As string tests: a regular expression of the same took 400
    instructions a character, and notes run long.)"""
    if not text:
        return False
    first = text[0]
    if (first in _INDICATORS or first.isspace()) and (
        first != "-" or len(text) < 2 or text[1].isspace()
    ):
        return False
    return ": " not in text and " #" not in text and text[-1] not in ": "


SPECIAL = NULL | BOOL.keys()  # plain words that are not text
_SINGLE = re.compile(r"'((?:[^']|'')*)'(?: +#.*)?")
_DOUBLE = re.compile(r'"([^"\\]*)"(?: +#.*)?')
# (a word ends in a non-space: spaces before the comma are the separator's, never both's,
# or a long run of them would be tried every way)
_FLOW_ITEM = re.compile(
    r" *(?:([A-Za-z0-9](?:[A-Za-z0-9 ._/+-]*[A-Za-z0-9._/+-])?)|'([^',]*)'|\"([^\",\\]*)\") *"
)
_COMMENT = re.compile(r" +#.*")
_OPENERS = frozenset("'\"[")  # what quoted scalars and flow lists start with


def told(words: str, quoted: str, other: str) -> Any:
    """A value a line's pattern has told apart: words, quoted text, or anything else."""
    if words and words not in SPECIAL:
        return words
    return quoted[1:-1] if quoted else read_value(words or other)


def read_value(text: str) -> Any:
    """What follows `key: ` on its line: a scalar, a flow list, or null."""
    if text[:1] in _OPENERS:
        return _scalar(text)  # quoted or a flow list: never plain
    if _plain(text):
        return _resolved(text)
    return _scalar(text) if text and text[0] != "#" else None


def _scalar(text: str) -> Any:
    first = text[0]  # quotes and brackets first: a plain scalar starts with neither
    if first == "'":
        single = _SINGLE.fullmatch(text)
        if single is None:
            raise NotPlain
        return single.group(1).replace("''", "'")
    if first == '"':
        double = _DOUBLE.fullmatch(text)
        if double is None:
            raise NotPlain  # escapes, or text after the closing quote
        return double.group(1)
    if first == "[":
        return _flow_list(text)
    if _plain(text):
        return _resolved(text)
    cut = text.find(" #")
    if cut > 0 and _plain(plain := text[:cut].rstrip(" ")):
        return _resolved(plain)  # a comment after the value
    raise NotPlain


def _flow_list(text: str) -> list[Any]:
    end = text.find("]")
    if end < 0 or (text[end + 1 :] and not _COMMENT.fullmatch(text, end + 1)):
        raise NotPlain
    inner = text[1:end]
    if not inner.strip(" "):
        return []
    items = []
    for part in inner.split(","):
        item = _FLOW_ITEM.fullmatch(part)
        if item is None:
            raise NotPlain
        word, single, double = item.groups()
        items.append(_resolved(word) if word is not None else single or double or "")
    return items


def _resolved(plain: str) -> Any:
    """A plain scalar as the strict loader's resolver types it: null, a flag or text."""
    if plain in NULL:
        return None
    return BOOL.get(plain, plain)
