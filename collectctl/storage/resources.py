"""Files that ship with collectctl: the sample ledger and the default templates."""

from __future__ import annotations

from pathlib import Path

from collectctl.errors import CollectctlError

_PACKAGE = Path(__file__).parent.parent  # the collectctl package


def bundled(name: str) -> Path:
    """`sample-ledger` or `templates`: packaged in the wheel, or beside the source tree."""
    for candidate in (_PACKAGE / "_bundled" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise CollectctlError(f"collectctl's bundled {name}/ is missing; reinstall collectctl")
