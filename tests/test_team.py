"""A ledger shared through git: no write lands in the middle of a merge or rebase, and
git hooks that run `check` work inside collectctl's own commits."""

import pytest
from conftest import COLLECTCTL, commit_count, git, run, snapshot

CUSTOMER = "customers/delta-fab/customer.yaml"
LOG_CALL = ["log-call", "cobalt-tool", "--outcome", "voicemail", "--notes", "left a message"]


def edit_and_commit(ledger, text, message):
    path = ledger / CUSTOMER
    path.write_text(path.read_text().replace("Delta Fabrication LLC", text))
    git(ledger, "commit", "-qam", message)


def stopped_on_a_conflict(ledger, how):
    """Two branches edit the customer's name; `how` brings them together and stops."""
    git(ledger, "checkout", "-q", "-b", "teammate")
    edit_and_commit(ledger, "Delta Fab (teammate)", "teammate renames")
    git(ledger, "checkout", "-q", "main")
    edit_and_commit(ledger, "Delta Fab (mine)", "I rename")
    if how == "rebase":
        git(ledger, "checkout", "-q", "teammate")
    args = {
        "merge": ["merge", "teammate"],
        "rebase": ["rebase", "main"],
        "cherry-pick": ["cherry-pick", "teammate"],
    }[how]
    done = __import__("subprocess").run(["git", *args], cwd=ledger, capture_output=True)
    assert done.returncode != 0  # stopped on the conflict


@pytest.mark.parametrize(
    ("how", "said"),
    [
        ("merge", "git is in the middle of a merge: finish it (resolve, git commit) or abort"),
        ("rebase", "git is in the middle of a rebase: finish it (git rebase --continue)"),
        ("cherry-pick", "git is in the middle of a cherry-pick: finish it"),
    ],
)
def test_no_write_in_the_middle_of_a_merge_or_rebase(sample, how, said):
    stopped_on_a_conflict(sample, how)
    before = snapshot(sample)
    result = run("-L", str(sample), *LOG_CALL)
    assert result.code == 1
    assert result.err.startswith(f"collectctl: nothing recorded: {said}")
    assert result.err.count("\n") == 1
    assert snapshot(sample) == before


def test_no_write_on_a_detached_head_or_during_a_bisect(sample):
    git(sample, "checkout", "-q", "--detach")
    result = run("-L", str(sample), *LOG_CALL)
    assert (result.code, result.err) == (
        1,
        "collectctl: nothing recorded: HEAD is detached (not on a branch): switch to a "
        "branch (git switch main) before recording anything\n",
    )
    git(sample, "checkout", "-q", "main")
    git(sample, "bisect", "start")
    result = run("-L", str(sample), *LOG_CALL)
    assert result.err.startswith("collectctl: nothing recorded: git is in the middle of a bisect")
    git(sample, "bisect", "reset")
    assert run("-L", str(sample), *LOG_CALL).code == 0


def install_hook(ledger):
    hook = ledger / ".git/hooks/pre-commit"
    hook.write_text(f'#!/bin/sh\nexec "{COLLECTCTL}" check\n')
    hook.chmod(0o755)


def test_a_pre_commit_hook_running_check_does_not_wait_for_the_writer(sample):
    """The hook's `check` runs inside collectctl's commit, while its lock is held and its
    journal is on disk: a reader must neither wait for that lock nor touch the journal."""
    install_hook(sample)
    before = commit_count(sample)
    result = run("-L", str(sample), *LOG_CALL, env={"COLLECTCTL_LOCK_TIMEOUT": "3"})
    assert result.code == 0, result.err
    assert commit_count(sample) == before + 1
    assert git(sample, "status", "--porcelain") == ""


def test_a_pre_commit_hook_that_finds_a_problem_stops_the_write(sample):
    install_hook(sample)
    broken = sample / "customers/cobalt-tool/invoices.yaml"
    broken.write_text(broken.read_text().replace("amount: 6400.00", "amount: 64.001"))
    git(sample, "commit", "-qam", "a typo slips in", "--no-verify")
    before = snapshot(sample)
    result = run(
        "-L", str(sample), "--collector", "maria", "contact", "add", "delta-fab", "--name", "Jo"
    )
    assert result.code == 1
    assert "git commit failed" in result.err
    assert snapshot(sample) == before


def test_a_payment_reference_already_recorded_is_refused(sample):
    pay = ["pay", "delta-fab", "--amount", "1000", "--reference", "4411", "--method", "check"]
    assert run("-L", str(sample), *pay).code == 0
    before = snapshot(sample)
    again = run("-L", str(sample), *pay)
    assert again.code == 1
    assert again.err.startswith(
        "collectctl: reference 4411 is already recorded for delta-fab (activity/2026-11-23T"
    )
    assert again.err.endswith(
        "-payment-test-runner.yaml: 1,000.00 USD on 2026-11-23); pass "
        "--allow-duplicate-reference if this is another payment under it\n"
    )
    assert snapshot(sample) == before
    # a second payment really made under the same reference says so, and check agrees
    allowed = run("-L", str(sample), *pay, "--allow-duplicate-reference")
    assert allowed.code == 0, allowed.err
    assert run("-L", str(sample), "check").out == "ledger OK\n"


def test_check_names_both_files_of_a_reference_recorded_twice(sample):
    """What a merge of two collectors' branches can leave: the same check recorded twice."""
    activity = sample / "customers/delta-fab/activity"
    for name, amount in (("2026-11-20T100000-payment-maria.yaml", "3250.00"),
                         ("2026-11-20T110000-payment-dev.yaml", "1000.00")):  # fmt: skip
        (activity / name).write_text(
            f"kind: payment\ndate: 2026-11-20\ncollector: {name[25:-5]}\n"
            f"amount: {amount}\nreference: '4411'\nmethod: check\n"
        )
    result = run("-L", str(sample), "check")
    assert result.code == 1
    assert result.out == (
        "customers/delta-fab/activity/2026-11-20T110000-payment-dev.yaml:5: payment reference "
        "4411 is also recorded in activity/2026-11-20T100000-payment-maria.yaml; if both are "
        "real, add 'duplicate_reference: true' to this one\n"
    )
