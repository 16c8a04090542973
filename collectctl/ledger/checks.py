"""`collectctl check`: every problem in a ledger, each with its file and line."""

from __future__ import annotations

from collections.abc import Callable

from collectctl.domain.models import Account, Payment
from collectctl.domain.money import format_money
from collectctl.errors import Problem, did_you_mean
from collectctl.ledger.read import read_ledger
from collectctl.storage.event_schema import event_references
from collectctl.storage.layout import (
    ACTIVITY_DIR,
    CUSTOMER_FILE,
    CUSTOMERS_DIR,
    INVOICES_FILE,
    Layout,
)


def check_ledger(layout: Layout, announce: Callable[[int], None] | None = None) -> list[Problem]:
    loaded = read_ledger(layout.root, announce=announce)
    ledger, problems = loaded.ledger, list(loaded.problems)
    owners: dict[str, str] = {}
    broken = {problem.path for problem in problems}
    for account in ledger.accounts.values():
        for invoice in account.invoices:
            owner = owners.setdefault(invoice.number, account.id)
            if owner != account.id:
                path = f"{CUSTOMERS_DIR}/{account.id}/{INVOICES_FILE}"
                problems.append(
                    Problem(
                        path,
                        _line_containing(layout, path, invoice.number),
                        f"invoice {invoice.number} also belongs to {owner}",
                    )
                )
        problems += account_problems(layout, account, broken, ledger.config.collector_ids)
    return sorted(set(problems), key=lambda p: (p.path, p.line or 0, p.message))


def account_problems(
    layout: Layout, account: Account, broken: set[str], collectors: frozenset[str]
) -> list[Problem]:
    """What check finds in one account beyond its files' own problems: events naming
    invoices or contacts it does not have or recorded by someone the ledger's collectors
    do not include (when it lists any), a payment reference recorded twice, a payment
    whose named invoice was already paid. `broken`: files already reported, whose
    references would only echo."""
    problems: list[Problem] = []
    folder = f"{CUSTOMERS_DIR}/{account.id}"
    check_invoices = f"{folder}/{INVOICES_FILE}" not in broken
    check_contacts = f"{folder}/{CUSTOMER_FILE}" not in broken
    numbers = {invoice.number for invoice in account.invoices}
    for event in account.events:
        path = f"{folder}/{ACTIVITY_DIR}/{event.file}"
        if collectors and event.collector not in collectors:
            problems.append(
                Problem(
                    path,
                    _line_containing(layout, path, "collector:"),
                    f"recorded by {event.collector!r}, who is not a collector in collectctl.yaml"
                    f"{did_you_mean(event.collector, collectors)}",
                )
            )
        invoices, contacts = event_references(event)
        for number in invoices if check_invoices else ():
            if number not in numbers:
                problems.append(
                    Problem(
                        path,
                        _line_containing(layout, path, number),
                        f"names invoice {number}, which {account.id} does not have",
                    )
                )
        for name in contacts if check_contacts else ():
            if account.customer.find_contact(name) is None:
                problems.append(
                    Problem(
                        path,
                        _line_containing(layout, path, name),
                        f"names contact {name!r}, who is not in customer.yaml",
                    )
                )
    problems += _repeated_references(layout, account)
    problems += _spilled_payments(layout, account)
    return problems


def _repeated_references(layout: Layout, account: Account) -> list[Problem]:
    """The same payment reference twice for one customer: the same money counted twice
    (typed twice, or recorded on two branches), unless the later one says it knows."""
    first: dict[str, Payment] = {}
    found = []
    for event in account.events:
        if type(event) is not Payment or not event.reference:
            continue
        earlier = first.setdefault(event.reference, event)
        if earlier is not event and not event.duplicate_reference:
            path = f"{CUSTOMERS_DIR}/{account.id}/{ACTIVITY_DIR}/{event.file}"
            message = (
                f"payment reference {event.reference} is also recorded in "
                f"{ACTIVITY_DIR}/{earlier.file}; if both are real, add "
                "'duplicate_reference: true' to this one"
            )
            found.append(Problem(path, _line_containing(layout, path, "reference"), message))
    return found


def _spilled_payments(layout: Layout, account: Account) -> list[Problem]:
    """A payment naming an invoice that earlier payments had paid (two collectors took the
    same money on two branches, say): held as credit, which a person should look at."""
    found = []
    for payment in account.events:
        if type(payment) is not Payment:
            continue
        for spill in payment.spilled:  # worked out when the account was settled on reading
            path = f"{CUSTOMERS_DIR}/{account.id}/{ACTIVITY_DIR}/{payment.file}"
            money = format_money(spill.amount, account.customer.currency)
            message = (
                f"names invoice {spill.invoice}, which earlier payments had already paid: "
                f"{money} is credit (record a correction naming another invoice if it was "
                "meant for one)"
            )
            found.append(Problem(path, _line_containing(layout, path, spill.invoice), message))
    return found


def _line_containing(layout: Layout, rel: str, needle: str) -> int | None:
    lines = (layout.root / rel).read_text(encoding="utf-8").splitlines()
    return next((number for number, line in enumerate(lines, 1) if needle in line), None)
