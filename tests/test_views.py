"""A collector's call list and follow-ups read only the accounts they could have a say in
(their own, those escalated to them or holding a dispute they work, and the unowned);
the others are set aside after their owner and their activity's file names, and
remembered as such in the cache. `check`, `--all` and reports read everything."""

import shutil
import time

import pytest
from conftest import git, run
from test_cache import asking  # noqa: F401 (a fixture: with "watcher", one runs)

from collectctl.ledger.cache import read_shard

COLLECTORS = ("maria", "dev", "grace")  # grace is the credit manager: she sees everything
LISTS = (("due",), ("followups", "--days", "30"))


def view(ledger, collector, command):
    result = run("-L", str(ledger), "--collector", collector, *command, "--format", "json")
    assert result.code == 0, result.err
    return result.out


def every_view(ledger):
    return {(c, command): view(ledger, c, command) for c in COLLECTORS for command in LISTS}


def drop_cache(ledger):
    shutil.rmtree(ledger / ".collectctl" / "cache", ignore_errors=True)


def marias_list_sets_aside_cobalt(ledger):
    """maria's list, until the cache holds dev's cobalt-tool as set aside (a folder
    written in the last few clock ticks is not trusted yet)."""
    for _ in range(20):
        assert "cobalt-tool" not in run("-L", str(ledger), "--collector", "maria", "due").out
        entries = [
            entry
            for shard in (ledger / ".collectctl/cache/accounts").glob("*.pickle")
            for entry in read_shard(shard).values()
        ]
        if any(not entry[3] and entry[2] == ("dev",) for entry in entries):
            return
        time.sleep(0.05)
    raise AssertionError("no account was ever cached as set aside")


def hand_over_work(ledger):
    """dev's cobalt-tool escalated to maria, and a dispute on his evergreen she works;
    meridian-health (dev's) left to nobody."""
    for change in (
        ("escalate", "cobalt-tool", "--to", "maria", "--reason", "Maria knows their AP"),
        ("dispute", "open", "evergreen", "INV-2026-0110", "--reason", "pricing",
         "--owner", "maria"),
        ("customer", "edit", "meridian-health", "--owner", "-"),
    ):  # fmt: skip
        done = run("-L", str(ledger), *change)
        assert done.code == 0, done.err


@pytest.mark.parametrize("first", ["views", "everything"])
def test_each_collectors_lists_are_the_same_however_the_ledger_was_read(sample, first):
    """Read cold as a collector's view, again warm (the set-aside accounts come from the
    cache), and after everything was read: the same lists, for the escalated account, the
    dispute worked by another and the unowned one too."""
    hand_over_work(sample)
    drop_cache(sample)
    if first == "everything":
        assert run("-L", str(sample), "due", "--all").code == 0
    cold = every_view(sample)
    assert every_view(sample) == cold
    assert run("-L", str(sample), "due", "--all").code == 0
    assert every_view(sample) == cold
    marias = run("-L", str(sample), "--collector", "maria", "due").out
    assert "cobalt-tool" in marias and "meridian-health" in marias  # handed over, unowned
    follow_ups = run("-L", str(sample), "--collector", "maria", "followups", "--days", "30")
    assert "evergreen" in follow_ups.out  # the dispute she works on dev's account


def test_a_broken_file_in_someone_elses_account_stops_only_what_reads_it(sample):
    """maria's list does not read dev's invoices; his list, --all and check name the file."""
    invoices = sample / "customers/cobalt-tool/invoices.yaml"
    invoices.write_text(invoices.read_text().replace("amount: ", "amount: x", 1))
    drop_cache(sample)
    marias = run("-L", str(sample), "--collector", "maria", "due")
    assert marias.code == 0 and "harbor-marine" in marias.out and "cobalt-tool" not in marias.out
    for args in (("due",), ("due", "--all"), ("--collector", "maria", "due", "--all"), ("check",)):
        refused = run("-L", str(sample), *args)
        assert refused.code == 1, args
        assert "customers/cobalt-tool/invoices.yaml:" in refused.err + refused.out, args


def test_an_escalation_in_a_file_named_for_something_else_is_refused(sample):
    """A collector's view goes by the activity's file names, so the name must say what
    the file holds: one that does not is a problem for every read of its account."""
    hidden = sample / "customers/cobalt-tool/activity/2026-11-21T100000Z-note-dev.yaml"
    hidden.parent.mkdir(exist_ok=True)
    hidden.write_text("kind: escalation\ndate: 2026-11-21\ncollector: dev\nto: maria\n")
    git(sample, "add", "-A")
    git(sample, "commit", "-qm", "escalated by hand")
    checked = run("-L", str(sample), "check")
    assert (checked.code, checked.out) == (
        1,
        "customers/cobalt-tool/activity/2026-11-21T100000Z-note-dev.yaml: holds an escalation, "
        "but its name says note: rename it 2026-11-21T100000Z-escalation-dev.yaml\n",
    )
    assert run("-L", str(sample), "due", "--all").code == 1
    hidden.rename(hidden.with_name("2026-11-21T100000Z-escalation-dev.yaml"))
    assert run("-L", str(sample), "check").code == 0
    assert "cobalt-tool" in run("-L", str(sample), "--collector", "maria", "due").out


@pytest.mark.parametrize("asking", ["git", "watcher"], indirect=True)
@pytest.mark.parametrize("how", ["committed", "by hand"])
def test_an_account_handed_to_the_collector_after_it_was_set_aside_is_read(sample, how):
    """maria's view sets cobalt-tool aside (dev's); given to her, by a change or a hand
    edit not yet committed, her next list reads it."""
    drop_cache(sample)
    marias_list_sets_aside_cobalt(sample)
    if how == "committed":
        done = run("-L", str(sample), "customer", "edit", "cobalt-tool", "--owner", "maria")
        assert done.code == 0, done.err
    else:
        customer = sample / "customers/cobalt-tool/customer.yaml"
        customer.write_text(customer.read_text().replace("owner: dev", "owner: maria"))
    marias = run("-L", str(sample), "--collector", "maria", "due")
    assert "cobalt-tool" in marias.out
    assert "cobalt-tool" not in run("-L", str(sample), "--collector", "dev", "due").out


@pytest.mark.parametrize("asking", ["git", "watcher"], indirect=True)
def test_an_escalation_added_by_hand_after_the_account_was_set_aside_is_read(sample):
    """A new activity file changes its folder: the set-aside account is looked at again."""
    drop_cache(sample)
    marias_list_sets_aside_cobalt(sample)
    escalation = sample / "customers/cobalt-tool/activity/2026-11-21T100000Z-escalation-dev.yaml"
    escalation.parent.mkdir(exist_ok=True)
    escalation.write_text("kind: escalation\ndate: 2026-11-21\ncollector: dev\nto: maria\n")
    assert "cobalt-tool" in run("-L", str(sample), "--collector", "maria", "due").out
