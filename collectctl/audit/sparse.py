"""A collector's clone that holds only their accounts: git's cone-mode sparse checkout
with a sparse index, so what status and a commit cost follows the portfolio, not the
ledger (100,000 customers are 2.2 million files).

The portfolio is worked out from the committed files (`git grep` in HEAD's tree, not the
work tree): the customers whose `owner:` is the collector, and those nobody owns (they
are on every collector's list until taken). The collector's id is kept in the clone's
git config (`collectctl.portfolio`), and `sync` moves the checkout when an account
changes hands.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from collectctl.audit.repository import Git
from collectctl.errors import ConflictError
from collectctl.storage.layout import CUSTOMERS_DIR

PORTFOLIO_KEY = "collectctl.portfolio"
# A sparse index and a split index exclude each other (git 2.39); the sparse one pays
# more in a clone holding a fraction of the ledger.
SPARSE_FILES = (
    ("index.version", "4"),
    ("core.splitIndex", "false"),
    ("core.untrackedCache", "true"),
    ("index.sparse", "true"),
)
_CUSTOMER_FILE = f"{CUSTOMERS_DIR}/*/customer.yaml"


def narrow(target: Path) -> Git:
    """A clone made with --no-checkout set up to check out nothing but the top folder's
    files (collectctl.yaml), ready for `hold`."""
    git = Git(target)
    for key, value in SPARSE_FILES:
        git.plumb("config", key, value)
    git.plumb("sparse-checkout", "set", "--cone", "--sparse-index", text=None)
    git.plumb("checkout", "--quiet")
    return git


def hold(root: Path, collector: str) -> int:
    """Check out this collector's portfolio (and remember whose it is); how many."""
    git = Git(root)
    git.plumb("config", PORTFOLIO_KEY, collector)
    folders = portfolio(git, collector)
    _check_out(git, folders)
    return len(folders)


def follow_hand_overs(root: Path) -> int | None:
    """After a sync: the checkout follows accounts that changed hands. None in a clone
    that holds everything; else how many accounts it holds now."""
    git = Git(root)
    collector = git.config(PORTFOLIO_KEY)
    if not collector or not is_sparse(git):
        return None
    wanted = portfolio(git, collector)
    if sorted(_held(git)) != wanted:
        _check_out(git, wanted)
    return len(wanted)


def portfolio(git: Git, collector: str) -> list[str]:
    """The customer folders, committed at HEAD, this collector owns or nobody owns."""
    owned = rf"^owner:[[:space:]]*['\"]?{_literal(collector)}['\"]?[[:space:]]*(#.*)?$"
    mine = git.read("grep", "-l", "-E", owned, "HEAD", "--", _CUSTOMER_FILE) or ""
    nobodys = git.read("grep", "-L", "-E", "^owner:", "HEAD", "--", _CUSTOMER_FILE) or ""
    return sorted({_folder_of(line) for line in (mine + nobodys).splitlines() if line})


def make_room(git: Git, rels: list[str]) -> None:
    """Before a change writes these files into a sparse clone: a new customer's folder
    joins the checkout (git refuses to add files outside it); a customer in the ledger
    but outside the checkout is refused, never written over blind."""
    folders = {"/".join(rel.split("/")[:2]) for rel in rels if rel.count("/") >= 2}
    folders = {folder for folder in folders if folder.startswith(f"{CUSTOMERS_DIR}/")}
    if not folders:
        return
    outside = sorted(folders - _held(git))
    for folder in outside:
        if git.read("ls-tree", "--name-only", "HEAD", "--", folder):
            customer = folder.split("/")[1]
            raise ConflictError(
                f"customer '{customer}' is in the ledger but not in this clone; "
                f"'git sparse-checkout add {folder}' brings it in"
            )
    if outside:
        git.plumb("sparse-checkout", "add", *outside)


def invoice_holder_outside(root: Path, number: str) -> str | None:
    """In a sparse clone, the customer outside the checkout whose committed invoices hold
    this number (numbers are unique ledger-wide), found by git grep in HEAD's tree."""
    git = Git(root)
    if not is_sparse(git):
        return None
    quoted = rf"['\"]?{_literal(number)}['\"]?"
    line = rf"^[[:space:]]*-?[[:space:]]*number:[[:space:]]*{quoted}[[:space:]]*$"
    found = git.read("grep", "-l", "-E", line, "HEAD", "--", f"{CUSTOMERS_DIR}/*/invoices.yaml")
    held = _held(git)
    for path in (found or "").splitlines():
        folder = _folder_of(path)
        if folder not in held:
            return folder.split("/")[1]
    return None


