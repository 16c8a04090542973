"""collectctl watch: a watcher in the background, and listings that ask git only about
the accounts it saw change. (Every cache case runs with one too: test_cache.py.)"""

import json
import os
import re

import pytest
from conftest import git, run
from test_cache import INVOICES, balance, edit_keeping_size_and_mtime, warm

pytestmark = pytest.mark.skipif(not os.path.exists("/proc/self"), reason="inotify is Linux's")


@pytest.fixture
def watched(sample):
    started = run("-L", str(sample), "watch")
    assert started.code == 0, started.err
    yield sample
    run("-L", str(sample), "watch", "--stop")


def asked_about(sample, tmp_path) -> str | list[str]:
    """What one `due --all` had git compare with HEAD: "everything" (git status), or
    the customer folders it compared by content."""
    trace = tmp_path / f"trace-{len(list(tmp_path.glob('trace-*')))}"
    result = run("-L", str(sample), "due", "--all", env={"GIT_TRACE": str(trace)})
    assert result.code == 0, result.err
    commands = [line.split("trace: built-in: git ", 1)[1] for line in
                trace.read_text().splitlines() if "trace: built-in: git " in line]  # fmt: skip
    if any(re.search(r"\bstatus\b", command) for command in commands):
        return "everything"
    compared = [c for c in commands if c.startswith("ls-tree -r -z --full-name HEAD --")]
    return [path for command in compared for path in command.split(" -- ", 1)[1].split()]


def test_start_status_stop(sample):
    started = run("-L", str(sample), "watch")
    assert started.code == 0, started.err
    assert re.fullmatch(rf"watching {sample} since \S+ \(pid (\d+)\): \d+ folders\n", started.out)
    pid = started.out.split("(pid ")[1].split(")")[0]
    again = run("-L", str(sample), "watch")  # the one running, not a second
    assert f"(pid {pid})" in again.out
    assert run("-L", str(sample), "watch", "--status").out == started.out

    stopped = run("-L", str(sample), "watch", "--stop")

    assert stopped.out == f"stopped watching {sample}\n"
    status = run("-L", str(sample), "watch", "--status")
    assert (status.code, status.out) == (1, f"not watching {sample}\n")
    assert run("-L", str(sample), "watch", "--stop").out == f"not watching {sample}\n"
    both = run("-L", str(sample), "watch", "--stop", "--status")
    assert (both.code, both.err) == (
        2,
        "collectctl: give one of --stop, --status and --foreground\n",
    )


def test_git_compares_only_the_accounts_that_changed(watched, tmp_path):
    warm(watched)
    asked_about(watched, tmp_path)  # the watcher's first token: git looks at everything
    assert asked_about(watched, tmp_path) == []  # nothing changed: git is not asked

    edit_keeping_size_and_mtime(watched / INVOICES, "amount: 6400.00", "amount: 6500.00")

    assert asked_about(watched, tmp_path) == ["customers/cobalt-tool"]
    assert balance(watched) == "6500.00"
    paid = run("-L", str(watched), "pay", "delta-fab", "--amount", "10")
    assert paid.code == 0, paid.err
    # the commit moved delta-fab's tree; cobalt-tool is still edited
    assert asked_about(watched, tmp_path) == ["customers/cobalt-tool", "customers/delta-fab"]
    run("-L", str(watched), "watch", "--stop")
    assert asked_about(watched, tmp_path) == "everything"  # nobody watching: as ever


def test_a_folder_made_after_the_watcher_started_is_watched(watched):
    activity = watched / "customers/cobalt-tool/activity"
    activity.mkdir()
    event = activity / "2026-11-20T100000-call-maria.yaml"
    event.write_text("kind: call\ndate: 2026-11-20\ncollector: maria\noutcome: hostile\n")
    git(watched, "add", "customers")
    git(watched, "commit", "-qm", "A call logged by hand")
    warm(watched)
    rows = json.loads(run("-L", str(watched), "due", "--all", "--format", "json").out)
    assert "cobalt-tool" in [row["customer"] for row in rows]

    edit_keeping_size_and_mtime(event, "outcome: hostile", "outcome: hostel!")  # no outcome

    result = run("-L", str(watched), "due", "--all")
    assert result.code == 1
    assert "2026-11-20T100000-call-maria.yaml" in result.err


def test_a_restarted_watcher_vouches_for_nothing_it_did_not_see(watched):
    warm(watched)
    assert balance(watched) == "6400.00"
    run("-L", str(watched), "watch", "--stop")
    edit_keeping_size_and_mtime(watched / INVOICES, "amount: 6400.00", "amount: 6500.00")
    assert run("-L", str(watched), "watch").code == 0

    assert balance(watched) == "6500.00"


def test_the_watcher_outlives_its_cookie_folder(watched, tmp_path):
    """Clearing .collectctl/ by hand takes the folder its cookies go through with it."""
    import shutil

    warm(watched)
    shutil.rmtree(watched / ".collectctl/watch")
    asked_about(watched, tmp_path)
    edit_keeping_size_and_mtime(watched / INVOICES, "amount: 6400.00", "amount: 6500.00")

    assert asked_about(watched, tmp_path) == ["customers/cobalt-tool"]
    assert balance(watched) == "6500.00"


def test_a_service_manager_runs_it_in_the_foreground_and_ends_it(sample):
    """`watch --foreground` (a systemd unit, a tmux pane) says when it is watching and
    ends quietly on SIGTERM; the socket is gone with it."""
    import signal
    import subprocess

    from conftest import COLLECTCTL

    watcher = subprocess.Popen(
        [COLLECTCTL, "-L", str(sample), "watch", "--foreground"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert watcher.stdout is not None
        assert watcher.stdout.readline() == f"watching {sample}\n"
        assert run("-L", str(sample), "watch", "--status").code == 0
        watcher.send_signal(signal.SIGTERM)
        assert watcher.wait(timeout=10) == 0
        assert watcher.stderr is not None and watcher.stderr.read() == ""
    finally:
        watcher.kill()
    assert run("-L", str(sample), "watch", "--status").code == 1
