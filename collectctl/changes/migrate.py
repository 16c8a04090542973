"""migrate: bring a ledger to the current format in one commit.

Format 1 copied payments and disputes into invoices.yaml beside their events; format 2
keeps only the books' facts there, and everything that happens to an account as events.
Migrating writes an event for every copy that had none, removes the copies, and checks,
before committing, that every invoice's balance, status and dispute read the same as
before. Like init, it is a change to the whole ledger rather than to one account.
"""

from __future__ import annotations

from typing import Any

from collectctl.audit.hooks import set_up_clone
from collectctl.audit.identity import Identity
from collectctl.audit.repository import Git
from collectctl.changes.account_change import AccountEdit, Clock, Outcome, ledger_change
from collectctl.changes.scaffold import team_files
from collectctl.domain.models import LEDGER_FORMAT, Account, DisputeEvent, Payment
from collectctl.errors import CollectctlError, ConflictError
from collectctl.ledger.accounts import Ledger
from collectctl.ledger.read import read_ledger
from collectctl.storage import store


def migrate(ledger: Ledger, identity: Identity, clock: Clock, executable: str) -> Outcome:
    """`ledger` read with any_format=True; `executable`: this collectctl, for the clone's
    merge driver. The clone is set up for many files either way (git's own settings, not
    a change to the ledger)."""
    set_up_clone(ledger.root, executable)
    if ledger.config.format >= LEDGER_FORMAT:
        return Outcome(f"the ledger is already in format {LEDGER_FORMAT}")
    if Git(ledger.root).read("status", "--porcelain", "--", ".") not in ("", None):
        raise ConflictError("the ledger has uncommitted changes; commit or stash them first")
    before = _state(ledger)
    with ledger_change(ledger, identity, clock, any_format=True) as change:
        for customer_id in ledger.records:
            _migrate_account(change.account(customer_id))
        top = Git(ledger.root).prefix == ""
        for path, text in team_files(ledger.root, repository_top=top).items():
            change.write(path, text)
        config = ledger.layout.config
        document = store.Document.open(config, ledger.layout.rel(config))
        document.data.insert(0, "format", LEDGER_FORMAT)
        change.write(config, document.text())
        after = _state(read_ledger(ledger.root).strict())
        changed = sorted(
            key for key in before.keys() | after.keys() if before.get(key) != after.get(key)
        )
        if changed:
            raise CollectctlError(
                f"nothing migrated: {changed[0][0]} {changed[0][1]} would read differently"
            )
        change.describe(
            f"migrate: ledger to format {LEDGER_FORMAT} (payments and disputes as events only)",
            "migrate",
        )
    return change.outcome()


def _state(ledger: Ledger) -> dict[tuple[str, str], tuple[Any, ...]]:
    """What must read the same after migrating: each invoice's balance, status, dispute."""
    return {
        (account.id, invoice.number): (
            invoice.balance,
            invoice.status,
            invoice.dispute and (invoice.dispute.reason, invoice.dispute.resolved),
        )
        for account in ledger.accounts.values()
        for invoice in account.invoices
    }


def _migrate_account(edit: AccountEdit) -> None:
    account = edit.account
    _payment_events(edit, account)
    _dispute_events(edit, account)
    path = edit.layout.invoices_file(account.id)
    if not path.exists():
        return
    document = edit.document(path)
    for node in (document.data or {}).get("invoices") or []:
        for key in ("payments", "dispute"):
            node.pop(key, None)
        if node.get("status") == "paid":
            del node["status"]  # worked out from payments now
    edit.save(path)


def _payment_events(edit: AccountEdit, account: Account) -> None:
    """Events keep their applications; payments only copied into invoices.yaml (entered
    by hand) become events of their own."""
    recorded = set()
    for event in account.events:
        if type(event) is Payment:
            recorded.add((event.date, event.reference))
            _drop_unapplied(edit, event)
    for invoice in account.invoices:
        for paid in invoice.payments:
            if (paid.date, paid.reference) in recorded:
                continue
            recorded.add((paid.date, paid.reference))
            record = {
                "amount": paid.amount,
                "reference": paid.reference,
                "applied": [{"invoice": invoice.number, "amount": paid.amount}],
                "notes": "recorded in invoices.yaml before format 2",
            }
            edit.write_event("payment", record, on=paid.date)


def _drop_unapplied(edit: AccountEdit, event: Payment) -> None:
    """What was left over is worked out now; format 1 wrote it down."""
    path = edit.layout.activity_dir(edit.id) / event.file
    document = edit.document(path)
    if "unapplied" in document.data:
        del document.data["unapplied"]
        edit.save(path)


def _dispute_events(edit: AccountEdit, account: Account) -> None:
    """A dispute only in invoices.yaml becomes a dispute event (and a resolution)."""
    with_events = {e.invoice for e in account.events if type(e) is DisputeEvent}
    resolved = {e.invoice for e in account.events if type(e) is DisputeEvent and e.resolution}
    for invoice in account.invoices:
        dispute = invoice.dispute
        if dispute is None:
            continue
        if invoice.number not in with_events:
            record = {
                "invoice": invoice.number,
                "reason": dispute.reason,
                "amount": dispute.amount,
                "notes": dispute.notes,
            }
            edit.write_event("dispute", record, on=dispute.opened)
        if dispute.resolved is not None and invoice.number not in resolved:
            resolution = {"invoice": invoice.number, "resolution": "resolved"}
            edit.write_event("dispute", resolution, on=dispute.resolved)
