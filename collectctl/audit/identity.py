"""Who is acting: the commit author and the collector named in events."""

from __future__ import annotations

from pathlib import Path

from msgspec import Struct

from collectctl.audit.repository import Git
from collectctl.domain.inputs import collector_option
from collectctl.domain.models import Config
from collectctl.errors import CollectctlError, did_you_mean
from collectctl.storage.layout import slugify


class Identity(Struct, frozen=True):
    collector_id: str
    name: str
    email: str


def resolve_identity(root: Path, config: Config, who: str | None) -> Identity:
    """--collector / COLLECTCTL_COLLECTOR if given, else git's user.name and user.email
    as seen from the ledger's folder."""
    git = Git(root)
    if who:
        collector = config.find_collector(who)
        if collector:
            return _identity(collector.id, collector.name, collector.email or _email(git))
        collector_option(config, who, "--collector")  # names none of the collectors
        return _identity(slugify(who), who, _email(git))
    name, email = git.config("user.name"), git.config("user.email")
    if not name:
        raise CollectctlError(
            "who is collecting? pass --collector NAME, set COLLECTCTL_COLLECTOR, "
            "or set git's user.name"
        )
    collector = config.find_collector(email or "") or config.find_collector(name)
    if collector:
        return _identity(collector.id, collector.name, collector.email or email or "")
    if config.collectors:  # a team's ledger: only its collectors record
        ids = [c.id for c in config.collectors]
        raise CollectctlError(
            f"git's user {name!r} is not one of the collectors in collectctl.yaml"
            f"{did_you_mean(slugify(name), ids)}: pass --collector ID, set "
            f"COLLECTCTL_COLLECTOR, or add them to collectors: ({', '.join(ids)})"
        )
    return _identity(slugify(name), name, email or "")


def _identity(collector_id: str, name: str, email: str) -> Identity:
    """A commit never gets an empty author email ("Pat Doe <>")."""
    if not email.strip():
        raise CollectctlError(
            f"no email address for {name}: set the collector's email in collectctl.yaml "
            "or git's user.email"
        )
    return Identity(collector_id, name, email)


def _email(git: Git) -> str:
    return git.config("user.email") or ""
