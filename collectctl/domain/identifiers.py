"""The shapes of the ids that become paths and git pathspecs: customer ids (slugs),
invoice numbers and the paths of invoices' documents. Checked here once, for hand entry,
imports and the schema alike."""

from __future__ import annotations

import re

_SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
_INVOICE_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._#/-]{0,63}")


def valid_slug(value: str) -> bool:
    return bool(_SLUG.fullmatch(value))


def valid_invoice_number(value: str) -> bool:
    return bool(_INVOICE_NUMBER.fullmatch(value)) and ".." not in value


def inside_folder(path: str) -> bool:
    """A relative path that cannot leave the folder it is read from (`document:`)."""
    return not path.startswith("/") and ".." not in path.split("/")
