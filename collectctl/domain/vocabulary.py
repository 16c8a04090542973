"""The words a ledger uses for statuses, outcomes, reasons and methods: each written once,
as a type the checker knows, with the tuple of its words beside it.

Apart from the models so the command line can offer them as choices without
building every record class first (`--help` stays quick).
"""

from typing import Literal, get_args

InvoiceStatus = Literal["open", "paid", "void"]
DisputeReason = Literal["short-shipment", "wrong-product", "pricing", "missing-credit", "other"]
CallOutcome = Literal[
    "reached",
    "voicemail",
    "no-answer",
    "wrong-person",
    "promise",
    "check-in-mail",
    "invoice-not-received",
    "dispute",
    "refused",
    "hostile",
    "escalate",
]
PaymentMethod = Literal["check", "ach", "wire", "card", "portal"]
MessageChannel = Literal["email", "portal", "letter", "other"]
CheckVoidReason = Literal["stopped", "replaced", "lost"]
EmailPurpose = Literal["invoice-copy", "promise-confirmation", "statement", "reminder", "other"]

INVOICE_STATUSES: tuple[str, ...] = get_args(InvoiceStatus)
DISPUTE_REASONS: tuple[str, ...] = get_args(DisputeReason)
CALL_OUTCOMES: tuple[str, ...] = get_args(CallOutcome)
PAYMENT_METHODS: tuple[str, ...] = get_args(PaymentMethod)
MESSAGE_CHANNELS: tuple[str, ...] = get_args(MessageChannel)
CHECK_VOID_REASONS: tuple[str, ...] = get_args(CheckVoidReason)
EMAIL_PURPOSES: tuple[str, ...] = get_args(EmailPurpose)
# Outcomes where somebody at the customer actually spoke with us.
SPOKEN_OUTCOMES = frozenset(CALL_OUTCOMES) - {"voicemail", "no-answer", "wrong-person"}
