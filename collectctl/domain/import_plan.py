"""What an import changes, worked out against the ledger as it is: customers matched or
new, invoices new, updated or closed, balances brought to the books', payments new or
already recorded, and every bad row. Pure: the change layer writes a plan, `--dry-run`
prints it. (Payments are planned in import_payments.py.)"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

from collectctl.domain.exports import ImportKind, Record, Sheet
from collectctl.domain.import_rows import ContactEntry, RowProblem, RowReader
from collectctl.domain.models import Account, Allocation, Config, Customer, Invoice
from collectctl.domain.settle import settle

ZERO = Decimal(0)
_CREDIT_TYPES = {
    "payment",
    "credit memo",
    "journal entry",
    "accreccredit",
    "credit note",
    "sales credit note",
}
_INVOICE_TYPES = {"invoice", "accrec", "sales invoice", "tax invoice"}


@dataclass(frozen=True)
class ImportOptions:
    kind: ImportKind
    label: str  # the file as named, for the commit and the messages
    date_format: str | None = None
    decimal_comma: bool = False
    close_missing: bool = False


@dataclass
class CustomerPlan:
    """A customer the import creates, or one whose customer.yaml it adds to."""

    id: str
    name: str
    new: bool
    currency: str
    terms: int | None = None
    books_id: str | None = None  # set on customer.yaml
    contacts: list[ContactEntry] = field(default_factory=list)


@dataclass(frozen=True)
class NewInvoice:
    customer: str
    number: str
    issued: date
    due: date
    amount: Decimal
    po: str | None
    row: int


@dataclass(frozen=True)
class InvoiceUpdate:
    customer: str
    number: str
    changes: tuple[tuple[str, str, str], ...]  # field, old, new (as the YAML writes them)
    row: int


@dataclass(frozen=True)
class BooksPayment:
    """A payment event the import writes: money the books received, a balance the books
    lowered (`balance`), an invoice they closed (`closed`), or credit they hold."""

    customer: str
    date: date
    amount: Decimal
    purpose: str  # payment | balance | closed | credit
    rows: tuple[int, ...] = ()
    reference: str | None = None
    method: str | None = None
    named: tuple[str, ...] = ()
    allocations: tuple[Allocation, ...] = ()
    on_account: bool = False
    notes: str | None = None


@dataclass(frozen=True)
class Skipped:
    row: int
    reason: str


@dataclass(frozen=True)
class Ahead:
    """An invoice the ledger shows as more paid than the books do: a payment recorded
    here that the books have not posted yet. Left as it is, and said."""

    customer: str
    invoice: str
    ledger_balance: Decimal
    books_balance: Decimal
    row: int


@dataclass
class ImportPlan:
    options: ImportOptions
    layout: str  # the export as recognised, e.g. "QuickBooks Online report"
    customers: dict[str, CustomerPlan] = field(default_factory=dict)
    new_invoices: list[NewInvoice] = field(default_factory=list)
    updated: list[InvoiceUpdate] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)
    payments: list[BooksPayment] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    ahead: list[Ahead] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    currencies: dict[str, str] = field(default_factory=dict)  # of every customer it names

    @property
    def new_customers(self) -> list[CustomerPlan]:
        return [c for c in self.customers.values() if c.new]

    @property
    def changed_customers(self) -> list[CustomerPlan]:
        return [c for c in self.customers.values() if not c.new and (c.contacts or c.books_id)]

    def changes_anything(self) -> bool:
        return bool(
            self.new_customers
            or self.changed_customers
            or self.new_invoices
            or self.updated
            or self.payments
        )


class CustomerIndex:
    """Customers found by ledger id, the books' customer number, or name (without case
    and punctuation); new ones get an id made of their name."""

    def __init__(self, config: Config, accounts: Mapping[str, Account], plan: ImportPlan):
        from collectctl.domain.export_values import name_key

        self.config = config
        self.accounts = accounts
        self.plan = plan
        self._key = name_key
        self.by_books: dict[str, str] = {}
        self.by_name: dict[str, str] = {}
        for customer_id, account in accounts.items():
            if account.customer.books_id:
                self.by_books[account.customer.books_id] = customer_id
            self.by_name.setdefault(name_key(account.customer.name), customer_id)
        self.taken = set(accounts)
        self.owners = {i.number: a.id for a in accounts.values() for i in a.invoices}

    def customer(self, customer_id: str) -> Customer:
        if customer_id in self.accounts:
            return self.accounts[customer_id].customer
        new = self.plan.customers[customer_id]
        return Customer(customer_id, new.name, new.terms or self.config.terms, new.currency)

    def resolve(
        self, record: Record, rows: RowReader, create: bool, currency: str | None = None
    ) -> str | None:
        """The customer id a row names, creating one where the import may; None (with a
        problem) where it names none the ledger knows."""
        from collectctl.domain.export_values import slug_of
        from collectctl.domain.identifiers import valid_slug as valid_customer_id

        given = rows.text(record, "customer")
        number = rows.text(record, "number")
        name = rows.text(record, "name") or record.group
        found = None
        if given is not None:
            if given in self.accounts or given in self.plan.customers:
                found = given
            elif not create:
                rows.problem(record, f"unknown customer '{given}'")
                return None
            elif not valid_customer_id(given):
                rows.problem(record, f"customer: {given!r} is not an id (letters, digits, -)")
                return None
        if found is None and number is not None:
            found = self.by_books.get(number)
        if found is None and name:
            found = self.by_name.get(self._key(name))
        if found is None:
            if not create:
                rows.problem(record, f"unknown customer {name or number!r}: import it first")
                return None
            if not (given or name):
                rows.problem(record, "no customer on this row")
                return None
            found = given or slug_of(name or "", self.taken)
            self.taken.add(found)
            self.plan.customers[found] = CustomerPlan(
                found,
                name or found,
                True,
                currency or self.config.currency,
                rows.terms(record),
                number,
            )
        self.plan.currencies[found] = self.customer(found).currency
        if name:
            self.by_name.setdefault(self._key(name), found)
        if number is not None:
            self.by_books.setdefault(number, found)
            self._remember_number(found, number)
        return found

    def _remember_number(self, customer_id: str, number: str) -> None:
        if customer_id in self.accounts and not self.accounts[customer_id].customer.books_id:
            self.touch(customer_id).books_id = number

    def touch(self, customer_id: str) -> CustomerPlan:
        """The plan for an existing customer's customer.yaml."""
        if customer_id not in self.plan.customers:
            customer = self.accounts[customer_id].customer
            self.plan.customers[customer_id] = CustomerPlan(
                customer_id, customer.name, False, customer.currency
            )
        return self.plan.customers[customer_id]

    def add_contact(self, customer_id: str, contact: ContactEntry | None) -> None:
        if contact is None:
            return
        wanted = contact.name.casefold()
        known = self.accounts[customer_id].customer.contacts if customer_id in self.accounts else ()
        if any(c.name.casefold() == wanted for c in known):
            return
        plan = self.plan.customers.get(customer_id) or self.touch(customer_id)
        if all(c.name.casefold() != wanted for c in plan.contacts):
            plan.contacts.append(contact)


