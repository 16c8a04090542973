"""The parsed-ledger cache never gives a stale answer: every change to a ledger file —
by collectctl, a hand edit, a branch switch, a reset — is seen on the next run."""

import json
import os
import time

import pytest
from conftest import git, run

from collectctl.ledger.cache import read_shard

INVOICES = "customers/cobalt-tool/invoices.yaml"


def pytest_generate_tests(metafunc):
    """Every case on the sample ledger twice: git status of every folder, and only of
    those a watcher (collectctl watch) cannot vouch for."""
    if "sample" in metafunc.fixturenames:
        metafunc.parametrize("asking", ["git", "watcher"], indirect=True)


@pytest.fixture(autouse=True)
def asking(request):
    if getattr(request, "param", "git") != "watcher":
        yield
        return
    sample = request.getfixturevalue("sample")
    assert run("-L", str(sample), "watch").code == 0
    yield
    assert run("-L", str(sample), "watch", "--stop").out.startswith("stopped watching")


def cobalt(sample) -> dict:
    """cobalt-tool's row on the call list: a whole-ledger read, through the cache."""
    result = run("-L", str(sample), "due", "--all", "--format", "json")
    assert result.code == 0, result.err
    assert result.err == ""
    return next(row for row in json.loads(result.out) if row["customer"] == "cobalt-tool")


def balance(sample) -> str:
    return cobalt(sample)["overdue"]


def warm(sample):
    """Read the ledger until its accounts are cached. A folder written in the last few
    clock ticks is not trusted yet (cache._SETTLE_NS), and a test's first command can
    come within them of the copy that made the folders."""
    for _ in range(20):
        assert balance(sample) == "6400.00"
        if list((sample / ".collectctl/cache/accounts").glob("*.pickle")):
            return
        time.sleep(0.05)
    raise AssertionError("the ledger's accounts were never cached")


def edit_keeping_size_and_mtime(path, old, new):
    assert len(old) == len(new)
    before = path.stat()
    path.write_text(path.read_text().replace(old, new))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def test_a_hand_edit_that_keeps_size_and_mtime_is_seen(sample):
    warm(sample)
    edit_keeping_size_and_mtime(sample / INVOICES, "amount: 6400.00", "amount: 6500.00")
    assert balance(sample) == "6500.00"
    assert balance(sample) == "6500.00"  # still uncommitted, and untouched since
    edit_keeping_size_and_mtime(sample / INVOICES, "amount: 6500.00", "amount: 6400.00")
    assert balance(sample) == "6400.00"  # put back by hand: the commit's again
    edit_keeping_size_and_mtime(sample / INVOICES, "amount: 6400.00", "amount: 6500.00")
    git(sample, "commit", "-qam", "Correct the amount")
    assert balance(sample) == "6500.00"


def test_a_cold_read_never_caches_an_account_with_uncommitted_edits(sample):
    """With no cache, every account is parsed while git status runs; one whose files
    differ from HEAD is shown as it is, but not kept under HEAD's tree id."""
    warm(sample)  # the folders settled: their stamps are trusted
    edit_keeping_size_and_mtime(sample / INVOICES, "amount: 6400.00", "amount: 6500.00")
    for cached in (sample / ".collectctl/cache").rglob("*.pickle"):
        cached.unlink()
    assert balance(sample) == "6500.00"  # cold
    edit_keeping_size_and_mtime(sample / INVOICES, "amount: 6500.00", "amount: 6400.00")
    assert balance(sample) == "6400.00"  # put back by hand: no folder stamp changed


def test_a_branch_switch_is_seen(sample):
    warm(sample)
    git(sample, "checkout", "-q", "-b", "correction")
    edit_keeping_size_and_mtime(sample / INVOICES, "amount: 6400.00", "amount: 6300.00")
    git(sample, "commit", "-qam", "Credit note")
    assert balance(sample) == "6300.00"
    git(sample, "checkout", "-q", "main")
    assert balance(sample) == "6400.00"
    git(sample, "checkout", "-q", "correction")
    assert balance(sample) == "6300.00"


