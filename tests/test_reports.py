"""`collectctl report`: every figure checked against a hand computation on a small ledger
built for it (not by calling the code that computes it)."""

import csv
import fcntl
import io
import json
import shutil
import subprocess

import pytest
from conftest import copy_ledger, run

AS_OF = "2026-06-30"


def at(ledger, today, *args):
    result = run("-L", str(ledger), "--today", today, "--collector", "maria", *args)
    assert result.code == 0, (args, result.err)
    return result.out


@pytest.fixture(scope="session")
def books(tmp_path_factory):
    """The books below, built once for the whole run (the first worker to need them
    builds them under a lock; every worker reads its own copy)."""
    shared = tmp_path_factory.getbasetemp().parent / "reports-books"
    with open(f"{shared}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (shared / "ledger" / ".git").exists():
            build_books(shared / "ledger")
    return copy_ledger(shared / "ledger", tmp_path_factory.mktemp("reports") / "ledger")


def build_books(ledger):
    """Customer `aged`: an invoice at each bucket edge, a part payment, a credit, a
    disputed part; `euro`: another currency; `dso`: three months of invoicing and a
    payment; `promiser`: kept, partial, broken and pending promises."""
    ledger.parent.mkdir(parents=True, exist_ok=True)
    assert run("init", str(ledger), "--company", "Report Co").code == 0
    config = ledger / "collectctl.yaml"
    config.write_text(config.read_text().replace("# from: ar@example.com", "from: ar@report.test"))
    subprocess.run(["git", "commit", "-qam", "sender"], cwd=ledger, check=True)
    day = "2026-06-20"
    # the books' exports bring the customers and invoices in (two commands, not sixteen)
    customers = ledger.parent / "customers.csv"
    customers.write_text(
        "customer,name,currency\naged,Aged Ltd,USD\neuro,Euro GmbH,EUR\n"
        "dso,Count Back Inc,USD\npromiser,Promiser LLC,USD\n"
    )
    at(ledger, day, "import", "customers", str(customers))
    # aged: due 30, 31, 60, 61, 90 and 91 days before 2026-06-30, and one not yet due;
    # dso: a month's invoicing in each of April, May, June (due after the 30 days' terms)
    invoices = ledger.parent / "invoices.csv"
    invoices.write_text(
        "customer,invoice,issued,due,amount,currency\n"
        "aged,A-30,2026-03-01,2026-05-31,100,USD\n"
        "aged,A-31,2026-03-01,2026-05-30,200,USD\n"
        "aged,A-60,2026-03-01,2026-05-01,300,USD\n"
        "aged,A-61,2026-03-01,2026-04-30,400,USD\n"
        "aged,A-90,2026-03-01,2026-04-01,500,USD\n"
        "aged,A-91,2026-03-01,2026-03-31,600,USD\n"
        "aged,A-0,2026-03-01,2026-07-15,700,USD\n"
        "euro,E-1,2026-05-01,2026-06-20,1000,EUR\n"
        "dso,C-4,2026-04-15,,1000,USD\n"
        "dso,C-5,2026-05-15,,1000,USD\n"
        "dso,C-6,2026-06-15,,1000,USD\n"
        "promiser,P-1,2026-06-01,,5000,USD\n"
    )
    at(ledger, day, "import", "invoices", str(invoices))
    at(ledger, day, "pay", "aged", "--amount", "50", "--invoice", "A-30", "--date", "2026-06-10")
    at(ledger, day, "dispute", "open", "aged", "A-61", "--reason", "pricing", "--amount", "40")
    at(ledger, day, "dispute", "open", "aged", "A-91", "--reason", "short-shipment")
    at(ledger, day, "dispute", "resolve", "aged", "A-91", "--outcome", "credited", "--credit", "20")
    at(ledger, "2026-06-20", "pay", "dso", "--amount", "500")  # oldest first: C-4
    at(ledger, "2026-06-01", "promise", "promiser", "--amount", "500", "--by", "2026-06-22")
    at(ledger, "2026-06-20", "pay", "promiser", "--amount", "500")  # keeps it
    at(ledger, "2026-06-21", "promise", "promiser", "--amount", "300", "--by", "2026-06-25")
    at(ledger, "2026-06-23", "promise", "promiser", "--amount", "400", "--by", "2026-06-26")
    at(ledger, "2026-06-24", "pay", "promiser", "--amount", "100")  # to the one checked first
    at(ledger, "2026-06-28", "promise", "promiser", "--amount", "200", "--by", "2026-07-10")
    at(ledger, "2026-06-21", "log-call", "aged", "--outcome", "reached", "--notes", "spoke")
    at(ledger, "2026-06-21", "log-call", "aged", "--outcome", "voicemail", "--notes", "left one")
    result = run("-L", str(ledger), "--today", "2026-06-21", "--collector", "dev", "log-call",
                 "euro", "--outcome", "no-answer", "--notes", "rang out")  # fmt: skip
    assert result.code == 0, result.err


def report(ledger, *args):
    return json.loads(at(ledger, AS_OF, "report", *args, "--format", "json"))


def test_aging_at_the_bucket_edges(books):
    rows = {r["customer"]: r for r in report(books, "aging")}
    assert rows["aged"] == {
        "customer": "aged",
        "currency": "USD",
        "current": "700.00",
        "1-30": "50.00",  # exactly 30 days: 100 less the 50 paid
        "31-60": "500.00",  # 31 and 60 days: 200 + 300
        "61-90": "860.00",  # 61 and 90 days: 400 less the 40 disputed, + 500
        "90+": "580.00",  # 91 days: 600 less the 20 credited
        "disputed": "40.00",
        "credit": "0.00",
        "total": "2730.00",
    }
    assert rows["euro"]["currency"] == "EUR" and rows["euro"]["1-30"] == "1000.00"
    table = at(books, AS_OF, "report", "aging").splitlines()[0]
    assert "1,000.00 EUR +" in table and "(currencies kept apart: no rate" in table
    sheet = list(
        csv.DictReader(io.StringIO(at(books, AS_OF, "report", "aging", "--format", "csv")))
    )
    assert [r["customer"] for r in sheet] == ["euro", "TOTAL", "aged", "dso", "promiser", "TOTAL"]
    usd_total = sheet[-1]
    # 2,730 + 2,500 + 4,400 (5,000 less the 600 promiser paid)
    assert (usd_total["currency"], usd_total["total"]) == ("USD", "9630.00")
    edges = {r["customer"]: r for r in report(books, "aging", "--buckets", "45,90")}
    # 1-45: 50 (30 days) + 200 (31); 46-90: 300 (60) + 360 (61) + 500 (90)
    assert (edges["aged"]["1-45"], edges["aged"]["46-90"]) == ("250.00", "1160.00")


def test_count_back_and_simple_dso(books):
    [row] = report(books, "dso", "--customer", "dso")
    # 2,500 open; June's 1,000 (30 days), May's 1,000 (31 days), then 500 of April's 1,000
    # over its 30 days: 30 + 31 + 15 = 76.0. Simple: 2,500 / 3,000 x 90 = 75.0
    assert (row["receivables"], row["dso_count_back"], row["dso_simple"]) == (
        "2500.00",
        "76.0",
        "75.0",
    )


def test_cei_over_june(books):
    [row] = report(books, "cei", "--customer", "dso", "--from", "2026-06-01", "--to", AS_OF)
    # opening 2,000 (April, May); June invoiced 1,000; closing 2,500; current 1,000 (June's)
    # (2,000 + 1,000 - 2,500) / (2,000 + 1,000 - 1,000) x 100 = 25.0
    assert (row["opening"], row["invoiced"], row["closing"], row["closing_current"]) == (
        "2000.00",
        "1000.00",
        "2500.00",
        "1000.00",
    )
    assert row["cei"] == "25.0"


def test_aging_as_it_stood_on_an_earlier_day(books):
    """On 06-15 the disputes and the credit (all 06-20) had not happened; the 50 paid on
    06-10 had."""
    [row] = [r for r in report(books, "aging", "--as-of", "2026-06-15") if r["customer"] == "aged"]
    assert {k: row[k] for k in ("current", "1-30", "31-60", "61-90", "90+", "disputed")} == {
        "current": "700.00",  # due 07-15
        "1-30": "250.00",  # 15 days: 100 less 50 paid; 16 days: 200
        "31-60": "700.00",  # 45 and 46 days: 300 + 400
        "61-90": "1100.00",  # 75 and 76 days: 500 + 600
        "90+": "0.00",
        "disputed": "0.00",
    }
    assert row["total"] == "2750.00"
    [held] = [r for r in report(books, "aging", "--as-of", "2026-06-20") if r["customer"] == "aged"]
    assert (held["disputed"], held["total"]) == ("40.00", "2730.00")  # opened and credited


def test_what_was_owed_on_an_earlier_day_when_money_went_to_a_later_invoice(tmp_path):
    """A payment applied oldest due first can go to an invoice issued after it (shorter
    terms, earlier due date). On the day before that invoice existed, the payment paid the
    older one and the rest was credit: nothing was owed."""
    ledger = tmp_path / "ledger"
    assert run("init", str(ledger), "--company", "Early Co").code == 0
    at(ledger, "2026-05-01", "customer", "add", "early", "--name", "Early Ltd")
    at(ledger, "2026-05-01", "invoice", "add", "early", "L-1", "--amount", "1000",
       "--issued", "2026-05-01", "--due", "2026-07-30")  # fmt: skip
    at(ledger, "2026-05-10", "pay", "early", "--amount", "1200", "--date", "2026-05-10")
    at(ledger, "2026-05-20", "invoice", "add", "early", "L-2", "--amount", "500",
       "--issued", "2026-05-20", "--due", "2026-06-19")  # fmt: skip
    [row] = report(ledger, "cei", "--from", "2026-05-16", "--to", "2026-05-31")
    # opening (05-15): L-1 paid, 200 credit; invoiced 500 (L-2); closing: L-2 due first
    # took 500 of the payment, L-1 has 300 left, not due before 07-30, so all current
    assert (row["opening"], row["invoiced"], row["closing"], row["closing_current"]) == (
        "0.00",
        "500.00",
        "300.00",
        "300.00",
    )
    aging = report(ledger, "aging", "--as-of", "2026-05-15")
    assert [(r["customer"], r["total"], r["credit"]) for r in aging] == [
        ("early", "0.00", "200.00"),
        ("TOTAL", "0.00", "200.00"),
    ]


def test_promise_kept_rates(books):
    [row] = report(books, "promises", "--customer", "promiser", "--by", "customer")
    # kept (500 by 06-22, paid 06-20), partial (300 by 06-25: the 100 of 06-24), broken
    # (400 by 06-26), pending (200 by 07-10)
    assert {k: row[k] for k in ("made", "kept", "partial", "broken", "pending")} == {
        "made": 4, "kept": 1, "partial": 1, "broken": 1, "pending": 1,
    }  # fmt: skip
    assert (row["promised"], row["collected"]) == ("1200.00", "600.00")
    assert (row["kept_rate"], row["amount_rate"]) == ("33.3", "50.0")


def test_forecast_weights_promises_by_the_kept_rate(books):
    weeks = report(books, "forecast", "--customer", "promiser")
    # the pending 200 (check day Monday 07-13) at promiser's kept rate of 33.3 %
    assert weeks == [
        {
            "week": "2026-07-07",
            "currency": "USD",
            "promised": "200.00",
            "promised_weighted": "66.60",
            "falling_due": "0.00",
            "expected": "66.60",
            "unweighted": "200.00",
        }
    ]
    due = report(books, "forecast", "--customer", "dso")
    assert [(w["week"], w["falling_due"]) for w in due] == [("2026-07-14", "1000.00")]


def test_activity_from_the_events_own_dates(books):
    rows = report(books, "activity", "--from", "2026-06-20", "--to", "2026-06-21")
    found = {(r["day"], r["collector"]): r for r in rows}
    maria = found["2026-06-21", "maria"]
    assert (maria["calls"], maria["reached"], maria["outcomes"]) == (2, 1, "reached 1, voicemail 1")
    assert found["2026-06-21", "dev"]["calls"] == 1 and found["2026-06-21", "dev"]["reached"] == 0
    assert found["2026-06-21", "maria"]["promises"] == 1
    assert found["2026-06-20", "unassigned"]["collected"] == {"USD": "1000.00"}  # 500 twice


def test_bad_report_options(books):
    for args, message in (
        (["nonsense"], "report nonsense: use one of aging"),
        (["aging", "--by", "planet"], "--by planet: use customer"),
        (["aging", "--buckets", "60,30"], "--buckets 60,30: rising whole numbers"),
        (["html"], "report html needs the page's file"),
        (["html", "/no/such/folder/page.html"], "page.html: no folder /no/such/folder"),
        (["aging", "out.html"], "report aging prints; only report html writes a file"),
    ):
        result = run("-L", str(books), "report", *args)
        assert result.code == 2 and message in result.err, result.err


def test_the_page_renders_in_a_browser(books, tmp_path):
    page = tmp_path / "page.html"
    at(books, AS_OF, "report", "html", str(page))
    html = page.read_text()
    assert html.startswith("<!DOCTYPE html>") and "<svg" in html and "<script" not in html
    assert "Promises kept" in html and "Top overdue accounts" in html
    assert "Open<b>9,630.00 USD</b>" in html  # the aging's USD total, the disputed 40 once
    assert "Promises kept<b>33.3%</b>" in html  # promiser's 1 of 3 that fell due
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("no chromium on this machine (.ci/run installs Debian's chromium)")
    shot = tmp_path / "shot.png"
    done = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--window-size=900,1200",
         f"--screenshot={shot}", "--enable-logging=stderr", "--v=0", page.as_uri()],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert shot.exists(), done.stderr[-2000:]
    assert ":CONSOLE" not in done.stderr, done.stderr  # no console message, no error
    from PIL import Image

    colours = Image.open(shot).convert("RGB").getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 10  # not a blank page


def test_the_weekly_page_by_mail(books, smtp_server):
    result = run("-L", str(books), "--today", AS_OF, "report", "html", "--mail-to",
                 "grace@example.test", env=smtp_server.env)  # fmt: skip
    assert result.code == 0, result.err
    [message] = smtp_server.mailbox.messages()
    assert message["Subject"] == "Collections on 2026-06-30"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "DSO (count-back)" in text and "<svg" in html