def plan_customers(sheet: Sheet, rows: RowReader, index: CustomerIndex, plan: ImportPlan) -> None:
    for record in sheet.records:
        currency = rows.currency(record)
        customer_id = index.resolve(record, rows, create=True, currency=currency)
        if customer_id is None:
            continue
        customer = index.customer(customer_id)
        index.add_contact(customer_id, rows.contact(record, customer.name))


@dataclass
class _BooksInvoice:
    """One invoice as the export gives it (its line items summed)."""

    record: Record
    number: str
    amount: Decimal | None
    balance: Decimal | None
    kind: str  # invoice | credit | other
    status: str


def plan_invoices(
    sheet: Sheet,
    rows: RowReader,
    index: CustomerIndex,
    plan: ImportPlan,
    today: date,
) -> None:
    """New invoices, books' changes to known ones, balances brought to the export's."""
    found = _invoices_of(sheet, rows, plan)
    listed: dict[str, set[str]] = {}
    wanted: dict[str, list[tuple[_BooksInvoice, Decimal]]] = {}  # balances to reach
    edited: dict[str, dict[str, Invoice]] = {}
    for books in found:
        record = books.record
        currency = rows.currency(record)
        if books.kind == "other":
            plan.skipped.append(Skipped(record.row, f"a {record.get('type')}, not an invoice"))
            continue
        customer_id = index.resolve(record, rows, create=True, currency=currency)
        if customer_id is None:
            continue
        customer = index.customer(customer_id)
        index.add_contact(customer_id, rows.contact(record, customer.name))
        if currency and currency != customer.currency:
            rows.problem(
                record,
                f"invoice {books.number} is in {currency}; {customer_id} is billed in "
                f"{customer.currency}",
            )
            continue
        if books.kind == "credit":
            _plan_credit(books, customer_id, customer, rows, index, plan, today)
            continue
        listed.setdefault(customer_id, set()).add(books.number)
        invoice = _invoice_change(books, customer_id, customer, rows, index, plan)
        if invoice is None:
            continue
        edited.setdefault(customer_id, {})[invoice.number] = invoice
        if books.balance is not None and invoice.status != "void":
            wanted.setdefault(customer_id, []).append((books, books.balance))
    if rows.problems:
        return
    for customer_id in sorted(set(edited) | set(wanted) | set(listed)):
        _bring_to_books(
            customer_id,
            index,
            plan,
            edited.get(customer_id, {}),
            wanted.get(customer_id, []),
            listed.get(customer_id, set()),
            today,
        )


