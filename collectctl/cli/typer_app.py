"""Typer with usage lines the way git and Click print them: `brief [OPTIONS] CUSTOMER`,
where Typer writes a required argument as `{CUSTOMER}`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import typer
from typer.core import TyperCommand

F = TypeVar("F", bound=Callable[..., Any])


class PlainUsageCommand(TyperCommand):
    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = super().collect_usage_pieces(ctx)
        return [p[1:-1] if p.startswith("{") and p.endswith("}") else p for p in pieces]


class App(typer.Typer):
    """A Typer app whose commands print plain usage lines."""

    def command(self, *args: Any, **kwargs: Any) -> Callable[[F], F]:
        kwargs.setdefault("cls", PlainUsageCommand)
        return super().command(*args, **kwargs)
