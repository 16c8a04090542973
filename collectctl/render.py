"""Jinja templates: call openers and confirmation emails.

A ledger may override any template in its own `templates/` folder. Templates run in
Jinja's sandbox with StrictUndefined, so a typo is an error naming the template and
line, never a blank in an email; HTML templates are autoescaped.
"""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Any

from collectctl.errors import CollectctlError
from collectctl.layout import TEMPLATES_DIR
from collectctl.resources import bundled


class TemplateError(CollectctlError):
    """A template that does not render: named with its line."""


class Templates:
    def __init__(self, ledger_root: Path | None):
        import jinja2
        from jinja2.sandbox import ImmutableSandboxedEnvironment

        folders = [bundled("templates")]
        if ledger_root is not None and (ledger_root / TEMPLATES_DIR).is_dir():
            folders.insert(0, ledger_root / TEMPLATES_DIR)
        self._folders = folders
        self._env = ImmutableSandboxedEnvironment(
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
            return self._env.get_template(name).render(**context)
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
