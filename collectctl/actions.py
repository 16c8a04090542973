"""Every change to a ledger: validate, edit the files, commit once.

Each action re-reads what it edits under the write lock, so two collectors' processes
never overwrite each other's work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from collectctl import store
from collectctl.audit import Audit, Change, Identity
from collectctl.errors import CollectctlError, UsageError
from collectctl.layout import CONFIG_FILE, OUTBOX_DIR, STATE_DIR, Layout, valid_invoice_number
from collectctl.ledger import Ledger, load_account
from collectctl.models import Config
from collectctl.money import format_money, normalize, parse_amount
from collectctl.resources import bundled
from collectctl.schema import parse_config

SAMPLE_AS_OF = date(2026, 11, 23)  # the Monday the sample ledger's story is told from
_ISO_DATE = re.compile(r"(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)")


@dataclass(frozen=True)
class Outcome:
    """What an action did, for the command to report."""

    summary: str
    commit: str | None = None
    notice: str | None = None  # what crash recovery did first, if anything
    details: tuple[str, ...] = ()  # further lines for the user: the next follow-up, …


def amount_option(text: str, currency: str, option: str) -> Decimal:
    """An amount given on the command line: exact, positive, in the currency's decimals."""
    try:
        amount = parse_amount(text, currency)
    except ValueError as exc:
        raise UsageError(f"{option}: {exc}") from None
    if amount <= 0:
        raise UsageError(f"{option}: {text} must be more than zero")
    return normalize(amount, currency)


def finish(change: Change, details: tuple[str, ...] = ()) -> Outcome:
    return Outcome(change.subject or "", change.commit_id, change.notice, details)


# --- init ------------------------------------------------------------------------------

_CONFIG_TEMPLATE = """\
# collectctl ledger settings: plain YAML, reviewed like code.
company: {company}
currency: {currency}
terms: 30  # default payment terms in days (net 30)

# The people who make the calls; `owner` in customer.yaml names one of them by id.
collectors: []
#  - id: maria
#    name: Maria Lopez
#    email: maria@example.com

# The numbers the call list and follow-ups use.
policy:
  first_call_after_due: 5  # first call N days after an invoice's due date
  check_in_mail_followup: 7  # chase a check reported mailed after N days
  promise_grace: 1  # days after a promised date before the promise counts as broken
  escalate_days_past_due: 60  # escalate to the credit manager at N days past due
  escalate_broken_promises: 2  # ... or after N broken promises
  retry_after_no_answer: 2  # voicemail or no answer: try again in N days
  call_again_after: 7  # reached someone but no agreement: call again in N days
  invoice_copy_followup: 3  # after "never received the invoice": confirm the copy arrived
  send_confirmations: false  # true: every promise emails its written confirmation
  holidays: []  # dates follow-ups never land on, besides weekends

# Outgoing mail; without an SMTP host, messages are written to outbox/.
# The password comes only from COLLECTCTL_SMTP_PASSWORD, never from this file.
email:
  # from: ar@example.com
  smtp:
    # host: smtp.example.com
    port: 587
    security: starttls
"""

_GITIGNORE_LINES = (f"{STATE_DIR}/", f"{OUTBOX_DIR}/")


