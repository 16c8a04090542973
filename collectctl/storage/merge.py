"""A three-way merge of customer.yaml and invoices.yaml that knows their shape: contacts
are people by name and invoices are invoices by number, so two collectors who each add
one merge cleanly (git sees two additions at the same place and gives up). Anything
both sides changed differently is left to git's own conflict markers."""

from __future__ import annotations

from typing import Any

from ruamel.yaml.comments import CommentedMap

from collectctl.errors import LedgerFileError
from collectctl.storage import store

# the list in each file whose entries are the same entry by this key
KEYED_LISTS = {"contacts": "name", "invoices": "number"}


class Clash(Exception):
    """Both sides changed the same thing differently."""


def merge_text(base: str, ours: str, theirs: str, label: str) -> str | None:
    """The merged file (our formatting and comments kept), or None when it needs a person."""
    try:
        documents = [store.Document(text, label) for text in (base, ours, theirs)]
    except LedgerFileError:
        return None
    old, mine, other = (document.data for document in documents)
    if not all(isinstance(data, CommentedMap) for data in (old, mine, other)):
        return None
    try:
        _merge_mapping(old, mine, other)
    except Clash:
        return None
    return documents[1].text()


def _merge_mapping(old: Any, mine: Any, other: Any) -> None:
    """Bring their changes into `mine`, in place."""
    for key in list(dict.fromkeys([*old, *mine, *other])):
        was, now, theirs = old.get(key), mine.get(key), other.get(key)
        if key in KEYED_LISTS and all(isinstance(v, list | None) for v in (was, now, theirs)):
            if now is None and theirs is not None:
                mine[key] = theirs
            elif now is not None:
                _merge_list(was or [], now, theirs or [], KEYED_LISTS[key])
            continue
        if _plain(theirs) == _plain(was) or _plain(now) == _plain(theirs):
            continue  # only we changed it, or we both made the same change
        if _plain(now) != _plain(was):
            raise Clash(key)
        if key not in other:
            del mine[key]
        else:
            mine[key] = theirs


def _merge_list(old: list[Any], mine: list[Any], other: list[Any], field: str) -> None:
    def index(items: list[Any]) -> dict[str, Any]:
        found = {}
        for item in items:
            if not isinstance(item, dict) or field not in item:
                raise Clash(field)
            found[str(item[field]).casefold()] = item
        return found

    was, now, theirs = index(old), index(mine), index(other)
    for key, item in theirs.items():
        if key not in was and key not in now:
            mine.append(item)  # they added it
        elif key in now and key in was:
            if _plain(item) == _plain(was[key]) or _plain(now[key]) == _plain(item):
                continue
            if _plain(now[key]) != _plain(was[key]):
                raise Clash(key)
            mine[mine.index(now[key])] = item  # only they changed it
        elif key in now and _plain(now[key]) != _plain(item):
            raise Clash(key)  # both added it, differently
        elif key not in now and _plain(item) != _plain(was[key]):
            raise Clash(key)  # we removed what they changed
    for key, item in was.items():
        if key not in theirs and key in now:
            if _plain(now[key]) != _plain(item):
                raise Clash(key)  # they removed what we changed
            mine.remove(now[key])


def _plain(value: Any) -> Any:
    """A node as data, for comparing: formatting and comments do not count."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return None if value is None else str(value)
