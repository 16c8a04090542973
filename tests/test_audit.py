"""The audit trail: one commit per action holding only its files, authored by the
collector; a ledger-wide lock; recovery after a crash between writing and committing."""

import json
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import COLLECTCTL, commit_count, git, run, snapshot

from collectctl.audit.change import Audit
from collectctl.audit.identity import resolve_identity
from collectctl.domain.models import Config
from collectctl.storage.layout import Layout


def test_an_action_is_one_commit_with_only_its_files_and_trailers(sample):
    (sample / "scratch.txt").write_text("unrelated, uncommitted\n")
    git(sample, "add", "scratch.txt")  # even staged work of the person stays out
    before = commit_count(sample)

    result = run(
        "-L",
        str(sample),
        "--collector",
        "maria",
        "invoice",
        "add",
        "cobalt-tool",
        "INV-2026-0170",
        "--amount",
        "5000",
        "--issued",
        "2026-11-20",
        "--po",
        "PO-55190",
    )

    assert result.code == 0, result.err
    assert commit_count(sample) == before + 1
    files = git(sample, "show", "--name-only", "--format=", "HEAD").split()
    assert files == ["customers/cobalt-tool/invoices.yaml"]
    message = git(sample, "log", "-1", "--format=%B")
    assert message == (
        "invoice add cobalt-tool: INV-2026-0170 for 5,000.00 USD due 2026-12-20\n\n"
        "Collectctl-Action: invoice-add\nCustomer: cobalt-tool\n\n"
    )
    assert git(sample, "log", "-1", "--format=%an <%ae>").strip() == (
        "Maria Lopez <maria.lopez@harborline.example>"
    )
    assert "A  scratch.txt" in git(sample, "status", "--porcelain")


def test_the_author_comes_from_env_then_git_config(sample):
    args = ["contact", "add", "delta-fab", "--name"]
    assert run("-L", str(sample), *args, "A", env={"COLLECTCTL_COLLECTOR": "Maria Lopez"}).code == 0
    assert git(sample, "log", "-1", "--format=%an <%ae>").strip() == (
        "Maria Lopez <maria.lopez@harborline.example>"
    )
    assert run("-L", str(sample), *args, "B").code == 0  # git's user.email names dev
    assert git(sample, "log", "-1", "--format=%an <%ae>").strip() == (
        "Dev Patel <dev.patel@harborline.example>"
    )


def test_on_a_team_ledger_only_its_collectors_record(sample, tmp_path):
    stranger = tmp_path / "stranger.gitconfig"
    stranger.write_text("[user]\n\tname = Pat Doe\n\temail = pat@example.test\n")
    before = snapshot(sample)
    result = run(
        "-L", str(sample), "note", "delta-fab", "called", env={"GIT_CONFIG_GLOBAL": str(stranger)}
    )
    assert result.code == 1
    assert result.err == (
        "collectctl: git's user 'Pat Doe' is not one of the collectors in collectctl.yaml: "
        "pass --collector ID, set COLLECTCTL_COLLECTOR, or add them to collectors: "
        "(maria, dev, grace)\n"
    )
    typo = run("-L", str(sample), "--collector", "marai", "note", "delta-fab", "called")
    assert typo.code == 2
    assert "'marai' is not a collector (did you mean 'maria'?)" in typo.err
    listing = run("-L", str(sample), "due", "--collector", "marai")
    assert listing.code == 2 and "did you mean 'maria'?" in listing.err
    assert snapshot(sample) == before


def test_check_flags_events_recorded_by_someone_not_a_collector(sample):
    activity = sample / "customers/delta-fab/activity"
    (activity / "2026-11-20T100000-note-pat-doe.yaml").write_text(
        "kind: note\ndate: 2026-11-20\ncollector: pat-doe\nnotes: called\n"
    )
    result = run("-L", str(sample), "check")
    assert result.code == 1
    assert result.out == (
        "customers/delta-fab/activity/2026-11-20T100000-note-pat-doe.yaml:3: recorded by "
        "'pat-doe', who is not a collector in collectctl.yaml\n"
    )


