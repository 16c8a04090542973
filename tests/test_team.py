"""A ledger shared through git: no write lands in the middle of a merge or rebase, and
git hooks that run `check` work inside collectctl's own commits."""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import COLLECTCTL, commit_count, git, run, snapshot

from collectctl.storage import store

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
    done = subprocess.run(["git", *args], cwd=ledger, capture_output=True)
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
        "collectctl: reference 4411 is already recorded for delta-fab (activity/20"
    )
    assert again.err.endswith(
        "-payment-dev.yaml: 1,000.00 USD on 2026-11-23); pass "
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
            f"kind: payment\ndate: 2026-11-20\ncollector: {name[26:-5]}\n"
            f"amount: {amount}\nreference: '4411'\nmethod: check\n"
        )
    result = run("-L", str(sample), "check")
    assert result.code == 1
    assert result.out == (
        "customers/delta-fab/activity/2026-11-20T110000-payment-dev.yaml:5: payment reference "
        "4411 is also recorded in activity/2026-11-20T100000-payment-maria.yaml; if both are "
        "real, add 'duplicate_reference: true' to this one\n"
    )


# --- two collectors, two clones, one origin ------------------------------------------------


def team(tmp_path):
    """A bare origin holding acme with A-1 (1,000) and A-2 (2,000) open, and a clone for
    each of two collectors."""
    seed = tmp_path / "seed"
    assert run("init", str(seed), "--company", "Team Co").code == 0
    for args in (
        ["customer", "add", "acme", "--name", "Acme"],
        ["invoice", "add", "acme", "A-1", "--amount", "1000", "--issued", "2026-09-01"],
        ["invoice", "add", "acme", "A-2", "--amount", "2000", "--issued", "2026-10-01"],
    ):
        assert run("-L", str(seed), *args).code == 0
    origin = tmp_path / "origin.git"
    git(tmp_path, "clone", "-q", "--bare", str(seed), str(origin))
    clones = {}
    for who in ("maria", "dev"):
        git(tmp_path, "clone", "-q", str(origin), who)
        git(tmp_path / who, "switch", "-q", "-c", f"{who}-week")
        clones[who] = tmp_path / who
    return origin, clones


def as_(who, ledger, *args):
    result = run("-L", str(ledger), "--collector", who, *args)
    assert result.code == 0, result.err
    return result


def open_balances(ledger):
    brief = json.loads(run("-L", str(ledger), "brief", "acme", "--format", "json").out)
    return {i["number"]: i["balance"] for i in brief["open_invoices"]}, brief["credit"]


def push(ledger, branch):
    git(ledger, "push", "-q", "origin", branch)


def reviewer_merging(tmp_path, origin, *branches, set_up=False):
    """A fresh clone of the origin that merges each branch the way a pull request is
    merged (--no-ff); `set_up`: the clone's merge driver installed first (init --hooks)."""
    reviewer = tmp_path / "reviewer"
    git(tmp_path, "clone", "-q", str(origin), str(reviewer))
    if set_up:
        assert run("init", str(reviewer), "--hooks").code == 0
    for branch in branches:
        git(reviewer, "merge", "-q", "--no-ff", branch, "-m", f"Merge {branch}")
    return reviewer


