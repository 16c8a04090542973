"""The statement of account as a PDF (reportlab), built from the same view as the text
and HTML: a customer's accounts-payable clerk files it, or a lawyer attaches it."""

from __future__ import annotations

import io
from typing import Any

from collectctl.domain.money import format_amount, format_money
from collectctl.presentation.statement import Statement


def statement_pdf(statement: Statement, collector: dict[str, Any]) -> bytes:
    from reportlab import rl_config
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    rl_config.invariant = 1  # no clock or random id inside: the same statement, the same bytes
    currency = statement.currency
    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    title = f"Statement of account: {statement.customer_name}"
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        author=statement.company,
        creator="collectctl",
        leftMargin=18 * mm,
        rightMargin=18 * mm,
    )

    def money(amount: Any) -> str:
        return format_amount(amount, currency)

    def table(rows: list[list[str]], numbers_from: int) -> Table:
        grid = Table(rows, hAlign="LEFT")
        grid.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                    ("ALIGN", (numbers_from, 0), (-1, -1), "RIGHT"),
                    ("FONTSIZE", (0, 0), (-1, -1), 9),
                ]
            )
        )
        return grid

    invoices = [["Invoice", "Your PO", "Issued", "Due", "Amount", f"Open ({currency})", "Late"]]
    invoices += [
        [
            number,
            po or "",
            issued.isoformat(),
            due.isoformat(),
            money(amount),
            money(balance),
            str(late) if late else "",
        ]
        for number, po, issued, due, amount, balance, late in statement.open_invoices
    ]
    activity = [["Date", "", "Reference", "Amount"]]
    activity += [
        [line.date.isoformat(), line.what, line.reference or "", money(line.amount)]
        for line in statement.activity
    ]
    aging = [list(statement.aging), [money(amount) for amount in statement.aging.values()]]
    story = [
        Paragraph(title, styles["Title"]),
        Paragraph(
            f"{statement.company} · {statement.customer_id} · as of {statement.on}",
            styles["Normal"],
        ),
        Spacer(1, 6 * mm),
        Paragraph("Open invoices", styles["Heading2"]),
        table(invoices, 4),
        Spacer(1, 4 * mm),
        Paragraph(f"Since {statement.since}", styles["Heading2"]),
        table(activity, 3),
        Spacer(1, 4 * mm),
        Paragraph("Aging", styles["Heading2"]),
        table(aging, 0),
        Spacer(1, 6 * mm),
    ]
    if statement.credit:
        story.append(Paragraph(f"Unapplied credit: {money(statement.credit)}", styles["Normal"]))
    story += [
        Paragraph(
            f"<b>Total due: {format_money(statement.total_due, currency)}</b>", styles["Normal"]
        ),
        Spacer(1, 4 * mm),
        Paragraph(
            f"How to pay: by check to {statement.company}, or by ACH or wire to the account on "
            "our invoices; please quote the invoice numbers.",
            styles["Normal"],
        ),
        Paragraph(
            f"{collector.get('name') or ''} {collector.get('email') or ''}", styles["Normal"]
        ),
    ]
    document.build(story)
    return buffer.getvalue()
