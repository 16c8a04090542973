"""Ledger files stay exactly as a person wrote them, and hostile YAML is refused with its line."""

from decimal import Decimal
from pathlib import Path

import pytest
from conftest import git, run, snapshot

from collectctl.errors import LedgerFileError
from collectctl.ledger.read import read_ledger
from collectctl.storage import store
from collectctl.storage.files import MAX_FILE_BYTES

SAMPLE_FILES = sorted((Path(__file__).parent.parent / "sample-ledger").rglob("*.yaml"))


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: str(p).split("sample-ledger/")[1])
def test_every_sample_file_survives_load_and_save_byte_for_byte(path):
    text = path.read_text(encoding="utf-8")
    assert store.Document(text, path.name).text() == text


def test_identifiers_stay_strings_and_money_stays_exact(sample):
    ledger = read_ledger(sample).strict()
    nordlicht = ledger.account("nordlicht")
    assert nordlicht.invoices[0].number == "000123"
    assert nordlicht.customer.contacts[0].phone == "+4930123456789"
    lakeside = ledger.account("lakeside-print").find_invoice("INV-2026-0112")
    assert lakeside.amount == Decimal("3115.25") and isinstance(lakeside.amount, Decimal)
    assert lakeside.balance == Decimal("0.00")


def test_adding_an_invoice_shows_in_git_diff_as_only_added_lines(sample):
    result = run(
        "-L",
        str(sample),
        "invoice",
        "add",
        "nordlicht",
        "000124",
        "--amount",
        "1234.50",
        "--issued",
        "2026-11-20",
        "--po",
        "0815",
    )
    assert result.code == 0, result.err

    diff = git(sample, "show", "--format=", "--unified=0", "HEAD")
    changed = [
        line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]
    assert changed == [
        "+  - number: '000124'",
        "+    po: '0815'",
        "+    issued: 2026-11-20",
        "+    due: 2027-01-04",
        "+    amount: 1234.50",
        "+    status: open",
    ]
    # the person's comment and unquoted numbers are untouched
    assert (
        "number: 000123  # their ERP keeps"
        in (sample / "customers/nordlicht/invoices.yaml").read_text()
    )


def test_adding_a_contact_keeps_comments_and_key_order(sample):
    path = sample / "customers/meridian-health/customer.yaml"
    before = path.read_text()
    result = run(
        "-L",
        str(sample),
        "contact",
        "add",
        "meridian-health",
        "--name",
        "Ann Lee",
        "--role",
        "ap-manager",
        "--phone",
        "+14045550199",
    )
    assert result.code == 0, result.err
    after = path.read_text()
    assert after.startswith(before.rstrip("\n"))
    assert after[len(before) :] == (
        "  - name: Ann Lee\n    role: ap-manager\n    phone: '+14045550199'\n"
    )


HOSTILE = {
    "python tag": ("name: !!python/object/apply:os.system ['echo owned']\n", 1, "unknown YAML tag"),
    "billion laughs": (
        "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\nname: X\n",
        1,
        "anchors and aliases are not allowed",
    ),
    "duplicate key": ("name: One\nterms: 30\nname: Two\n", 3, "duplicate key"),
    "YAML 1.1 directive": ("%YAML 1.1\n---\nname: X\n", 1, "YAML directives"),
    "conflict markers": (
        "name: X\n<<<<<<< HEAD\nterms: 30\n=======\nterms: 45\n>>>>>>> b\n",
        2,
        "unresolved git conflict marker",
    ),
    "syntax error": ("name: X\ncontacts: [\n", 3, ""),
}


@pytest.mark.parametrize("case", HOSTILE, ids=str)
def test_hostile_yaml_is_refused_with_file_and_line(sample, case):
    text, line, words = HOSTILE[case]
    path = sample / "customers/juniper-labs/customer.yaml"
    path.write_text(text)
    before = snapshot(sample)

    result = run("-L", str(sample), "check")

    assert result.code == 1
    assert f"customers/juniper-labs/customer.yaml:{line}: " in result.out
    assert words in result.out
    assert "Traceback" not in result.err
    assert snapshot(sample) == before


def test_oversized_files_are_refused(sample):
    path = sample / "customers/juniper-labs/customer.yaml"
    path.write_text("name: X\nnotes: " + "x" * (MAX_FILE_BYTES + 1) + "\n")
    result = run("-L", str(sample), "check")
    assert result.code == 1
    assert "customers/juniper-labs/customer.yaml: file is 4,194,3" in result.out


def test_a_float_never_touches_money():
    # 0.1 + 0.2 is the classic float failure; exact text keeps it exact
    data = store.parse("a: 0.1\nb: 0.2\nc: 1234.50\n", "x.yaml")
    assert Decimal(data["a"]) + Decimal(data["b"]) == Decimal("0.3")
    assert data["c"] == "1234.50"


def test_the_loader_reports_the_line_of_a_bad_value(sample):
    path = sample / "customers/cobalt-tool/invoices.yaml"
    path.write_text(path.read_text().replace("amount: 6400.00", "amount: 64OO.00"))
    with pytest.raises(LedgerFileError) as error:
        read_ledger(sample).strict()
    assert str(error.value) == (
        "customers/cobalt-tool/invoices.yaml:6: amount: '64OO.00' is not an amount "
        "(write it like 1234.50)"
    )


def test_an_edit_keeps_windows_line_endings_and_a_byte_order_mark():
    """A file saved by a Windows editor is edited, not rewritten: its diff is the change."""
    text = "\ufeffinvoices:  # from the books\r\n  - number: A-1\r\n    amount: 10.00\r\n"
    document = store.Document(text, "invoices.yaml")
    added = {"number": "A-2", "amount": Decimal("5.00")}
    document.data["invoices"].append(store.to_yaml_node(added))
    assert document.text() == text + "  - number: A-2\r\n    amount: 5.00\r\n"
