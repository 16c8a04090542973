"""Write a realistic synthetic ledger in collectctl's own format, as a git repository.

    python bench/generate.py /tmp/ledger-1k --customers 1000

Each customer gets 10 invoices and about 20 activity records. Customers follow a mix of
payment habits (see PROFILES): most pay on time, some late, and some are promised, have
a check in the mail, dispute an invoice, have broken promises or are escalated, as of
a fixed day; calls are made where payments ran late.
It also writes `journal.ledger`, the same invoices and payments as an hledger journal,
beside the ledger (not inside it) for the plain-text-accounting comparison.
Deterministic: the same arguments give the same files.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from collectctl.audit.hooks import MANY_FILES

AS_OF = date(2026, 11, 23)
# Bumped when what is generated changes, so a benchmark ledger left from before is made
# again. 2: activity files as collectctl writes them (`recorded:`, block lists).
GENERATOR_VERSION = "2"
COLLECTORS = ("maria", "dev", "sam", "lee")
CONFIG = """\
format: 2
company: Benchmark Supply Co.
currency: USD
terms: 30
collectors:
  - id: maria
    name: Maria Lopez
    email: maria@bench.example
  - id: dev
    name: Dev Patel
    email: dev@bench.example
  - id: sam
    name: Sam Ito
    email: sam@bench.example
  - id: lee
    name: Lee Grant
    email: lee@bench.example
  - id: grace
    name: Grace Okafor
    email: grace@bench.example
    role: credit-manager
policy:
  first_call_after_due: 5
  check_in_mail_followup: 7
  promise_grace: 1
  escalate_days_past_due: 60
  escalate_broken_promises: 2
email:
  from: ar@bench.example