@pytest.mark.parametrize("order", ["maria first", "dev first", "rebased"])
def test_payments_on_two_branches_merge_without_conflict_into_the_right_balances(tmp_path, order):
    origin, clones = team(tmp_path)
    as_("maria", clones["maria"], "pay", "acme", "--amount", "1000", "--reference", "CHK-1")
    as_("maria", clones["maria"], "log-call", "acme", "--outcome", "reached", "--notes", "paid")
    as_("dev", clones["dev"], "pay", "acme", "--amount", "500", "--reference", "CHK-2")
    as_("dev", clones["dev"], "promise", "acme", "--amount", "1500", "--by", "2026-12-04")
    push(clones["maria"], "maria-week")
    push(clones["dev"], "dev-week")

    reviewer = tmp_path / "reviewer"
    git(tmp_path, "clone", "-q", str(origin), str(reviewer))
    branches = ["origin/maria-week", "origin/dev-week"]
    if order == "dev first":
        branches.reverse()
    if order == "rebased":
        git(reviewer, "switch", "-q", "-c", "dev-week", "origin/dev-week")
        git(reviewer, "rebase", "-q", "origin/maria-week")  # no conflict to stop on
        git(reviewer, "switch", "-q", "main")
        branches = ["dev-week"]
    for branch in branches:
        git(reviewer, "merge", "-q", "--no-ff", branch, "-m", f"Merge {branch}")

    assert open_balances(reviewer) == ({"A-2": "1500.00"}, "0.00")
    assert run("-L", str(reviewer), "check").out == "ledger OK\n"
    brief = json.loads(run("-L", str(reviewer), "brief", "acme", "--format", "json").out)
    assert [(p["amount"], p["contact"]) for p in brief["promises"]] == [("1500.00", None)]
    assert [(c["kind"], c["outcome"], c["collector"]) for c in brief["last_contacts"]] == [
        ("promise", "promised 1,500.00 by 2026-12-04", "dev"),
        ("call", "reached", "maria"),
    ]
    assert sorted(p["reference"] for p in brief["payments"]) == ["CHK-1", "CHK-2"]


def test_a_named_invoice_paid_on_the_other_branch_becomes_credit_and_check_says_so(tmp_path):
    origin, clones = team(tmp_path)
    as_("maria", clones["maria"], "pay", "acme", "--amount", "1000", "--invoice", "A-1")
    as_("dev", clones["dev"], "pay", "acme", "--amount", "1000", "--invoice", "A-1")
    push(clones["maria"], "maria-week")
    push(clones["dev"], "dev-week")
    reviewer = reviewer_merging(tmp_path, origin, "origin/maria-week", "origin/dev-week")
    # never a negative balance: the second 1,000 is held as credit
    assert open_balances(reviewer) == ({"A-2": "2000.00"}, "1000.00")
    result = run("-L", str(reviewer), "check")
    assert result.code == 1
    assert result.out.endswith(
        "names invoice A-1, which earlier payments had already paid: 1,000.00 USD is "
        "credit (record a correction naming another invoice if it was meant for one)\n"
    )


# --- migrate --------------------------------------------------------------------------------

V1_SAMPLE = Path(__file__).parent / "data/sample-ledger-v1"


def v1_ledger(tmp_path):
    """The sample as collectctl wrote it before format 2, committed in a repository."""
    ledger = tmp_path / "old"
    shutil.copytree(V1_SAMPLE, ledger)
    git(ledger, "init", "-q")
    git(ledger, "add", ".")
    git(ledger, "commit", "-qm", "the ledger as it was")
    return ledger


def test_an_old_ledger_is_refused_until_migrated(tmp_path):
    ledger = v1_ledger(tmp_path)
    before = snapshot(ledger)
    for args in (["due"], ["brief", "delta-fab"], ["check"], ["pay", "delta-fab", "--amount", "1"]):
        result = run("-L", str(ledger), *args)
        assert (result.code, result.err) == (
            1,
            "collectctl: collectctl.yaml: this ledger is in format 1; run 'collectctl migrate' "
            "to bring it to format 2 (one commit), then try again\n",
        )
    assert snapshot(ledger) == before


