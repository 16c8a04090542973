"""Count the instructions a cold read spends on each account, under valgrind's callgrind:
a count that does not drift with the machine, as wall times on a shared VM do.

    python bench/instructions.py --customers 1000 --accounts 200

Reads the first `--accounts` customers of the benchmark ledger as a cold read does in
each worker (their files read, parsed, checked and settled, then their standing, report
facts and pickles made for the cache), once with one account and once with all of them,
and prints the difference divided by the accounts between: the cost of one account
without Python's start. Needs valgrind (Debian's package); generates the ledger as
bench/run.py does when it is missing.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))


def read_accounts(ledger: Path, accounts: int) -> None:
    """What a cold read's worker does for each of the first `accounts` customers."""
    from collectctl.ledger import cache, loader
    from collectctl.storage.layout import Layout

    layout = Layout(ledger)
    problems: list = []
    config = loader.parse_config_text(layout, loader.read_config_text(layout, problems), problems)
    for customer_id in loader.customer_ids(layout, problems)[:accounts]:
        account = loader.read_account(layout, customer_id, config, problems)
        if account is not None:
            cache.freeze(account, config)
    if problems:
        raise SystemExit(f"the ledger has problems: {problems[0]}")


def instructions(ledger: Path, accounts: int) -> int:
    """Instructions of a whole process reading `accounts` accounts."""
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
    command += [sys.executable, __file__, "--read", str(ledger), str(accounts)]
    done = subprocess.run(command, capture_output=True, text=True)
    found = re.search(r"Collected : ([\d,]+)", done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"valgrind failed: {done.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1000, help="the benchmark ledger")
    parser.add_argument("--accounts", type=int, default=200, help="accounts to read")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/collectctl-bench"))
    parser.add_argument("--read", nargs=2, metavar=("LEDGER", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.read:  # the process valgrind runs
        read_accounts(Path(args.read[0]), int(args.read[1]))
        return
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    from generate import benchmark_ledger

    ledger = benchmark_ledger(args.workdir, args.customers)
    accounts = min(args.accounts, args.customers)
    read_accounts(ledger, 1)  # byte-compiled first, so neither count holds compiling
    one, many = instructions(ledger, 1), instructions(ledger, accounts)
    per_account = (many - one) / (accounts - 1)
    print(
        f"{per_account / 1e6:.3f} million instructions a cold-read account "
        f"({accounts} accounts of {ledger.name}; a process with one: {one / 1e6:.0f} million)"
    )


if __name__ == "__main__":
    main()
