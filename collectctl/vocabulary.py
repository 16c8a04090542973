"""The words a ledger uses for statuses, outcomes, reasons and methods.

Apart from the models so the command line can offer them as choices without
building every record class first (`--help` stays quick).
"""

INVOICE_STATUSES = ("open", "paid", "void")
DISPUTE_REASONS = ("short-shipment", "wrong-product", "pricing", "missing-credit", "other")
CALL_OUTCOMES = (
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
)
# Outcomes where somebody at the customer actually spoke with us.
SPOKEN_OUTCOMES = frozenset(CALL_OUTCOMES) - {"voicemail", "no-answer", "wrong-person"}
PAYMENT_METHODS = ("check", "ach", "wire", "card", "portal")