def test_migrate_keeps_every_balance_and_every_screen(tmp_path, sample):
    ledger = v1_ledger(tmp_path)
    result = run("-L", str(ledger), "--collector", "maria", "migrate")
    assert result.code == 0, result.err
    assert result.out.startswith(
        "migrate: ledger to format 2 (payments and disputes as events only) ["
    )
    assert commit_count(ledger) == 2
    assert git(ledger, "status", "--porcelain") == ""
    invoices = "".join(p.read_text() for p in ledger.glob("customers/*/invoices.yaml"))
    assert "payments:" not in invoices and "dispute:" not in invoices and "paid" not in invoices
    assert run("-L", str(ledger), "check").out == "ledger OK\n"

    # the same screens as the sample shipped in format 2, whose activity files have since
    # been renamed to UTC names (…T093000Z-call-…): the old ledger keeps its own
    def as_now_named(text):
        return re.sub(r"(T\d{6})-([a-z]+-)", r"\1Z-\2", text)

    for args in (["due", "--format", "json"], ["followups", "--days", "30", "--format", "json"]):
        assert as_now_named(run("-L", str(ledger), *args).out) == run("-L", str(sample), *args).out
    for customer in ("brightway", "fulton-foods", "granite-works", "ironclad", "lakeside-print"):
        brief = ["brief", customer, "--format", "json"]
        old, new = run("-L", str(ledger), *brief).out, run("-L", str(sample), *brief).out
        assert as_now_named(old) == new, customer
    # running it again changes nothing
    again = run("-L", str(ledger), "--collector", "maria", "migrate")
    assert (again.code, again.out) == (0, "nothing changed: the ledger is already in format 2\n")
    assert commit_count(ledger) == 2


def test_migrate_refuses_uncommitted_changes(tmp_path):
    ledger = v1_ledger(tmp_path)
    (ledger / "customers/delta-fab/customer.yaml").write_text("name: Delta\n# half done\n")
    before = snapshot(ledger)
    result = run("-L", str(ledger), "--collector", "maria", "migrate")
    assert (result.code, result.err) == (
        1,
        "collectctl: the ledger has uncommitted changes; commit or stash them first\n",
    )
    assert snapshot(ledger) == before


def test_review_of_a_merged_pull_request_lists_what_each_collector_did(tmp_path):
    origin, clones = team(tmp_path)
    as_("maria", clones["maria"], "pay", "acme", "--amount", "1000", "--reference", "CHK-1")
    as_("maria", clones["maria"], "log-call", "acme", "--outcome", "reached", "--notes", "ok\nmore")
    push(clones["maria"], "maria-week")
    reviewer = reviewer_merging(tmp_path, origin, "origin/maria-week")
    result = run("-L", str(reviewer), "review", "HEAD~1..HEAD", "--format", "json")
    assert result.code == 0, result.err
    found = json.loads(result.out)
    assert (found["range"], found["commits"], found["customers"]) == ("HEAD~1..HEAD", 3, ["acme"])
    assert [(e["kind"], e["collector"], e["text"]) for e in found["events"]] == [
        ("payment", "maria", "1,000.00 USD received 2026-11-23, ref CHK-1"),
        ("call", "maria", 'reached — "ok"'),
    ]
    assert (found["invoices"], found["hand_edits"], found["problems"]) == ([], [], [])


def test_review_says_how_an_invoice_edited_by_hand_changed(sample):
    path = sample / "customers/cobalt-tool/invoices.yaml"
    text = path.read_text()
    edited = text.replace("amount: 6400.00", "amount: 6150.00", 1).replace(
        "due: 2026-11-18", "due: 2026-11-25", 1
    )
    path.write_text(edited)
    git(sample, "commit", "-qam", "cobalt's invoice corrected by hand")
    result = run("-L", str(sample), "review", "HEAD~1..HEAD")
    assert result.code == 0, result.err
    assert (
        "  cobalt-tool: INV-2026-0128 changed: amount 6400.00 → 6150.00, "
        "due 2026-11-18 → 2026-11-25\n"
    ) in result.out


# --- hooks and CI for the ledger's repository ----------------------------------------------

BIN = str(Path(COLLECTCTL).parent)


