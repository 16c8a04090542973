"""The quick read of a plain event or invoice agrees with the checked readers wherever it
answers, and leaves every record with a problem to them."""

import sys
from pathlib import Path

import pytest
from msgspec.structs import replace

from collectctl.ledger import loader
from collectctl.storage import store
from collectctl.storage.event_schema import checked_event, parse_event
from collectctl.storage.invoice_schema import checked_invoice
from collectctl.storage.layout import Layout
from collectctl.storage.plain_records import plain_event, plain_invoice
from collectctl.storage.plain_yaml import Mapping
from collectctl.storage.schema import parse_customer

sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
from generate import generate

SAMPLE = Path(__file__).parent.parent / "sample-ledger"

# One of each kind with every key it may have, as collectctl or a person writes them.
EVERY_KEY = """\
kind: call
date: 2026-11-02
collector: maria
recorded: '2026-11-02T10:15:00+00:00'
contact: Pat
notes: Said the check is coming.
corrects: 2026-11-01T101500-call-maria.yaml
outcome: dispute
invoices: [INV-1, INV-2]
recording: https://calls.example/1
dispute_reason: pricing
follow_up: 2026-11-09
---
kind: promise
date: 2026-11-02
collector: maria
amount: 1,200.50
by: 2026-11-10
method: wire
invoices:
  - INV-1
---
kind: payment
date: 2026-11-03
collector: maria
amount: 500
reference: ACH-77
method: ach
invoices: INV-1
duplicate_reference: true
source: books
on_account: false
---
kind: email
date: 2026-11-03
collector: maria
to: [ap@customer.example, pat@customer.example]
subject: Your invoice copy
cc: [me@us.example]
message_id: <1@us.example>
attachments: [INV-1.pdf]
invoices: [INV-1]
purpose: reminder
delivery: interrupted
level: 2
---
kind: dispute
date: 2026-11-04
collector: maria
invoice: INV-1
reason: short-shipment
amount: 120.00
owner: li
---
kind: dispute
date: 2026-11-08
collector: maria
invoice: INV-1
resolution: credit note issued
credit: 120.00
---
kind: escalation
date: 2026-11-05
collector: maria
to: credit-manager
reason: Third broken promise
returned: true
---
kind: note
date: 2026-11-05
collector: maria
notes: Their AP moved to a portal.
follow_up: 2026-11-12
---
kind: message
date: 2026-11-06
collector: maria
direction: in
subject: 'Re: statement'
channel: portal
from: ap@customer.example
to: [maria@us.example]
follow_up: 2026-11-07
---
kind: check
date: 2026-11-06
collector: maria
number: '10442'
status: replaced
replacement: '10450'
"""
EVENTS = [store.parse(text, "event.yaml") for text in EVERY_KEY.split("---\n")]

# Values a hand edit may leave under any key, in the types the YAML reader gives.
ODD_VALUES = [
    *("", "   ", "0", "-5", "0.00", "12.345", "1e3", "2026-13-01", "2026-1-5", "99999-01-01"),
    *("²", "reached", "ach", "in", "books", "interrupted", "pricing", "replaced", "x"),
    *("36500", "36501", "9" * 30),
    None,
    True,
    False,
    [],
    ["INV-1", None],
    ["a"],
]


def checked(raw, name="file.yaml"):
    problems = []
    return checked_event(raw, name, name, problems), problems


def as_raw(values: dict) -> Mapping:
    raw = Mapping(values)
    raw.line = 1
    return raw


def variants(raw: Mapping):
    """The event broken every way a hand edit breaks one key at a time."""
    for key in raw:
        yield as_raw({k: v for k, v in raw.items() if k != key})  # a key left out
        for odd in ODD_VALUES:
            yield as_raw({**raw, key: odd})
        if key != "kind":
            yield as_raw({**raw, f"{key}s": raw[key]})  # a typo of a key
    yield as_raw({**raw, "mapping": as_raw({"a": "b"})})


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    ledger = tmp_path_factory.mktemp("generated") / "ledger"
    generate(ledger, customers=40)
    return ledger


@pytest.fixture(scope="module")
def ledger_events(generated) -> list[tuple[str, Mapping]]:
    ledger = generated
    paths = sorted(SAMPLE.rglob("activity/*.yaml")) + sorted(ledger.rglob("activity/*.yaml"))
    return [(path.name, store.parse(path.read_text(), path.name)) for path in paths]