def _invoices_of(sheet: Sheet, rows: RowReader, plan: ImportPlan) -> list[_BooksInvoice]:
    """One entry per invoice number: line items summed; a number given twice with
    different data is a bad row, twice with the same data once."""
    by_number: dict[str, _BooksInvoice] = {}
    order: list[_BooksInvoice] = []
    for record in sheet.records:
        number = rows.text(record, "invoice")
        if number is None:
            if record.get("type") or record.get("balance") or record.get("amount"):
                plan.skipped.append(Skipped(record.row, "no invoice number"))
            continue
        kind = _kind_of(record)
        amount = (
            _line_total(record, rows) if sheet.layout.line_items else rows.money(record, "amount")
        )
        balance = rows.money(record, "balance")
        status = (record.get("status") or "").casefold()
        earlier = by_number.get(number)
        if earlier is None:
            by_number[number] = entry = _BooksInvoice(record, number, amount, balance, kind, status)
            order.append(entry)
        elif sheet.layout.line_items and earlier.record.get("name") == record.get("name"):
            earlier.amount = (earlier.amount or ZERO) + (amount or ZERO)
        elif _same(earlier.record, record):
            plan.skipped.append(
                Skipped(record.row, f"invoice {number} again, the same as row {earlier.record.row}")
            )
        else:
            rows.problem(
                record,
                f"invoice {number} is listed twice with different data (first on row "
                f"{earlier.record.row})",
            )
    if sheet.layout.line_items:
        for entry in order:
            total = rows.money(entry.record, "amount")  # the invoice total, where given
            entry.amount = total if total is not None else entry.amount
    return order


def _line_total(record: Record, rows: RowReader) -> Decimal | None:
    line = rows.money(record, "line_amount")
    if line is None:
        quantity = rows.money(record, "quantity")
        unit = rows.money(record, "unit_amount")
        line = quantity * unit if quantity is not None and unit is not None else None
    tax = rows.money(record, "tax_amount") or ZERO
    return None if line is None else line + tax


def _same(one: Record, other: Record) -> bool:
    return {k: v for k, v in one.values.items()} == {k: v for k, v in other.values.items()}


def _kind_of(record: Record) -> str:
    kind = " ".join((record.get("type") or "invoice").casefold().split())
    if kind in _INVOICE_TYPES:
        return "invoice"
    return "credit" if kind in _CREDIT_TYPES else "other"