def test_no_collector_anywhere_is_an_error(sample, tmp_path):
    empty_config = tmp_path / "empty.gitconfig"
    empty_config.write_text("")
    before = snapshot(sample)
    result = run(
        "-L",
        str(sample),
        "contact",
        "add",
        "delta-fab",
        "--name",
        "X",
        env={"GIT_CONFIG_GLOBAL": str(empty_config)},
    )
    assert result.code == 1
    assert result.err.startswith("collectctl: who is collecting? pass --collector NAME")
    assert snapshot(sample) == before


def test_a_file_with_uncommitted_edits_is_never_committed(sample):
    path = sample / "customers/delta-fab/customer.yaml"
    path.write_text(path.read_text() + "# half-finished thought\n")
    before = snapshot(sample)

    result = run("-L", str(sample), "contact", "add", "delta-fab", "--name", "Jo")

    assert result.code == 1
    assert result.err == (
        "collectctl: customers/delta-fab/customer.yaml has uncommitted changes; commit or "
        "discard them first (collectctl never commits a half-finished edit)\n"
    )
    assert snapshot(sample) == before


@pytest.mark.parametrize("state", ["edited", "staged", "deleted", "untracked"])
def test_a_file_that_differs_from_head_in_any_way_is_never_overwritten(sample, state):
    """What `git status` would show for the file — an edit, staged or not, a deletion by
    hand, a file git does not track — stops the action before it writes anything."""
    rel = "customers/delta-fab/invoices.yaml"
    path = sample / rel
    committed = path.read_text()
    if state in ("edited", "staged"):
        path.write_text(committed + "# half-finished thought\n")
    if state == "staged":  # staged, and the work tree put back: only the index differs
        git(sample, "add", rel)
        path.write_text(committed)
    if state == "deleted":
        path.unlink()
    if state == "untracked":
        git(sample, "rm", "-q", "--cached", rel)
        git(sample, "commit", "-qm", "invoices kept elsewhere for now")
    before = snapshot(sample)

    result = run(
        "-L", str(sample), "invoice", "add", "delta-fab", "INV-9001",
        "--amount", "100.00", "--issued", "2026-11-20",
    )  # fmt: skip

    assert result.code == 1
    assert result.err.startswith(f"collectctl: {rel} has uncommitted changes;")
    assert snapshot(sample) == before


def test_a_reader_never_writes_gits_index(sample):
    """A list run beside a writer must not hold git's index lock, or the writer's
    `git add` fails: status, refreshing stale stat data, would write the index back."""
    for path in (sample / "customers").rglob("*.yaml"):
        os.utime(path)  # same content, new mtime: git's stat data is stale
    index = sample / ".git/index"
    before = index.stat()

    assert run("-L", str(sample), "due").code == 0

    after = index.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_nothing_changed_means_no_commit(sample):
    layout = Layout(sample)
    audit = Audit(layout)
    path = sample / "customers/delta-fab/customer.yaml"
    before = commit_count(sample)
    identity = resolve_identity(sample, Config(company="x"), "Someone")
    with audit.change(identity) as change:
        change.write(path, path.read_text())
        change.describe("rewrite delta-fab unchanged", "noop", "delta-fab")
    assert not change.committed
    assert commit_count(sample) == before
    assert git(sample, "status", "--porcelain") == ""


INVOICE_ADD = ("invoice", "add", "cobalt-tool", "INV-X1", "--amount", "10", "--issued", "2026-11-20")  # fmt: skip


def committed(ledger):
    """The last commit as git stores it, the reflog's line for it, and what is left over."""
    return (
        git(ledger, "cat-file", "-p", "HEAD"),
        git(ledger, "reflog", "-1", "--format=%gs"),
        git(ledger, "status", "--porcelain"),
        git(ledger, "diff", "--cached", "--name-only"),
    )