def flat(raw: Mapping) -> bool:
    """No value is a mapping or a list of them (a call's `check:`, a payment's `applied:`,
    a promise's `installments:`): those are read by the checked reader."""
    return not any(
        isinstance(value, Mapping)
        or (isinstance(value, list) and not all(map(str.__instancecheck__, value)))
        for value in raw.values()
    )


def test_every_flat_event_of_the_sample_and_generated_ledgers_is_read_quickly_and_the_same(
    ledger_events,
):
    assert len(ledger_events) > 500
    for name, raw in [*ledger_events, *(("file.yaml", raw) for raw in EVENTS)]:
        event, problems = checked(raw, name)
        assert problems == [], name
        quick = plain_event(raw, name)
        assert quick == event if flat(raw) else quick is None, name


def test_the_quick_read_answers_only_where_the_checked_reader_finds_no_problem():
    cases = (
        (variant, *checked(variant), plain_event(variant, "file.yaml"))
        for raw in EVENTS
        for variant in variants(raw)
    )
    answered, declined = tally(cases)
    assert answered > 100 and declined > 1000  # both kinds of answer were put to the test


def tally(cases) -> tuple[int, int]:
    """How many broken records the quick read answered, each as the checked reader did
    and only where it found no problem, and how many it left to the checked reader."""
    answered = declined = 0
    for variant, record, problems, quick in cases:
        if quick is None:
            declined += 1
            continue
        answered += 1
        assert problems == [], (variant, problems)
        assert quick == record, variant
    return answered, declined


def test_a_broken_event_reports_its_problem_with_its_line_as_before():
    raw = store.parse("kind: payment\ndate: 2026-11-03\ncollector: maria\namount: -5\n", "a.yaml")
    problems = []
    assert parse_event(raw, "a.yaml", "customers/c1/activity/a.yaml", problems) is None
    assert [(p.line, p.message) for p in problems] == [(4, "amount: -5 must be more than zero")]


# --- invoices ----------------------------------------------------------------------------

INVOICE = store.parse(
    "number: INV-2026-0001\npo: PO-77\nissued: 2026-10-01\ndue: 2026-10-31\n"
    "amount: '1,250.00'\ncurrency: USD\nstatus: open\ndocument: invoices/INV-2026-0001.pdf\n",
    "invoice.yaml",
)
ODD_INVOICE_VALUES = [
    *("INV-1", "../x", "/etc/x", "a/../b", "2026-09-30", "2026-11-01", "EUR", "usd"),
    *("void", "paid", "12.345", "1,000.5"),
]


def customers_and_invoices(ledger: Path):
    layout = Layout(ledger)
    problems = []
    config = loader.parse_config_text(layout, loader.read_config_text(layout, problems), problems)
    for folder in sorted((ledger / "customers").iterdir()):
        path = folder / "customer.yaml"
        customer = parse_customer(
            store.parse(path.read_text(), "c"), folder.name, "c", config, problems
        )
        invoices = store.parse((folder / "invoices.yaml").read_text(), "i")
        for item in invoices["invoices"] if invoices else []:
            yield customer, item
    assert problems == []


def test_every_invoice_of_the_sample_and_generated_ledgers_is_read_quickly_and_the_same(
    generated,
):
    pairs = [*customers_and_invoices(SAMPLE), *customers_and_invoices(generated)]
    assert len(pairs) > 300
    for customer, item in pairs:
        problems = []
        invoice = checked_invoice(item, "i", customer, problems)
        assert problems == []
        assert plain_invoice(item, customer) == invoice


def test_the_quick_invoice_read_answers_only_where_the_checked_reader_finds_no_problem():
    customer = replace(next(customers_and_invoices(SAMPLE))[0], terms=45)

    def case(variant):
        problems = []
        invoice = checked_invoice(variant, "i", customer, problems)
        return variant, invoice, problems, plain_invoice(variant, customer)

    cases = (
        case(as_raw(values if odd == "missing" else {**values, key: odd}))
        for key in [*INVOICE, "payments", "terms"]
        for values in [{k: v for k, v in INVOICE.items() if k != key}]
        for odd in [*ODD_VALUES, *ODD_INVOICE_VALUES, "missing"]
    )
    answered, declined = tally(cases)
    assert answered > 20 and declined > 200
