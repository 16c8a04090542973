"""Reports built from the policy: the call list, the pre-call brief, follow-ups.

Each report is plain data (dicts of str, Decimal, date, lists) that output.py turns into
a table, JSON or CSV, and the brief also into text or markdown.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from collectctl import policy
from collectctl.models import Account, Call, Config, Contact, EmailSent, Invoice, Promise
from collectctl.money import format_amount, format_money, normalize
from collectctl.output import Column, Listing


def _contact(contact: Contact | None) -> dict[str, Any]:
    if contact is None:
        return {"name": None, "phone": None, "email": None}
    return {"name": contact.name, "phone": contact.phone, "email": contact.email}


# --- due -------------------------------------------------------------------------------


def due_rows(entries: list[policy.CallListEntry]) -> list[dict[str, Any]]:
    return [
        {
            "rank": rank,
            "customer": entry.account.id,
            "name": entry.account.name,
            "contact": _contact(entry.account.contact),
            "overdue": normalize(entry.overdue, entry.account.currency),
            "currency": entry.account.currency,
            "days_past_due": entry.days_past_due,
            "reasons": entry.reasons,
            "last_contact": entry.account.last_contact,
            "collector": entry.account.collector,
            "disputed": normalize(entry.disputed, entry.account.currency),
        }
        for rank, entry in enumerate(entries, 1)
    ]


DUE_CSV_COLUMNS = (
    "rank",
    "customer",
    "name",
    "contact_name",
    "contact_phone",
    "contact_email",
    "overdue",
    "currency",
    "days_past_due",
    "reasons",
    "last_contact",
    "collector",
)


def flat_due_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The call list with the contact spread into columns, for CSV and tables."""
    return [
        row | {f"contact_{key}": value for key, value in row["contact"].items()} for row in rows
    ]


def due_listing(entries: list[policy.CallListEntry], today: date) -> Listing:
    rows = flat_due_rows(due_rows(entries))
    for row in rows:
        row["overdue"] = format_amount(row["overdue"], row["currency"])
    day = f"{today:%A} {today.isoformat()}"
    count = f"{len(rows)} account{'s' if len(rows) != 1 else ''}"
    return Listing(
        title=f"Call list for {day} · {count} · {due_totals(entries)} overdue",
        rows=rows,
        columns=[
            Column("rank", "#", "right"),
            Column("customer", "CUSTOMER"),
            Column("contact_name", "ASK FOR"),
            Column("contact_phone", "PHONE"),
            Column("overdue", "OVERDUE", "right"),
            Column("currency", "CUR"),
            Column("days_past_due", "DAYS", "right"),
            Column("last_contact", "LAST CONTACT"),
            Column("reasons", "WHY"),
        ],
        empty=f"Nothing to call on {day}.",
    )


def due_totals(entries: list[policy.CallListEntry]) -> str:
    totals: dict[str, Decimal] = {}
    for entry in entries:
        currency = entry.account.currency
        totals[currency] = totals.get(currency, Decimal(0)) + entry.overdue
    return " + ".join(format_money(amount, code) for code, amount in sorted(totals.items()))


# --- followups -------------------------------------------------------------------------


FOLLOW_UP_COLUMNS = (
    Column("date", "DATE"),
    Column("customer", "CUSTOMER"),
    Column("kind", "KIND"),
    Column("detail", "DETAIL"),
    Column("collector", "COLLECTOR"),
)


def follow_up_listing(rows: list[dict[str, Any]], today: date, days: int) -> Listing:
    marked = [
        row | {"when": "overdue" if row["overdue"] else "today" if row["date"] == today else ""}
        for row in rows
    ]
    ahead = f" and the next {days} days" if days else ""
    count = f"{len(rows)} follow-up{'s' if len(rows) != 1 else ''}"
    return Listing(
        title=f"Follow-ups for {today:%A} {today.isoformat()}{ahead} · {count}",
        rows=marked,
        columns=[FOLLOW_UP_COLUMNS[0], Column("when", ""), *FOLLOW_UP_COLUMNS[1:]],
        empty=f"No follow-ups due on {today}.",
    )


def follow_up_rows(
    standings, config: Config, today: date, days: int, collector: str | None
) -> list[dict[str, Any]]:
    horizon = date.fromordinal(today.toordinal() + days)
    rows = []
    for account in standings:
        for follow_up in policy.standing_follow_ups(account, config, today):
            if follow_up.date > horizon:
                continue
            if collector is not None and collector not in (follow_up.collector, account.owner):
                continue
            rows.append(
                {
                    "date": follow_up.date,
                    "customer": account.id,
                    "kind": follow_up.kind,
                    "detail": follow_up.detail,
                    "collector": follow_up.collector,
                    "overdue": follow_up.date < today,
                }
            )
    return sorted(rows, key=lambda r: (r["date"], r["customer"], r["kind"]))