def init_ledger(
    directory: Path,
    *,
    sample: bool,
    today: date,
    who: str | None,
    company: str | None = None,
    currency: str = "USD",
) -> Outcome:
    directory = directory.resolve()
    if (directory / CONFIG_FILE).exists():
        raise CollectctlError(f"{directory} is already a ledger ({CONFIG_FILE} exists)")
    if sample:
        shift = timedelta(weeks=(today - SAMPLE_AS_OF).days // 7)
        files = _sample_files(directory, shift)
        subject = f"init: sample ledger with dates as of {SAMPLE_AS_OF + shift}"
        # the sample names its collectors: the author may be one of them
        config_text = files[directory / CONFIG_FILE]
        config = parse_config(store.parse(config_text, CONFIG_FILE), CONFIG_FILE, [])
    else:
        name = company or directory.name.replace("-", " ").replace("_", " ").title()
        files = {
            directory / CONFIG_FILE: _CONFIG_TEMPLATE.format(
                company=store.yaml_scalar(name), currency=currency
            )
        }
        subject = f"init: new ledger for {name}"
        config = Config(company=name)
    files[directory / ".gitignore"] = _gitignore_text(directory / ".gitignore")

    created = not directory.exists()
    directory.mkdir(parents=True, exist_ok=True)
    audit = Audit(Layout(directory))
    try:
        identity = audit.identity(config, who)
    except CollectctlError:
        if created:
            directory.rmdir()  # leave nothing behind for a failed init
        raise
    if not audit.is_repository():
        audit.init_repository()
    with audit.change(identity) as change:
        for path, content in files.items():
            change.write(path, content)
        change.describe(subject, "init")
    return finish(change)


def _gitignore_text(path: Path) -> str:
    existing = path.read_text() if path.exists() else ""
    missing = [line for line in _GITIGNORE_LINES if line not in existing.splitlines()]
    prefix = existing if not existing or existing.endswith("\n") else existing + "\n"
    return prefix + "".join(f"{line}\n" for line in missing)


def _sample_files(directory: Path, shift: timedelta) -> dict[Path, str | bytes]:
    """The bundled sample, with every ISO date (in names and text) moved by `shift`,
    a whole number of weeks so follow-ups stay on the same weekdays."""

    def moved(match: re.Match) -> str:
        return (date.fromisoformat(match.group(0)) + shift).isoformat()

    source = bundled("sample-ledger")
    files: dict[Path, str | bytes] = {}
    for path in sorted(source.rglob("*")):
        if not path.is_file() or path.name == "README.md":
            continue
        if {STATE_DIR, OUTBOX_DIR} & set(path.relative_to(source).parts):
            continue  # a developer's cache or outbox beside the bundled sample
        target = directory / _ISO_DATE.sub(moved, path.relative_to(source).as_posix())
        if path.suffix in (".yaml", ".j2", ".txt"):
            files[target] = _ISO_DATE.sub(moved, path.read_text(encoding="utf-8"))
        else:  # documents such as invoice PDFs travel byte for byte
            files[target] = path.read_bytes()
    return files


# --- hand entry: customers, contacts, invoices -----------------------------------------


def add_customer(
    ledger: Ledger,
    identity: Identity,
    customer_id: str,
    *,
    name: str,
    terms: int | None,
    currency: str | None,
    credit_limit: Decimal | None,
    owner: str | None,
) -> Outcome:
    layout = ledger.layout
    path = layout.customer_file(customer_id)
    if owner and ledger.config.collectors and not ledger.config.find_collector(owner):
        raise UsageError(f"--owner: {owner!r} is not a collector in {CONFIG_FILE}")
    record: dict = {"name": name, "terms": terms or ledger.config.terms}
    record["currency"] = currency or ledger.config.currency
    if credit_limit is not None:
        record["credit_limit"] = normalize(credit_limit, record["currency"])
    if owner:
        record["owner"] = (
            ledger.config.find_collector(owner).id if ledger.config.collectors else owner
        )
    audit = Audit(layout)
    with audit.change(identity) as change:
        if path.parent.exists():
            raise CollectctlError(f"customer '{customer_id}' already exists ({layout.rel(path)})")
        change.write(path, store.to_yaml_text(record))
        change.describe(
            f"customer add {customer_id}: {name}, net {record['terms']} {record['currency']}",
            "customer-add",
            customer_id,
        )
    return finish(change)


def add_contact(
    ledger: Ledger,
    identity: Identity,
    customer_id: str,
    *,
    name: str,
    role: str | None,
    phone: str | None,
    email: str | None,
    authorizes_payment: bool,
) -> Outcome:
    layout = ledger.layout
    ledger.account(customer_id)  # an unknown id fails here, with a suggestion
    audit = Audit(layout)
    with audit.change(identity) as change:
        account = load_account(layout, ledger.config, customer_id)
        if account.customer.find_contact(name):
            raise CollectctlError(f"{customer_id} already has a contact named {name!r}")
        path = layout.customer_file(customer_id)
        document = store.Document.open(path, layout.rel(path))
        contact: dict = {"name": name}
        for key, value in (("role", role), ("phone", phone), ("email", email)):
            if value:
                contact[key] = value
        if authorizes_payment:
            contact["authorizes_payment"] = True
        contacts = document.data.get("contacts")
        if contacts is None:
            document.data["contacts"] = store.to_yaml_node([contact])
        else:
            contacts.append(store.to_yaml_node(contact))
        change.write(path, document.text())
        details = ", ".join(
            filter(None, [role, "authorizes payments" if authorizes_payment else None])
        )
        change.describe(
            f"contact add {customer_id}: {name}" + (f" ({details})" if details else ""),
            "contact-add",
            customer_id,
        )
    return finish(change)


def add_invoice(
    ledger: Ledger,
    identity: Identity,
    customer_id: str,
    number: str,
    *,
    amount_text: str,
    issued: date,
    due: date | None,
    po: str | None,
) -> Outcome:
    if not valid_invoice_number(number):
        raise UsageError(
            f"invalid invoice number {number!r}: use letters, digits and . _ # / - "
            "(starting with a letter or digit)"
        )
    layout = ledger.layout
    ledger.account(customer_id)  # an unknown id fails here, with a suggestion
    audit = Audit(layout)
    with audit.change(identity) as change:
        account = load_account(layout, ledger.config, customer_id)
        customer = account.customer
        amount = amount_option(amount_text, customer.currency, "--amount")
        for other in ledger.accounts.values():
            if other.id != customer_id and other.find_invoice(number):
                raise CollectctlError(f"invoice {number} already belongs to {other.id}")
        if account.find_invoice(number):
            raise CollectctlError(f"{customer_id} already has invoice {number}")
        due = due or issued + timedelta(days=customer.terms)
        if due < issued:
            raise UsageError(f"--due {due} is before --issued {issued}")
        record: dict = {"number": number}
        if po:
            record["po"] = po
        record.update(issued=issued, due=due, amount=amount, status="open")
        path = layout.invoices_file(customer_id)
        if path.exists():
            document = store.Document.open(path, layout.rel(path))
            if document.data is None or document.data.get("invoices") is None:
                raise CollectctlError(f"{layout.rel(path)} has no 'invoices:' list to add to")
            document.data["invoices"].append(store.to_yaml_node(record))
            text = document.text()
        else:
            text = store.to_yaml_text({"invoices": [record]})
        change.write(path, text)
        change.describe(
            f"invoice add {customer_id}: {number} for {format_money(amount, customer.currency)}"
            f" due {due}",
            "invoice-add",
            customer_id,
        )
    return finish(change)
