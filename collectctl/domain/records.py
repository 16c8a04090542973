"""Quick building of the domain's frozen, slotted records, for the paths that make
hundreds of thousands of them (a cold read, the cache). A dataclass's own `__init__`
sets each field through `object.__setattr__`, found again for every field of every
record; a builder sets them through the slots' own setters, found once per class."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import MISSING, fields
from typing import Any, TypeVar

T = TypeVar("T")
Builder = Callable[[Sequence[Any]], Any]
_BUILDERS: dict[type, Builder] = {}


def builder(cls: type[T]) -> Callable[[Sequence[Any]], T]:
    """A function making one `cls` from all its field values, in field order. It checks
    nothing and runs no `__post_init__`: for values already checked, or read back."""
    made = _BUILDERS.get(cls)
    if made is None:
        made = _BUILDERS[cls] = _written_out(cls, field_names(cls))
    return made


def field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def defaults(cls: type, missing: Any) -> list[Any]:
    """Each field's default, in field order; `missing` where it has none (a field whose
    default is made by a factory, too: one made here would be shared by every record)."""
    return [missing if f.default is MISSING else f.default for f in fields(cls)]


def _written_out(cls: type, names: tuple[str, ...]) -> Builder:
    # one line a field, calling that slot's setter: half the time of a setattr loop
    setters = {f"set_{n}": getattr(cls, name).__set__ for n, name in enumerate(names)}
    lines = [f"    set_{n}(made, values[{n}])" for n in range(len(names))]
    source = "def build(values):\n    made = new(cls)\n" + "\n".join(lines) + "\n    return made\n"
    scope: dict[str, Any] = {"new": object.__new__, "cls": cls, **setters}
    exec(source, scope)  # code made here from the class's own field names, nothing else
    built: Builder = scope["build"]
    return built
