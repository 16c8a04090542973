"""Files of the plain layout that none of plain_yaml.py's line patterns take (mappings
nested deeper, `|` notes, comments between items), read line by line."""

from __future__ import annotations

import re
from typing import Any

from collectctl.storage.plain_scalars import Mapping, NotPlain, read_value

_KEY = re.compile(r"( *)([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*))?")
_ITEM = re.compile(r"( *)(- +)(.*)")
_BLOCK_LITERAL = ("|", "|-")


class Reader:
    def __init__(self, lines: list[str]):
        self.lines = lines
        self.at = 0  # the next line to read

    def document(self) -> Mapping:
        indent = self._next_indent()
        if indent != 0:
            raise NotPlain  # empty, a lone scalar or list, or indented: rare, libyaml's
        data = self._mapping(0)
        if self._next_indent() is not None:
            raise NotPlain  # something left over: libyaml says what is wrong
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
                raise NotPlain
            key, value = match.group(2), match.group(3)
            if key in data.key_lines:
                raise NotPlain  # a duplicate: libyaml's error names it
            data.key_lines[key] = self.at + 1
            self.at += 1
            if value in _BLOCK_LITERAL:
                data[key] = self._literal(indent, value)
            elif value and value[0] != "#":
                data[key] = read_value(value)
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
                raise NotPlain  # `-` alone, or `-word`
            rest = match.group(3)
            if not rest:
                raise NotPlain  # `-` with its item on the lines below
            if _KEY.fullmatch(rest):
                # `- key: value`: a mapping whose keys line up after the dash
                inner = indent + len(match.group(2))
                self.lines[self.at] = " " * inner + rest
                items.append(self._mapping(inner))
            else:
                items.append(read_value(rest))
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
                raise NotPlain  # a line of spaces: how far it reaches matters; libyaml's
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
            raise NotPlain  # empty, or the file's last line with no line break after it
        text = "\n".join(content)
        return text if header == "|-" else text + "\n"
