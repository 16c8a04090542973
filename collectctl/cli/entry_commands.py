"""Hand entry: customer add, contact add, invoice add. Each is one commit."""

from __future__ import annotations

from datetime import date

import typer

from collectctl.cli.params import amount_option, customer_argument, date_option
from collectctl.cli.report import report
from collectctl.cli.session import Session
from collectctl.cli.typer_app import App

customer_app = App(
    help="""Customers: add or edit one by hand.

    \b
    Examples:
      collectctl customer add acme --name "Acme Fabrication Inc." --terms 45 --owner maria
      collectctl customer edit acme --credit-limit 20000 --notes "Pays on the 15th"
    """,
    no_args_is_help=True,
)
contact_app = App(
    help="""Contacts: the people you call at a customer.

    \b
    Examples:
      collectctl contact add acme --name "Dana Whitfield" --role approver --authorizes-payment
      collectctl contact edit acme "Dana Whitfield" --phone "+1 555 0100" --hours 09:00-17:00
      collectctl contact remove acme "Dana Whitfield"
    """,
    no_args_is_help=True,
)
invoice_app = App(
    help="""Invoices: add one by hand (or import them from the books).

    \b
    Example:
      collectctl invoice add acme INV-1042 --amount 12400 --issued 2026-10-01 --po PO-77
    """,
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(customer_app, name="customer")
    app.add_typer(contact_app, name="contact")
    app.add_typer(invoice_app, name="invoice")


@customer_app.command("add")
def customer_add(
    ctx: typer.Context,
    customer_id: str = typer.Argument(
        ..., metavar="ID", help="Short id: letters, digits, - and _."
    ),
    name: str = typer.Option(
        ..., "--name", metavar="NAME", help="The customer's legal or trading name."
    ),
    terms: int = typer.Option(
        None,
        "--terms",
        min=0,
        max=3650,
        metavar="DAYS",
        help="Payment terms in days (default: ledger's).",
    ),
    currency: str = typer.Option(
        None, "--currency", metavar="CODE", help="Currency code (default: ledger's)."
    ),
    credit_limit: str = typer.Option(
        None, "--credit-limit", metavar="AMOUNT", help="Credit limit, e.g. 50000.00."
    ),
    owner: str = typer.Option(
        None, "--owner", metavar="COLLECTOR", help="The collector who owns the account."
    ),
) -> None:
    """Add a customer.

    \b
    Example:
      collectctl customer add acme --name "Acme Fabrication Inc." --terms 30
    """
    from collectctl.changes.entry import add_customer
    from collectctl.domain.inputs import currency_option, text_option
    from collectctl.storage.layout import check_customer_id

    session: Session = ctx.obj
    check_customer_id(customer_id)
    name = text_option(name, "--name")
    code = currency_option(currency, "--currency") if currency else None
    ledger = session.ledger(for_writing=True)
    report(
        add_customer(
            ledger,
            session.identity(ledger),
            customer_id,
            name=name,
            terms=terms,
            currency=code,
            credit_limit=credit_limit,
            owner=owner,
        )
    )


@contact_app.command("add")
def contact_add(
    ctx: typer.Context,
    customer: str = customer_argument(),
    name: str = typer.Option(..., "--name", metavar="NAME", help="The person's name."),
    role: str = typer.Option(
        None, "--role", metavar="ROLE", help="approver, payables, ap-manager, …"
    ),
    phone: str = typer.Option(
        None, "--phone", metavar="PHONE", help="Phone number, kept exactly as written."
    ),
    email: str = typer.Option(None, "--email", metavar="EMAIL", help="Email address."),
    authorizes_payment: bool = typer.Option(
        False, "--authorizes-payment", help="This person approves payments: ask for them."
    ),
) -> None:
    """Add a contact person to a customer.

    \b
    Example:
      collectctl contact add acme --name "Dana Whitfield" --role approver --authorizes-payment
    """
    from collectctl.changes.entry import add_contact
    from collectctl.domain.inputs import address_option, text_option
    from collectctl.storage.layout import check_customer_id

    session: Session = ctx.obj
    check_customer_id(customer)
    name = text_option(name, "--name")
    address = address_option(email, "--email") if email is not None else None
    ledger = session.ledger_for(customer, for_writing=True)
    report(
        add_contact(
            ledger,
            session.identity(ledger),
            customer,
            name=name,
            role=role,
            phone=phone,
            email=address,
            authorizes_payment=authorizes_payment,
        )
    )


@invoice_app.command("add")
def invoice_add(
    ctx: typer.Context,
    customer: str = customer_argument(),
    number: str = typer.Argument(
        ..., metavar="NUMBER", help="Invoice number, kept exactly as written."
    ),
    amount: str = amount_option("Invoice total, e.g. 12400.00.", required=True),
    issued: date = date_option("--issued", "Issue date.", required=True),
    due: date = date_option("--due", "Due date (default: issued + terms)."),
    po: str = typer.Option(
        None, "--po", metavar="PO", help="The customer's purchase order number."
    ),
) -> None:
    """Add an invoice to a customer.

    \b
    Example:
      collectctl invoice add acme INV-1042 --amount 12400.00 --issued 2026-09-15 --po PO-7781
    """
    from collectctl.changes.entry import InvoiceEntry, add_invoice
    from collectctl.storage.layout import check_customer_id

    session: Session = ctx.obj
    check_customer_id(customer)
    ledger = session.ledger(for_writing=True)
    entry = InvoiceEntry(number, amount, issued, due, po)
    report(add_invoice(ledger, session.identity(ledger), customer, entry))


def _unset_help(what: str) -> str:
    return f"{what} ('-' clears it)."


@contact_app.command("edit")
def contact_edit(
    ctx: typer.Context,
    customer: str = customer_argument(),
    name: str = typer.Argument(..., metavar="NAME", help="The contact's name, as on file."),
    rename: str = typer.Option(None, "--rename", metavar="NAME", help="A new name."),
    role: str = typer.Option(None, "--role", metavar="ROLE", help=_unset_help("Their role")),
    phone: str = typer.Option(None, "--phone", metavar="PHONE", help=_unset_help("Phone")),
    email: str = typer.Option(None, "--email", metavar="EMAIL", help=_unset_help("Email")),
    authorizes_payment: bool = typer.Option(
        None, "--authorizes-payment/--no-authorizes-payment", help="Approves payments or not."
    ),
    timezone: str = typer.Option(
        None, "--timezone", metavar="ZONE", help=_unset_help("Their time zone, America/Chicago")
    ),
    hours: str = typer.Option(
        None, "--hours", metavar="HH:MM-HH:MM", help=_unset_help("When to call them")
    ),
    notes: str = typer.Option(None, "--notes", metavar="TEXT", help=_unset_help("A note")),
) -> None:
    """Change a contact: phone, email, role, approval, name, time zone, calling hours.

    \b
    Example:
      collectctl contact edit acme "Dana Whitfield" --phone "+1 312 555 0199" --hours 08:00-16:00
    """
    from collectctl.changes.customer_edits import ContactChanges, edit_contact

    session: Session = ctx.obj
    changes = ContactChanges(rename, role, phone, email, authorizes_payment, timezone, hours, notes)
    ledger = session.ledger_for(customer, for_writing=True)
    report(edit_contact(ledger, session.identity(ledger), customer, name, changes))


@contact_app.command("remove")
def contact_remove(
    ctx: typer.Context,
    customer: str = customer_argument(),
    name: str = typer.Argument(..., metavar="NAME", help="The contact's name, as on file."),
) -> None:
    """Remove a contact; one the history names is kept as inactive, never asked for.

    \b
    Example:
      collectctl contact remove acme "Pat Payables"
    """
    from collectctl.changes.customer_edits import remove_contact

    session: Session = ctx.obj
    ledger = session.ledger_for(customer, for_writing=True)
    report(remove_contact(ledger, session.identity(ledger), customer, name))


@customer_app.command("edit")
def customer_edit(
    ctx: typer.Context,
    customer: str = customer_argument(),
    name: str = typer.Option(None, "--name", metavar="NAME", help="The customer's name."),
    terms: int = typer.Option(
        None, "--terms", min=0, max=3650, metavar="DAYS", help="Payment terms in days."
    ),
    owner: str = typer.Option(
        None, "--owner", metavar="COLLECTOR", help=_unset_help("The collector who owns it")
    ),
    credit_limit: str = typer.Option(
        None, "--credit-limit", metavar="AMOUNT", help=_unset_help("Credit limit")
    ),
    notes: str = typer.Option(None, "--notes", metavar="TEXT", help=_unset_help("Notes")),
    books_id: str = typer.Option(
        None, "--books-id", metavar="ID", help=_unset_help("The books' customer number")
    ),
    timezone: str = typer.Option(
        None, "--timezone", metavar="ZONE", help=_unset_help("The customer's time zone")
    ),
    hours: str = typer.Option(
        None, "--hours", metavar="HH:MM-HH:MM", help=_unset_help("When to call")
    ),
    reminders: bool = typer.Option(
        None,
        "--reminders/--no-reminders",
        help="Whether `remind` writes to them (--no-reminders: phone only).",
    ),
) -> None:
    """Change a customer: terms, owner, credit limit, notes, the books' number, hours,
    written reminders.

    \b
    Example:
      collectctl customer edit acme --terms 45 --owner dev --books-id C-1042
    """
    from collectctl.changes.customer_edits import CustomerChanges, edit_customer

    session: Session = ctx.obj
    changes = CustomerChanges(
        name, terms, owner, credit_limit, notes, books_id, timezone, hours, reminders
    )
    ledger = session.ledger_for(customer, for_writing=True)
    report(edit_customer(ledger, session.identity(ledger), customer, changes))
