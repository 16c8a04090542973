"""From the raw data of a ledger's files to domain records, noting every problem with
its line: collectctl.yaml and customer.yaml (invoices: invoice_schema.py; events:
event_schema.py).

The loader stops at the first problem; `check` reports them all.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from collectctl.domain.exports import FIELDS
from collectctl.domain.inputs import calling_hours, check_timezone, parse_date
from collectctl.domain.models import (
    Collector,
    Config,
    Contact,
    Customer,
    EmailSettings,
    ImportMapping,
    Policy,
    ReminderLevel,
    SmtpSettings,
)
from collectctl.domain.money import check_currency
from collectctl.errors import Problem
from collectctl.storage import layout
from collectctl.storage.fields import Fields, one_address_field

# --- collectctl.yaml -------------------------------------------------------------------


def parse_config(raw: Any, path: str, problems: list[Problem]) -> Config:
    fields = Fields(raw, path, problems, "collectctl.yaml")
    company = fields.text("company", required=True) or "?"
    currency = fields.currency("currency", "USD")
    terms = fields.integer("terms", 30)
    collectors = tuple(
        collector
        for item, line in fields.items("collectors")
        if (collector := _parse_collector(item, line, path, problems))
    )
    seen: set[str] = set()
    for collector in collectors:
        if collector.id in seen:
            problems.append(
                Problem(
                    path,
                    fields.raw.line_of("collectors"),
                    f"collector id '{collector.id}' is listed twice",
                )
            )
        seen.add(collector.id)
    policy = _parse_policy(fields.nested("policy"), currency)
    email = _parse_email(fields.nested("email"))
    ledger_format = fields.integer("format", 1, minimum=1)
    mappings = _parse_mappings(fields.nested("mappings"))
    rates = _parse_rates(fields.nested("rates"))
    fields.finish()
    return Config(
        company, currency, terms, collectors, policy, email, ledger_format, mappings, rates
    )


def _parse_rates(fields: Fields) -> tuple[tuple[str, Decimal], ...]:
    """`rates: {EUR: 1.08}`: one unit of each currency in the ledger's currency."""
    found = []
    for code in list(fields.raw):
        line = fields.raw.line_of(str(code))
        try:
            check_currency(str(code))
        except ValueError as exc:
            fields.problem(line, f"rates: {exc}")
            fields.used.add(str(code))
            continue
        rate = fields.amount(str(code), None)
        if rate is not None:
            found.append((str(code), rate))
    return tuple(found)


def _parse_mappings(fields: Fields) -> tuple[ImportMapping, ...]:
    """`mappings: {lockbox: {columns: {customer: Payer, …}, date_format: …}}`."""
    found = []
    for name in list(fields.raw):
        mapping = fields.nested(str(name))
        columns = mapping.nested("columns")
        pairs = []
        for key in list(columns.raw):
            header = columns.text(str(key), required=True)
            if key not in FIELDS:
                columns.problem(
                    columns.raw.line_of(str(key)),
                    f"{key!r} is not a field an import reads ({', '.join(FIELDS)})",
                )
            elif header:
                pairs.append((str(key), header))
        columns.finish()
        date_format = mapping.text("date_format")
        decimal_comma = mapping.flag("decimal_comma")
        mapping.finish()
        found.append(ImportMapping(str(name), tuple(pairs), date_format, decimal_comma))
    fields.used.update(str(name) for name in fields.raw)
    return tuple(found)


def _parse_collector(raw: Any, line: int, path: str, problems: list[Problem]) -> Collector | None:
    fields = Fields(raw, path, problems, "a collector", line)
    collector_id = fields.text("id", required=True)
    name = fields.text("name", required=True)
    email = fields.text("email")
    role = fields.text("role") or "collector"
    fields.finish()
    if collector_id and not layout.valid_slug(collector_id):
        fields.problem(fields.raw.line_of("id"), f"collector id {collector_id!r} is not a slug")
        return None
    if not (collector_id and name):
        return None
    return Collector(collector_id, name, email, role)


_POLICY_NUMBERS = (
    "first_call_after_due",
    "check_in_mail_followup",
    "promise_grace",
    "escalate_days_past_due",
    "escalate_broken_promises",
    "retry_after_no_answer",
    "call_again_after",
    "invoice_copy_followup",
    "dispute_review_days",
    "dispute_escalate_days",
    "reminder_gap",
    "reminder_followup",
)
REMINDER_ATTACHMENTS = ("invoices", "statement")


