"""Typed reads from one YAML mapping of a ledger file: each value checked, each problem
noted with its line, and any key nobody asked for reported (a typo never drops data)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from collectctl.domain.inputs import one_address, parse_date
from collectctl.domain.money import check_currency, parse_amount
from collectctl.errors import Problem, did_you_mean
from collectctl.storage.plain_yaml import Mapping

T = TypeVar("T")
# The most a whole number in a ledger file may be: its numbers count days (terms, policy),
# and a date a hundred years on is still one Python can reckon with.
MOST_DAYS = 36_500


class Fields:
    """Typed reads from one mapping; unknown keys and bad values become problems."""

    def __init__(self, raw: Any, path: str, problems: list[Problem], what: str, line: int = 0):
        self.path = path
        self.problems = problems
        self.used: set[str] = set()
        if isinstance(raw, Mapping):
            self.raw = raw
        else:
            self.raw = Mapping()
            self.raw.line, self.raw.key_lines = line, {}
            if raw is not None:
                self.problem(line, f"{what} should be a mapping of keys to values")

    @property
    def line(self) -> int:
        return self.raw.line

    def problem(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(self.path, line or None, message))

    def _value(self, key: str, required: bool) -> Any:
        self.used.add(key)
        value = self.raw.get(key)
        if value is None and required:
            self._missing(key)
        return value

    def _missing(self, key: str) -> None:
        self.problem(self.raw.line, f"missing required key '{key}'")

    def _converted(self, key: str, value: Any, convert: Callable[[str], T]) -> T | None:
        if not isinstance(value, str):
            self.problem(
                self.raw.line_of(key), f"{key}: expected a single value, got {kind_of(value)}"
            )
            return None
        try:
            return convert(value)
        except ValueError as exc:
            self.problem(self.raw.line_of(key), f"{key}: {exc}")
            return None

    def text(self, key: str, required: bool = False) -> str | None:
        # _value and _converted written out: a cold read asks for 2.4 million texts
        self.used.add(key)
        value = self.raw.get(key)
        if value.__class__ is str:
            if required and not value.strip():
                self.problem(self.raw.line_of(key), f"{key}: must not be empty")
            return value
        if value is None:
            if required:
                self._missing(key)
            return None
        return self._converted(key, value, str)  # a list or a mapping: its problem noted

    def checked(self, key: str, check: Callable[[str], object]) -> str | None:
        """Text that `check` accepts (it raises ValueError saying why not)."""
        value = self.text(key)
        if value is None:
            return None
        try:
            check(value)
        except ValueError as exc:
            self.problem(self.raw.line_of(key), f"{key}: {exc}")
            return None
        return value

    def integer(self, key: str, default: int, minimum: int = 0, maximum: int = MOST_DAYS) -> int:
        value = self._value(key, False)
        if value is None:
            return default
        result = self._converted(key, value, lambda text: whole_number(text, minimum, maximum))
        return default if result is None else result

    def amount(
        self, key: str, currency: str | None, required: bool = False, zero_ok: bool = False
    ) -> Decimal | None:
        value = self._value(key, required)
        if value is None:
            return None
        return self._converted(
            key, value, lambda text: _positive(parse_amount(text, currency), zero_ok)
        )

    def date(self, key: str, required: bool = False) -> date | None:
        value = self._value(key, required)
        if value is None:
            return None
        return self._converted(key, value, parse_date)

    def flag(self, key: str, default: bool = False) -> bool:
        value = self._value(key, False)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.problem(self.raw.line_of(key), f"{key}: expected true or false, got {value!r}")
            return default
        return value

    def choice(self, key: str, choices: tuple[str, ...], required: bool = False) -> str | None:
        value = self.text(key, required)
        if value is not None and value not in choices:
            self.problem(
                self.raw.line_of(key), f"{key}: {value!r} is not one of {', '.join(choices)}"
            )
            return None
        return value

    def currency(self, key: str, default: str) -> str:
        value = self.text(key)
        if value is None:
            return default
        return self._converted(key, value, check_currency) or default

    def items(self, key: str) -> list[tuple[Any, int]]:
        """A list's entries, each with its line."""
        value = self._value(key, False)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(self.raw.line_of(key), f"{key}: expected a list, got {kind_of(value)}")
            return []
        line = self.raw.line_of(key)
        return [(item, item.line if isinstance(item, Mapping) else line) for item in value]

    def text_list(self, key: str) -> tuple[str, ...]:
        """A list of single values; a lone value is accepted as a list of one."""
        value = self._value(key, False)
        if value is None:
            return ()
        values = value if isinstance(value, list) else [value]
        if not all(isinstance(v, str) for v in values):
            self.problem(self.raw.line_of(key), f"{key}: expected a list of single values")
            return ()
        return tuple(values)

    def nested(self, key: str) -> Fields:
        return Fields(self._value(key, False), self.path, self.problems, key, self.raw.line_of(key))

    def finish(self) -> None:
        """Report keys nobody asked for: a typo must not silently drop data."""
        if self.used.issuperset(self.raw):
            return  # the common case, asked in one step
        for key in self.raw:
            if key not in self.used:
                suggestion = did_you_mean(str(key), self.used)
                self.problem(self.raw.line_of(str(key)), f"unknown key '{key}'{suggestion}")


def one_address_field(fields: Fields, key: str) -> str | None:
    """An email field holds exactly one address: two would be two recipients."""
    value = fields.text(key)
    if value is None:
        return None
    try:
        return one_address(value)
    except ValueError as exc:
        fields.problem(fields.raw.line_of(key), f"{key}: {exc}")
        return None


def kind_of(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def whole_number(text: str, minimum: int = 0, maximum: int = MOST_DAYS) -> int:
    """A whole number within its bounds; ValueError says what is wrong."""
    if not (text.isdigit() and text.isascii()):
        raise ValueError(f"{text!r} is not a whole number")
    if len(text.lstrip("0")) > len(str(maximum)) or int(text) > maximum:
        raise ValueError(f"{text} is above the maximum of {maximum}")
    number = int(text)
    if number < minimum:
        raise ValueError(f"{number} is below the minimum of {minimum}")
    return number


def _positive(amount: Decimal, zero_ok: bool = False) -> Decimal:
    if amount < 0 or (amount == 0 and not zero_ok):
        raise ValueError(f"{amount} must be more than zero")
    return amount