"""


def invoice_list(number: str) -> str:
    """`invoices:` as collectctl writes it: a block list."""
    return f"invoices:\n  - {number}\n"


def money(value: Decimal) -> str:
    return f"{value:.2f}"


def customer_yaml(rng: random.Random, index: int, owner: str) -> str:
    name = f"Customer {index:05d} Industries"
    approver = rng.random() < 0.7
    return (
        f"name: {name}\nterms: 30\ncredit_limit: {rng.randrange(5, 100) * 1000}.00\n"
        f"currency: USD\nowner: {owner}\ncontacts:\n"
        f"  - name: Pat Payables {index}\n    role: payables\n"
        f'    phone: "+1 555 {index % 10000:04d}"\n    email: ap{index}@c{index}.example\n'
        f"  - name: Alex Approver {index}\n    role: approver\n"
        f'    phone: "+1 555 {(index * 7) % 10000:04d}"\n'
        f"    email: boss{index}@c{index}.example\n"
        f"    authorizes_payment: {'true' if approver else 'false'}\n"
    )


# How customers pay: a share of the book each, and how many days past due they pay.
PROFILES = (
    ("prompt", 0.55, (-8, 4)),
    ("slow", 0.20, (8, 40)),
    ("promised", 0.08, (5, 35)),
    ("check-in-mail", 0.05, (5, 35)),
    ("disputed", 0.05, (5, 35)),
    ("delinquent", 0.04, (30, 90)),
    ("escalated", 0.03, (45, 120)),
)
NOTES = (
    "Statement of account sent to AP.",
    "Credit review done, limit unchanged.",
    "AP moved to a new portal; invoices now go to the portal address.",
    "Customer asked for W-9; sent.",
    "Year-end balance confirmation requested by their auditors.",
)


def pick_profile(rng: random.Random) -> tuple[str, tuple[int, int]]:
    roll = rng.random()
    for name, share, lateness in PROFILES:
        roll -= share
        if roll < 0:
            return name, lateness
    return PROFILES[0][0], PROFILES[0][2]


def write_customer(root: Path, rng: random.Random, index: int, journal: list[str]) -> None:
    """Ten invoices a month apart, paid on the customer's habits; calls where a payment
    ran late; payments; and the state of play today: a promise, a check in the mail,
    a dispute, broken promises, an escalation."""
    customer_id = f"c{index:05d}"
    owner = COLLECTORS[index % len(COLLECTORS)]
    contact = f"Pat Payables {index}"
    folder = root / "customers" / customer_id
    activity = folder / "activity"
    activity.mkdir(parents=True)
    (folder / "customer.yaml").write_text(customer_yaml(rng, index, owner))
    profile, lateness = pick_profile(rng)

    invoices: list[list[str]] = []
    events: list[tuple[date, str, str]] = []
    open_overdue: list[tuple[str, date, Decimal, list[str]]] = []
    for number in range(10):
        issued = AS_OF - timedelta(days=3 + 30 * number + rng.randrange(20))
        due = issued + timedelta(days=30)
        amount = Decimal(rng.randrange(20_000, 2_000_000)) / 100
        invoice_number = f"INV-{index:05d}-{number:02d}"
        late = rng.randrange(*lateness)
        if profile in ("delinquent", "escalated") and number < 4:
            late = 999  # the newest months are simply not being paid
        paid_on = due + timedelta(days=late)
        paid = paid_on < AS_OF
        lines = [
            f"  - number: {invoice_number}",
            f"    po: PO-{rng.randrange(10**6):06d}",
            f"    issued: {issued}",
            f"    due: {due}",
            f"    amount: {money(amount)}",
            "    status: open",  # paid or not is worked out from the payment events
        ]
        journal.append(
            f"{issued} {invoice_number}\n    assets:receivable:{customer_id}  "
            f"{money(amount)} USD\n    income:sales\n"
        )
        # Chasing calls while it ran late: a first call past the line, then retries.
        chased_until = min(paid_on, AS_OF)
        day = due + timedelta(days=6)
        while day < chased_until and len(events) < 14:
            outcome = rng.choice(("voicemail", "no-answer", "reached", "reached"))
            body = f"contact: {contact}\noutcome: {outcome}\n{invoice_list(invoice_number)}"
            events.append((day, "call", body + "notes: Chasing the open invoice.\n"))
            day += timedelta(days=rng.randrange(5, 12))
        if paid:
            reference = f"ACH-{index}-{number}"
            events.append(
                (
                    paid_on,
                    "payment",
                    f"amount: {money(amount)}\nreference: {reference}\nmethod: ach\n"
                    f"{invoice_list(invoice_number)}",
                )
            )
            journal.append(
                f"{paid_on} {reference}\n    assets:bank  {money(amount)} USD\n"
                f"    assets:receivable:{customer_id}\n"
            )
        elif due < AS_OF:
            open_overdue.append((invoice_number, due, amount, lines))
        invoices.append(lines)

    events += state_of_play(rng, profile, contact, open_overdue)
    while len(events) < 20:
        day = AS_OF - timedelta(days=rng.randrange(1, 300))
        events.append((day, "note", f"notes: {rng.choice(NOTES)}\n"))
    text = "\n".join("\n".join(lines) for lines in invoices)
    (folder / "invoices.yaml").write_text("invoices:\n" + text + "\n")
    for sequence, (day, kind, body) in enumerate(sorted(events, key=lambda e: e[0])):
        moment = f"{day}T{9 + sequence % 8:02d}:{sequence:02d}:00+00:00"
        name = f"{moment[:13]}{moment[14:16]}{moment[17:19]}-{kind}-{owner}.yaml"
        (activity / name).write_text(
            f"kind: {kind}\ndate: {day}\ncollector: {owner}\nrecorded: '{moment}'\n{body}"
        )


def state_of_play(rng: random.Random, profile: str, contact: str, open_overdue: list) -> list:
    """The latest conversations of a customer that is not simply paying or late."""
    if not open_overdue or profile in ("prompt", "slow"):
        return []
    number, due, amount, _ = open_overdue[-1]  # the oldest one still open
    events = []
    if profile == "promised":
        day = AS_OF - timedelta(days=rng.randrange(2, 12))
        by = day + timedelta(days=rng.randrange(3, 16))
        events.append((day, "call", f"contact: {contact}\noutcome: promise\n"))
        events.append(
            (
                day,
                "promise",
                f"contact: {contact}\namount: {money(amount)}\nby: {by}\nmethod: ach\n"
                f"{invoice_list(number)}",
            )
        )
    elif profile == "check-in-mail":
        day = AS_OF - timedelta(days=rng.randrange(1, 12))
        events.append(
            (
                day,
                "call",
                f"contact: {contact}\noutcome: check-in-mail\n{invoice_list(number)}"
                f'check:\n  number: "{rng.randrange(1000, 9999)}"\n'
                f"  amount: {money(amount)}\n  mailed: {day}\n",
            )
        )
    elif profile == "disputed":
        day = due + timedelta(days=rng.randrange(6, 20))
        events.append(
            (
                day,
                "call",
                f"contact: {contact}\noutcome: dispute\n{invoice_list(number)}"
                "dispute_reason: pricing\n",
            )
        )
        events.append((day, "dispute", f"invoice: {number}\nreason: pricing\n"))
    else:  # delinquent or escalated: two promises made and broken
        day = max(due + timedelta(days=10), AS_OF - timedelta(days=60))
        for _ in range(2):
            by = day + timedelta(days=7)
            events.append((day, "call", f"contact: {contact}\noutcome: promise\n"))
            events.append(
                (
                    day,
                    "promise",
                    f"contact: {contact}\namount: {money(amount)}\nby: {by}\n"
                    f"{invoice_list(number)}",
                )
            )
            day = by + timedelta(days=5)
        if profile == "escalated":
            events.append(
                (
                    day,
                    "escalation",
                    "to: grace\nreason: two broken promises\n",
                )
            )
    return events


def benchmark_ledger(workdir: Path, customers: int, regenerate: bool = False) -> Path:
    """The benchmark ledger of this many customers under `workdir`, generated when it is
    missing (or asked for afresh)."""
    ledger = (workdir / f"ledger-{customers}").resolve()
    version = ledger.parent / f"{ledger.name}.generator"
    current = version.exists() and version.read_text() == GENERATOR_VERSION
    if regenerate or not current or not (ledger / "collectctl.yaml").exists():
        print(f"generating {customers} customers in {ledger} …", flush=True)
        start = time.perf_counter()
        generate(ledger, customers)
        version.write_text(GENERATOR_VERSION)
        print(f"  generated in {time.perf_counter() - start:.0f} s", flush=True)
    return ledger


def generate(root: Path, customers: int, seed: int = 2026) -> None:
    if root.exists():
        shutil.rmtree(root)
    (root / "customers").mkdir(parents=True)
    (root / "collectctl.yaml").write_text(CONFIG)
    (root / ".gitignore").write_text(".collectctl/\noutbox/\n")
    rng = random.Random(seed)
    journal: list[str] = []
    for index in range(customers):
        write_customer(root, rng, index, journal)
    (root.parent / f"{root.name}.journal").write_text("\n".join(journal))
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]
    subprocess.run([*git, "init", "-q"], cwd=root, check=True)
    for key, value in MANY_FILES:  # as `collectctl init` sets up every clone
        subprocess.run([*git, "config", key, value], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "generated ledger"], cwd=root, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "folder", type=Path, help="where to write the ledger (outside the source tree)"
    )
    parser.add_argument("--customers", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    source = Path(__file__).resolve().parent.parent
    if args.folder.resolve().is_relative_to(source):
        sys.exit("write generated ledgers outside the source tree (e.g. /tmp/ledger-1k)")
    generate(args.folder.resolve(), args.customers, args.seed)
    print(f"wrote {args.customers} customers to {args.folder}")


if __name__ == "__main__":
    main()
