"""import invoices|payments|customers: an export from the books planned under the lock
against the ledger as it is, every row checked first, then written as one commit —
or, with any bad row, nothing written at all."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from collectctl.audit.change import Progress
from collectctl.audit.identity import Identity
from collectctl.audit.sparse import refuse_partial
from collectctl.changes import edits
from collectctl.changes.account_change import Clock, LedgerChange, Outcome, ledger_change
from collectctl.domain.exports import ImportKind, NotRecognised, Sheet, read_sheet
from collectctl.domain.import_plan import BooksPayment, ImportOptions, ImportPlan
from collectctl.domain.import_rows import ContactEntry
from collectctl.domain.importing import plan_import
from collectctl.domain.models import Config
from collectctl.errors import CollectctlError, UsageError
from collectctl.ledger.accounts import Ledger
from collectctl.presentation import import_summary
from collectctl.storage import store
from collectctl.storage.files import read_text
from collectctl.storage.tables import Table


@dataclass(frozen=True)
class ImportRequest:
    kind: ImportKind
    source: str = "auto"  # auto | quickbooks | xero | csv
    columns: tuple[tuple[str, str], ...] = ()  # --map FIELD=HEADER
    mapping: str | None = None  # --mapping NAME, from collectctl.yaml
    date_format: str | None = None
    decimal_comma: bool = False
    close_missing: bool = False


class BadRows(CollectctlError):
    """Every bad row of an export, one `FILE:ROW: message` line each."""


def recognise(table: Table, request: ImportRequest, config: Config) -> tuple[Sheet, ImportOptions]:
    """The export's layout and rows, with the options its mapping brings."""
    columns, date_format, decimal_comma = list(request.columns), request.date_format, False
    if request.mapping is not None:
        named = next((m for m in config.mappings if m.name == request.mapping), None)
        if named is None:
            known = ", ".join(m.name for m in config.mappings) or "none"
            raise UsageError(
                f"--mapping {request.mapping}: collectctl.yaml has no such mapping "
                f"(it has: {known})"
            )
        columns = list(named.columns) + columns
        date_format = date_format or named.date_format
        decimal_comma = named.decimal_comma
    try:
        sheet = read_sheet(table.rows, request.kind, request.source, columns or None)
    except NotRecognised as exc:
        raise CollectctlError(f"{table.label}: {exc}") from None
    options = ImportOptions(
        request.kind,
        table.label,
        date_format,
        decimal_comma or request.decimal_comma,
        request.close_missing,
    )
    return sheet, options


def preview_import(
    ledger: Ledger, table: Table, request: ImportRequest, clock: Clock
) -> ImportPlan:
    """What the import would change (`--dry-run`): no lock, nothing written."""
    sheet, options = recognise(table, request, ledger.config)
    plan = plan_import(sheet, ledger.config, ledger.accounts, options, clock.today)
    _refuse_bad_rows(plan)
    return plan


def run_import(
    ledger: Ledger,
    identity: Identity,
    clock: Clock,
    table: Table,
    request: ImportRequest,
    progress: Progress = None,
) -> tuple[ImportPlan, Outcome]:
    """Plan under the lock against the ledger as it is now, then write it as one commit."""
    refuse_partial(ledger.root, "an import")
    sheet, options = recognise(table, request, ledger.config)
    with ledger_change(ledger, identity, clock) as change:
        current = change.whole_ledger()
        plan = plan_import(sheet, current.config, current.accounts, options, clock.today)
        _refuse_bad_rows(plan)
        if plan.changes_anything():
            change.describe(
                import_summary.subject(plan),
                f"import-{request.kind}",
                body="\n".join(import_summary.lines(plan)),
            )
            _write(change, plan, current, progress)
    outcome = change.outcome()
    if outcome.commit is None:
        said = "is already in the ledger" if sheet.records else "has no rows under its header"
        outcome = Outcome(f"{table.label} {said}", notice=outcome.notice)
    return plan, outcome