def refuse_partial(root: Path, what: str) -> None:
    """Some work needs every account (an import matches customers by name and invoices
    by number across the ledger): refused in a clone that holds only some."""
    if is_sparse(Git(root)):
        raise ConflictError(
            f"{what} needs every account, and this clone holds only some; "
            "run it in a clone that holds the whole ledger (collectctl clone URL DIR)"
        )


def _check_out(git: Git, folders: list[str]) -> None:
    """Make these folders the cone (besides the top folder's files)."""
    git.plumb("sparse-checkout", "set", "--stdin", text="".join(f"{f}\n" for f in folders))


def _held(git: Git) -> set[str]:
    """The folders the cone checks out."""
    return set((git.read("sparse-checkout", "list") or "").split())


def _folder_of(found: str) -> str:
    """`HEAD:customers/acme/customer.yaml` (git grep in a tree) -> `customers/acme`."""
    return found.removeprefix("HEAD:").rsplit("/", 1)[0]


def _literal(text: str) -> str:
    """`text` matched literally in a POSIX extended regular expression."""
    return "".join(f"[{c}]" if c in ".[]()*+?{}|^$\\" else c for c in text)


def is_sparse(git: Git) -> bool:
    return git.config("core.sparseCheckout") == "true"


class Partial(NamedTuple):
    """What a clone that checks out only some of the ledger's customers holds."""

    whose: str | None  # the collector whose accounts (`collectctl clone --collector`)
    held: int  # the customer folders checked out
    customers: int  # the customers in the ledger, checked out or not

    def __str__(self) -> str:
        whose = f" ({self.whose}'s accounts)" if self.whose else ""
        return f"this clone holds {self.held:,} of the ledger's {self.customers:,} customers{whose}"


def partial(root: Path, view: str | None = None) -> Partial | None:
    """What this clone holds when it is a sparse checkout of only some customers and a
    view of `view`'s accounts (None: everyone's) covers more than it: None in a clone that
    holds every customer committed at HEAD, or for the view of the collector whose
    accounts it holds. (A whole clone, with no sparse-checkout file, pays one stat; the
    collector's own view in their clone, one git config.)"""
    git = Git(root)
    folder = git.git_dir
    if folder is None or not (folder / "info" / "sparse-checkout").exists():
        return None
    wanted = rf"^(core\.sparsecheckout|{PORTFOLIO_KEY.replace('.', '[.]')})$"
    found = git.read("config", "--get-regexp", wanted) or ""
    settings = dict(line.partition(" ")[::2] for line in found.splitlines())
    whose = settings.get(PORTFOLIO_KEY) or None
    if settings.get("core.sparsecheckout") != "true" or (view is not None and view == whose):
        return None
    listing = git.read("ls-tree", "-z", "--name-only", "--full-tree",
                       f"HEAD:{git.prefix or ''}{CUSTOMERS_DIR}")  # fmt: skip
    committed = {name for name in (listing or "").split("\0") if name[:1] not in ("", ".")}
    try:
        held = {name for name in os.listdir(root / CUSTOMERS_DIR) if not name.startswith(".")}
    except FileNotFoundError:
        held = set()
    if committed <= held:
        return None
    return Partial(whose, len(held & committed), len(committed | held))


def outside_checkout(root: Path, customer_id: str) -> str | None:
    """Where a customer not in this sparse clone's checkout is committed, and how to
    bring it in; None when it is not in the ledger at all, or this clone holds all."""
    git = Git(root)
    if not is_sparse(git):
        return None
    folder = f"{CUSTOMERS_DIR}/{customer_id}"
    if not git.read("ls-tree", "--name-only", "HEAD", "--", folder):
        return None
    whose = git.config(PORTFOLIO_KEY)
    held = f"it holds {whose}'s accounts" if whose else "it is a sparse checkout"
    return (
        f"customer '{customer_id}' is in the ledger but not in this clone ({held}); "
        f"'git sparse-checkout add {folder}' brings it in"
    )
