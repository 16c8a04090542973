"""The one way to change a ledger: re-read under the lock, one commit, all or nothing."""

from datetime import date, datetime

import pytest
from conftest import commit_count, git, run, snapshot

from collectctl.audit.identity import Identity
from collectctl.changes import edits
from collectctl.changes.account_change import Clock, account_change, ledger_change
from collectctl.errors import CollectctlError, NotFoundError
from collectctl.ledger.read import read_ledger

MARIA = Identity("maria", "Maria Lopez", "maria@example.test")
CLOCK = Clock(date(2026, 11, 23), datetime(2026, 11, 23, 9, 30).astimezone())


def test_the_account_is_read_again_under_the_lock(sample):
    ledger = read_ledger(sample, only="delta-fab").strict()
    # another collector adds a contact after this process read the ledger
    assert run("-L", str(sample), "contact", "add", "delta-fab", "--name", "Ana Ruiz").code == 0
    with account_change(ledger, MARIA, "delta-fab", CLOCK) as edit:
        assert edit.account.customer.find_contact("Ana Ruiz") is not None
        edits.add_contact(edit, {"name": "Bo Chan"})
        edit.describe("contact add delta-fab: Bo Chan", "contact-add")
    outcome = edit.outcome()
    assert outcome.commit and outcome.summary == "contact add delta-fab: Bo Chan"
    names = [c.name for c in read_ledger(sample).strict().account("delta-fab").customer.contacts]
    assert names[-2:] == ["Ana Ruiz", "Bo Chan"]  # neither write lost the other


def test_a_failure_inside_the_block_puts_every_file_back(sample):
    ledger = read_ledger(sample, only="delta-fab").strict()
    before = snapshot(sample)
    with pytest.raises(RuntimeError), account_change(ledger, MARIA, "delta-fab", CLOCK) as edit:
        edits.add_contact(edit, {"name": "Bo Chan"})
        edit.write_event("note", {"notes": "half a change"})
        edit.describe("contact add delta-fab: Bo Chan", "contact-add")
        raise RuntimeError("the power went out")
    assert snapshot(sample) == before


def test_a_change_across_accounts_is_one_commit(sample):
    """What an importer does: several accounts, one commit, one subject."""
    ledger = read_ledger(sample).strict()
    before = commit_count(sample)
    with ledger_change(ledger, MARIA, CLOCK) as change:
        for customer in ("delta-fab", "cobalt-tool"):
            change.account(customer).write_event("note", {"notes": "statement sent"})
        change.describe("note delta-fab, cobalt-tool: statement sent", "note")
    assert commit_count(sample) == before + 1
    changed = git(sample, "show", "--name-only", "--format=", "HEAD").split()
    assert {path.split("/")[1] for path in changed} == {"delta-fab", "cobalt-tool"}


def test_an_unknown_customer_is_refused_before_the_lock(sample):
    ledger = read_ledger(sample).strict()
    before = snapshot(sample)
    unknown = r"unknown customer 'delta-fabb' \(did you mean 'delta-fab'\?\)"
    with pytest.raises(NotFoundError, match=unknown), account_change(ledger, MARIA, "delta-fabb"):
        pass
    assert snapshot(sample) == before


def test_nothing_is_committed_that_check_would_reject(sample):
    """The last line of defence: whatever a change wrote is read back as check reads it."""
    ledger = read_ledger(sample, only="delta-fab").strict()
    before = snapshot(sample)
    refused = r"nothing recorded: it would leave customers/delta-fab/activity/.*names invoice NOPE"
    change = account_change(ledger, MARIA, "delta-fab", CLOCK)
    with pytest.raises(CollectctlError, match=refused), change as edit:
        edit.write_event("call", {"outcome": "reached", "invoices": ["NOPE"]})
        edit.describe("log-call delta-fab: reached", "log-call")
    assert snapshot(sample) == before
