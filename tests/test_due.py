"""`collectctl due`: the ranked daily call list, for people and for cron."""

import csv
import io
import json

from conftest import run


def test_the_sample_call_list_is_ranked_and_explained(sample):
    result = run("-L", str(sample), "due", "--all", "--format", "json")
    rows = json.loads(result.out)

    assert result.code == 0
    assert [r["customer"] for r in rows] == [
        "keystone-build",
        "fulton-foods",  # open in dispute past the line: escalate
        "harbor-marine",  # broken promises and escalations
        "nordlicht",  # 18,950.00 EUR at 1.08 USD, 38 days: more at stake than meridian
        "meridian-health",
        "granite-works",  # a dispute to review; the undisputed 5,500 chased
        "delta-fab",
        "juniper-labs",  # follow-ups due
        "cobalt-tool",  # past the first-call line
    ]
    harbor = rows[2]
    assert harbor == {
        "rank": 3,
        "customer": "harbor-marine",
        "name": "Harbor Marine Services",
        "contact": {
            "name": "Luis Ortega",
            "phone": "+1 207 555 0172",
            "email": "luis@harbormarine.example",
        },
        "overdue": "4000.00",
        "currency": "USD",
        "days_past_due": 52,
        "reasons": ["promise of 2,000.00 broken on 2026-11-20", "52 days past due"],
        "why": [
            {
                "code": "promise-broken",
                "text": "promise of 2,000.00 broken on 2026-11-20",
                "amount": "2000.00",
                "paid": "0.00",
                "by": "2026-11-18",
                "check_day": "2026-11-19",
                "installment": None,
                "of": None,
                "promise": "2026-11-10T090500Z-promise-maria.yaml",
            },
            {"code": "past-due", "text": "52 days past due", "days": 52, "first_call": False},
        ],
        "last_contact": "2026-11-10",
        "collector": "maria",
        "disputed": "0.00",
        "call_window": None,  # no calling hours on file for Luis
    }
    by_id = {r["customer"]: r for r in rows}
    assert by_id["delta-fab"]["reasons"][0] == "check #4411 mailed 2026-11-12 not received"
    assert by_id["juniper-labs"]["reasons"][0] == "callback after hostile call on 2026-11-20"
    assert by_id["cobalt-tool"]["reasons"] == ["5 days past due — first call"]
    assert by_id["cobalt-tool"]["last_contact"] is None
    # the AP clerk processes, the controller approves: ask for the approver
    assert by_id["meridian-health"]["contact"]["name"] == "Robert Chen"
    assert by_id["keystone-build"]["collector"] == "grace"
    assert (
        "escalated to Grace Okafor on 2026-11-02 by Dev Patel: Two broken promises; 75 days "
        "past due on INV-2026-0061." in by_id["keystone-build"]["reasons"]
    )
    # only the disputed part is held back: fulton's 1,460.00 of INV-2026-0095
    assert (by_id["fulton-foods"]["overdue"], by_id["fulton-foods"]["disputed"]) == (
        "9600.00",
        "1460.00",
    )
    assert by_id["granite-works"]["reasons"][0] == (
        "review the dispute on INV-2026-0104 (pricing, 480.00 USD, open since 2026-11-03)"
    )
    assert by_id["nordlicht"]["currency"] == "EUR"
    # current, paid and promised-and-waiting accounts are not called
    assert not {"brightway", "lakeside-print", "ironclad", "evergreen"} & set(by_id)


def test_the_table_has_a_dated_header_with_totals(sample):
    result = run("-L", str(sample), "due", "--all")
    lines = result.out.splitlines()
    assert lines[0] == (
        "Call list for Monday 2026-11-23 · 9 accounts · 18,950.00 EUR + 66,650.00 USD overdue"
        " · ≈ 87,116.00 USD (EUR at 1.08 USD)"
    )
    assert lines[2].split()[:5] == ["#", "CUSTOMER", "ASK", "FOR", "PHONE"]
    assert lines[4].split()[:4] == ["1", "keystone-build", "Frank", "Doyle"]
    assert "\x1b[" not in result.out  # no colour when stdout is not a terminal


def test_csv_is_flat_and_stable(sample):
    first = run("-L", str(sample), "due", "--all", "--format", "csv").out
    assert first == run("-L", str(sample), "due", "--all", "--format", "csv").out
    rows = list(csv.DictReader(io.StringIO(first)))
    assert rows[0]["customer"] == "keystone-build"
    assert rows[2]["contact_phone"] == "+1 207 555 0172"
    assert rows[2]["overdue"] == "4000.00"


def test_limit_and_collector(sample):
    limited = json.loads(run("-L", str(sample), "due", "--limit", "2", "--format", "json").out)
    assert [r["rank"] for r in limited] == [1, 2]
    dev = json.loads(
        run("-L", str(sample), "due", "--collector", "Dev Patel", "--format", "json").out
    )
    assert [r["customer"] for r in dev] == [
        "keystone-build",
        "meridian-health",
        "granite-works",
        "cobalt-tool",
    ]
    grace = json.loads(
        run("-L", str(sample), "due", "--collector", "grace", "--format", "json").out
    )
    # hers, and fulton-foods, which the policy says to escalate (it stays on maria's too)
    assert [r["customer"] for r in grace] == ["keystone-build", "fulton-foods"]


def test_an_empty_list_exits_zero(sample):
    table = run("-L", str(sample), "--today", "2026-09-01", "due", "--all")
    assert (table.code, table.out) == (0, "Nothing to call on Tuesday 2026-09-01.\n")
    assert (
        run("-L", str(sample), "--today", "2026-09-01", "due", "--all", "--format", "json").out
        == "[]\n"
    )


