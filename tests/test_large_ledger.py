"""A ledger large enough to be parsed on every core gives the same answers, cold or warm,
in parallel or not, and still names a broken file by its line."""

import json
import shutil
import sys
from pathlib import Path

import pytest
from conftest import run

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
