"""The terminal, the way git treats it: listings fit its width, and one longer than the
screen goes through a pager (`COLLECTCTL_PAGER`, else `PAGER`, else `less` with `FRX`:
quit if it fits, keep colours, leave the screen as it was). Into a pipe or a file,
output is written as it is, a record per line."""

from __future__ import annotations

import functools
import io
import os
import shutil
import sys
from collections.abc import Callable
from typing import Any, TypeVar

from collectctl.presentation.output import fit_to
from collectctl.presentation.pager import show

F = TypeVar("F", bound=Callable[..., Any])
_pager_allowed = True


def set_up(width: int | None, pager: bool) -> None:
    """From the global options: `--width` wins; else the terminal's width on a terminal."""
    global _pager_allowed
    _pager_allowed = pager
    if width is None and sys.stdout.isatty():
        width = shutil.get_terminal_size().columns
    fit_to(width)


def paged(command: F) -> F:
    """A listing command whose output goes through the pager when it is longer than
    the terminal; errors still reach stderr at once."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        pager = _pager_command()
        if pager is None:
            return command(*args, **kwargs)
        screen, sys.stdout = sys.stdout, io.StringIO()
        try:
            return command(*args, **kwargs)
        finally:
            text, sys.stdout = sys.stdout.getvalue(), screen
            show(text, pager)

    return run  # type: ignore[return-value]


def _pager_command() -> str | None:
    if not _pager_allowed or not sys.stdout.isatty():
        return None
    command = os.environ.get("COLLECTCTL_PAGER", os.environ.get("PAGER", "less"))
    return None if command.strip() in ("", "cat") else command