def test_an_unknown_collector_is_a_usage_error(sample):
    result = run("-L", str(sample), "due", "--collector", "zed")
    assert result.code == 2
    assert result.err == (
        "collectctl: --collector: 'zed' is not a collector (collectctl.yaml lists: maria, dev, grace)\n"
    )


def test_policy_numbers_come_from_the_ledger(sample):
    config = sample / "collectctl.yaml"
    config.write_text(
        config.read_text().replace("first_call_after_due: 5", "first_call_after_due: 10")
    )
    rows = json.loads(run("-L", str(sample), "due", "--all", "--format", "json").out)
    assert "cobalt-tool" not in [r["customer"] for r in rows]


def test_an_unowned_overdue_account_is_on_every_collectors_list(sample):
    assert run("-L", str(sample), "--collector", "maria", "customer", "add", "nobodys",
               "--name", "Nobody's Co").code == 0  # fmt: skip
    assert run("-L", str(sample), "--collector", "maria", "invoice", "add", "nobodys",
               "N-1", "--amount", "12400", "--issued", "2026-09-01").code == 0  # fmt: skip
    for who in ("maria", "dev"):
        rows = json.loads(run("-L", str(sample), "due", "--collector", who, "--format", "json").out)
        row = next(r for r in rows if r["customer"] == "nobodys")
        assert row["why"][-1]["code"] == "unassigned"
        assert row["reasons"][-1] == "nobody owns this account: take it (customer edit --owner)"
    everyone = json.loads(run("-L", str(sample), "due", "--all", "--format", "json").out)
    assert "unassigned" not in next(r for r in everyone if r["customer"] == "nobodys")["reasons"]


def test_a_collector_sees_their_own_list_unless_they_ask_for_everyones(sample, tmp_path):
    def listed(*args, env=None):
        result = run("-L", str(sample), *args, "due", env=env)
        assert result.code == 0, result.err
        return result.out.splitlines()[0], {line.split()[1] for line in result.out.splitlines()[4:]}

    devs = {"keystone-build", "meridian-health", "granite-works", "cobalt-tool"}
    assert listed() == ("Dev Patel's call list for Monday 2026-11-23 · 4 accounts · "
                        "47,050.00 USD overdue", devs)  # fmt: skip
    title, marias = listed("--collector", "maria")
    assert title.startswith("Maria Lopez's call list") and marias & devs == set()
    everyone = run("-L", str(sample), "due", "--all").out
    assert everyone.startswith("Call list for Monday 2026-11-23 · 9 accounts")

    visitor = tmp_path / "visitor.gitconfig"  # git's user is no collector: everyone's list
    visitor.write_text("[user]\n\tname = Visiting Auditor\n\temail = audit@example.test\n")
    title, seen = listed(env={"GIT_CONFIG_GLOBAL": str(visitor)})
    assert title.startswith("Call list for Monday") and devs | marias <= seen

    both = run("-L", str(sample), "due", "--all", "--collector", "maria")
    assert (both.code, both.out, both.err) == (
        2,
        "",
        "collectctl: --all and --collector: choose one\n",
    )
    nobody = run("-L", str(sample), "--collector", "nobody", "due")
    assert nobody.code == 2 and "'nobody' is not a collector" in nobody.err


def test_reading_only_a_collectors_accounts_changes_no_list(sample):
    """`due` and `followups` read only the standings that can matter (accounts awake by
    the day, those the collector has a say in, from the cache's headers): every list they
    make that way equals the one made from every standing, on every day of two months."""
    import time
    from datetime import date, timedelta

    from collectctl.domain.call_list import call_list
    from collectctl.ledger.read import read_ledger
    from collectctl.presentation.call_list import todays_list
    from collectctl.presentation.followups import follow_up_rows, follow_ups_by

    for args in (  # an account nobody owns, one handed to a collector, a dispute's owner
        ["customer", "edit", "brightway", "--owner", "-"],
        ["escalate", "cobalt-tool", "--to", "maria", "--reason", "covering"],
        ["dispute", "open", "meridian-health", "INV-2026-0093", "--reason", "pricing",
         "--owner", "maria"],
    ):  # fmt: skip
        done = run("-L", str(sample), *args)
        assert done.code == 0, done.err
    shards = sample / ".collectctl/cache/accounts"
    for _ in range(20):  # until the accounts are cached: then read them from the cache
        read_ledger(sample).strict()
        if list(shards.glob("*.pickle")):
            break
        time.sleep(0.05)  # folders copied within the cache's settle window are not kept
    ledger = read_ledger(sample).strict()
    everyone = list(ledger.standings())
    day = date(2026, 10, 1)
    while day <= date(2026, 12, 1):
        for who in (None, "dev", "maria", "grace"):
            shortcut = [row.customer for row in todays_list(ledger, day, who, None)]
            plain = [entry.account.id for entry in call_list(everyone, ledger.config, day, who)]
            assert shortcut == plain, (day, who)
            for days in (0, 14):
                assert follow_ups_by(ledger, day, days, who) == follow_up_rows(
                    everyone, ledger.config, day, days, who
                ), (day, who, days)
        day += timedelta(days=1)


def test_an_account_handed_over_by_hand_moves_to_its_new_owners_list(sample):
    """The owner kept in the cache's headers follows a hand edit, committed or not."""

    def listed(who):
        result = run("-L", str(sample), "--collector", who, "due", "--format", "json")
        return {row["customer"] for row in json.loads(result.out)}

    assert "cobalt-tool" in listed("dev") and "cobalt-tool" not in listed("maria")
    customer = sample / "customers/cobalt-tool/customer.yaml"
    customer.write_text(customer.read_text().replace("owner: dev", "owner: maria"))
    assert "cobalt-tool" in listed("maria") and "cobalt-tool" not in listed("dev")
