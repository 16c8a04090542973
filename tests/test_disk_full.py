"""A full disk: a write that cannot finish says so in one line and leaves the ledger —
files, git's index and HEAD — exactly as it was, however far it got; once space is
freed, the same command works."""

import os
import shutil
import subprocess

import pytest
from conftest import commit_count, copy_ledger, run, snapshot

LOG_CALL = ["--collector", "maria", "log-call", "cobalt-tool", "--contact", "Ann Lee",
            "--outcome", "reached", "--notes", "n" * 3000]  # fmt: skip


@pytest.fixture
def small_disk(tmp_path):
    """A 4 MiB tmpfs (root only: skipped elsewhere)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)],
                          capture_output=True, text=True)  # fmt: skip
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk, leave_kb):
    """Fill the disk up to `leave_kb` KiB of free space."""
    free = shutil.disk_usage(disk).free // 1024
    with open(disk / "filler", "wb") as handle:
        handle.write(b"\0" * max(free - leave_kb, 0) * 1024)


@pytest.mark.parametrize("leave_kb", [0, 8, 16, 24, 32, 40, 44, 48, 52, 56, 64])
def test_a_full_disk_leaves_the_ledger_exactly_as_it_was(sample_master, small_disk, leave_kb):
    ledger = copy_ledger(sample_master, small_disk / "ledger")
    assert run("-L", str(ledger), "due").code == 0  # the cache is built while there is room
    before, commits = snapshot(ledger), commit_count(ledger)
    fill(small_disk, leave_kb)
    result = run("-L", str(ledger), *LOG_CALL)
    if result.code == 0:  # it fit: then it is whole
        assert commit_count(ledger) == commits + 1
    else:
        assert (result.code, result.err) == (
            1,
            "collectctl: the disk holding the ledger is full: nothing was recorded; "
            "free some space and try again\n",
        )
        assert snapshot(ledger) == before
        assert not (ledger / ".collectctl/journal.json").exists()
    (small_disk / "filler").unlink()
    again = run("-L", str(ledger), *LOG_CALL)
    assert again.code == 0, again.err
    assert run("-L", str(ledger), "check").out == "ledger OK\n"
