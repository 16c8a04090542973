"""clone: a collector's copy of the team's ledger — all of it, or (--collector) only the
accounts they own and those nobody owns, in a sparse checkout that `sync` keeps
following as accounts change hands."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from collectctl.audit import sparse
from collectctl.audit.hooks import set_up_clone
from collectctl.audit.repository import Git
from collectctl.domain.inputs import collector_option
from collectctl.errors import CollectctlError
from collectctl.ledger.read import read_config
from collectctl.storage.layout import CONFIG_FILE


@dataclass(frozen=True)
class Cloned:
    folder: Path
    collector: str | None
    accounts: int | None  # held in a sparse clone; None: the whole ledger


def clone_ledger(url: str, target: Path, collector: str | None, executable: str) -> Cloned:
    """Clone, check the ledger is at the repository's top, set the clone up (merge
    driver, settings for many files); with a collector, hold only their portfolio. A
    clone that fails is removed again."""
    target = target.absolute()
    made = not target.exists()
    target.parent.mkdir(parents=True, exist_ok=True)
    if not made and any(target.iterdir()):
        raise CollectctlError(f"{target} already exists and is not empty")
    try:
        partial = ["--no-checkout"] if collector else []  # checked out by sparse.hold
        Git(Path.cwd()).plumb("clone", "--quiet", *partial, url, str(target))
        if collector:
            sparse.narrow(target)
        if not (target / CONFIG_FILE).is_file():
            raise CollectctlError(f"{url} holds no {CONFIG_FILE} at its top: not a ledger")
        set_up_clone(target, executable)
        if collector is None:
            return Cloned(target, None, None)
        chosen = collector_option(read_config(target), collector, "--collector")
        return Cloned(target, chosen, sparse.hold(target, chosen))
    except BaseException:
        if made:
            shutil.rmtree(target, ignore_errors=True)
        raise
