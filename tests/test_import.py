"""import invoices|payments|customers: the exports people download from QuickBooks Online
and Xero, a bank's remittance file, any CSV by mapping, XLSX — run as a user would."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import COLLECTCTL, commit_count, git, on_a_terminal, run, snapshot

from collectctl.storage import store

EXPORTS = Path(__file__).parent / "data" / "exports"
README = (Path(__file__).parent.parent / "README.md").read_text()


def ledger_run(ledger, *args, **kwargs):
    return run("-L", str(ledger), "--collector", "maria", *args, **kwargs)


def export(name: str) -> str:
    return str(EXPORTS / name)


def brief(ledger, customer) -> dict:
    result = ledger_run(ledger, "brief", customer, "--format", "json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def balances(ledger, customer) -> dict[str, str]:
    return {i["number"]: i["balance"] for i in brief(ledger, customer)["open_invoices"]}


def events(ledger, customer, kind="payment"):
    folder = ledger / f"customers/{customer}/activity"
    return [store.read(p, p.name) for p in sorted(folder.glob(f"*-{kind}-*"))]


# --- QuickBooks Online ------------------------------------------------------------------


def test_a_quickbooks_open_invoices_report_with_every_decoration(sample):
    before = commit_count(sample)
    result = ledger_run(sample, "import", "invoices", export("qbo-open-invoices.csv"))
    assert result.code == 0, result.err
    assert result.out.startswith(
        "import invoices from qbo-open-invoices.csv: 3 new, 0 updated, 0 closed, "
        "3 paid or credited in the books; 2 customers new ["
    )
    assert commit_count(sample) == before + 1
    # a customer name with a comma, and one with an accent, made into ids
    acme = store.read(sample / "customers/acme-inc/customer.yaml", "acme")
    assert acme["name"] == "Acme, Inc."
    assert (sample / "customers/bolt-nut-gmbh/customer.yaml").exists()
    # US dates, "1,500.00", "$850.00": the invoices as the books have them
    invoices = store.read(sample / "customers/acme-inc/invoices.yaml", "x")["invoices"]
    assert [(i["number"], i["issued"], i["due"], i["amount"]) for i in invoices] == [
        ("1001", "2026-10-01", "2026-10-31", "1500.00"),
        ("1002", "2026-10-15", "2026-11-14", "850.00"),
    ]
    # open balances equal the export's; the unapplied payment and the credit memo are credit
    assert balances(sample, "acme-inc") == {"1001": "1500.00", "1002": "350.00"}
    assert brief(sample, "acme-inc")["credit"] == "200.00"
    assert brief(sample, "bolt-nut-gmbh")["credit"] == "125.50"
    assert balances(sample, "bolt-nut-gmbh") == {"1003": "2000.00"}
    # to the cent: the report's TOTAL open balance, 3,524.50, is open less credit here
    total = sum(
        Decimal(b) for c in ("acme-inc", "bolt-nut-gmbh") for b in balances(sample, c).values()
    )
    credit = sum(Decimal(brief(sample, c)["credit"]) for c in ("acme-inc", "bolt-nut-gmbh"))
    assert total - credit == Decimal("3524.50")
    # and the call list is right the same morning
    due = json.loads(ledger_run(sample, "due", "--format", "json").out)
    assert {"acme-inc", "bolt-nut-gmbh"} <= {row["customer"] for row in due}
    books = events(sample, "acme-inc")
    assert all(e["source"] == "books" for e in books)
    assert ledger_run(sample, "check").out == "ledger OK\n"
    # the commit lists what it did, for a reviewer
    body = git(sample, "log", "-1", "--format=%B")
    assert "new invoice acme-inc 1002: 850.00 USD due 2026-11-14" in body
    assert "paid in the books acme-inc 1002: 500.00 USD" in body
    assert "Collectctl-Action: import-invoices" in body


def test_importing_the_same_file_twice_changes_nothing(sample):
    assert ledger_run(sample, "import", "invoices", export("qbo-open-invoices.csv")).code == 0
    before = snapshot(sample)
    again = ledger_run(sample, "import", "invoices", export("qbo-open-invoices.csv"))
    assert again.code == 0, again.err
    assert again.out.startswith("nothing changed: ")
    assert snapshot(sample) == before


def test_quickbooks_received_payments_recorded_once(sample):
    result = ledger_run(sample, "import", "payments", export("qbo-invoices-and-payments.csv"))
    assert result.code == 0, result.err
    assert "2 payments, 1 skipped" in result.out  # the invoice row is not a payment
    granite = [e for e in events(sample, "granite-works")]
    assert [(e["date"], e["amount"], e["reference"]) for e in granite] == [
        ("2026-11-12", "2000.00", "7731")
    ]
    assert balances(sample, "evergreen") == {"INV-2026-0110": "3625.00"}
    before = snapshot(sample)
    again = ledger_run(sample, "import", "payments", export("qbo-invoices-and-payments.csv"))
    assert again.out.startswith("nothing changed: ")
    assert snapshot(sample) == before


def test_a_quickbooks_aging_detail_grouped_by_age_not_by_customer(sample):
    result = ledger_run(sample, "import", "invoices", export("qbo-ar-aging-detail.csv"))
    assert result.code == 0, result.err
    assert "2 new" in result.out and "1 customers new" in result.out  # not "Current"
    assert balances(sample, "acme-inc") == {"5001": "1000.00"}
    assert balances(sample, "brightway")["5002"] == "250.00"  # matched by name


def test_a_payment_naming_a_paid_invoice_is_a_bad_row(sample):
    path = sample.parent / "remit.csv"
    path.write_text(
        "customer,date,amount,reference,invoice\n"
        "delta-fab,2026-11-20,3250.00,4411,INV-2026-0101\n"
        "delta-fab,2026-11-21,100.00,4412,INV-2026-0101\n"
    )
    before = snapshot(sample)
    result = ledger_run(sample, "import", "payments", str(path))
    assert result.code == 1
    assert f"{path}:3: invoice INV-2026-0101 of delta-fab has nothing open" in result.err
    assert snapshot(sample) == before


def test_a_quickbooks_contact_list_adds_customers_and_contacts(sample):
    result = ledger_run(sample, "import", "customers", export("qbo-contacts.csv"))
    assert result.code == 0, result.err
    assert result.out.startswith("import customers from qbo-contacts.csv: 3 new, 1 updated [")
    acme = store.read(sample / "customers/acme-inc/customer.yaml", "x")
    assert acme["contacts"] == [
        {"name": "Dana Whitfield", "phone": "Phone: (555) 201-0100", "email": "ap@acme.example"}
    ]
    # matched by name: Delta gains the new person, keeps its own
    delta = store.read(sample / "customers/delta-fab/customer.yaml", "x")
    assert [c["name"] for c in delta["contacts"]] == ["Tom Reyes", "Rita Moreno"]
    # a name that makes a taken id gets -2; accents folded; the company line as contact
    assert store.read(sample / "customers/delta-fab-2/customer.yaml", "x")["name"] == "Delta Fab"
    cafe = store.read(sample / "customers/cafe-muller-co/customer.yaml", "x")
    assert cafe["contacts"] == [{"name": "Café Müller & Co.", "email": "cafe@mueller.example"}]
    assert ledger_run(sample, "check").out == "ledger OK\n"


def test_plain_customer_columns(sample, tmp_path):
    path = tmp_path / "customers.csv"
    path.write_text(
        "customer,name,terms,currency,contact,role,phone,email,authorizes_payment\n"
        "orbit,Orbit Aerospace,45,CAD,Jo Park,approver,+1 604 555 0100,jo@orbit.example,yes\n"
        "orbit,Orbit Aerospace,45,CAD,Lee Wong,payables,,ap@orbit.example,\n"
    )
    result = ledger_run(sample, "import", "customers", str(path))
    assert result.code == 0, result.err
    orbit = store.read(sample / "customers/orbit/customer.yaml", "x")
    assert (orbit["terms"], orbit["currency"]) == ("45", "CAD")
    assert orbit["contacts"] == [
        {"name": "Jo Park", "role": "approver", "phone": "+1 604 555 0100",
         "email": "jo@orbit.example", "authorizes_payment": True},
        {"name": "Lee Wong", "role": "payables", "email": "ap@orbit.example"},
    ]  # fmt: skip
    header_only = tmp_path / "empty.csv"
    header_only.write_text("customer,name\n")
    empty = ledger_run(sample, "import", "customers", str(header_only))
    assert empty.out == f"nothing changed: {header_only} has no rows under its header\n"


# --- Xero -----------------------------------------------------------------------------


def test_a_xero_aged_receivables_detail(sample):
    result = ledger_run(sample, "import", "invoices", export("xero-aged-receivables.csv"))
    assert result.code == 0, result.err
    assert "2 new, 0 updated, 0 closed; 1 customers new" in result.out
    kiwi = store.read(sample / "customers/kiwi-orchards-ltd/customer.yaml", "x")
    assert kiwi["books_id"] == "KO-7"
    assert kiwi["contacts"][0] == {
        "name": "Aroha Ngata",
        "phone": "+64 9 555 0101",
        "email": "aroha@kiwi.example",
    }
    assert balances(sample, "kiwi-orchards-ltd") == {"INV-0042": "1200.00", "INV-0043": "480.50"}
    invoices = store.read(sample / "customers/kiwi-orchards-ltd/invoices.yaml", "x")["invoices"]
    assert (invoices[0]["issued"], invoices[0]["due"], invoices[0]["po"]) == (
        "2026-11-01",
        "2026-11-15",
        "PO 77",
    )
    # Delta matched by name; the books' customer number kept for next time
    delta = store.read(sample / "customers/delta-fab/customer.yaml", "x")
    assert delta["books_id"] == "DF-100"


def test_a_xero_invoice_export_sums_line_items_and_honours_currency(sample):
    result = ledger_run(sample, "import", "invoices", export("xero-invoices.csv"))
    assert result.code == 0, result.err
    kiwi = store.read(sample / "customers/kiwi-orchards-ltd/customer.yaml", "x")
    assert kiwi["currency"] == "NZD"
    invoices = store.read(sample / "customers/kiwi-orchards-ltd/invoices.yaml", "x")["invoices"]
    assert [(i["number"], i["amount"], i["issued"]) for i in invoices] == [
        ("INV-0050", "345.00", "2026-11-02"),  # 250 + 37.50 + 50 + 7.50: lines and tax
        ("INV-0051", "230.00", "2026-11-16"),
    ]
    nordlicht = store.read(sample / "customers/nordlicht/invoices.yaml", "x")["invoices"]
    assert nordlicht[-1]["number"] == "NL-0301" and nordlicht[-1]["amount"] == "985.40"
    assert "skipped row 8: invoice NL-0302 is voided in the books" in git(
        sample, "log", "-1", "--format=%b"
    )


def test_matched_by_name_on_a_second_import(sample):
    assert ledger_run(sample, "import", "invoices", export("xero-aged-receivables.csv")).code == 0
    renamed = sample.parent / "renamed.csv"
    renamed.write_text("name,invoice,issued,amount\nKIWI ORCHARDS LTD.,INV-0044,2026-11-21,99.00\n")
    result = ledger_run(sample, "import", "invoices", str(renamed))
    assert result.code == 0, result.err
    assert "customers new" not in result.out
    assert "INV-0044" in balances(sample, "kiwi-orchards-ltd")


# --- remittance, mappings, dialects -----------------------------------------------------

LOCKBOX_MAP = ["--map", "name=Payer Name", "--map", "date=Deposit Date",
               "--map", "reference=Check No", "--map", "invoice=Invoice Paid",
               "--map", "amount=Amount Applied"]  # fmt: skip


def test_a_lockbox_remittance_by_mapping(sample):
    before = run("-L", str(sample), "followups", "--all", "--format", "json")
    assert any(f["customer"] == "delta-fab" for f in json.loads(before.out))
    result = ledger_run(sample, "import", "payments", export("lockbox.csv"), *LOCKBOX_MAP)
    assert result.code == 0, result.err
    assert "3 payments" in result.out
    # one check over two invoices is one payment with two applications
    fulton = events(sample, "fulton-foods")
    assert len(fulton) == 1 and fulton[0]["amount"] == "11060.00"
    assert fulton[0]["applied"] == [
        {"invoice": "INV-2026-0095", "amount": "8760.00"},
        {"invoice": "INV-2026-0119", "amount": "2300.00"},
    ]
    assert balances(sample, "fulton-foods") == {}
    # check #4411 arrived: its follow-up is closed; the promise of 2,000.00 is kept
    after = json.loads(run("-L", str(sample), "followups", "--all", "--format", "json").out)
    assert not any(f["customer"] == "delta-fab" for f in after)
    promises = brief(sample, "harbor-marine")["promises"]
    assert promises[0]["status"] == "kept"


def test_a_mapping_kept_in_collectctl_yaml(sample):
    config = sample / "collectctl.yaml"
    config.write_text(
        config.read_text() + "mappings:\n"  # as the README shows it
        "  lockbox:\n"
        "    columns: {name: Payer Name, date: Deposit Date, reference: Check No,\n"
        "              invoice: Invoice Paid, amount: Amount Applied}\n"
        '    date_format: "%m/%d/%Y"\n'
    )
    assert config.read_text().split("mappings:\n")[1] in README
    git(sample, "commit", "-qam", "lockbox mapping")
    result = ledger_run(sample, "import", "payments", export("lockbox.csv"), "--mapping", "lockbox")
    assert result.code == 0, result.err
    assert "3 payments" in result.out
    unknown = ledger_run(sample, "import", "payments", export("lockbox.csv"), "--mapping", "bank")
    assert unknown.code == 2
    assert "--mapping bank: collectctl.yaml has no such mapping (it has: lockbox)" in unknown.err


def test_semicolons_decimal_commas_and_day_first_dates(sample):
    result = ledger_run(
        sample, "import", "invoices", export("semicolon-decimal-comma.csv"), "--decimal-comma"
    )
    assert result.code == 0, result.err
    assert balances(sample, "nordlicht")["NL-0401"] == "1234.50"
    mueller = store.read(sample / "customers/muller-werkzeuge-ag/customer.yaml", "x")
    assert mueller["currency"] == "EUR"
    invoices = store.read(sample / "customers/muller-werkzeuge-ag/invoices.yaml", "x")
    # 03.11.2026 is read day first because 15.11.2026 in the same file can only be
    assert invoices["invoices"][0]["issued"] == "2026-11-15"
    nordlicht = store.read(sample / "customers/nordlicht/invoices.yaml", "x")["invoices"]
    assert nordlicht[-1]["issued"] == "2026-11-03"
    assert balances(sample, "muller-werkzeuge-ag") == {"MW-17": "10000.00"}


def test_an_xlsx_export(sample):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Invoice Report"])
    sheet.append([])
    sheet.append(["customer", "invoice", "issued", "due", "amount", "balance"])
    from datetime import datetime

    sheet.append(["cobalt-tool", "INV-2026-0170", datetime(2026, 11, 20), datetime(2026, 12, 20),
                  1234.1, 1234.1])  # fmt: skip
    sheet.append(["cobalt-tool", "INV-2026-0128", datetime(2026, 10, 19), datetime(2026, 11, 18),
                  6400, 6000])  # fmt: skip
    path = sample.parent / "report.xlsx"
    book.save(path)
    result = ledger_run(sample, "import", "invoices", str(path))
    assert result.code == 0, result.err
    assert balances(sample, "cobalt-tool") == {
        "INV-2026-0128": "6000.00",
        "INV-2026-0170": "1234.10",
    }


def test_stdin_with_a_bom_and_crlf(sample):
    text = "\ufeffcustomer,invoice,issued,amount\r\ncobalt-tool,INV-2026-0171,2026-11-20,10.00\r\n"
    result = ledger_run(sample, "import", "invoices", "-", input=text)
    assert result.code == 0, result.err
    assert "import invoices from stdin: 1 new" in result.out
    assert "INV-2026-0171" in balances(sample, "cobalt-tool")


# --- the books changed, or closed -------------------------------------------------------


def test_known_invoices_updated_and_missing_ones_closed(sample):
    path = sample.parent / "fulton.csv"
    path.write_text(
        "customer,invoice,issued,due,amount,balance\n"
        "fulton-foods,INV-2026-0119,2026-10-06,2026-11-20,2400.00,2400.00\n"
    )
    dry = ledger_run(sample, "import", "invoices", str(path), "--close-missing", "--dry-run")
    assert dry.code == 0, dry.err
    assert "would import invoices from fulton.csv: 0 new, 1 updated, 1 closed" in dry.out
    assert (
        "updated invoice fulton-foods INV-2026-0119: due 2026-11-05 → 2026-11-20, "
        "amount 2300.00 → 2400.00"
    ) in dry.out
    assert "closed fulton-foods INV-2026-0095: 8,760.00 USD no longer open in the books" in dry.out
    result = ledger_run(sample, "import", "invoices", str(path), "--close-missing")
    assert result.code == 0, result.err
    assert balances(sample, "fulton-foods") == {"INV-2026-0119": "2400.00"}
    due = json.loads(run("-L", str(sample), "due", "--format", "json").out)
    assert not any(row["customer"] == "fulton-foods" for row in due)  # due only 2026-11-20


def test_a_payment_recorded_here_first_is_not_undone(sample):
    assert (
        ledger_run(sample, "pay", "cobalt-tool", "--amount", "400", "--reference", "77").code == 0
    )
    path = sample.parent / "stale.csv"
    path.write_text("customer,invoice,issued,amount,balance\n"
                    "cobalt-tool,INV-2026-0128,2026-10-19,6400.00,6400.00\n")  # fmt: skip
    result = ledger_run(sample, "import", "invoices", str(path))
    assert result.code == 0, result.err
    assert "nothing changed" in result.out
    assert "ahead of the books: cobalt-tool INV-2026-0128 is 6,000.00 USD open here" in result.out
    assert balances(sample, "cobalt-tool") == {"INV-2026-0128": "6000.00"}


# --- dry run, JSON ----------------------------------------------------------------------


def test_dry_run_writes_nothing_and_says_everything(sample):
    before = snapshot(sample)
    result = ledger_run(
        sample, "import", "invoices", export("qbo-open-invoices.csv"), "--dry-run",
        "--format", "json",
    )  # fmt: skip
    assert result.code == 0, result.err
    plan = json.loads(result.out)
    assert plan["dry_run"] is True and plan["recognised_as"] == "QuickBooks Online report"
    assert [c["id"] for c in plan["customers_new"]] == ["acme-inc", "bolt-nut-gmbh"]
    assert [i["invoice"] for i in plan["invoices_new"]] == ["1001", "1002", "1003"]
    assert {p["purpose"] for p in plan["payments"]} == {"balance", "credit"}
    assert snapshot(sample) == before


# --- all or nothing ---------------------------------------------------------------------


def test_every_bad_row_is_named_and_nothing_is_written(sample):
    path = sample.parent / "bad.csv"
    path.write_text(
        "customer,invoice,issued,amount\n"
        "cobalt-tool,INV-9001,2026-13-45,100.00\n"  # row 2: no such date
        "cobalt-tool,INV-9002,2026-11-01,12.345\n"  # row 3: three decimals in USD
        "cobalt-tool,INV-9003,2026-11-01,-50.00\n"  # row 4: negative
        "cobalt-tool,INV-9004,2026-11-01,abc\n"  # row 5: not an amount
        "cobalt-tool,INV-9005,2026-11-01,10.00\n"
        "cobalt-tool,INV-9005,2026-11-02,20.00\n"  # row 7: same number, other data
        "cobalt-tool,INV-9006,2026-11-01,10.00\n"  # fine
    )
    before = snapshot(sample)
    result = ledger_run(sample, "import", "invoices", str(path))
    assert result.code == 1
    lines = result.err.splitlines()
    assert [line.split(": ", 2)[1] for line in lines[:-1]] == [
        f"{path}:2",
        f"{path}:3",
        f"{path}:4",
        f"{path}:5",
        f"{path}:7",
    ]
    assert "issued: '2026-13-45' is not a date" in lines[0]
    assert "more than 2 decimal places for USD" in lines[1]
    assert "negative" in lines[2]
    assert "'abc' is not an amount" in lines[3]
    assert "listed twice with different data (first on row 6)" in lines[4]
    assert lines[-1] == f"collectctl: 5 bad rows in {path}: nothing imported"
    assert "Traceback" not in result.err
    assert snapshot(sample) == before


def test_a_payment_for_an_unknown_customer_is_a_bad_row(sample):
    path = sample.parent / "payments.csv"
    path.write_text(
        "name,date,amount,reference\nNobody Ltd,2026-11-20,10.00,1\n"
        "Cobalt Tool & Die,2026-12-20,10.00,2\n"
    )
    before = snapshot(sample)
    result = ledger_run(sample, "import", "payments", str(path))
    assert result.code == 1
    assert f"{path}:2: unknown customer 'Nobody Ltd'" in result.err
    assert f"{path}:3: date 2026-12-20 is in the future (today is 2026-11-23)" in result.err
    assert snapshot(sample) == before


def test_an_ambiguous_date_is_an_error_not_a_guess(sample):
    path = sample.parent / "ambiguous.csv"
    path.write_text("customer,invoice,issued,amount\ncobalt-tool,INV-9101,03/04/2026,10.00\n")
    result = ledger_run(sample, "import", "invoices", str(path))
    assert result.code == 1
    assert "'03/04/2026' could be day/month or month/day: pass --date-format" in result.err
    fixed = ledger_run(sample, "import", "invoices", str(path), "--date-format", "%d/%m/%Y")
    assert fixed.code == 0, fixed.err
    invoices = store.read(sample / "customers/cobalt-tool/invoices.yaml", "x")["invoices"]
    assert invoices[-1]["issued"] == "2026-04-03"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--from", "sage"], "--from sage: use one of auto, quickbooks, xero, csv"),
        (["--map", "colour=Paint"], "--map colour=Paint: 'colour' is not a field"),
        (["--map", "amount"], "--map amount: write FIELD=HEADER"),
        (["--date-format", "%H:%M"], "--date-format %H:%M: not a date format"),
    ],
)
def test_bad_options_are_usage_errors(sample, args, message):
    result = ledger_run(sample, "import", "invoices", export("qbo-open-invoices.csv"), *args)
    assert result.code == 2
    assert message in result.err


def test_a_file_nobody_knows_says_how_to_map_it(sample, tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text("Foo,Bar\n1,2\n")
    result = ledger_run(sample, "import", "invoices", str(path))
    assert result.code == 1
    assert "no header row collectctl knows" in result.err and "--map FIELD=HEADER" in result.err
    missing = ledger_run(sample, "import", "invoices", str(tmp_path / "nope.csv"))
    assert missing.code == 1 and "nope.csv: file not found" in missing.err


def test_killed_mid_import_the_ledger_is_untouched_or_whole(sample):
    before = snapshot(sample)
    killed = ledger_run(
        sample, "import", "invoices", export("qbo-open-invoices.csv"),
        env={"COLLECTCTL_FAULT": "after-write"},
    )  # fmt: skip
    assert killed.code == -9
    checked = ledger_run(sample, "check")
    assert checked.out == "ledger OK\n", checked.err
    assert "rolled back an interrupted 'import invoices" in checked.err
    assert snapshot(sample) == before
    again = ledger_run(sample, "import", "invoices", export("qbo-open-invoices.csv"))
    assert again.code == 0, again.err


def _many_rows(path: Path, customers: int, each: int) -> None:
    lines = ["name,invoice,issued,amount"]
    for c in range(customers):
        lines += [f"Bulk Customer {c},BULK-{c}-{n},2026-11-02,10.00" for n in range(each)]
    path.write_text("\n".join(lines) + "\n")


def test_a_progress_bar_on_a_terminal_and_none_in_a_pipe(sample, tmp_path):

    path = tmp_path / "bulk.csv"
    _many_rows(path, 300, 7)  # 2,100 rows: past the line for a bar
    args = [COLLECTCTL, "-L", str(sample), "--collector", "maria", "import", "invoices"]
    piped = run(*args[1:], "--dry-run", str(path))
    assert piped.code == 0 and piped.err == ""  # a dry run, and a pipe: no bar
    code, out, shown = on_a_terminal([*args, str(path)])
    assert code == 0
    assert b"writing" in shown and b"files" in shown  # the bar, on the terminal's stderr
    assert b"writing" not in out
