"""Numbers from environment variables, bounded, each refused in one line that names the
variable: a typo in a cron job's environment is a usage error, never a traceback."""

from __future__ import annotations

import math
import os

from collectctl.errors import UsageError


def env_number(name: str, default: float, low: float, high: float, whole: bool = False) -> float:
    """`name` as a number from `low` to `high` (a whole one with `whole`), else `default`."""
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    kind = "a whole number" if whole else "a number"
    try:
        value = float(int(text)) if whole else float(text)
    except ValueError:
        raise UsageError(f"{name}={text!r}: use {kind} from {low:g} to {high:g}") from None
    if math.isnan(value) or not low <= value <= high:
        raise UsageError(f"{name}={text!r}: use {kind} from {low:g} to {high:g}")
    return value
