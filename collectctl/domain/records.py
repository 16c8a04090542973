"""Building the domain's records (msgspec Structs, made in C) from all their field values
in field order, for the quick reads that make hundreds of thousands of them in a cold
read; their field names and defaults, for those reads and the cache's layout digest."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from msgspec import NODEFAULT, Struct, structs

T = TypeVar("T", bound=Struct)
Builder = Callable[[Sequence[Any]], Any]
_BUILDERS: dict[type, Builder] = {}


def builder(cls: type[T]) -> Callable[[Sequence[Any]], T]:
    """A function making one `cls` from all its field values, in field order."""
    made = _BUILDERS.get(cls)
    if made is None:
        names = field_names(cls)
        if cls.__match_args__ == names:  # every field positional: straight to the C init
            made = _BUILDERS[cls] = lambda values: cls(*values)
        else:  # keyword-only fields (the events): by name
            made = _BUILDERS[cls] = lambda values: cls(**dict(zip(names, values, strict=True)))
    return made


def field_names(cls: type[Struct]) -> tuple[str, ...]:
    return cls.__struct_fields__


def defaults(cls: type[Struct], missing: Any) -> list[Any]:
    """Each field's default, in field order; `missing` where it has none (a field whose
    default is made by a factory, too: one made here would be shared by every record)."""
    return [missing if f.default is NODEFAULT else f.default for f in structs.fields(cls)]
