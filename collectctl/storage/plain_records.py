"""The quick read of a plain event or invoice, as collectctl and the books write them.

Nearly every event is flat `key: value` lines of texts, dates, amounts and lists, and
every invoice a record of the same. Such a record is read straight from a table of its
keys, without a Fields call a key (a cold read at 10,000 customers reads 200,000 events
and 100,000 invoices). Anything else — a key the table lacks, a value of another type,
one a check refuses, a required key missing — is left to the checked readers
(event_schema.py, invoice_schema.py), which note the problem with its line. Both readings agree
wherever the quick one answers: tests read every record of the sample and generated
ledgers, and thousands of broken ones, both ways.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from collectctl.domain.identifiers import inside_folder, valid_invoice_number
from collectctl.domain.inputs import parse_date
from collectctl.domain.models import (
    Call,
    CheckVoided,
    Customer,
    DisputeEvent,
    EmailSent,
    Escalation,
    Event,
    Installment,
    Invoice,
    Message,
    Note,
    Payment,
    Promise,
)
from collectctl.domain.money import parse_amount
from collectctl.domain.records import builder, defaults, field_names
from collectctl.domain.vocabulary import (
    CALL_OUTCOMES,
    CHECK_VOID_REASONS,
    DISPUTE_REASONS,
    EMAIL_PURPOSES,
    MESSAGE_CHANNELS,
    PAYMENT_METHODS,
)
from collectctl.storage.fields import whole_number
from collectctl.storage.plain_yaml import Mapping


class _Declined(Exception):
    """The quick read leaves the record to the checked reader."""


def _plain_text(value: Any) -> str:
    if value.__class__ is not str:
        raise _Declined
    return value


def _plain_name(value: Any) -> str:
    """A required text: one of spaces alone is a problem to report."""
    if value.__class__ is not str or not value.strip():
        raise _Declined
    return value


def _plain_date(value: Any) -> date:
    return parse_date(_plain_text(value))


def _plain_amount(value: Any) -> Decimal:
    amount = parse_amount(_plain_text(value))
    if amount <= 0:
        raise _Declined
    return amount


def _plain_list(value: Any) -> tuple[str, ...]:
    values = value if value.__class__ is list else [value]
    if not all(v.__class__ is str for v in values):
        raise _Declined
    return tuple(values)


def _plain_addressees(value: Any) -> tuple[str, ...]:
    addressees = _plain_list(value)
    if not addressees:
        raise _Declined
    return addressees


def _plain_flag(value: Any) -> bool:
    if value.__class__ is not bool:
        raise _Declined
    return value


def _plain_level(value: Any) -> int | None:
    # the checked reader's own bounds; level 0 is no level, as it has it
    return whole_number(_plain_text(value)) or None


def _one_of(choices: tuple[str, ...]) -> Callable[[Any], str]:
    def plain_choice(value: Any) -> str:
        if value not in choices:  # only a text equals one of them
            raise _Declined
        return value  # type: ignore[no-any-return]

    return plain_choice


Reader = Callable[[Any], Any]
_COMMON_KEYS: dict[str, Reader | tuple[str, Reader]] = {
    "date": _plain_date,
    "collector": _plain_name,
    "recorded": _plain_text,
    "contact": _plain_text,
    "notes": _plain_text,
    "corrects": _plain_text,
}
_UNSET: Any = object()  # a required field no key has given yet


class _PlainKind:
    """How a kind of plain event is read: each key's place among the record's fields
    (its own name unless given) and reader; keys past the fields (a promise's `by` and
    `amount`) are worked into them by `finish`."""

    def __init__(
        self,
        cls: type[Event],
        keys: dict[str, Reader | tuple[str, Reader]],
        *extra: str,
        finish: Callable[[list[Any]], None] | None = None,
    ) -> None:
        self.build = builder(cls)
        places = [*field_names(cls), *extra]
        self.start = [*defaults(cls, _UNSET), *(_UNSET for _ in extra)]
        self.keys: dict[str, tuple[int, Reader]] = {}
        for key, how in (_COMMON_KEYS | keys).items():
            field, read = how if isinstance(how, tuple) else (key, how)
            self.keys[key] = places.index(field), read
        self.fields = len(places) - len(extra)
        self.finish = finish

    def read(self, raw: Mapping, file_name: str) -> Event | None:
        values = self.start.copy()
        values[0] = file_name  # Event.file
        keys = self.keys
        try:
            for key, value in raw.items():
                if key != "kind":
                    place, read = keys[key]
                    values[place] = read(value)
        except (_Declined, KeyError, ValueError):
            return None
        if self.finish is not None:
            self.finish(values)
        if _UNSET in values:
            return None  # a required key is missing
        return self.build(values[: self.fields])


def _reason_or_resolution(values: list[Any]) -> None:
    """A dispute event opens one (`reason:`) or resolves one (`resolution:`)."""
    if values[_DISPUTE_REASON] is None and values[_DISPUTE_RESOLUTION] is None:
        values[_DISPUTE_REASON] = _UNSET


_DISPUTE_REASON = field_names(DisputeEvent).index("reason")
_DISPUTE_RESOLUTION = field_names(DisputeEvent).index("resolution")


def _one_installment(values: list[Any]) -> None:
    """`amount:` and `by:` (the two places past the fields) are the promise's one
    installment."""
    amount, by = values[-2:]
    del values[-2:]
    if by is not _UNSET and amount is not _UNSET:
        values[_INSTALLMENTS] = (Installment(by, amount),)


_INSTALLMENTS = field_names(Promise).index("installments")


_PLAIN_KINDS = {
    Call.kind: _PlainKind(
        Call,
        {
            "outcome": _one_of(CALL_OUTCOMES),
            "invoices": _plain_list,
            "recording": _plain_text,
            "dispute_reason": _one_of(DISPUTE_REASONS),
            "follow_up": _plain_date,
        },
    ),
    Promise.kind: _PlainKind(
        Promise,
        {
            "by": _plain_date,
            "amount": _plain_amount,
            "method": _one_of(PAYMENT_METHODS),
            "invoices": _plain_list,
        },
        "amount",
        "by",
        finish=_one_installment,
    ),
    Payment.kind: _PlainKind(
        Payment,
        {
            "amount": _plain_amount,
            "reference": _plain_text,
            "method": _one_of(PAYMENT_METHODS),
            "invoices": ("named", _plain_list),
            "duplicate_reference": _plain_flag,
            "source": _one_of(("books",)),
            "on_account": _plain_flag,
        },
    ),
    EmailSent.kind: _PlainKind(
        EmailSent,
        {
            "to": _plain_addressees,
            "subject": _plain_name,
            "cc": _plain_list,
            "message_id": _plain_text,
            "attachments": _plain_list,
            "invoices": _plain_list,
            "purpose": _one_of(EMAIL_PURPOSES),
            "delivery": _one_of(("interrupted",)),
            "level": _plain_level,
        },
    ),
    DisputeEvent.kind: _PlainKind(
        DisputeEvent,
        {
            "invoice": _plain_name,
            "reason": _one_of(DISPUTE_REASONS),
            "amount": _plain_amount,
            "resolution": _plain_name,
            "credit": _plain_amount,
            "owner": _plain_text,
        },
        finish=_reason_or_resolution,
    ),
    Escalation.kind: _PlainKind(
        Escalation, {"to": _plain_text, "reason": _plain_text, "returned": _plain_flag}
    ),
    Note.kind: _PlainKind(Note, {"follow_up": _plain_date}),
    Message.kind: _PlainKind(
        Message,
        {
            "direction": _one_of(("in", "out")),
            "subject": _plain_name,
            "channel": _one_of(MESSAGE_CHANNELS),
            "from": ("sender", _plain_text),
            "to": _plain_list,
            "follow_up": _plain_date,
        },
    ),
    CheckVoided.kind: _PlainKind(
        CheckVoided,
        {
            "number": _plain_name,
            "status": _one_of(CHECK_VOID_REASONS),
            "replacement": _plain_text,
        },
    ),
}


def plain_event(raw: Any, file_name: str) -> Event | None:
    """The event, if it is plain; None sends it to the checked reader."""
    if raw.__class__ is not Mapping or (kind := raw.get("kind")).__class__ is not str:
        return None
    plain = _PLAIN_KINDS.get(kind)
    return None if plain is None else plain.read(raw, file_name)


# --- invoices.yaml, format 2 ------------------------------------------------------------

_INVOICE_KEYS = frozenset(
    ("number", "po", "issued", "due", "amount", "currency", "status", "document")
)
_BUILD_INVOICE = builder(Invoice)
_NO_CREDIT = Decimal(0)


def plain_invoice(raw: Any, customer: Customer) -> Invoice | None:
    """The invoice, if it is plain; None sends it to the checked reader."""
    if raw.__class__ is not Mapping or not _INVOICE_KEYS.issuperset(raw):
        return None
    get = raw.get
    currency = get("currency", customer.currency)
    if currency != customer.currency:
        return None
    try:
        number = _plain_name(get("number"))
        issued = _plain_date(get("issued"))
        due = get("due", _UNSET)
        due = issued + timedelta(days=customer.terms) if due is _UNSET else _plain_date(due)
        amount = parse_amount(_plain_text(get("amount")), currency)
        po, status, document = get("po", _UNSET), get("status", "open"), get("document", _UNSET)
        po = None if po is _UNSET else _plain_text(po)
        document = None if document is _UNSET else _plain_text(document)
    except (_Declined, ValueError):
        return None
    if (
        not valid_invoice_number(number)
        or due < issued
        or amount <= 0
        or status not in ("open", "void")
        or (document is not None and not inside_folder(document))
    ):
        return None
    values = (number, issued, due, amount, currency, po, status, (), None, document, _NO_CREDIT)
    return _BUILD_INVOICE(values)
