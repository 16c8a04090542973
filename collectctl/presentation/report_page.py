"""One page for people who would rather look than read: headline figures, aging per
collector, promise kept rate by month, money collected per week, the forecast, and the
top overdue accounts — self-contained HTML with inline SVG, no script, no network."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from html import escape

from collectctl.domain import reports
from collectctl.domain.account_facts import AccountFacts
from collectctl.domain.models import Config
from collectctl.domain.money import format_amount
from collectctl.domain.portfolio import Portfolio
from collectctl.presentation.reports import ReportRequest

COLOURS = ("#2f6f4e", "#8fb339", "#f2c14e", "#f78154", "#b4436c", "#5d576b")
WIDTH, BAR_HEIGHT = 640, 180


def page(request: ReportRequest, accounts: Portfolio, config: Config) -> tuple[str, str]:
    """The page as HTML, and its headline as text (for a mail's plain part)."""
    day, base = request.as_of, config.currency
    aging = reports.aging(accounts, day, "collector", request.edges)
    names = reports.bucket_names(request.edges)
    mine = [row for row in aging if row.currency == base]
    open_total = sum((r.total for r in mine), Decimal(0))  # the disputed part included
    overdue = sum((sum(r.buckets[1:], Decimal(0)) for r in mine), Decimal(0))
    in_base = accounts.only(a for a in accounts.latest if a.currency == base)  # never added across
    dso = reports.dso(in_base, day)
    cei = reports.cei(in_base, day - timedelta(days=29), day)
    by_month = reports.promise_rows(accounts, day, "month")
    kept = reports.promise_rows(accounts, day, "collector")
    kept_rate = reports.overall_kept_rate(kept)
    weeks = reports.forecast(accounts, day, request.weeks)
    collected = _collected_per_week(accounts, day, base)
    headline = [
        ("Open", format_amount(open_total, base) + f" {base}"),
        ("Overdue", format_amount(overdue, base) + f" {base}"),
        ("DSO (count-back)", f"{dso.count_back} days" if dso.count_back is not None else "-"),
        ("CEI, last 30 days", f"{cei.index}%" if cei.index is not None else "-"),
        ("Promises kept", f"{kept_rate}%" if kept_rate is not None else "-"),
    ]
    top = sorted(
        (
            (_overdue(a, day), a.id, a.collector)
            for a in accounts.balances_on(day)
            if a.currency == base
        ),
        key=lambda row: (-row[0], row[1]),
    )[:10]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Collections on {day} · {escape(config.company)}</title>",
        "<style>body{font-family:sans-serif;margin:2em;color:#222}"
        ".figures{display:flex;gap:2em;flex-wrap:wrap}.figure b{display:block;font-size:1.6em}"
        "table{border-collapse:collapse}td,th{padding:.2em .8em;text-align:right}"
        "td:first-child,th:first-child{text-align:left}</style></head><body>",
        f"<h1>Collections on {day} · {escape(config.company)}</h1>",
        '<div class="figures">',
        *(f'<div class="figure">{escape(k)}<b>{escape(v)}</b></div>' for k, v in headline),
        "</div>",
        f"<h2>Aging by collector ({base})</h2>",
        _stacked(
            [r.key for r in mine], [[r.buckets[n] for r in mine] for n in range(len(names))], names
        ),
        "<h2>Promises kept, by month due (%)</h2>",
        _bars([r.key for r in by_month], [r.kept_rate or Decimal(0) for r in by_month]),
        f"<h2>Collected per week ({base})</h2>",
        _bars([k for k, _ in collected], [v for _, v in collected]),
        f"<h2>Forecast per week ({base}, weighted)</h2>",
        _bars(
            [f"{w.starts}" for w in weeks if w.currency == base],
            [w.promised_weighted + w.falling_due for w in weeks if w.currency == base],
        ),
        "<h2>Top overdue accounts</h2>",
        "<table><tr><th>Customer</th><th>Overdue</th><th>Collector</th></tr>",
        *(
            f"<tr><td>{escape(customer)}</td><td>{format_amount(amount, base)}"
            f"</td><td>{escape(collector or '-')}</td></tr>"
            for amount, customer, collector in top
            if amount > 0
        ),
        "</table></body></html>",
    ]
    text = f"Collections on {day} · {config.company}\n" + "".join(
        f"  {k}: {v}\n" for k, v in headline
    )
    return "\n".join(parts) + "\n", text


def _overdue(account: AccountFacts, day: date) -> Decimal:
    """What is chased past its due date: the disputed part left out."""
    return sum((i.balance - i.held for i in account.open_items if i.due < day), Decimal(0))


def _collected_per_week(accounts: Portfolio, day: date, base: str) -> list[tuple[str, Decimal]]:
    ends = [day - timedelta(weeks=n) for n in range(7, -1, -1)]  # eight weeks to `day`
    totals = dict.fromkeys(ends, Decimal(0))
    for account in accounts.latest:
        if account.currency != base:
            continue
        for when, amount in account.receipts:
            weeks_back = (day - when).days // 7  # 0: the week ending `day`
            if 0 <= weeks_back < len(ends):
                totals[ends[-1 - weeks_back]] += amount
    return [(f"{end}", amount) for end, amount in totals.items()]


def _bars(labels: Sequence[str], values: Sequence[Decimal]) -> str:
    if not labels:
        return "<p>nothing yet</p>"
    top = max((v for v in values), default=Decimal(0)) or Decimal(1)
    step = WIDTH / len(labels)
    bars = []
    for n, (label, value) in enumerate(zip(labels, values, strict=True)):
        height = float(value / top) * (BAR_HEIGHT - 30)
        x = n * step + 4
        bars.append(
            f'<rect x="{x:.1f}" y="{BAR_HEIGHT - 20 - height:.1f}" width="{step - 8:.1f}" '
            f'height="{height:.1f}" fill="{COLOURS[0]}">'
            f"<title>{escape(label)}: {value}</title></rect>"
            f'<text x="{x:.1f}" y="{BAR_HEIGHT - 6}" font-size="9">{escape(label[-5:])}</text>'
        )
    return _svg("".join(bars))


def _stacked(
    labels: Sequence[str], series: Sequence[Sequence[Decimal]], names: Sequence[str]
) -> str:
    if not labels:
        return "<p>nothing open</p>"
    totals = [sum((s[n] for s in series), Decimal(0)) for n in range(len(labels))]
    top = max(totals) or Decimal(1)
    step = WIDTH / len(labels)
    shapes = []
    for n, label in enumerate(labels):
        y = BAR_HEIGHT - 20.0
        for k, values in enumerate(series):
            height = float(values[n] / top) * (BAR_HEIGHT - 30)
            y -= height
            shapes.append(
                f'<rect x="{n * step + 4:.1f}" y="{y:.1f}" width="{step - 8:.1f}" '
                f'height="{height:.1f}" fill="{COLOURS[k % len(COLOURS)]}">'
                f"<title>{escape(label)} {escape(names[k])}: {values[n]}</title></rect>"
            )
        shapes.append(
            f'<text x="{n * step + 4:.1f}" y="{BAR_HEIGHT - 6}" font-size="9">'
            f"{escape(label)}</text>"
        )
    legend = " ".join(
        f'<span style="color:{COLOURS[k % len(COLOURS)]}">■ {escape(name)}</span>'
        for k, name in enumerate(names)
    )
    return _svg("".join(shapes)) + f"<p>{legend}</p>"


def _svg(body: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{BAR_HEIGHT}" '
        f'role="img">{body}</svg>'
    )