def test_a_commit_is_the_one_git_commit_makes(sample, tmp_path):
    """collectctl commits through git's plumbing (no refresh of every file's stat data)
    unless a commit hook or signing needs `git commit`: the same commit either way."""
    from conftest import FIXED_GIT_DATES, copy_ledger

    with_hook = copy_ledger(sample, tmp_path / "with-hook")
    hook = with_hook / ".git/hooks/pre-commit"
    hook.write_text("#!/bin/sh\nexit 0\n")
    hook.chmod(0o755)
    for ledger in (sample, with_hook):
        result = run("-L", str(ledger), *INVOICE_ADD, env=FIXED_GIT_DATES)
        assert result.code == 0, result.err

    plumbed, through_git_commit = committed(sample), committed(with_hook)
    assert plumbed == through_git_commit
    assert plumbed[1] == ("commit: invoice add cobalt-tool: INV-X1 for 10.00 USD due 2026-12-20\n")
    assert plumbed[2:] == ("", "")
    assert git(sample, "for-each-ref") == git(with_hook, "for-each-ref")  # no ref left behind


def test_a_commit_keeps_a_files_executable_bit_and_nothing_else_staged(sample):
    """Built without the index, the commit still takes each file as `git commit` would
    (mode from the file), and what the person staged stays staged, uncommitted."""
    rel = "customers/cobalt-tool/invoices.yaml"
    (sample / rel).chmod(0o755)
    git(sample, "commit", "-qam", "invoices executable, by hand")
    (sample / "notes.txt").write_text("mine\n")
    git(sample, "add", "notes.txt")

    assert run("-L", str(sample), *INVOICE_ADD).code == 0

    assert git(sample, "ls-tree", "HEAD", rel).startswith("100755 blob ")
    assert git(sample, "show", "--name-only", "--format=", "HEAD").split() == [rel]
    assert git(sample, "status", "--porcelain") == "A  notes.txt\n"


@pytest.mark.parametrize("how", ["git add", "git reset --soft"])
def test_what_is_staged_is_asked_again_once_the_index_or_head_moves(sample, how):
    """collectctl remembers what was staged beside the index's checksum and HEAD; a file
    staged since (the index rewritten), or a HEAD moved under an unchanged index, is
    still seen: only the index then differs from HEAD, the work tree matches it."""
    rel = "customers/delta-fab/customer.yaml"
    args = ("-L", str(sample), "contact", "add", "delta-fab", "--name")
    assert run(*args, "Jo").code == 0  # leaves what it found staged remembered
    assert (sample / ".collectctl/staged.json").exists()
    if how == "git add":
        committed_text = (sample / rel).read_text()
        (sample / rel).write_text(committed_text + "# staged, then put back\n")
        git(sample, "add", rel)
        (sample / rel).write_text(committed_text)
    else:
        git(sample, "reset", "-q", "--soft", "HEAD~1")  # the index keeps Jo; HEAD does not
        (sample / rel).write_text(git(sample, "show", f"HEAD:{rel}"))
    before = snapshot(sample)

    result = run(*args, "Kim")

    assert result.code == 1
    assert result.err.startswith(f"collectctl: {rel} has uncommitted changes;")
    assert snapshot(sample) == before


def test_a_signed_commit_goes_through_git_commit(sample, tmp_path):
    """commit.gpgSign is honoured (here by a stand-in for gpg that signs anything)."""
    gpg = tmp_path / "fake-gpg"
    gpg.write_text(
        "#!/bin/sh\ncat >/dev/null\necho '[GNUPG:] SIG_CREATED D 1 8 00 0 0' >&2\n"
        "printf -- '-----BEGIN PGP SIGNATURE-----\\nfake\\n-----END PGP SIGNATURE-----\\n'\n"
    )
    gpg.chmod(0o755)
    git(sample, "config", "commit.gpgSign", "true")
    git(sample, "config", "gpg.program", str(gpg))
    git(sample, "config", "user.signingKey", "dev@example.test")

    result = run("-L", str(sample), *INVOICE_ADD)

    assert result.code == 0, result.err
    assert "gpgsig -----BEGIN PGP SIGNATURE-----" in git(sample, "cat-file", "-p", "HEAD")


def test_a_rejected_commit_puts_every_file_back(sample):
    hook = sample / ".git/hooks/pre-commit"
    hook.write_text("#!/bin/sh\necho 'policy: no commits today' >&2\nexit 1\n")
    hook.chmod(0o755)
    before = snapshot(sample)

    result = run("-L", str(sample), *INVOICE_ADD)

    assert result.code == 1
    assert result.err == "collectctl: git commit failed: policy: no commits today\n"
    assert snapshot(sample) == before
    assert git(sample, "status", "--porcelain") == ""