def test_a_teammates_change_pulled_from_another_clone_is_seen(sample, tmp_path):
    """A fast-forward pull of a teammate's commit that changes one amount, size kept."""
    warm(sample)
    teammate = tmp_path / "teammate"
    git(tmp_path, "clone", "-q", str(sample), str(teammate))
    edit_keeping_size_and_mtime(teammate / INVOICES, "amount: 6400.00", "amount: 6200.00")
    git(teammate, "-c", "user.name=Dev", "-c", "user.email=dev@example.com",
        "commit", "-qam", "Credit note")  # fmt: skip
    git(sample, "pull", "-q", "--ff-only", str(teammate), "HEAD")
    assert balance(sample) == "6200.00"


def test_a_reset_after_a_recorded_payment_is_seen(sample):
    warm(sample)
    paid = run("-L", str(sample), "pay", "cobalt-tool", "--amount", "400")
    assert paid.code == 0, paid.err
    assert balance(sample) == "6000.00"
    git(sample, "reset", "-q", "--hard", "HEAD~1")
    assert balance(sample) == "6400.00"


def test_a_soft_reset_back_to_a_cached_tree_is_seen(sample):
    """HEAD moves back to a tree the cache holds an account for, while the files keep
    the later edit (made in place: no folder stamp changed, no file touched since)."""
    warm(sample)  # cobalt-tool cached at 6400.00
    edit_keeping_size_and_mtime(sample / INVOICES, "amount: 6400.00", "amount: 6500.00")
    git(sample, "commit", "-qam", "Correct the amount")
    assert balance(sample) == "6500.00"
    git(sample, "reset", "-q", "--soft", "HEAD~1")
    assert balance(sample) == "6500.00"


def test_a_new_untracked_or_ignored_file_is_seen(sample):
    warm(sample)
    (sample / ".git/info/exclude").write_text("*.yaml\n")  # even files git ignores count
    event = sample / "customers/cobalt-tool/activity/2026-11-20T100000-call-maria.yaml"
    event.parent.mkdir()
    event.write_text("kind: call\ndate: 2026-11-20\ncollector: maria\noutcome: hostile\n")
    assert cobalt(sample)["reasons"][0] == "callback after hostile call on 2026-11-20"


@pytest.mark.parametrize("damage", ["deleted", "garbage", "truncated", "another version"])
def test_a_missing_or_broken_cache_is_rebuilt_silently(sample, damage):
    import pickle
    import shutil

    warm(sample)
    folder = sample / ".collectctl/cache/accounts"
    shards = [*sorted(folder.glob("*.pickle")), sample / ".collectctl/cache/config.pickle"]
    if damage == "deleted":
        shutil.rmtree(sample / ".collectctl/cache")
    for shard in shards if damage != "deleted" else []:
        if damage == "garbage":
            shard.write_bytes(b"not a cache at all\x00\xff")
        elif damage == "truncated":
            shard.write_bytes(shard.read_bytes()[:100])
        else:
            shard.write_bytes(pickle.dumps(("collectctl-accounts-0/0.0.1", {"x": 1})))
    assert balance(sample) == "6400.00"
    assert run("-L", str(sample), "check").out == "ledger OK\n"
    entries = {}
    for shard in folder.glob("*.pickle"):
        entries |= read_shard(shard)  # only a shard of this version reads back
    assert len(entries) == 13


def test_a_configuration_change_reparses_everything(sample):
    customer = sample / "customers/cobalt-tool/customer.yaml"
    customer.write_text(customer.read_text().replace("currency: USD\n", ""))
    git(sample, "commit", "-qam", "cobalt-tool bills in the home currency")
    assert cobalt(sample)["currency"] == "USD"
    config = sample / "collectctl.yaml"
    config.write_text(config.read_text().replace("currency: USD", "currency: CAD"))
    assert cobalt(sample)["currency"] == "CAD"


