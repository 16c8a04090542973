"""What an import changes, worked out against the ledger as it is: customers matched or
new, invoices new, updated or closed, balances brought to the books', payments new or
already recorded, and every bad row. Pure: the change layer writes a plan, `--dry-run`
prints it. (Invoices are planned in import_invoices.py, payments in import_payments.py.)"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from msgspec import Struct

from collectctl.domain.export_values import name_key, slug_of
from collectctl.domain.exports import ImportKind, Record, Sheet
from collectctl.domain.identifiers import valid_slug
from collectctl.domain.import_rows import ContactEntry, RowProblem, RowReader
from collectctl.domain.models import Account, Allocation, Config, Customer

ZERO = Decimal(0)


class ImportOptions(Struct, frozen=True):
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


class NewInvoice(Struct, frozen=True):
    customer: str
    number: str
    issued: date
    due: date
    amount: Decimal
    po: str | None
    row: int


class InvoiceUpdate(Struct, frozen=True):
    customer: str
    number: str
    changes: tuple[tuple[str, str, str], ...]  # field, old, new (as the YAML writes them)
    row: int


class BooksPayment(Struct, frozen=True):
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


class Skipped(Struct, frozen=True):
    row: int
    reason: str


class Ahead(Struct, frozen=True):
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
    open_left: dict[tuple[str, str], Decimal] = field(default_factory=dict)  # as planned

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
        self.config = config
        self.accounts = accounts
        self.plan = plan
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
            elif not valid_slug(given):
                rows.problem(record, f"customer: {given!r} is not an id (letters, digits, -)")
                return None
        if found is None and number is not None:
            found = self.by_books.get(number)
        if found is None and name:
            found = self.by_name.get(name_key(name))
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
            self.by_name.setdefault(name_key(name), found)
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