def test_concurrent_writers_lose_nothing(sample):
    before = commit_count(sample)

    def add(n: int) -> str:
        done = subprocess.run(
            [
                COLLECTCTL,
                "-L",
                str(sample),
                "invoice",
                "add",
                "cobalt-tool",
                f"INV-C{n:03}",
                "--amount",
                f"{n}.00",
                "--issued",
                "2026-11-20",
            ],
            capture_output=True,
            text=True,
            # on a loaded machine the last of 16 writers may wait a while: it must not give up
            env={**os.environ, "COLLECTCTL_LOCK_TIMEOUT": "300"},
        )
        return f"{done.returncode} {done.stderr}".strip()

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(add, range(1, 17)))

    assert outcomes == ["0"] * 16
    assert commit_count(sample) == before + 16
    text = (sample / "customers/cobalt-tool/invoices.yaml").read_text()
    assert all(f"INV-C{n:03}" in text for n in range(1, 17))
    assert not (sample / ".git/index.lock").exists()
    assert git(sample, "status", "--porcelain") == ""
    assert run("-L", str(sample), "check").code == 0


def test_a_crash_before_the_commit_is_rolled_back_by_the_next_command(sample):
    before = snapshot(sample)
    crashed = run(
        "-L",
        str(sample),
        "invoice",
        "add",
        "cobalt-tool",
        "INV-CRASH",
        "--amount",
        "10",
        "--issued",
        "2026-11-20",
        env={"COLLECTCTL_FAULT": "before-commit"},
    )
    assert crashed.code == -9
    assert "INV-CRASH" in (sample / "customers/cobalt-tool/invoices.yaml").read_text()
    journal = json.loads((sample / ".collectctl/journal.json").read_text())
    assert journal["files"] == [
        {"path": "customers/cobalt-tool/invoices.yaml", "existed": True, "backup": "0"}
    ]

    result = run("-L", str(sample), "history", "cobalt-tool")

    assert result.code == 0
    assert result.err == (
        "collectctl: rolled back an interrupted 'invoice add cobalt-tool: INV-CRASH for 10.00 USD "
        "due 2026-12-20' (restored customers/cobalt-tool/invoices.yaml)\n"
    )
    assert snapshot(sample) == before
    assert git(sample, "status", "--porcelain") == ""


def test_a_crash_that_created_files_removes_them(sample):
    crashed = run(
        "-L",
        str(sample),
        "customer",
        "add",
        "newco",
        "--name",
        "New Co",
        env={"COLLECTCTL_FAULT": "before-commit"},
    )
    assert crashed.code == -9 and (sample / "customers/newco/customer.yaml").exists()

    result = run("-L", str(sample), "customer", "add", "newco", "--name", "New Co")

    assert "rolled back an interrupted 'customer add newco" in result.err
    assert result.code == 0, result.err
    assert git(sample, "log", "-1", "--format=%s").startswith("customer add newco: New Co")
    assert git(sample, "status", "--porcelain") == ""


def test_history_lists_the_trail_newest_first(sample):
    run("-L", str(sample), "--collector", "dev", "contact", "add", "ironclad", "--name", "Sam")
    run("-L", str(sample), "--collector", "maria", "contact", "add", "delta-fab", "--name", "Jo")

    everything = json.loads(run("-L", str(sample), "history", "--format", "json").out)
    assert [e["summary"] for e in everything] == [
        "contact add delta-fab: Jo",
        "contact add ironclad: Sam",
        "init: sample ledger with dates as of 2026-11-23",
    ]
    assert everything[0]["collector"] == "Maria Lopez"
    assert everything[0]["action"] == "contact-add" and everything[0]["customer"] == "delta-fab"

    ironclad = run("-L", str(sample), "history", "ironclad")
    lines = ironclad.out.splitlines()
    assert lines[0].split() == ["DATE", "COLLECTOR", "ACTION", "SUMMARY", "COMMIT"]
    assert lines[2].split()[2:5] == ["dev", "contact-add", "ironclad:"]  # ids, as everywhere
    assert "sample ledger with dates" in lines[3] and len(lines) == 4