def test_a_configuration_edit_that_keeps_size_and_mtime_is_seen(sample):
    """The parsed configuration is cached too, under a digest of its text."""
    brief = ("-L", str(sample), "brief", "keystone-build")  # one account: a write's read
    assert "escalated to Grace Okafor" in run("-L", str(sample), "due", "--all").out
    assert (sample / ".collectctl/cache/config.pickle").exists()
    assert "this is Grace Okafor from" in run(*brief).out
    config = sample / "collectctl.yaml"
    edit_keeping_size_and_mtime(config, "name: Grace Okafor", "name: Grace Okafoe")
    assert "this is Grace Okafoe from" in run(*brief).out
    assert "escalated to Grace Okafoe" in run("-L", str(sample), "due", "--all").out


def test_a_ledger_in_a_subfolder_of_a_repository_is_cached_and_kept_fresh(tmp_path):
    git(tmp_path, "init", "-q")
    ledger = tmp_path / "finance" / "ar"
    assert run("init", str(ledger), "--sample").code == 0
    warm(ledger)
    assert len(list((ledger / ".collectctl/cache/accounts").glob("*.pickle"))) > 1
    edit_keeping_size_and_mtime(ledger / INVOICES, "amount: 6400.00", "amount: 6500.00")
    assert balance(ledger) == "6500.00"
    assert "?? finance/ar/.collectctl" not in git(tmp_path, "status", "--porcelain")


def test_an_untracked_file_edited_in_place_is_seen(sample):
    """A file git does not track changes no folder stamp when edited in place: an account
    that has one is read from its files every time, never from the cache."""
    warm(sample)
    event = sample / "customers/cobalt-tool/activity/2026-11-20T100000-call-maria.yaml"
    event.parent.mkdir()
    event.write_text(
        "kind: call\ndate: 2026-11-20\ncollector: maria\noutcome: hostile\nfollow_up: 2026-11-23\n"
    )
    assert cobalt(sample)["reasons"][0] == "callback after hostile call on 2026-11-20"
    assert cobalt(sample)["reasons"][0] == "callback after hostile call on 2026-11-20"
    edit_keeping_size_and_mtime(event, "follow_up: 2026-11-23", "follow_up: 2026-12-01")
    listed = json.loads(run("-L", str(sample), "due", "--all", "--format", "json").out)
    assert "cobalt-tool" not in [row["customer"] for row in listed]  # waiting on the callback


@pytest.mark.parametrize("command", [["due", "--all"], ["followups", "--all", "--days", "30"]])
def test_lists_from_the_cache_match_lists_read_from_the_files(sample, command):
    fmt = ["--format", "json"]
    cold = run("-L", str(sample), *command, *fmt)
    warm(sample)  # every account now comes from the cache
    warm_run = run("-L", str(sample), *command, *fmt)
    assert cold.code == warm_run.code == 0
    assert json.loads(warm_run.out) == json.loads(cold.out)
    assert len(json.loads(cold.out)) > 5


def test_every_account_comes_back_from_the_cache_as_it_was_read(sample):
    """Each account, its standing and its report facts, decoded from the cache, equal
    what reading the files gives: the same records, events of the same kinds, amounts
    with the same digits."""
    from collectctl.domain.account_facts import account_facts
    from collectctl.domain.standing import standing
    from collectctl.ledger.read import read_accounts_fresh, read_ledger

    warm(sample)
    cached = read_ledger(sample).strict()
    fresh = {
        customer: account
        for customer, account, _ in read_accounts_fresh(sample, list(cached.records))
    }
    assert len(fresh) == len(cached.records) > 5
    assert {type(record).__name__ for record in cached.records.values()} == {"CachedRecord"}
    for customer, record in cached.records.items():
        account = fresh[customer]
        assert record.account == account
        assert [type(e) for e in record.account.events] == [type(e) for e in account.events]
        assert [str(i.amount) for i in record.account.invoices] == [
            str(i.amount) for i in account.invoices
        ]
        assert record.standing == standing(account, cached.config)
        assert record.facts == account_facts(account, cached.config.policy)