def commit_by_hand(ledger, message):
    """`git commit -a` as a person runs it, collectctl (and pre-commit) on the PATH."""
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(
        ["git", "commit", "-qam", message], cwd=ledger, capture_output=True, text=True, env=env
    )


def test_init_gives_the_repository_what_a_team_needs(tmp_path):
    ledger = tmp_path / "ar"
    assert run("init", str(ledger), "--company", "Team Co").code == 0
    committed = git(ledger, "show", "--name-only", "--format=", "HEAD").split()
    assert committed == [
        ".gitattributes",
        ".github/workflows/ledger.yml",
        ".gitignore",
        ".pre-commit-config.yaml",
        "collectctl.yaml",
    ]
    workflow = store.parse((ledger / ".github/workflows/ledger.yml").read_text(), "ledger.yml")
    steps = [step.get("run", "") for step in workflow["jobs"]["check"]["steps"]]
    assert "collectctl check" in steps
    assert any("collectctl review" in step and "GITHUB_STEP_SUMMARY" in step for step in steps)
    hook = store.parse((ledger / ".pre-commit-config.yaml").read_text(), "pre-commit")
    assert hook["repos"][0]["hooks"][0]["entry"] == "collectctl check"
    assert "*.yaml text eol=lf" in (ledger / ".gitattributes").read_text()


def break_cobalt(ledger):
    path = ledger / "customers/cobalt-tool/invoices.yaml"
    path.write_text(path.read_text().replace("amount: 6400.00", "amount: 6400.001"))


def test_the_plain_git_hook_refuses_what_check_rejects_and_lets_collectctl_commit(sample):
    result = run("init", str(sample), "--hooks")
    assert result.code == 0, result.err
    assert result.out == f"installed {sample}/.git/hooks/pre-commit\n"
    assert run("init", str(sample), "--hooks").code == 0  # ours: installed again
    before = commit_count(sample)
    assert run("-L", str(sample), *LOG_CALL).code == 0  # committed through the hook
    assert commit_count(sample) == before + 1
    break_cobalt(sample)
    refused = commit_by_hand(sample, "a typo")
    assert refused.returncode != 0
    assert "invoices.yaml:6: amount: 6400.001 has more than 2 decimal places" in refused.stderr
    assert commit_count(sample) == before + 1


def test_a_hook_someone_else_wrote_is_never_overwritten(sample):
    hook = sample / ".git/hooks/pre-commit"
    hook.write_text("#!/bin/sh\nexec make lint\n")
    result = run("init", str(sample), "--hooks")
    assert (result.code, result.err) == (
        1,
        f"collectctl: {hook} already holds a pre-commit hook; add 'collectctl check' to it "
        "yourself\n",
    )
    assert hook.read_text() == "#!/bin/sh\nexec make lint\n"


