"""Time whole collectctl processes against a generated ledger, beside the floors they are
measured against: PyYAML's CSafeLoader over every file, a bare `git commit`, and
`hledger bal` when hledger is installed.

    python bench/run.py --customers 1000 --runs 5 --json bench/results-1k.json

Times the `collectctl` installed beside this Python (else on PATH, or --collectctl); the
YAML floor needs PyYAML (`pip install -e '.[bench]'`). Ledgers are generated outside the
source tree.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate

TODAY = "2026-11-23"


@dataclass
class Timing:
    operation: str
    runs: int
    median_s: float
    min_s: float
    max_s: float
    peak_rss_mb: float | None = None


GNU_TIME = Path("/usr/bin/time")  # peak RSS of the command itself, not of a forked runner


def timed(command: list[str], cwd: Path | None = None) -> tuple[float, float | None]:
    """Wall time and peak RSS (MB, when GNU time is installed) of one process, which
    must succeed."""
    with tempfile.NamedTemporaryFile("r") as rss:
        if GNU_TIME.exists():
            command = [str(GNU_TIME), "-f", "%M", "-o", rss.name, *command]
        start = time.perf_counter()
        done = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        elapsed = time.perf_counter() - start
        if done.returncode != 0:  # a failing command would time its error path
            raise SystemExit(f"{' '.join(command)} failed: {done.stderr.decode()}")
        text = rss.read().strip()
    return elapsed, int(text.splitlines()[-1]) / 1024 if text else None


def measure(name: str, runs: int, command, before=None) -> Timing:
    times, peaks = [], []
    for _ in range(runs):
        if before:
            before()
        elapsed, peak = timed(command() if callable(command) else command)
        times.append(elapsed)
        peaks.append(peak)
    known = [peak for peak in peaks if peak is not None]
    timing = Timing(
        name, runs, statistics.median(times), min(times), max(times), max(known, default=None)
    )
    print(
        f"  {name:<28} {timing.median_s:8.3f} s  ({timing.min_s:.3f} to {timing.max_s:.3f})",
        flush=True,
    )
    return timing


def yaml_floor(ledger: Path) -> float:
    """Single-process parse of every YAML file with PyYAML's C loader."""
    import yaml

    start = time.perf_counter()
    for path in ledger.rglob("*.yaml"):
        with open(path, "rb") as handle:
            yaml.load(handle, Loader=yaml.CSafeLoader)
    return time.perf_counter() - start


def git_commit_floor(ledger: Path, runs: int) -> Timing:
    """`git add` + `git commit` of one new small file with the git CLI, the fastest way:
    the whole index, no pathspec (`git commit -- <path>` costs twenty times more at 10k)."""
    times = []
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]
    for _ in range(runs):
        stamp = time.time_ns() % 10**6  # a new file every run, every time the runner runs
        path = ledger / "customers/c00003/activity" / f"{TODAY}T235959.{stamp:06d}-note-bench.yaml"
        path.write_text(f"kind: note\ndate: {TODAY}\ncollector: maria\nnotes: floor {stamp}\n")
        start = time.perf_counter()
        subprocess.run([*git, "add", "--", str(path)], cwd=ledger, check=True)
        subprocess.run([*git, "commit", "-q", "-m", "floor"], cwd=ledger, check=True)
        times.append(time.perf_counter() - start)
    timing = Timing("git commit (floor)", runs, statistics.median(times), min(times), max(times))
    print(f"  {timing.operation:<28} {timing.median_s:8.3f} s", flush=True)
    return timing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/collectctl-bench"))
    parser.add_argument("--regenerate", action="store_true")
    beside = Path(sys.executable).parent / "collectctl"  # the one in this venv, if any
    default = str(beside) if beside.exists() else shutil.which("collectctl") or "collectctl"
    parser.add_argument("--collectctl", default=default)
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args()

    ledger = (args.workdir / f"ledger-{args.customers}").resolve()
    if args.regenerate or not (ledger / "collectctl.yaml").exists():
        print(f"generating {args.customers} customers in {ledger} …", flush=True)
        generate(ledger, args.customers)
    files = sum(1 for _ in ledger.rglob("*.yaml"))
    cli = [args.collectctl, "-L", str(ledger), "--today", TODAY, "--collector", "maria"]
    cache = ledger / ".collectctl" / "cache"

    def drop_cache() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    calls = iter(range(10**6))

    def log_one_call() -> None:
        subprocess.run(
            [
                *cli,
                "log-call",
                "c00001",
                "--outcome",
                "voicemail",
                "--notes",
                f"bench {next(calls)}",
            ],
            check=True,
            capture_output=True,
        )

    print(f"{args.customers} customers, {files} YAML files, {args.runs} runs each", flush=True)
    results = [
        measure("--version", args.runs, [args.collectctl, "--version"]),
        measure("--help", args.runs, [args.collectctl, "--help"]),
        measure("due (cold: no cache)", args.runs, [*cli, "due"], before=drop_cache),
        measure("due (warm)", args.runs, [*cli, "due"]),
        measure("due after one log-call", args.runs, [*cli, "due"], before=log_one_call),
        measure("brief", args.runs, [*cli, "brief", "c00001"]),
        measure(
            "log-call (with its commit)",
            args.runs,
            lambda: [
                *cli,
                "log-call",
                "c00002",
                "--outcome",
                "voicemail",
                "--notes",
                f"bench {next(calls)}",
            ],
        ),
        # a new event file, like log-call, plus a promise's dates
        measure(
            "promise (with its commit)",
            args.runs,
            [*cli, "promise", "c00002", "--amount", "10.00", "--by", "2026-12-04"],
        ),
        # an edit of invoices.yaml as well as a new event file: two files, one commit
        measure(
            "pay (with its commit)",
            args.runs,
            lambda: [*cli, "pay", "c00002", "--amount", "1.00", "--reference", f"B{next(calls)}"],
        ),
        measure("followups", args.runs, [*cli, "followups"]),
        measure("check", max(1, args.runs // 2), [*cli, "check"]),
        git_commit_floor(ledger, args.runs),
    ]
    try:
        floor = yaml_floor(ledger)
        results.append(Timing("CSafeLoader parse (floor)", 1, floor, floor, floor))
        print(f"  {'CSafeLoader parse (floor)':<28} {floor:8.3f} s", flush=True)
    except ImportError:
        print("  (PyYAML not installed: no YAML floor; pip install -e '.[bench]')")
    journal = ledger.parent / f"{ledger.name}.journal"
    if shutil.which("hledger") and journal.exists():
        results.append(
            measure("hledger bal (peer)", args.runs, ["hledger", "-f", str(journal), "bal"])
        )

    if args.json:
        machine = {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
        }
        report = {
            "customers": args.customers,
            "yaml_files": files,
            "machine": machine,
            "results": [asdict(r) for r in results],
        }
        args.json.write_text(json.dumps(report, indent=2) + "\n")
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
