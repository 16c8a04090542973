"""Time whole collectctl processes against a generated ledger, beside the floors they are
measured against: PyYAML's CSafeLoader over every file, a bare `git commit`, and
`hledger bal` when hledger is installed; every file read both by libyaml and by the plain
reader a cold read tries first, and every event and invoice both by the quick reads and
by the checked readers (a file or record read differently stops the run). Then, in
`--pairs` back-to-back pairs, what one `log-call` adds to the `due` after it. An import of
a 10,000-row export (bench/exports.py) into a fresh copy of the ledger, and of the same
file again.

    python bench/run.py --customers 1000 --runs 5 --json bench/results-1k.json
    python bench/run.py --customers 10000 --runs 4 --only cold --against b93cc6e

`--against REV` times the cold read of collectctl as it was at REV too, in the same
rounds, just before this one's: on a machine whose speed drifts, the ratio of the two is
what carries over to a figure measured at another time.

Times the `collectctl` installed beside this Python (else on PATH, or --collectctl); the
YAML floor needs PyYAML (`pip install -e '.[bench]'`). Ledgers are generated outside the
source tree.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from exports import write_export
from generate import benchmark_ledger

TODAY = "2026-11-23"
AGO = "2026-09-24"
PROMISE = ["--amount", "10.00", "--by", "2026-12-04"]


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


@dataclass
class Op:
    """One operation to time: a command (or a list-making function, for commands that
    differ every run), with an optional step before each run that is not timed."""

    name: str
    command: Callable[[], list[str]] | list[str] | None = None
    before: Callable[[], None] | None = None
    timer: Callable[[], float] | None = None  # times itself (the git floor)
    times: list[float] = field(default_factory=list)
    peaks: list[float] = field(default_factory=list)

    def run_once(self) -> None:
        if self.before:
            self.before()
        if self.timer:
            self.times.append(self.timer())
            return
        command = self.command() if callable(self.command) else self.command
        assert command is not None, f"{self.name} has neither a command nor a timer"
        elapsed, peak = timed(command)
        self.times.append(elapsed)
        if peak is not None:
            self.peaks.append(peak)

    def timing(self) -> Timing:
        times = self.times
        peak = max(self.peaks, default=None)
        return Timing(self.name, len(times), statistics.median(times), min(times), max(times), peak)


def run_rounds(ops: list[Op], runs: int) -> list[Timing]:
    """Every operation once per round, `runs` rounds: on a noisy machine a slow spell
    then slows every operation a little rather than one operation a lot, so the ratios
    between them (warm to cold, a write to the bare commit) hold."""
    for round_number in range(1, runs + 1):
        for op in ops:
            op.run_once()
        print(f"  round {round_number} of {runs} done", flush=True)
    timings = [op.timing() for op in ops]
    for timing in timings:
        print(
            f"  {timing.operation:<28} {timing.median_s:8.3f} s"
            f"  ({timing.min_s:.3f} to {timing.max_s:.3f})",
            flush=True,
        )
    return timings


def paired_difference(
    name: str, command: list[str], between: Callable[[], None], pairs: int
) -> Timing:
    """What `between` adds to the next run of `command`: the median over `pairs` of the
    difference between a run right after it and the run just before it. A slow spell
    shifts both runs of a pair alike, so a few hundredths show through the noise that
    separate rounds leave."""
    differences = []
    for _ in range(pairs):
        before, _ = timed(command)
        between()
        after, _ = timed(command)
        differences.append(after - before)
    timing = Timing(name, pairs, statistics.median(differences), min(differences), max(differences))
    print(
        f"  {name:<28} {timing.median_s:+8.3f} s  ({timing.min_s:+.3f} to {timing.max_s:+.3f})",
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


def git_commit_floor(ledger: Path) -> float:
    """`git add` + `git commit` of one new small file with the git CLI, the fastest way:
    the whole index, no pathspec (`git commit -- <path>` costs twenty times more at 10k)."""
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]
    stamp = time.time_ns() % 10**6  # a new file every run, every time the runner runs
    path = ledger / "customers" / _customers(ledger)[2] / "activity"
    path = path / f"{TODAY}T235959.{stamp:06d}-note-bench.yaml"
    path.write_text(f"kind: note\ndate: {TODAY}\ncollector: maria\nnotes: floor {stamp}\n")
    start = time.perf_counter()
    subprocess.run([*git, "add", "--", str(path)], cwd=ledger, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "floor"], cwd=ledger, check=True)
    return time.perf_counter() - start


def git_plumbing_floor(ledger: Path) -> float:
    """The commit collectctl makes, by hand: `fast-import` of one new file on HEAD,
    `update-index` of it beside, then `update-ref` (the index is never read whole)."""
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]
    stamp = time.time_ns() % 10**6
    customer = _customers(ledger)[2]
    rel = f"customers/{customer}/activity/{TODAY}T235958.{stamp:06d}-note-bench.yaml"
    content = f"kind: note\ndate: {TODAY}\ncollector: maria\nnotes: {stamp}\n"
    (ledger / rel).write_text(content)

    def out(*args: str, given: str | None = None) -> str:
        return subprocess.run([*git, *args], cwd=ledger, check=True, capture_output=True,
                              text=True, input=given).stdout.strip()  # fmt: skip

    start = time.perf_counter()
    head = out("rev-parse", "HEAD")
    staging = subprocess.Popen([*git, "update-index", "--add", "--", rel], cwd=ledger)
    stream = (
        f"commit refs/bench/floor\nmark :1\ncommitter bench <b@example.invalid> 0 +0000\n"
        f"data 5\nfloor\nfrom {head}\nM 100644 inline {rel}\ndata {len(content)}\n"
        f"{content}\nget-mark :1\ndone\n"
    )
    commit = out("fast-import", "--quiet", "--done", "--force", "--date-format=raw",
                 "--cat-blob-fd=1", given=stream)  # fmt: skip
    staging.wait()
    out("update-ref", "HEAD", commit, head)
    return time.perf_counter() - start


def sparse_clone(ledger: Path, collector: str, holding: int | None, collectctl: str) -> Path:
    """A collector's clone of the generated ledger (`collectctl clone --collector`), made
    once; with `holding`, narrowed to that many of their accounts (a bigger team's share)."""
    clone = ledger.parent / f"{ledger.name}-{collector}-{holding or 'all'}"
    if not (clone / "collectctl.yaml").exists():
        print(f"cloning {collector}'s accounts into {clone} …", flush=True)
        start = time.perf_counter()
        subprocess.run([collectctl, "clone", str(ledger), str(clone), "--collector", collector],
                       check=True)  # fmt: skip
        if holding:
            held = subprocess.run(["git", "sparse-checkout", "list"], cwd=clone, check=True,
                                  capture_output=True, text=True).stdout.split()  # fmt: skip
            subprocess.run(["git", "sparse-checkout", "set", "--stdin"], cwd=clone, check=True,
                           input="\n".join(held[:holding]), text=True)  # fmt: skip
        print(f"  made in {time.perf_counter() - start:.1f} s", flush=True)
    return clone


def read_every_file(ledger: Path) -> None:
    """Bring the ledger's files into the page cache before a cold read, untimed: a cold
    read is timed as right after a clone, with the files in memory. (A host that evicts
    pages left idle for a minute, as this VM's does, had the cold read wait on the disk
    after each round's import: 13-81 s instead of 7.)"""
    for path in (ledger / "customers").rglob("*.yaml"):
        path.read_bytes()


def _customers(ledger: Path) -> list[str]:
    """The first few customers checked out (all of a generated ledger's; a sparse
    clone's own)."""
    return sorted(entry.name for entry in os.scandir(ledger / "customers"))[:4]


def _fresh_pair(ledger: Path, seed: str) -> tuple[str, str]:
    """Two customers for this run's writes and brief, chosen afresh each run: the same
    two every run would keep gaining records (a reused ledger's gave them ten times the
    generated twenty), and a write reads its account three times."""
    checked_out = sorted(entry.name for entry in os.scandir(ledger / "customers"))
    first, second = random.Random(seed).sample(checked_out[4:] or checked_out, 2)
    return first, second


def _interpreter_of(script: str) -> str:
    """The Python a console script runs under, from its #! line."""
    path = Path(shutil.which(script) or script)
    first = path.read_text(errors="replace").splitlines()[0]
    return first[2:].strip() if first.startswith("#!") else sys.executable


def checkout_of(rev: str, workdir: Path) -> Path:
    """collectctl's source as it was at `rev` (from this repository), byte-compiled."""
    source = Path(__file__).resolve().parent.parent
    commit = subprocess.run(
        ["git", "-C", str(source), "rev-parse", "--verify", f"{rev}^{{commit}}"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    folder = workdir / f"collectctl-{commit[:12]}"
    if not (folder / "collectctl").is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(
            ["git", "-C", str(source), "archive", "--format=tar", commit, "collectctl"],
            check=True, capture_output=True,
        ).stdout  # fmt: skip
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(folder)], check=True)
    return folder


def command_at(folder: Path, python: str) -> list[str]:
    """The `collectctl` command, run from the source in `folder` by `python`."""
    start = f"import sys; sys.path.insert(0, {str(folder)!r}); sys.argv[0] = 'collectctl'; "
    return [python, "-c", start + "from collectctl.cli import main; main()"]


def byte_compile(python: str) -> None:
    """Compile collectctl's modules as pip does when it installs them. An editable
    install compiles on first use, unless PYTHONDONTWRITEBYTECODE is set (as on the
    machines these figures come from): then every run would compile from source, 0.05 s
    no installed copy pays."""
    subprocess.run(
        [python, "-c", "import collectctl, compileall, pathlib; "
         "compileall.compile_dir(pathlib.Path(collectctl.__file__).parent, quiet=1)"],
        check=True,
    )  # fmt: skip


def reader_comparison(ledger: Path) -> list[Timing]:
    """Every file read both ways, in one process: libyaml (the reference) and the plain
    reader that a cold read tries first. Any file the plain reader reads differently
    stops the benchmark: that is a bug."""
    from collectctl.errors import LedgerFileError
    from collectctl.storage import plain_yaml, store

    texts = [path.read_text() for path in sorted((ledger / "customers").rglob("*.yaml"))]
    gc.disable()  # as collectctl runs (cli.GC_THRESHOLDS): no full passes over the results
    start = time.perf_counter()
    plain = [plain_yaml.read(text) for text in texts]
    plain_s = time.perf_counter() - start
    start = time.perf_counter()
    reference = []
    for text in texts:
        try:
            reference.append(store.parse_with_libyaml(text, "file"))
        except LedgerFileError as exc:
            reference.append(exc)
    libyaml_s = time.perf_counter() - start
    gc.enable()
    outside = sum(1 for data in plain if data is plain_yaml.OUTSIDE)
    for text, data, expected in zip(texts, plain, reference, strict=True):
        if data is not plain_yaml.OUTSIDE and not _same_reading(data, expected):
            raise SystemExit(f"the plain reader reads this differently from libyaml:\n{text}")
    print(f"  {len(texts) - outside:,} of {len(texts):,} files read without libyaml, the same")
    timings = []
    for name, seconds in (("parse: libyaml", libyaml_s), ("parse: plain reader", plain_s)):
        timings.append(Timing(name, 1, seconds, seconds, seconds))
        print(f"  {name:<28} {seconds:8.3f} s", flush=True)
    return timings


def record_comparison(ledger: Path) -> None:
    """Every event and invoice read both ways: by the quick reads a cold read tries first
    and by the checked readers. A record the quick read answers differently, or answers
    where the checked reader finds a problem, stops the benchmark: that is a bug."""
    from collectctl.ledger import loader
    from collectctl.storage import store
    from collectctl.storage.event_schema import checked_event
    from collectctl.storage.invoice_schema import checked_invoice
    from collectctl.storage.layout import Layout
    from collectctl.storage.plain_records import plain_event, plain_invoice
    from collectctl.storage.schema import parse_customer

    layout = Layout(ledger)
    problems: list = []
    config = loader.parse_config_text(layout, loader.read_config_text(layout, problems), problems)
    answered = records = 0
    for folder in sorted((ledger / "customers").iterdir()):
        raw = store.parse((folder / "customer.yaml").read_text(), "customer.yaml")
        customer = parse_customer(raw, folder.name, "customer.yaml", config, problems)
        raw_invoices = store.parse((folder / "invoices.yaml").read_text(), "invoices.yaml")
        pairs: list[tuple[Any, object, object]] = [
            (item, plain_invoice(item, customer), checked_invoice(item, "i", customer, problems))
            for item in (raw_invoices or {}).get("invoices", [])
        ]
        for path in sorted((folder / "activity").glob("*.yaml")):
            raw = store.parse(path.read_text(), path.name)
            checked = checked_event(raw, path.name, path.name, problems, config.format)
            pairs.append((raw, plain_event(raw, path.name), checked))
        for raw, quick, reference in pairs:
            if problems:
                raise SystemExit(f"the benchmark ledger has a problem: {problems[0]}")
            if quick is not None and quick != reference:
                raise SystemExit(f"the quick read reads this differently:\n{raw}")
            answered += quick is not None
        records += len(pairs)
    print(f"  {answered:,} of {records:,} events and invoices read by the quick reads, the same")


def _same_reading(data: object, expected: object) -> bool:
    """Equal data, and every mapping on the same line with its keys on the same lines."""
    if isinstance(data, dict) and isinstance(expected, dict):
        lines = getattr(data, "line", None), getattr(data, "key_lines", None)
        if lines != (getattr(expected, "line", None), getattr(expected, "key_lines", None)):
            return False
        return list(data) == list(expected) and all(
            _same_reading(data[key], expected[key]) for key in data
        )
    if isinstance(data, list) and isinstance(expected, list):
        return len(data) == len(expected) and all(map(_same_reading, data, expected))
    return type(data) is type(expected) and data == expected


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--pairs", type=int, default=25, help="paired runs of due around one log-call"
    )
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/collectctl-bench"))
    parser.add_argument("--regenerate", action="store_true")
    beside = Path(sys.executable).parent / "collectctl"  # the one in this venv, if any
    default = str(beside) if beside.exists() else shutil.which("collectctl") or "collectctl"
    parser.add_argument("--collectctl", default=default)
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument(
        "--only", nargs="+", metavar="TEXT", help="time only operations whose name has TEXT"
    )
    parser.add_argument(
        "--sparse",
        metavar="COLLECTOR",
        help="time in this collector's sparse clone of the ledger (collectctl clone)",
    )
    parser.add_argument(
        "--holding", type=int, metavar="N", help="with --sparse: only N of their accounts"
    )
    parser.add_argument(
        "--against",
        metavar="REV",
        help="time the cold read of collectctl at this git revision too, in the same rounds",
    )
    parser.add_argument(
        "--watch",
        action="store_true",
        help="time with the ledger's watcher running (collectctl watch)",
    )
    args = parser.parse_args()

    ledger = benchmark_ledger(args.workdir, args.customers, args.regenerate)
    if args.sparse:
        ledger = sparse_clone(ledger, args.sparse, args.holding, args.collectctl)
    files = sum(1 for _ in (ledger / "customers").rglob("*.yaml"))
    run_id = time.strftime("%H%M%S")  # a reused ledger already holds earlier runs' references
    first, second = _fresh_pair(ledger, run_id)
    cli = [args.collectctl, "-L", str(ledger), "--today", TODAY, "--collector", "maria"]
    python = _interpreter_of(args.collectctl)
    byte_compile(python)
    cache = ledger / ".collectctl" / "cache"
    old = command_at(checkout_of(args.against, args.workdir), python) if args.against else []

    def drop_cache() -> None:
        shutil.rmtree(cache, ignore_errors=True)
        read_every_file(ledger)

    calls = iter(range(10**6))

    def note_call(customer: str) -> list[str]:
        return ["log-call", customer, "--outcome", "voicemail", "--notes", f"bench {next(calls)}"]

    def payment() -> list[str]:
        return ["--amount", "1.00", "--reference", f"B{run_id}-{next(calls)}"]

    def log_one_call() -> None:
        subprocess.run([*cli, *note_call(first)], check=True, capture_output=True)

    print(f"{args.customers} customers, {files} YAML files, {args.runs} runs each", flush=True)
    journal = ledger.parent / f"{ledger.name}.journal"
    # In this order each round: the cold read rebuilds the cache the warm read uses, and
    # the reads after the writes bring it up to date for the next round.
    ops = [
        Op("--version", [args.collectctl, "--version"]),
        Op("--help", [args.collectctl, "--help"]),
        # (collectctl at REV first: its cache is never one this version's runs read)
        *(
            [Op(f"due (cold: no cache) at {args.against}", [*old, *cli[1:], "due"], drop_cache)]
            if args.against
            else []
        ),
        # maria's list reads her accounts in full, the others' owner and file names only
        Op("due (cold: no cache)", [*cli, "due"], before=drop_cache),
        Op("due --all (cold: no cache)", [*cli, "due", "--all"], before=drop_cache),
        Op("due (warm)", [*cli, "due"]),  # maria's list, as she reads it
        Op("due --all (warm)", [*cli, "due", "--all"]),  # everyone's, as a manager reads it
        Op("due after one log-call", [*cli, "due"], before=log_one_call),
        Op("brief", [*cli, "brief", first]),
        Op("log-call (with its commit)", lambda: [*cli, *note_call(second)]),
        # a new event file, like log-call, plus a promise's dates
        Op("promise (with its commit)", [*cli, "promise", second, *PROMISE]),
        # an edit of invoices.yaml as well as a new event file: two files, one commit
        Op("pay (with its commit)", lambda: [*cli, "pay", second, *payment()]),
        Op("git commit (floor)", timer=lambda: git_commit_floor(ledger)),
        Op("git plumbing commit (floor)", timer=lambda: git_plumbing_floor(ledger)),
        Op("git status (floor)", ["git", "-C", str(ledger), "status", "--porcelain", "-uno"]),
        # what any command pays before its own work: Python and the libraries the
        # design fixes (a listing imports tabulate; a write GitPython and ruamel.yaml)
        Op("import floor: list", [python, "-c", "import typer, tabulate"]),
        Op("import floor: write", [python, "-c", "import typer, git, ruamel.yaml"]),
        Op("followups", [*cli, "followups"]),  # maria's
        Op("followups --all", [*cli, "followups", "--all"]),
        Op("check", [*cli, "check"]),
        # the credit manager's reports read every account, not only those due today
        Op("report aging", [*cli, "report", "aging"]),
        Op("report aging --by collector", [*cli, "report", "aging", "--by", "collector"]),
        Op("report dso", [*cli, "report", "dso"]),
        Op("report cei", [*cli, "report", "cei"]),
        Op("report promises", [*cli, "report", "promises"]),
        Op("report activity", [*cli, "report", "activity"]),
        Op("report forecast", [*cli, "report", "forecast"]),
        Op("report html", [*cli, "report", "html", str(ledger.parent / "report.html")]),
        # a day before most accounts' last records: each is settled again as it stood
        Op("report aging --as-of 60 days back", [*cli, "report", "aging", "--as-of", AGO]),
    ]
    # a books' export of 10,000 new invoices over every customer, into a fresh copy of the
    # ledger (the copy is not timed), then the same file again: the cron job's usual day
    export = args.workdir / f"open-invoices-{args.customers}.csv"
    rows = write_export(export, args.customers, max(1, 10_000 // args.customers))
    scratch = args.workdir / "import-scratch"

    def fresh_copy() -> None:
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.copytree(ledger, scratch, symlinks=True)

    importing = [args.collectctl, "-L", str(scratch), "--today", TODAY, "--collector", "maria"]
    importing += ["import", "invoices", str(export)]
    ops.append(Op(f"import {rows:,} invoices", importing, before=fresh_copy))
    ops.append(Op("import the same file again", importing))
    if shutil.which("hledger") and journal.exists():
        ops.append(Op("hledger bal (peer)", ["hledger", "-f", str(journal), "bal"]))
    if args.only:
        ops = [op for op in ops if any(text in op.name for text in args.only)]
    if args.sparse:  # commits there go through git commit: the plumbing's would slow
        ops = [op for op in ops if "plumbing" not in op.name]  # its status, so no floor
    if args.watch:
        started = subprocess.run([*cli, "watch"], check=True, capture_output=True, text=True)
        print(f"  {started.stdout.strip()}", flush=True)
    try:
        results = run_rounds(ops, args.runs)
        measure_after(args, results, cli, ledger, log_one_call)
    finally:
        if args.watch:
            subprocess.run([*cli, "watch", "--stop"], check=True, capture_output=True)
    if args.json:
        machine = {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
        }
        report = {
            "customers": args.customers,
            "yaml_files": files,
            "watched": args.watch,
            "machine": machine,
            "results": [asdict(r) for r in results],
        }
        args.json.write_text(json.dumps(report, indent=2) + "\n")
        print(f"wrote {args.json}")


def measure_after(
    args: argparse.Namespace,
    results: list[Timing],
    cli: list[str],
    ledger: Path,
    log_one_call: Callable[[], None],
) -> None:
    """The paired difference around a log-call, the two readers compared on every file
    and the two record readers on every event and invoice, and the YAML floor, after the
    rounds."""
    if args.pairs:
        results.append(
            paired_difference("due after log-call - warm", [*cli, "due"], log_one_call, args.pairs)
        )
    if not args.only or any(text in "parse: plain reader" for text in args.only):
        results.extend(reader_comparison(ledger))
        record_comparison(ledger)
    try:
        if args.only and not any(text in "CSafeLoader parse (floor)" for text in args.only):
            raise LookupError("not asked for")
        floor = yaml_floor(ledger)
        results.append(Timing("CSafeLoader parse (floor)", 1, floor, floor, floor))
        print(f"  {'CSafeLoader parse (floor)':<28} {floor:8.3f} s", flush=True)
    except ImportError:
        print("  (PyYAML not installed: no YAML floor; pip install -e '.[bench]')")
    except LookupError:
        pass


if __name__ == "__main__":
    main()
