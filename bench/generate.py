"""Write a realistic synthetic ledger in collectctl's own format, as a git repository.

    python bench/generate.py /tmp/ledger-1k --customers 1000

Each customer gets about 10 invoices and 20 activity records: a mix of paid, current,
overdue, promised (kept and broken), disputed and escalated accounts, as of a fixed day.
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
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

AS_OF = date(2026, 11, 23)
COLLECTORS = ("maria", "dev", "sam", "lee")
OUTCOMES = ("reached", "voicemail", "no-answer", "promise", "check-in-mail", "hostile")
CONFIG = """\
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


def write_customer(root: Path, rng: random.Random, index: int, journal: list[str]) -> None:
    customer_id = f"c{index:05d}"
    owner = COLLECTORS[index % len(COLLECTORS)]
    folder = root / "customers" / customer_id
    activity = folder / "activity"
    activity.mkdir(parents=True)
    (folder / "customer.yaml").write_text(customer_yaml(rng, index, owner))

    invoices, events = [], []
    for number in range(10):
        issued = AS_OF - timedelta(days=rng.randrange(5, 200))
        due = issued + timedelta(days=30)
        amount = Decimal(rng.randrange(20_000, 2_000_000)) / 100
        invoice_number = f"INV-{index:05d}-{number:02d}"
        paid = due < AS_OF - timedelta(days=20) and rng.random() < 0.75
        lines = [
            f"  - number: {invoice_number}",
            f"    po: PO-{rng.randrange(10**6):06d}",
            f"    issued: {issued}",
            f"    due: {due}",
            f"    amount: {money(amount)}",
            f"    status: {'paid' if paid else 'open'}",
        ]
        journal.append(
            f"{issued} {invoice_number}\n    assets:receivable:{customer_id}  "
            f"{money(amount)} USD\n    income:sales\n"
        )
        if paid:
            paid_on = due + timedelta(days=rng.randrange(-10, 20))
            reference = f"ACH-{index}-{number}"
            lines += [
                "    payments:",
                f"      - date: {paid_on}",
                f"        amount: {money(amount)}",
                f"        reference: {reference}",
            ]
            events.append(
                (
                    paid_on,
                    "payment",
                    (
                        f"amount: {money(amount)}\nreference: {reference}\nmethod: ach\napplied:\n"
                        f"  - invoice: {invoice_number}\n    amount: {money(amount)}\n"
                    ),
                )
            )
            journal.append(
                f"{paid_on} {reference}\n    assets:bank  {money(amount)} USD\n"
                f"    assets:receivable:{customer_id}\n"
            )
        elif due < AS_OF and rng.random() < 0.08:
            lines += [
                "    dispute:",
                "      reason: pricing",
                f"      opened: {due + timedelta(days=10)}",
            ]
        invoices.append("\n".join(lines))
    (folder / "invoices.yaml").write_text("invoices:\n" + "\n".join(invoices) + "\n")

    open_numbers = [f"INV-{index:05d}-{n:02d}" for n in range(10)]
    while len(events) < 20:
        day = AS_OF - timedelta(days=rng.randrange(1, 150))
        outcome = rng.choice(OUTCOMES)
        invoice = rng.choice(open_numbers)
        body = f"contact: Pat Payables {index}\noutcome: {outcome}\ninvoices: [{invoice}]\n"
        if outcome == "check-in-mail":
            number = rng.randrange(1000, 9999)
            body += f'check:\n  number: "{number}"\n  amount: 500.00\n  mailed: {day}\n'
        body += "notes: Spoke about the open invoices; see the account history.\n"
        events.append((day, "call", body))
        if outcome == "promise":
            by = day + timedelta(days=rng.randrange(3, 20))
            events.append(
                (
                    day,
                    "promise",
                    f"contact: Pat Payables {index}\namount: 1000.00\nby: {by}\nmethod: check\n",
                )
            )
    for sequence, (day, kind, body) in enumerate(sorted(events, key=lambda e: e[0])):
        name = f"{day}T{9 + sequence % 8:02d}{sequence:02d}00-{kind}-{owner}.yaml"
        (activity / name).write_text(f"kind: {kind}\ndate: {day}\ncollector: {owner}\n{body}")


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