def _invoice_change(
    books: _BooksInvoice,
    customer_id: str,
    customer: Customer,
    rows: RowReader,
    index: CustomerIndex,
    plan: ImportPlan,
) -> Invoice | None:
    """The invoice as it will stand: new, or the ledger's with the books' changes."""
    from collectctl.domain.identifiers import valid_invoice_number

    record, number, currency = books.record, books.number, customer.currency
    if not valid_invoice_number(number):
        rows.problem(
            record,
            f"invoice number {number!r} has characters other than letters, digits and . _ # / -",
        )
        return None
    issued = rows.date(record, "issued", required=True)
    due = rows.date(record, "due")
    amount = books.amount if books.amount is not None else books.balance
    for name, value in (("amount", books.amount), ("balance", books.balance)):
        if value is not None and not rows.in_currency(record, name, value, currency):
            return None
    if books.amount is not None and books.amount < 0:
        rows.problem(record, f"invoice {number}: the amount {books.amount} is negative")
        return None
    if books.balance is not None and books.balance < 0:
        rows.problem(record, f"invoice {number}: the open balance {books.balance} is negative")
        return None
    if amount is not None and books.balance is not None and books.balance > amount:
        rows.problem(
            record, f"invoice {number}: open {books.balance} is more than its amount {amount}"
        )
        return None
    if issued is None:
        return None
    if due is not None and due < issued:
        rows.problem(record, f"invoice {number}: due {due} is before issued {issued}")
        return None
    owner = index.owners.get(number)
    if owner is not None and owner != customer_id:
        rows.problem(
            record, f"invoice {number} belongs to {owner} in the ledger, not {customer_id}"
        )
        return None
    voided = books.status in ("voided", "deleted", "void")
    if owner is None:
        if voided or books.status == "draft":
            plan.skipped.append(
                Skipped(record.row, f"invoice {number} is {books.status} in the books")
            )
            return None
        if amount is None or amount == 0:
            plan.skipped.append(Skipped(record.row, f"invoice {number}: no amount"))
            return None
        due = due or issued + timedelta(days=customer.terms)
        plan.new_invoices.append(
            NewInvoice(
                customer_id, number, issued, due, amount, rows.text(record, "po"), record.row
            )
        )
        index.owners[number] = customer_id
        return Invoice(number, issued, due, amount, currency)
    known = index.accounts[owner].find_invoice(number)
    assert known is not None
    changes: list[tuple[str, str, str]] = []
    if due is not None and due != known.due:
        changes.append(("due", known.due.isoformat(), due.isoformat()))
    if books.amount is not None and books.amount != known.amount and books.amount > 0:
        changes.append(("amount", str(known.amount), str(books.amount)))
    if voided and known.status != "void":
        changes.append(("status", known.status, "void"))
    if changes:
        plan.updated.append(InvoiceUpdate(customer_id, number, tuple(changes), record.row))
    return replace(
        known,
        due=due or known.due,
        amount=books.amount if books.amount is not None and books.amount > 0 else known.amount,
        status="void" if voided else known.status,
    )


def _plan_credit(
    books: _BooksInvoice,
    customer_id: str,
    customer: Customer,
    rows: RowReader,
    index: CustomerIndex,
    plan: ImportPlan,
    today: date,
) -> None:
    """An unapplied payment or credit memo in an open-items report: credit the books
    hold for the customer, recorded once (by its number)."""
    open_amount = books.balance if books.balance is not None else books.amount
    if open_amount is None or open_amount >= 0:
        plan.skipped.append(
            Skipped(books.record.row, f"a {books.record.get('type')} with nothing open")
        )
        return
    credit = -open_amount
    if not rows.in_currency(books.record, "balance", credit, customer.currency):
        return
    account = index.accounts.get(customer_id)
    from collectctl.domain.models import Payment

    if account and any(
        isinstance(e, Payment) and e.reference == books.number for e in account.events
    ):
        plan.skipped.append(Skipped(books.record.row, f"credit {books.number} already recorded"))
        return
    day = rows.date(books.record, "issued") or today
    plan.payments.append(
        BooksPayment(
            customer_id,
            min(day, today),
            credit,
            "credit",
            (books.record.row,),
            books.number,
            on_account=True,
            notes=f"{books.record.get('type')} {books.number}: credit in the books",
        )
    )


def _bring_to_books(
    customer_id: str,
    index: CustomerIndex,
    plan: ImportPlan,
    edited: dict[str, Invoice],
    wanted: list[tuple[_BooksInvoice, Decimal]],
    listed: set[str],
    today: date,
) -> None:
    """Settle the account as it will stand and record, per invoice, what the books know
    was paid or credited and the ledger does not."""
    before = index.accounts.get(customer_id) or Account(index.customer(customer_id))
    invoices = [edited.pop(i.number, i) for i in before.invoices] + list(edited.values())
    after, _ = settle(replace(before, invoices=tuple(invoices)))
    for books, balance in wanted:
        invoice = after.find_invoice(books.number)
        if invoice is None:
            continue
        difference = invoice.balance - balance
        if difference > 0:
            plan.payments.append(
                BooksPayment(
                    customer_id,
                    today,
                    difference,
                    "balance",
                    (books.record.row,),
                    allocations=(Allocation(books.number, difference),),
                    notes=f"open balance in the books: {balance}",
                )
            )
        elif difference < 0:
            plan.ahead.append(
                Ahead(customer_id, books.number, invoice.balance, balance, books.record.row)
            )
    if plan.options.close_missing and customer_id in index.accounts:
        for invoice in after.invoices:
            if invoice.number not in listed and invoice.balance > 0:
                plan.closed.append(invoice.number)
                plan.payments.append(
                    BooksPayment(
                        customer_id,
                        today,
                        invoice.balance,
                        "closed",
                        allocations=(Allocation(invoice.number, invoice.balance),),
                        notes="no longer open in the books",
                    )
                )