def test_history_shows_hand_edits_too(sample):
    path = sample / "customers/delta-fab/customer.yaml"
    path.write_text(path.read_text().replace("credit_limit: 15000.00", "credit_limit: 20000.00"))
    git(sample, "commit", "-qam", "Raise Delta's credit limit")
    entry = json.loads(run("-L", str(sample), "history", "delta-fab", "--format", "json").out)[0]
    assert (entry["action"], entry["summary"]) == ("hand edit", "Raise Delta's credit limit")


@pytest.mark.parametrize("staged", [False, True])
def test_a_ledger_in_a_subfolder_commits_only_its_own_change(tmp_path, staged):
    git(tmp_path, "init", "-q")
    ledger = tmp_path / "finance" / "ar"
    assert run("init", str(ledger), "--sample").code == 0
    (tmp_path / "budget.txt").write_text("someone else's work\n")
    if staged:
        git(tmp_path, "add", "budget.txt")

    result = run(
        "-L", str(ledger), "--collector", "maria", "log-call", "cobalt-tool",
        "--outcome", "voicemail", "--notes", "left a message",
    )  # fmt: skip

    assert result.code == 0, result.err
    files = git(tmp_path, "show", "--name-only", "--format=", "HEAD").split()
    assert len(files) == 1 and files[0].startswith("finance/ar/customers/cobalt-tool/activity/")
    status = git(tmp_path, "status", "--porcelain", "--", "budget.txt")
    assert status == ("A  budget.txt\n" if staged else "?? budget.txt\n")


def test_one_invoice_number_never_lands_on_two_customers_under_a_race(sample):
    """Eight collectors add the same invoice number to eight customers at once: the rule
    that spans customers is checked under the lock, so exactly one of them gets it."""
    import subprocess

    from conftest import COLLECTCTL

    customers = sorted(p.name for p in (sample / "customers").iterdir())[:8]
    racers = [
        subprocess.Popen(
            [
                COLLECTCTL,
                "-L",
                str(sample),
                "invoice",
                "add",
                customer,
                "INV-RACE",
                "--amount",
                "10",
                "--issued",
                "2026-11-02",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for customer in customers
    ]
    results = [(racer.wait(timeout=120), racer.stderr.read()) for racer in racers]
    assert sorted(code for code, _ in results) == [0] + [1] * 7
    owner = next(c for c, (code, _) in zip(customers, results, strict=True) if code == 0)
    for code, err in results:
        if code:
            assert err == f"collectctl: invoice INV-RACE already belongs to {owner}\n"
    assert run("-L", str(sample), "check").out == "ledger OK\n"


def test_one_payment_reference_is_recorded_once_under_a_race(sample):
    """Eight processes record the same check for one customer at once: one lands."""
    import subprocess

    from conftest import COLLECTCTL

    racers = [
        subprocess.Popen(
            [
                COLLECTCTL,
                "-L",
                str(sample),
                "pay",
                "delta-fab",
                "--amount",
                "100",
                "--reference",
                "4411",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(8)
    ]
    codes = sorted(racer.wait(timeout=120) for racer in racers)
    assert codes == [0] + [1] * 7
    payments = list((sample / "customers/delta-fab/activity").glob("*-payment-*"))
    assert len(payments) == 1
    assert run("-L", str(sample), "check").out == "ledger OK\n"


def test_a_stale_index_lock_is_named_and_cleared_when_no_git_runs(sample):
    """A git that crashed left .git/index.lock: every commit would fail until it goes."""
    lock = sample / ".git/index.lock"
    lock.write_text("")
    result = run("-L", str(sample), "contact", "add", "delta-fab", "--name", "Jo")
    assert result.code == 0, result.err
    assert result.err == (
        f"collectctl: removed {lock}, which a git that stopped midway had left behind\n"
    )
    assert not lock.exists()
    assert git(sample, "log", "-1", "--format=%s") == "contact add delta-fab: Jo\n"