@pytest.mark.skipif(shutil.which("pre-commit", path=BIN) is None, reason="pre-commit not installed")
def test_the_pre_commit_configuration_init_writes_runs_check(tmp_path):
    ledger = tmp_path / "ar"
    assert run("init", str(ledger), "--company", "Team Co").code == 0
    assert run("-L", str(ledger), "customer", "add", "acme", "--name", "Acme").code == 0
    done = subprocess.run(
        [str(Path(BIN) / "pre-commit"), "install"], cwd=ledger, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    invoices = ledger / "customers/acme/invoices.yaml"
    env = {"PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    added = run("-L", str(ledger), "invoice", "add", "acme", "A-1", "--amount", "10",
                "--issued", "2026-11-02", env=env)  # fmt: skip
    assert added.code == 0, added.err  # collectctl commits through pre-commit's hook
    invoices.write_text(invoices.read_text().replace("amount: 10.00", "amount: 10.001"))
    refused = commit_by_hand(ledger, "a typo")
    assert refused.returncode != 0
    assert "amount: 10.001 has more than 2 decimal places" in refused.stdout + refused.stderr


# --- sync -----------------------------------------------------------------------------------


def on_main(clones):
    for ledger in clones.values():
        git(ledger, "switch", "-q", "main")
    return clones["maria"], clones["dev"]


def rename_acme(ledger, name):
    path = ledger / "customers/acme/customer.yaml"
    path.write_text(path.read_text().replace("name: Acme", f"name: {name}"))
    git(ledger, "commit", "-qam", f"acme is {name}")


def test_sync_shares_each_collectors_work_through_the_origin(tmp_path):
    origin, clones = team(tmp_path)
    maria, dev = on_main(clones)
    as_("maria", maria, "pay", "acme", "--amount", "1000", "--reference", "CHK-1")
    assert as_("maria", maria, "sync").out == (
        "synced: brought in 0 commits from origin/main, sent 1 of yours\n"
    )
    as_("dev", dev, "log-call", "acme", "--outcome", "voicemail", "--notes", "left a message")
    assert as_("dev", dev, "sync").out == (
        "synced: brought in 1 commit from origin/main, sent 1 of yours\n"
    )
    assert git(dev, "log", "--format=%s", "-3").splitlines()[1].startswith("pay acme")
    assert as_("maria", maria, "sync").out == (
        "synced: brought in 1 commit from origin/main, sent 0 of yours\n"
    )
    assert as_("maria", maria, "sync").out == "up to date with origin/main\n"
    assert open_balances(maria) == open_balances(dev) == ({"A-2": "2000.00"}, "0.00")
    assert git(maria, "rev-parse", "HEAD") == git(origin, "rev-parse", "main")


def test_sync_stops_on_a_real_conflict_with_everything_as_it_was(tmp_path):
    _, clones = team(tmp_path)
    maria, dev = on_main(clones)
    rename_acme(maria, "Acme Inc.")
    as_("maria", maria, "sync")
    rename_acme(dev, "Acme Corp.")
    before = snapshot(dev)
    result = run("-L", str(dev), "sync")
    assert (result.code, result.err) == (
        1,
        "collectctl: nothing synced: you and a teammate both changed "
        "customers/acme/customer.yaml; your work is as it was. Resolve it with "
        "'git pull --rebase' (or ask someone who knows git), then sync again\n",
    )
    assert snapshot(dev) == before
    assert not (dev / ".git/rebase-merge").exists()


def test_sync_refuses_uncommitted_changes_and_can_merge(tmp_path):
    _, clones = team(tmp_path)
    maria, dev = on_main(clones)
    (dev / "customers/acme/customer.yaml").write_text("name: Acme\n# half done\n")
    result = run("-L", str(dev), "sync")
    assert (result.code, result.err) == (
        1,
        "collectctl: nothing synced: there are uncommitted changes; commit or discard them\n",
    )
    git(dev, "checkout", "--", ".")
    as_("maria", maria, "log-call", "acme", "--outcome", "voicemail", "--notes", "one")
    as_("maria", maria, "sync")
    as_("dev", dev, "log-call", "acme", "--outcome", "no-answer", "--notes", "two")
    assert as_("dev", dev, "sync", "--merge").out == (
        "synced: brought in 1 commit from origin/main, sent 2 of yours\n"
    )
    parents = git(dev, "log", "-1", "--format=%P").split()
    assert len(parents) == 2  # a merge commit, pushed as it is


# --- a week of pull requests ------------------------------------------------------------------


def test_a_week_of_pull_requests_merges_without_conflicts_and_counts_everything_once(
    tmp_path, sample_master
):
    """Two collectors on branches, a manager merging their pull requests with --no-ff, and
    a cron clone printing the call list each morning."""
    from conftest import copy_ledger

    seed = copy_ledger(sample_master, tmp_path / "seed")
    origin = tmp_path / "origin.git"
    git(tmp_path, "clone", "-q", "--bare", str(seed), str(origin))
    people = {who: tmp_path / who for who in ("maria", "dev", "grace", "cron")}
    for ledger in people.values():
        git(tmp_path, "clone", "-q", str(origin), str(ledger))

    def work(who, day, *commands):
        ledger = people[who]
        git(ledger, "switch", "-q", "main")
        git(ledger, "pull", "-q", "--ff-only")
        branch = f"{who}-{day}"
        git(ledger, "switch", "-q", "-c", branch)
        for command in commands:
            result = run("-L", str(ledger), "--collector", who, "--today", day, *command)
            assert result.code == 0, (command, result.err)
        git(ledger, "push", "-q", "origin", branch)
        return branch

    def merge_pull_requests(*branches):
        grace = people["grace"]
        git(grace, "switch", "-q", "main")
        git(grace, "pull", "-q", "--ff-only")
        git(grace, "fetch", "-q")
        reviews = []
        for branch in branches:
            reviews.append(run("-L", str(grace), "review", f"main...origin/{branch}").out)
            merged = subprocess.run(
                ["git", "merge", "--no-ff", "-q", f"origin/{branch}", "-m", f"Merge {branch}"],
                cwd=grace, capture_output=True, text=True,
            )  # fmt: skip
            assert merged.returncode == 0, merged.stdout + merged.stderr  # no conflict
        git(grace, "push", "-q", "origin", "main")
        return reviews

    def cron(day):
        ledger = people["cron"]
        git(ledger, "pull", "-q", "--ff-only")
        assert run("-L", str(ledger), "check").out == "ledger OK\n"
        listed = run("-L", str(ledger), "--today", day, "due", "--all", "--format", "json")
        assert listed.code == 0, listed.err
        return {row["customer"]: row for row in json.loads(listed.out)}

    assert "delta-fab" in cron("2026-11-23")
    # Monday: each collector on their own accounts
    monday = merge_pull_requests(
        work("maria", "2026-11-23",
             ["log-call", "harbor-marine", "--outcome", "promise", "--amount", "2000",
              "--by", "2026-11-27", "--method", "check", "--notes", "Mailing it"],
             ["pay", "delta-fab", "--amount", "3250", "--reference", "4411", "--method", "check"]),
        work("dev", "2026-11-23",
             ["log-call", "meridian-health", "--outcome", "reached", "--notes", "Run is Friday"],
             ["pay", "ironclad", "--amount", "3000", "--reference", "ACH-77600"]),
    )  # fmt: skip
    assert "delta-fab: 3,250.00 USD received 2026-11-23, ref 4411" in monday[0]
    assert "ironclad: 3,000.00 USD received 2026-11-23, ref ACH-77600" in monday[1]
    listed = cron("2026-11-24")
    assert "delta-fab" not in listed and "harbor-marine" not in listed
    # Tuesday: both on the same customer, the same day
    tuesday = merge_pull_requests(
        work("maria", "2026-11-24",
             ["log-call", "cobalt-tool", "--outcome", "promise", "--amount", "6400",
              "--by", "2026-11-30", "--notes", "Ray will pay by ACH"]),
        work("dev", "2026-11-24",
             ["pay", "cobalt-tool", "--amount", "4000", "--reference", "WIRE-1"],
             ["log-call", "cobalt-tool", "--outcome", "reached", "--notes", "Rest next week"]),
    )  # fmt: skip
    assert "maria (1)" in tuesday[0] and "dev (1)" in tuesday[1]
    cron("2026-11-25")
    # Nothing counted twice: each payment once, each balance what the events leave open
    final = people["cron"]
    for customer, received, still_open in (
        ("cobalt-tool", "4000.00", "2400.00"),
        ("delta-fab", "3250.00", "0.00"),
        ("ironclad", "3000.00", "0.00"),
    ):
        brief = json.loads(run("-L", str(final), "brief", customer, "--format", "json").out)
        this_week = [p["amount"] for p in brief["payments"] if p["date"] >= "2026-11-23"]
        assert (this_week, brief["balance"]) == ([received], still_open), customer
    cobalt = json.loads(run("-L", str(final), "brief", "cobalt-tool", "--format", "json").out)
    calls = [c for c in cobalt["last_contacts"] if c["kind"] == "call"]
    assert len(calls) == 2  # both collectors' calls, once each (and the promise one made)


def test_a_real_conflict_is_plain_and_check_catches_a_wrong_resolution(tmp_path):
    """Both collectors corrected the same invoice's amount: git cannot choose, collectctl
    says so, writes nothing meanwhile, and check refuses a resolution that kept both."""
    origin, clones = team(tmp_path)
    for who, amount in (("maria", "900.00"), ("dev", "950.00")):
        invoices = clones[who] / "customers/acme/invoices.yaml"
        invoices.write_text(invoices.read_text().replace("amount: 1000.00", f"amount: {amount}"))
        git(clones[who], "commit", "-qam", f"A-1 is {amount}")
        push(clones[who], f"{who}-week")
    reviewer = reviewer_merging(tmp_path, origin, "origin/maria-week")
    clash = subprocess.run(["git", "merge", "origin/dev-week"], cwd=reviewer, capture_output=True)
    assert clash.returncode != 0
    due = run("-L", str(reviewer), "due")
    assert (due.code, due.err) == (
        1,
        "collectctl: customers/acme/invoices.yaml:5: unresolved git conflict marker\n",
    )
    write = run("-L", str(reviewer), "--collector", "grace", "customer", "add", "newco",
                "--name", "New Co")  # fmt: skip
    assert write.code == 1
    assert write.err.startswith("collectctl: nothing recorded: git is in the middle of a merge")
    # a hand resolution that keeps both sides of the hunk: two amounts for A-1
    invoices = reviewer / "customers/acme/invoices.yaml"
    text = invoices.read_text()
    head, rest = text.split("<<<<<<< HEAD\n")
    ours, rest = rest.split("=======\n")
    theirs, tail = rest.split(">>>>>>> origin/dev-week\n")
    invoices.write_text(head + ours + theirs + tail)
    git(reviewer, "commit", "-qam", "resolved")
    result = run("-L", str(reviewer), "check")
    assert (result.code, result.out) == (
        1,
        "customers/acme/invoices.yaml:6: duplicate key 'amount'\n",
    )


def test_new_contacts_and_invoices_on_two_branches_merge_through_the_driver(tmp_path):
    """git alone conflicts on two additions at the end of one list; the merge driver that
    init sets up (and init --hooks or sync sets up in a clone) merges them by name."""
    origin, clones = team(tmp_path)
    as_("maria", clones["maria"], "contact", "add", "acme", "--name", "Bob Stone", "--role", "ap")
    as_("maria", clones["maria"], "invoice", "add", "acme", "A-3", "--amount", "300",
        "--issued", "2026-11-02")  # fmt: skip
    as_("dev", clones["dev"], "log-call", "acme", "--contact", "Sue Park",
        "--outcome", "reached", "--notes", "new AP clerk")  # fmt: skip
    as_("dev", clones["dev"], "invoice", "add", "acme", "A-4", "--amount", "400",
        "--issued", "2026-11-09")  # fmt: skip
    push(clones["maria"], "maria-week")
    push(clones["dev"], "dev-week")
    branches = ("origin/maria-week", "origin/dev-week")
    reviewer = reviewer_merging(tmp_path, origin, *branches, set_up=True)
    brief = json.loads(run("-L", str(reviewer), "brief", "acme", "--format", "json").out)
    assert [c["name"] for c in brief["contacts"]] == ["Bob Stone", "Sue Park"]
    assert [i["number"] for i in brief["open_invoices"]] == ["A-1", "A-2", "A-3", "A-4"]
    assert run("-L", str(reviewer), "check").out == "ledger OK\n"
