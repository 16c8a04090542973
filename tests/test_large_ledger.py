"""A ledger large enough to be parsed on every core gives the same answers, cold or warm,
in parallel or not, and still names a broken file by its line."""

import json
import shutil
import sys
from pathlib import Path

import pytest
from conftest import COLLECTCTL, git, on_a_terminal, run

sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
from generate import generate


@pytest.fixture(scope="module")
def large(tmp_path_factory) -> Path:
    ledger = tmp_path_factory.mktemp("large") / "ledger"
    generate(ledger, customers=80)
    return ledger


def due(ledger: Path, **env) -> list:
    result = run("-L", str(ledger), "due", "--all", "--format", "json", env=env)
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_parallel_serial_and_cached_reads_agree(large):
    shutil.rmtree(large / ".collectctl", ignore_errors=True)
    parallel = due(large, COLLECTCTL_WORKERS="2")
    shutil.rmtree(large / ".collectctl")
    serial = due(large, COLLECTCTL_WORKERS="1")
    cached = due(large)
    assert parallel == serial == cached
    assert len(parallel) > 20


def test_a_broken_file_is_named_in_a_parallel_parse(large):
    shutil.rmtree(large / ".collectctl", ignore_errors=True)
    path = large / "customers/c00050/invoices.yaml"
    original = path.read_text()
    path.write_text(original.replace("status: open", "status: opne", 1))
    try:
        result = run("-L", str(large), "check", env={"COLLECTCTL_WORKERS": "2"})
    finally:
        path.write_text(original)
    assert result.code == 1
    line = original.splitlines().index("    status: open") + 1
    assert result.out == (
        f"customers/c00050/invoices.yaml:{line}: status: 'opne' is not one of open, void\n"
    )


def test_a_long_rebuild_of_the_cache_is_announced_on_a_terminal_only(tmp_path):
    """Reading a thousand accounts or more from their files takes seconds (minutes at a
    hundred thousand): a person at a terminal is told why they wait; a pipe is not."""
    ledger = tmp_path / "ledger"
    ledger.mkdir()
    (ledger / "collectctl.yaml").write_text(
        "format: 2\ncompany: Many Small Co.\ncurrency: USD\nterms: 30\n"
    )
    for number in range(1000):
        folder = ledger / "customers" / f"c{number:04d}"
        folder.mkdir(parents=True)
        (folder / "customer.yaml").write_text(f"name: Customer {number}\n")
    git(ledger, "init", "-q")
    git(ledger, "add", ".")
    git(ledger, "commit", "-q", "-m", "a thousand customers")
    args = [COLLECTCTL, "-L", str(ledger), "--today", "2026-11-23"]

    code, out, shown = on_a_terminal([*args, "check"])
    assert code == 0 and out == b"ledger OK\n"
    assert shown == (
        b"collectctl: reading 1,000 accounts from their files; "
        b"they are cached for the runs after this one...\r\n"
    )
    code, _, shown = on_a_terminal([*args, "due"])  # from the cache: nothing to say
    assert (code, shown) == (0, b"")

    shutil.rmtree(ledger / ".collectctl")
    piped = run("-L", str(ledger), "--today", "2026-11-23", "due")
    assert piped.code == 0 and piped.err == ""  # a pipe, or cron's mail: not a word
    (ledger / "customers/c0000/customer.yaml").write_text("name: Customer Zero\n")
    code, _, shown = on_a_terminal([*args, "due"])  # one account changed: read quietly
    assert (code, shown) == (0, b"")
    shutil.rmtree(ledger / ".git")  # not in git: nothing is cached, so nothing promised
    code, _, shown = on_a_terminal([*args, "due"])
    assert (code, shown) == (0, b"")
