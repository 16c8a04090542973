"""Jinja templates: call openers and confirmation emails.

A ledger may override any template in its own `templates/` folder. Templates run in
Jinja's sandbox with StrictUndefined, so a typo is an error naming the template and
line, never a blank in an email; HTML templates are autoescaped.
"""

from __future__ import annotations

import signal
import threading
import traceback
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from collectctl.errors import CollectctlError
from collectctl.storage.environment import env_number
from collectctl.storage.layout import TEMPLATES_DIR
from collectctl.storage.resources import bundled

if TYPE_CHECKING:
    import jinja2

MAX_OUTPUT_CHARS = 1_000_000
TIME_LIMIT_SECONDS = 5.0  # COLLECTCTL_TEMPLATE_TIME_LIMIT overrides (tests make it short)


class TemplateError(CollectctlError):
    """A template that does not render: named with its line."""


def _bounded_environment(**options: Any) -> jinja2.Environment:
    """Jinja's immutable sandbox, refusing arithmetic that builds huge values."""
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class Bounded(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**"})

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if _too_big(operator, left, right):
                raise SecurityError(f"'{operator}' would build too large a value")
            return super().call_binop(context, operator, left, right)

    return Bounded(**options)


def _too_big(operator: str, left: Any, right: Any) -> bool:
    if operator == "**":
        return isinstance(right, int) and right > 64
    count, repeated = (right, left) if isinstance(right, int) else (left, right)
    return isinstance(repeated, str | list | tuple) and isinstance(count, int) and count > 10_000


@contextmanager
def _time_limit(seconds: float, where: str) -> Iterator[None]:
    """Stop a runaway template: a cron job must never hang on one."""
    if threading.current_thread() is not threading.main_thread() or seconds <= 0:
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise TemplateError(f"{where}: rendering took longer than {seconds:g} s; stopped")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class Templates:
    def __init__(self, ledger_root: Path | None):
        import jinja2

        folders = [bundled("templates")]
        if ledger_root is not None and (ledger_root / TEMPLATES_DIR).is_symlink():
            raise TemplateError(f"{TEMPLATES_DIR}/ is a symlink; ledgers hold only real files")
        if ledger_root is not None and (ledger_root / TEMPLATES_DIR).is_dir():
            folders.insert(0, ledger_root / TEMPLATES_DIR)
        self._folders = folders
        self._env = _bounded_environment(
            loader=jinja2.FileSystemLoader([str(folder) for folder in folders]),
            undefined=jinja2.StrictUndefined,
            autoescape=lambda name: bool(name) and name.endswith(".html.j2"),
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def render(self, name: str, context: dict[str, Any]) -> str:
        import jinja2

        try:
            template = self._env.get_template(name)
            limit = env_number("COLLECTCTL_TEMPLATE_TIME_LIMIT", TIME_LIMIT_SECONDS, 0.1, 600)
            with _time_limit(limit, self._where(name)):
                return self._bounded_output(template.generate(**context), name)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(
                f"{self._where(exc.name or name)}:{exc.lineno}: {exc.message}"
            ) from None
        except jinja2.TemplateNotFound:
            raise TemplateError(f"template {name} not found in {TEMPLATES_DIR}/") from None
        except jinja2.TemplateError as exc:
            line = _template_line(exc, name)
            where = f"{self._where(name)}:{line}" if line else self._where(name)
            raise TemplateError(f"{where}: {exc.message or exc}") from None
        except (OverflowError, MemoryError):  # range(10**9) and the like
            raise TemplateError(f"{self._where(name)}: builds too large a value; stopped") from None
        except RecursionError:  # a template that includes itself
            raise TemplateError(
                f"{self._where(name)}: includes itself without end; stopped"
            ) from None

    def message(self, stem: str, context: dict[str, Any]) -> tuple[str, str, str]:
        """Subject, text and HTML of an email from `STEM.subject.j2`, `.txt.j2`, `.html.j2`."""
        return (
            self.render(f"{stem}.subject.j2", context).strip(),
            self.render(f"{stem}.txt.j2", context),
            self.render(f"{stem}.html.j2", context),
        )

    def _bounded_output(self, pieces: Iterable[str], name: str) -> str:
        output: list[str] = []
        size = 0
        for piece in pieces:
            size += len(piece)
            if size > MAX_OUTPUT_CHARS:
                raise TemplateError(
                    f"{self._where(name)}: output is over {MAX_OUTPUT_CHARS:,} characters; stopped"
                )
            output.append(piece)
        return "".join(output)

    def _where(self, name: str) -> str:
        for folder in self._folders:
            if (folder / name).exists():
                return f"{TEMPLATES_DIR}/{name}" if folder.name == TEMPLATES_DIR else name
        return name


def _template_line(exc: Exception, name: str) -> int | None:
    # Jinja rewrites tracebacks so template frames carry the template's own line.
    frames = traceback.extract_tb(exc.__traceback__)
    lines = [frame.lineno for frame in frames if frame.filename.endswith(name)]
    return lines[-1] if lines else None
