"""Write a books' export for the import benchmark: a QuickBooks Online "Open Invoices"
report over a generated ledger's customers (matched by name), `per_customer` new
invoices each, a third of them partly paid in the books.

    python bench/exports.py /tmp/open-invoices.csv --customers 1000 --per-customer 10
"""

from __future__ import annotations

import argparse
import csv
from datetime import date, timedelta
from pathlib import Path


def write_export(path: Path, customers: int, per_customer: int) -> int:
    """The report; returns its number of invoice rows."""
    issued = date(2026, 11, 2)
    rows = 0
    with path.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerows([["Benchmark Supply Co."], ["Open Invoices"], ["As of November 23, 2026"]])
        out.writerow([])
        out.writerow(["", "Date", "Transaction Type", "Num", "Term", "Due Date", "Amount",
                      "Open Balance"])  # fmt: skip
        for index in range(customers):
            name = f"Customer {index:05d} Industries"
            out.writerow([name])
            for number in range(per_customer):
                amount = 100 + (index * 37 + number * 11) % 900
                balance = amount - 50 if number % 3 == 0 else amount
                due = issued + timedelta(days=30)
                number_text = f"BK-{index:05d}-{number:03d}"
                dates = [f"{issued:%m/%d/%Y}", "Invoice", number_text, "Net 30", f"{due:%m/%d/%Y}"]
                out.writerow(["", *dates, f"{amount:,}.00", f"{balance:,}.00"])
                rows += 1
            out.writerow([f"Total for {name}"])
        out.writerow(["TOTAL"])
        out.writerow([])
        out.writerow(["Accrual Basis Monday, November 23, 2026 08:00 AM GMT-05:00"])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--customers", type=int, default=1000)
    parser.add_argument("--per-customer", type=int, default=10)
    args = parser.parse_args()
    print(write_export(args.path, args.customers, args.per_customer), "rows")


if __name__ == "__main__":
    main()
