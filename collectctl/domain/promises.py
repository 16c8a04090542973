"""Promises to pay: each installment kept, pending, partly paid or broken, worked out from
the money received since the promise was made, never typed by hand."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

from msgspec import Struct
from msgspec.structs import replace

from collectctl.domain.calendar import roll_forward
from collectctl.domain.invoices import receipts, recorded_moment
from collectctl.domain.models import CONVERSATIONS, Account, Invoice, Policy, Promise

InstallmentState = Literal["open", "pending", "partial", "broken", "kept"]
STATUS_CODES = {
    "open": "promise-open",
    "pending": "promise-due",
    "partial": "promise-partly-paid",
    "broken": "promise-broken",
    "kept": "promise-kept",
}


class InstallmentStatus(Struct, frozen=True, tag=True):
    promise: Promise
    number: int  # 1-based position in the plan
    count: int
    by: date
    amount: Decimal
    paid: Decimal  # toward this installment, by its deadline (or so far)
    deadline: date  # the check day, by + grace on a business day: paid by then is kept
    status: InstallmentState  # kept, or "open" until on(today) says pending|partial|broken
    followed_up: bool = False  # a call or agreement on or after the check day took over

    @property
    def code(self) -> str:
        return STATUS_CODES[self.status]

    def on(self, today: date) -> InstallmentStatus:
        if self.status != "open":
            return self
        late: InstallmentState = "partial" if self.paid > 0 else "broken"
        return replace(self, status="pending" if today <= self.deadline else late)

    @property
    def broken_on(self) -> date:
        return self.deadline + timedelta(days=1)

    @property
    def is_broken(self) -> bool:
        return self.status in ("broken", "partial")


def check_day(by: date, policy: Policy) -> date:
    """When a promise is checked: its date plus the grace, moved to a business day.
    Paid by the end of that day, it is kept."""
    return roll_forward(by + timedelta(days=policy.promise_grace), policy)


def installment_statuses(account: Account, policy: Policy, today: date) -> list[InstallmentStatus]:
    """Every promised installment with its status on `today`."""
    return [status.on(today) for status in installments(account, policy)]


def installments(account: Account, policy: Policy) -> list[InstallmentStatus]:
    """Every promised installment, kept or still open: what does not depend on the day.

    Money counts toward one installment only, and only money received after the promise
    was made: installments take from the payments in their window (the promise, then its
    check day), the one checked first taking first, each payment oldest first."""
    events = account.events
    parts = []
    for index, promise in enumerate(events):
        if type(promise) is Promise:
            made = (promise.date, recorded_moment(promise))
            for number, part in enumerate(promise.installments, 1):
                parts.append((check_day(part.by, policy), index, number, made, promise, part))
    if not parts:
        return []  # most accounts: no promise, so no need to gather what was received
    money = receipts(account)
    left = [r.amount for r in money]
    paid: dict[tuple[int, int], Decimal] = {}
    for deadline, index, number, made, _, part in sorted(parts, key=lambda p: p[:3]):
        wanted = part.amount
        for slot, receipt in enumerate(money):
            if wanted <= 0 or receipt.date > deadline:
                break
            if left[slot] <= 0 or (receipt.date, receipt.moment) < made:
                continue  # spent on another installment, or received before the promise
            taken = min(left[slot], wanted)
            left[slot] -= taken
            wanted -= taken
        paid[index, number] = part.amount - wanted
    result = []
    for deadline, index, number, _, promise, part in parts:
        toward = paid[index, number]
        followed_up = any(
            type(e) in CONVERSATIONS and e.date >= deadline for e in events[index + 1 :]
        )
        result.append(
            InstallmentStatus(
                promise,
                number,
                len(promise.installments),
                part.by,
                part.amount,
                toward,
                deadline,
                "kept" if toward >= part.amount else "open",
                followed_up,
            )
        )
    return result


class PlannedPromise(Struct, frozen=True):
    """A promise ready to record: installments, the invoices it covers, its total."""

    installments: list[tuple[date, Decimal]]
    invoices: list[Invoice]
    total: Decimal
    method: str | None
