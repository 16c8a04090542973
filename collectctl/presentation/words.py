"""Words for the policy's typed reasons and records, as collectors read them."""

from __future__ import annotations

from collectctl.domain.contacts import ChoiceCode
from collectctl.domain.models import (
    Call,
    CheckVoided,
    Config,
    DisputeEvent,
    EmailSent,
    Escalation,
    Event,
    Message,
    Note,
    Promise,
)
from collectctl.domain.money import format_amount, format_money
from collectctl.domain.promises import InstallmentStatus, PlannedPromise
from collectctl.domain.reasons import (
    CallAgain,
    Callback,
    CheckNotReceived,
    ConfirmInvoiceCopy,
    DisputeReview,
    Escalated,
    EscalationDue,
    FinalReminderUnanswered,
    FollowUpBooked,
    InDispute,
    PastDue,
    Reason,
    RetryCall,
    Unassigned,
)

CONTACT_CHOICE = {
    "authorizes-payments": "authorizes payments",
    "spoken-to-last": "spoken to last time",
    "primary-contact": "primary contact",
    "no-contact": "no contact on file",
}


def contact_choice(code: ChoiceCode) -> str:
    return CONTACT_CHOICE[code]


def list_owner(config: Config | None, who: str | None) -> str | None:
    """Whose list a title names: the collector's name (their id where the ledger does not
    list them); None for everyone's."""
    found = config.find_collector(who) if config and who else None
    return found.name if found else who


def collector_name(config: Config, who: str | None) -> str:
    collector = config.find_collector(who) if who else None
    return collector.name if collector else (who or "the credit manager")


def installment(status: InstallmentStatus, currency: str) -> str:
    amount = format_amount(status.amount, currency)
    what = f"promise of {amount}"
    if status.count > 1:
        what = f"installment {status.number} of {status.count}: {amount}"
    if status.status == "broken":
        return f"{what} broken on {status.broken_on}"
    if status.status == "partial":
        paid = format_amount(status.paid, currency)
        return f"{what} only {paid} paid, broken on {status.broken_on}"
    if status.status == "kept":
        return f"{what} kept"
    return f"{what} due {status.by}"


def email_sent(event: EmailSent) -> str:
    """How the brief and the call list speak of a sent email."""
    if event.delivery == "interrupted":
        return _email_words(event) + " (interrupted: may have been delivered)"
    return _email_words(event)


def _email_words(event: EmailSent) -> str:
    to = ", ".join(event.to)
    if event.purpose == "invoice-copy":
        return f"invoice copy of {', '.join(event.invoices)} emailed {event.date} to {to}"
    if event.purpose == "promise-confirmation":
        return f"promise confirmation emailed {event.date} to {to}"
    if event.purpose == "reminder":
        about = ", ".join(event.invoices)
        return f"reminder level {event.level} emailed {event.date} to {to} about {about}"
    return f"emailed {event.date} to {to}: {event.subject}"


def reason(found: Reason, currency: str, config: Config) -> str:
    """One reason to call or follow up, as the call list and follow-ups print it."""
    match found:
        case InstallmentStatus():
            return installment(found, currency)
        case CheckNotReceived(number=number, mailed=mailed):
            return f"check #{number} mailed {mailed} not received"
        case Callback(after=after):
            return f"callback after hostile call on {after}"
        case ConfirmInvoiceCopy(emailed=EmailSent() as emailed):
            return f"{email_sent(emailed)}: confirm it arrived"
        case ConfirmInvoiceCopy(invoices=invoices, not_received_on=on):
            numbers = ", ".join(invoices) or "the invoice"
            return f"send the copy of {numbers}: not received ({on}), no copy sent since"
        case RetryCall(outcome=outcome, on=on):
            return f"{outcome} on {on}: try again"
        case CallAgain(outcome=outcome, contact=contact, on=on):
            who = f" {contact}" if contact else ""
            return f"call again: {outcome}{who} on {on}"
        case EscalationDue(days_past_due=days, broken_promises=broken):
            lines = []
            if days is not None:
                lines.append(f"{days} days past due")
            if broken is not None:
                lines.append(f"{broken} broken promises")
            if found.dispute_days is not None:
                lines.append(f"{found.dispute_invoice} in dispute {found.dispute_days} days")
            return "escalate to the credit manager: " + ", ".join(lines)
        case Escalated(to=to, on=on, by=by, why=why):
            who = f" by {collector_name(config, by)}" if by else ""
            return f"escalated to {collector_name(config, to)} on {on}{who}" + (
                f": {why}" if why else ""
            )
        case PastDue(days=days, first_call=first_call):
            return f"{days} days past due" + (" — first call" if first_call else "")
        case Unassigned():
            return "nobody owns this account: take it (customer edit --owner)"
        case InDispute(invoice=invoice, reason=why):
            return f"{invoice} in dispute ({why})"
        case FinalReminderUnanswered(sent=sent):
            return f"final reminder emailed {sent}, no answer: call"
        case FollowUpBooked(what=what, about=about, on=on):
            return f"follow up on the {what} of {on}" + (f": {about}" if about else "")
        case DisputeReview(invoice=invoice, reason=why, opened=opened, held=amount):
            return (
                f"review the dispute on {invoice} ({why}, {format_money(amount, currency)}, "
                f"open since {opened})"
            )
    raise TypeError(f"no words for {found!r}")


def touch(event: Event, currency: str, config: Config) -> tuple[str, str | None, str] | None:
    """An event as a line of the account's story: (kind, with whom, what happened);
    None for what is not a touch (a payment is money, listed apart)."""
    match event:
        case Call():
            return "call", event.contact, event.outcome
        case EmailSent():
            return "email", ", ".join(event.to), email_sent(event)
        case Promise():
            parts = ", ".join(
                f"{format_amount(part.amount, currency)} by {part.by}"
                for part in event.installments
            )
            return "promise", event.contact, f"promised {parts}"
        case Note():
            return "note", event.contact, "note"
        case CheckVoided():
            return "check", event.contact, f"check #{event.number} {check_void(event)}"
        case Message(direction="in"):
            return "message", event.sender, f"{event.channel} in: {event.subject}"
        case Message():
            return "message", ", ".join(event.to) or None, f"{event.channel} out: {event.subject}"
        case Escalation(returned=True):
            to = collector_name(config, event.to) if event.to else "its owner"
            why = f": {event.reason}" if event.reason else ""
            return "escalation", None, f"handed back to {to}{why}"
        case Escalation():
            why = f": {event.reason}" if event.reason else ""
            return "escalation", None, f"escalated to {collector_name(config, event.to)}{why}"
        case DisputeEvent(resolution=None):
            part = f" ({format_amount(event.amount, currency)})" if event.amount else ""
            return "dispute", event.contact, f"dispute on {event.invoice}{part}: {event.reason}"
        case DisputeEvent():
            credit = f", credit {format_amount(event.credit, currency)}" if event.credit else ""
            return "dispute", None, f"dispute on {event.invoice} {event.resolution}{credit}"
    return None


def check_void(event: CheckVoided) -> str:
    """`stopped`, `lost`, `replaced by #4420`."""
    if event.status == "replaced" and event.replacement:
        return f"replaced by #{event.replacement}"
    return event.status


def plan_words(plan: PlannedPromise, currency: str) -> str:
    """A promise in a commit subject: `2,000.00 USD by 2026-12-01`."""
    total = format_money(plan.total, currency)
    if len(plan.installments) == 1:
        return f"{total} by {plan.installments[0][0]}"
    first, last = plan.installments[0][0], plan.installments[-1][0]
    return f"{total} in {len(plan.installments)} installments, {first} to {last}"
