"""Killed at each named point of the write path, collectctl leaves a ledger the next
command finds whole: the change rolled back, or committed entire; check passes; no lock
or journal blocks the next write; and no email reaches a server without a record."""

import pytest
from conftest import commit_count, git, run

from collectctl.storage.faults import POINTS

SMTP_POINTS = ["before-data", "after-data", "after-quit"]
FILE_POINTS = [p for p in POINTS if p not in SMTP_POINTS]
# a call that names a new contact: customer.yaml and an activity file in one change
LOG_CALL = ["--collector", "maria", "log-call", "cobalt-tool", "--contact", "Ann Lee",
            "--outcome", "reached", "--notes", "new AP clerk"]  # fmt: skip


def whole_or_nothing(ledger, before):
    """The next command recovers; the ledger holds all of the change or none of it."""
    checked = run("-L", str(ledger), "check")
    assert (checked.code, checked.out) == (0, "ledger OK\n"), checked.err
    assert git(ledger, "status", "--porcelain") == ""
    commits = commit_count(ledger)
    assert commits in (before, before + 1)
    contacts = (ledger / "customers/cobalt-tool/customer.yaml").read_text()
    assert ("Ann Lee" in contacts) == (commits == before + 1)
    assert not (ledger / ".collectctl/journal.json").exists()
    committed = commits == before + 1
    again = run("-L", str(ledger), "--collector", "maria", "log-call", "cobalt-tool",
                "--outcome", "voicemail", "--notes", "after the crash")  # fmt: skip
    assert again.code == 0, again.err  # nothing left blocks the next write
    return committed


@pytest.mark.parametrize("point", FILE_POINTS)
def test_killed_on_the_write_path_the_ledger_is_whole(sample, point):
    before = commit_count(sample)
    killed = run("-L", str(sample), *LOG_CALL, env={"COLLECTCTL_FAULT": point})
    assert killed.code == -9
    assert whole_or_nothing(sample, before) == (point == "after-commit")


@pytest.mark.parametrize("point", FILE_POINTS)
def test_a_new_customer_killed_on_the_write_path_leaves_no_empty_folder(sample, point):
    """A change undone takes away the folders it made: a customer folder left empty
    is one `check` refuses (the random-kill soak found one after `customer add`)."""
    killed = run("-L", str(sample), "--collector", "dev", "customer", "add", "newco",
                 "--name", "New Co", env={"COLLECTCTL_FAULT": point})  # fmt: skip
    assert killed.code == -9
    checked = run("-L", str(sample), "check")
    assert (checked.code, checked.out) == (0, "ledger OK\n"), checked.err
    assert (sample / "customers/newco").exists() == (point == "after-commit")


@pytest.mark.parametrize("point", SMTP_POINTS)
def test_killed_at_the_smtp_boundary_every_delivered_email_is_recorded(sample, smtp_server, point):
    env = {**smtp_server.env, "COLLECTCTL_FAULT": point}
    killed = run("-L", str(sample), "--collector", "dev", "resend-invoice", "evergreen",
                 "INV-2026-0110", env=env)  # fmt: skip
    assert killed.code == -9
    assert run("-L", str(sample), "check").out == "ledger OK\n"
    recorded = list((sample / "customers/evergreen/activity").glob("*-email-*"))
    delivered = len(smtp_server.mailbox.envelopes)
    assert delivered == (0 if point == "before-data" else 1)
    assert len(recorded) >= delivered  # nothing reached the server unrecorded
    assert git(sample, "status", "--porcelain") == ""


# --- the soak: kills at random moments -------------------------------------------------------


def soak(ledger, smtp_server, kills, seed):
    """`kills` write commands killed at a random moment each; after every one the next
    command recovers, check passes, and every email the server got is recorded."""
    import random
    import subprocess
    import time

    from conftest import COLLECTCTL

    rng = random.Random(seed)
    commands = [
        ["log-call", "cobalt-tool", "--contact", "Ann Lee", "--outcome", "reached", "--notes", "x"],
        ["promise", "harbor-marine", "--amount", "100", "--by", "2026-12-04"],
        ["pay", "juniper-labs", "--amount", "1", "--reference", "SOAK-{n}"],
        ["resend-invoice", "evergreen", "INV-2026-0110", "--resend"],
        ["contact", "add", "delta-fab", "--name", "Soak {n}"],
        ["customer", "add", "soak-{n}", "--name", "Soak {n}"],
        ["invoice", "add", "granite-works", "SOAK-{n}", "--amount", "10", "--issued", "2026-11-02"],
        ["escalate", "keystone-build", "--reason", "soak {n}", "--to", "grace"],
        [
            "promise",
            "meridian-health",
            "--amount",
            "100",
            "--by",
            "2026-12-04",
            "--send",
            "--to",
            "ap@meridian.example",
        ],
    ]
    env = {**__import__("os").environ, **smtp_server.env}
    for n in range(kills):
        command = [part.format(n=n) for part in rng.choice(commands)]
        process = subprocess.Popen(
            [COLLECTCTL, "-L", str(ledger), "--collector", "dev", *command],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
        )  # fmt: skip
        time.sleep(rng.uniform(0.0, 0.35))
        process.kill()
        process.wait()
        checked = run("-L", str(ledger), "check")
        where = (seed, n, command, checked.err)
        assert (checked.code, checked.out) == (0, "ledger OK\n"), where
        assert git(ledger, "status", "--porcelain") == "", where
        assert not (ledger / ".collectctl/journal.json").exists(), where  # nothing blocks
        sent = [m["Message-ID"] for m in smtp_server.mailbox.messages()]
        recorded = {
            line.split(":", 1)[1].strip().strip("'\"")
            for path in ledger.glob("customers/*/activity/*-email-*")
            for line in path.read_text().splitlines()
            if line.startswith("message_id:")
        }
        assert len(sent) == len(set(sent)), where  # none sent twice
        assert set(sent) <= recorded, where  # every email the server got is recorded


def test_random_kills_never_leave_a_broken_ledger(sample, smtp_server):
    soak(sample, smtp_server, kills=12, seed=20261201)


@pytest.mark.soak
def test_two_hundred_random_kills_never_leave_a_broken_ledger(sample, smtp_server):
    soak(sample, smtp_server, kills=200, seed=1)


def test_a_killed_change_leaves_no_backup_behind_once_recovered(sample):
    killed = run("-L", str(sample), *LOG_CALL, env={"COLLECTCTL_FAULT": "after-write"})
    assert killed.code == -9
    assert list((sample / ".collectctl/rollback").iterdir())  # the originals it linked
    assert run("-L", str(sample), "check").code == 0
    assert not list((sample / ".collectctl/rollback").iterdir())