# --- brief -----------------------------------------------------------------------------


def _invoice(invoice: Invoice, today: date) -> dict[str, Any]:
    dispute = invoice.dispute
    return {
        "number": invoice.number,
        "po": invoice.po,
        "issued": invoice.issued,
        "due": invoice.due,
        "amount": invoice.amount,
        "balance": invoice.balance,
        "days_late": max(policy.days_past_due(invoice, today), 0),
        "dispute": None
        if dispute is None or dispute.resolved
        else {
            "reason": dispute.reason,
            "opened": dispute.opened,
            "amount": dispute.amount,
            "notes": dispute.notes,
        },
    }


def _total(invoices: list[Invoice], currency: str) -> Decimal:
    return normalize(sum((i.balance for i in invoices), Decimal(0)), currency)


def brief(account: Account, config: Config, today: date) -> dict[str, Any]:
    customer = account.customer
    currency = customer.currency
    contact, why = policy.contact_to_call(account)
    statuses = policy.installment_statuses(account, config.policy, today)
    open_invoices = policy.open_invoices(account)
    overdue = [i for i in open_invoices if policy.days_past_due(i, today) > 0]
    money = policy.receipts(account)
    return {
        "customer": {
            "id": customer.id,
            "name": customer.name,
            "terms": customer.terms,
            "credit_limit": customer.credit_limit,
            "currency": currency,
            "owner": customer.owner,
            "collector": policy.responsible_collector(account),
            "notes": customer.notes,
        },
        "ask_for": None
        if contact is None
        else {
            "name": contact.name,
            "role": contact.role,
            "phone": contact.phone,
            "email": contact.email,
            "authorizes_payment": contact.authorizes_payment,
            "why": why,
        },
        "spoke_to_last": policy.last_person_spoken_to(account),
        "contacts": [
            {
                "name": c.name,
                "role": c.role,
                "phone": c.phone,
                "email": c.email,
                "authorizes_payment": c.authorizes_payment,
            }
            for c in customer.contacts
        ],
        "balance": _total(open_invoices, currency),
        "overdue": _total([i for i in overdue if not policy.in_dispute(i)], currency),
        "disputed": _total([i for i in open_invoices if policy.in_dispute(i)], currency),
        "credit": normalize(policy.unapplied_credit(account), currency),
        "aging": {
            bucket: normalize(amount, currency)
            for bucket, amount in policy.aging(account, today).items()
        },
        "open_invoices": [_invoice(i, today) for i in open_invoices],
        "payments": [
            {"date": r.date, "amount": r.amount, "reference": r.reference} for r in money[-5:][::-1]
        ],
        "average_days_to_pay": policy.average_days_to_pay(account),
        "promises": [
            {
                "made": s.promise.date,
                "by": s.by,
                "amount": s.amount,
                "paid": normalize(s.paid, currency),
                "status": s.status,
                "installment": f"{s.number} of {s.count}" if s.count > 1 else None,
                "method": s.promise.method,
                "contact": s.promise.contact,
            }
            for s in statuses
        ][::-1],
        "checks_mailed": _checks(account),
        "last_contacts": _contacts(account)[:5],
        "follow_ups": [
            {"date": f.date, "kind": f.kind, "detail": f.detail}
            for f in policy.follow_ups(account, config, today)
        ],
        "opener": None,  # filled in by opener()
    }


def _checks(account: Account) -> list[dict[str, Any]]:
    arrived = {r.reference for r in policy.receipts(account)}
    return [
        {
            "number": e.check.number,
            "amount": e.check.amount,
            "mailed": e.check.mailed,
            "reported": e.date,
            "received": e.check.number in arrived,
        }
        for e in reversed(account.events)
        if isinstance(e, Call) and e.check is not None
    ]


def _contacts(account: Account) -> list[dict[str, Any]]:
    found = []
    for event in reversed(account.events):
        if isinstance(event, Call):
            found.append(
                {
                    "date": event.date,
                    "kind": "call",
                    "who": event.contact,
                    "outcome": event.outcome,
                    "notes": (event.notes or "").strip() or None,
                    "collector": event.collector,
                }
            )
        elif isinstance(event, EmailSent):
            found.append(
                {
                    "date": event.date,
                    "kind": "email",
                    "who": ", ".join(event.to),
                    "outcome": policy.email_words(event),
                    "notes": (event.notes or "").strip() or None,
                    "collector": event.collector,
                }
            )
    return found