def _refuse_bad_rows(plan: ImportPlan) -> None:
    if plan.problems:
        label = plan.options.label
        found = [f"{label}:{p.row}: {p.message}" for p in plan.problems]
        count = len(plan.problems)
        found.append(f"{count} bad row{'s' if count > 1 else ''} in {label}: nothing imported")
        raise BadRows("\n".join(found))


def _write(change: LedgerChange, plan: ImportPlan, ledger: Ledger, progress: Progress) -> None:
    layout = ledger.layout
    files: list[tuple[Path, str]] = []
    for customer in plan.new_customers:
        record: dict[str, Any] = {"name": customer.name}
        record["terms"] = customer.terms if customer.terms is not None else ledger.config.terms
        record["currency"] = customer.currency
        if customer.books_id:
            record["books_id"] = customer.books_id
        if customer.contacts:
            record["contacts"] = [_contact(c) for c in customer.contacts]
        files.append((layout.customer_file(customer.id), store.records_text(record)))
    for customer in plan.changed_customers:
        path = layout.customer_file(customer.id)
        document = store.Document.open(path, layout.rel(path))
        if customer.books_id:
            document.data["books_id"] = customer.books_id
        if customer.contacts:
            edits.append_items(document.data, "contacts", [_contact(c) for c in customer.contacts])
        files.append((path, document.text()))
    files.extend(_invoice_files(plan, ledger))
    for payment in plan.payments:
        files.append(
            change.event_file(payment.customer, "payment", _payment(payment), payment.date)
        )
    change.write_many(files, progress)


def _invoice_files(plan: ImportPlan, ledger: Ledger) -> list[tuple[Path, str]]:
    layout = ledger.layout
    added: dict[str, list[dict[str, Any]]] = {}
    for invoice in plan.new_invoices:
        record: dict[str, Any] = {"number": invoice.number}
        if invoice.po:
            record["po"] = invoice.po
        record.update(issued=invoice.issued, due=invoice.due, amount=invoice.amount)
        record["status"] = "open"
        added.setdefault(invoice.customer, []).append(record)
    updated: dict[str, dict[str, dict[str, str]]] = {}
    for update in plan.updated:
        changes = {name: new for name, _, new in update.changes}
        updated.setdefault(update.customer, {})[update.number] = changes
    files = []
    for customer_id in sorted(set(added) | set(updated)):
        path = layout.invoices_file(customer_id)
        if not path.exists():
            files.append((path, store.records_text({"invoices": added[customer_id]})))
            continue
        text = read_text(path, layout.rel(path))
        if customer_id not in updated:
            appended = store.with_items_appended(text, "invoices", added[customer_id])
            if appended is not None:
                files.append((path, appended))
                continue
        document = store.Document(text, layout.rel(path))
        if document.data is None or document.data.get("invoices") is None:
            raise CollectctlError(f"{layout.rel(path)} has no 'invoices:' list to add to")
        items = document.data["invoices"]
        for item in items:
            for name, value in (
                updated.get(customer_id, {}).get(str(item.get("number")), {}).items()
            ):
                item[name] = _typed(name, value)
        items.extend(store.to_yaml_node(added.get(customer_id, [])))
        files.append((path, document.text()))
    return files


def _typed(name: str, value: str) -> Any:
    if name == "due":
        return date.fromisoformat(value)
    return Decimal(value) if name == "amount" else value


def _contact(contact: ContactEntry) -> dict[str, Any]:
    record: dict[str, Any] = {"name": contact.name}
    for key in ("role", "phone", "email"):
        if getattr(contact, key):
            record[key] = getattr(contact, key)
    if contact.authorizes_payment:
        record["authorizes_payment"] = True
    return record


def _payment(payment: BooksPayment) -> dict[str, Any]:
    return {
        "amount": payment.amount,
        "reference": payment.reference,
        "method": payment.method,
        "invoices": list(payment.named),
        "applied": [{"invoice": a.invoice, "amount": a.amount} for a in payment.allocations],
        "on_account": True if payment.on_account else None,
        "source": "books",
        "notes": payment.notes,
    }