def _parse_policy(fields: Fields, currency: str) -> Policy:
    defaults = Policy()
    holidays = []
    for item, line in fields.items("holidays"):
        try:
            holidays.append(parse_date(item if isinstance(item, str) else repr(item)))
        except ValueError as exc:
            fields.problem(line, f"holidays: {exc}")
    numbers = {
        name: fields.integer(name, getattr(defaults, name), minimum=1 if "promises" in name else 0)
        for name in _POLICY_NUMBERS
    }
    minimum = fields.amount("reminder_minimum", currency, zero_ok=True)
    policy = Policy(
        **numbers,
        send_confirmations=fields.flag("send_confirmations", defaults.send_confirmations),
        holidays=tuple(sorted(holidays)),
        reminders=_parse_reminders(fields) if "reminders" in fields.raw else defaults.reminders,
        reminder_minimum=defaults.reminder_minimum if minimum is None else minimum,
    )
    fields.finish()
    return policy


def _parse_reminders(fields: Fields) -> tuple[ReminderLevel, ...]:
    """`reminders:` levels, each later and higher than the one before."""
    levels: list[ReminderLevel] = []
    for item, line in fields.items("reminders"):
        level_fields = Fields(item, fields.path, fields.problems, "a reminder level", line)
        template = level_fields.text("template", required=True) or "?"
        level = ReminderLevel(
            level=level_fields.integer("level", len(levels) + 1, minimum=1),
            after=level_fields.integer("after", 0),
            template=template,
            attach=level_fields.choice("attach", REMINDER_ATTACHMENTS),
        )
        level_fields.finish()
        if not layout.valid_slug(template):
            level_fields.problem(line, f"template {template!r} is not a template name")
        elif levels and (level.level <= levels[-1].level or level.after <= levels[-1].after):
            level_fields.problem(
                line, "each reminder level must be higher, and sent later, than the one before"
            )
        levels.append(level)
    return tuple(levels)


def _parse_email(fields: Fields) -> EmailSettings:
    sender = one_address_field(fields, "from")
    reply_to = fields.flag("reply_to_collector", True)
    cc = fields.flag("cc_collector", False)
    smtp_fields = fields.nested("smtp")
    smtp = SmtpSettings(
        host=smtp_fields.text("host"),
        port=smtp_fields.integer("port", 0, maximum=65_535) or None,
        security=smtp_fields.choice("security", ("none", "starttls", "ssl")) or "starttls",
        username=smtp_fields.text("username"),
    )
    if "password" in smtp_fields.raw:
        smtp_fields.used.add("password")
        smtp_fields.problem(
            smtp_fields.raw.line_of("password"),
            "never keep a password in the ledger; set COLLECTCTL_SMTP_PASSWORD instead",
        )
    smtp_fields.finish()
    fields.finish()
    return EmailSettings(sender, reply_to, cc, smtp)


# --- customers/<id>/customer.yaml -------------------------------------------------------


def parse_customer(
    raw: Any, customer_id: str, path: str, config: Config, problems: list[Problem]
) -> Customer:
    fields = Fields(raw, path, problems, "customer.yaml")
    name = fields.text("name", required=True) or customer_id
    terms = fields.integer("terms", config.terms)
    currency = fields.currency("currency", config.currency)
    credit_limit = fields.amount("credit_limit", currency)
    owner = fields.text("owner")
    if owner and config.collectors and not config.find_collector(owner):
        fields.problem(
            fields.raw.line_of("owner"), f"owner {owner!r} is not a collector in collectctl.yaml"
        )
    contacts: list[Contact] = []
    for item, line in fields.items("contacts"):
        contact_fields = Fields(item, path, problems, "a contact", line)
        contact = Contact(
            name=contact_fields.text("name", required=True) or "?",
            role=contact_fields.text("role"),
            phone=contact_fields.text("phone"),
            email=one_address_field(contact_fields, "email"),
            authorizes_payment=contact_fields.flag("authorizes_payment"),
            notes=contact_fields.text("notes"),
            timezone=_timezone(contact_fields),
            hours=_hours(contact_fields),
            formerly=contact_fields.text_list("formerly"),
            inactive=contact_fields.flag("inactive"),
        )
        contact_fields.finish()
        if any(c.name.casefold() == contact.name.casefold() for c in contacts):
            contact_fields.problem(line, f"contact {contact.name!r} is listed twice")
        contacts.append(contact)
    notes = fields.text("notes")
    books_id = fields.text("books_id")
    timezone, hours = _timezone(fields), _hours(fields)
    no_reminders = fields.flag("no_reminders")
    fields.finish()
    return Customer(
        customer_id,
        name,
        terms,
        currency,
        credit_limit,
        owner,
        tuple(contacts),
        notes,
        books_id,
        timezone,
        hours,
        no_reminders,
    )


def _timezone(fields: Fields) -> str | None:
    return fields.checked("timezone", check_timezone)


def _hours(fields: Fields) -> str | None:
    return fields.checked("hours", calling_hours)
