"""User-facing errors: each carries a message a collector understands and an exit code.

The CLI root is the one place that turns them into a line on stderr.
"""

from __future__ import annotations

from collections.abc import Iterable

from msgspec import Struct


class CollectctlError(Exception):
    """A failure the user can act on; printed as one line, never as a traceback."""

    exit_code = 1

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(CollectctlError):
    """A bad command-line argument or option value."""

    exit_code = 2


class LedgerFileError(CollectctlError):
    """A problem inside a ledger file, located by path (relative to the ledger) and line."""

    def __init__(self, path: str, line: int | None, message: str):
        self.path = path
        self.line = line
        self.detail = message
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")

    def problem(self) -> Problem:
        return Problem(self.path, self.line, self.detail)


class Problem(Struct, frozen=True):
    """Something wrong in a ledger file, noted so a whole ledger can be checked at once."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return str(self.error())

    def error(self) -> LedgerFileError:
        return LedgerFileError(self.path, self.line, self.message)


class NotFoundError(CollectctlError):
    """An unknown customer, contact, invoice or ledger."""


class ConflictError(CollectctlError):
    """The ledger is not in a state we may change: uncommitted edits, a held lock, a git failure."""


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest of `known`, or nothing."""
    import difflib  # only an error needs it

    close = difflib.get_close_matches(word, list(known), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


class DiskFullError(CollectctlError):
    """The disk holding the ledger is full: nothing was recorded."""

    def __init__(self) -> None:
        super().__init__(
            "the disk holding the ledger is full: nothing was recorded; "
            "free some space and try again"
        )