# --- the opener ------------------------------------------------------------------------


def opener_template(account: Account, config: Config, today: date) -> str:
    due_now = [f for f in policy.follow_ups(account, config, today) if f.date <= today]
    kinds = {f.kind for f in due_now}
    statuses = policy.installment_statuses(account, config.policy, today)
    if any(s.status in ("broken", "partial") for s in statuses) and kinds & {
        "promise-check",
        "installment",
    }:
        return "opener-broken-promise.txt.j2"
    if "check-in-mail" in kinds:
        return "opener-check-not-received.txt.j2"
    if any(isinstance(e, Call | Promise) for e in account.events):
        return "opener-callback.txt.j2"
    return "opener-first-call.txt.j2"


def opener_context(account: Account, config: Config, today: date, collector: dict) -> dict:
    currency = account.customer.currency
    chased = [
        i
        for i in policy.open_invoices(account)
        if policy.days_past_due(i, today) > 0 and not policy.in_dispute(i)
    ]
    contact, _ = policy.contact_to_call(account)
    statuses = [
        s
        for s in policy.installment_statuses(account, config.policy, today)
        if s.status in ("broken", "partial")
    ]
    last_call = next((e for e in reversed(account.events) if isinstance(e, Call | Promise)), None)
    check_call = next(
        (e for e in reversed(account.events) if isinstance(e, Call) and e.check), None
    )
    promise = statuses[-1] if statuses else None
    return {
        "today": today.isoformat(),
        "company": config.company,
        "collector": collector,
        "customer": {"id": account.id, "name": account.customer.name},
        "contact": _contact(contact) | {"role": contact.role} if contact else None,
        "currency": currency,
        "total_overdue": format_money(sum((i.balance for i in chased), Decimal(0)), currency),
        "invoices": [
            {
                "number": i.number,
                "po": i.po,
                "due": i.due.isoformat(),
                "amount": format_amount(i.amount, currency),
                "balance": format_amount(i.balance, currency),
                "days_late": policy.days_past_due(i, today),
            }
            for i in chased
        ],
        "promise": None
        if promise is None
        else {
            "made": promise.promise.date.isoformat(),
            "who": promise.promise.contact or "you",
            "amount": format_money(promise.amount, currency),
            "by": promise.by.isoformat(),
            "method": promise.promise.method,
            "paid": format_money(promise.paid, currency) if promise.paid else None,
        },
        "check": None
        if check_call is None
        else {
            "number": check_call.check.number,
            "amount": format_money(check_call.check.amount, currency),
            "mailed": check_call.check.mailed.isoformat(),
            "reported": check_call.date.isoformat(),
        },
        "last_call": None
        if last_call is None
        else {
            "date": last_call.date.isoformat(),
            "contact": last_call.contact,
            "outcome": getattr(last_call, "outcome", "promise"),
        },
    }


# --- brief as text or markdown -----------------------------------------------------------


def brief_text(data: dict[str, Any], markdown: bool = False) -> str:
    from collectctl.output import Column, table

    currency = data["customer"]["currency"]

    def money(value: Decimal | None) -> str:
        return "" if value is None else format_amount(value, currency)

    def heading(title: str) -> str:
        return f"\n## {title}\n" if markdown else f"\n{title.upper()}"

    def grid(rows: list[dict], columns: list[Column]) -> str:
        return table(rows, columns, markdown=markdown)

    customer = data["customer"]
    lines = [
        f"# {customer['name']} ({customer['id']})"
        if markdown
        else f"{customer['name']} ({customer['id']})"
    ]
    limit = money(customer["credit_limit"]) or "none"
    lines.append(
        f"Terms net {customer['terms']} · credit limit {limit} {currency} · "
        f"collector {customer['collector'] or 'unassigned'}"
    )
    lines.append(
        f"Open {money(data['balance'])} {currency} · overdue {money(data['overdue'])}"
        + (f" · in dispute {money(data['disputed'])}" if data["disputed"] else "")
        + (f" · unapplied credit {money(data['credit'])}" if data["credit"] else "")
    )

    lines.append(heading("Ask for"))
    ask = data["ask_for"]
    if ask:
        approves = "approves payments" if ask["authorizes_payment"] else "does not approve payments"
        lines.append(f"{ask['name']} ({ask['role'] or 'no role'}, {approves}) — {ask['why']}")
        lines.append(f"phone {ask['phone'] or '-'} · email {ask['email'] or '-'}")
    else:
        lines.append("no contact on file")
    if data["spoke_to_last"]:
        lines.append(f"Spoke to last time: {data['spoke_to_last']}")
    others = [c for c in data["contacts"] if not ask or c["name"] != ask["name"]]
    for c in others:
        lines.append(f"also: {c['name']} ({c['role'] or 'no role'}) {c['phone'] or ''}".rstrip())

    lines.append(heading("Aging"))
    buckets = data["aging"]
    lines.append(
        grid([{k: money(v) for k, v in buckets.items()}], [Column(k, k, "right") for k in buckets])
    )

    lines.append(heading("Open invoices"))
    if data["open_invoices"]:
        rows = [
            {
                **i,
                "amount": money(i["amount"]),
                "balance": money(i["balance"]),
                "dispute": _dispute_words(i["dispute"], money),
            }
            for i in data["open_invoices"]
        ]
        lines.append(
            grid(
                rows,
                [
                    Column("number", "INVOICE"),
                    Column("po", "PO"),
                    Column("due", "DUE"),
                    Column("amount", "AMOUNT", "right"),
                    Column("balance", "BALANCE", "right"),
                    Column("days_late", "DAYS LATE", "right"),
                    Column("dispute", "DISPUTE"),
                ],
            )
        )
    else:
        lines.append("none")

    lines.append(heading("Payments"))
    average = data["average_days_to_pay"]
    lines.append(f"Average days to pay: {average if average is not None else 'no history'}")
    for payment in data["payments"]:
        reference = payment["reference"] or ""
        lines.append(f"{payment['date']}  {money(payment['amount']):>12}  {reference}".rstrip())

    lines.append(heading("Promises"))
    if data["promises"]:
        rows = [
            {**p, "amount": money(p["amount"]), "paid": money(p["paid"])} for p in data["promises"]
        ]
        lines.append(
            grid(
                rows,
                [
                    Column("made", "MADE"),
                    Column("by", "BY"),
                    Column("amount", "AMOUNT", "right"),
                    Column("paid", "PAID", "right"),
                    Column("status", "STATUS"),
                    Column("installment", "PART"),
                    Column("method", "METHOD"),
                    Column("contact", "WHO"),
                ],
            )
        )
    else:
        lines.append("none")

    if data["checks_mailed"]:
        lines.append(heading("Checks reported mailed"))
        for check in data["checks_mailed"]:
            state = "received" if check["received"] else "NOT RECEIVED"
            lines.append(
                f"#{check['number']}  {money(check['amount'])}  mailed {check['mailed']} "
                f"(reported {check['reported']}): {state}"
            )

    lines.append(heading("Last contacts"))
    if data["last_contacts"]:
        for contact in data["last_contacts"]:
            who = f" {contact['who']}" if contact["who"] else ""
            lines.append(
                f"{contact['date']} {contact['kind']}{who}: {contact['outcome']} "
                f"({contact['collector']})"
            )
            if contact["notes"]:
                lines.extend(f"    {line}" for line in contact["notes"].splitlines())
    else:
        lines.append("never contacted")

    if data["follow_ups"]:
        lines.append(heading("Follow-ups"))
        for follow_up in data["follow_ups"]:
            lines.append(f"{follow_up['date']} {follow_up['kind']}: {follow_up['detail']}")

    if data["customer"]["notes"]:
        lines.append(heading("Notes"))
        lines.append(data["customer"]["notes"].rstrip())

    lines.append(heading("Opener"))
    opener = data["opener"].rstrip()
    lines.append(
        "\n".join(f"> {line}" if line else ">" for line in opener.splitlines())
        if markdown
        else opener
    )
    return "\n".join(lines) + "\n"


def _dispute_words(dispute: dict | None, money) -> str:
    if dispute is None:
        return ""
    amount = f" {money(dispute['amount'])}" if dispute["amount"] else ""
    return f"{dispute['reason']}{amount} since {dispute['opened']}"


# --- the promise confirmation ------------------------------------------------------------


def confirmation_context(
    account: Account, config: Config, plan, contact_name: str | None, collector: dict
) -> dict[str, Any]:
    currency = account.customer.currency
    contact = account.customer.find_contact(contact_name) if contact_name else None
    return {
        "company": config.company,
        "collector": collector,
        "customer": {"id": account.id, "name": account.customer.name},
        "contact": _contact(contact) if contact else None,
        "total": format_money(plan.total, currency),
        "method": plan.method,
        "installments": [
            {"by": by.isoformat(), "amount": format_money(amount, currency)}
            for by, amount in plan.installments
        ],
        "invoices": [{"number": i.number, "po": i.po} for i in plan.invoices],
    }
