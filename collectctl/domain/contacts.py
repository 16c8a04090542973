"""Whom to ask for, and when the customer last heard from us."""

from __future__ import annotations

from typing import Literal

from msgspec import Struct

from collectctl.domain.models import (
    CONVERSATIONS,
    Account,
    Call,
    Contact,
    EmailSent,
    Event,
    Message,
    Promise,
)
from collectctl.domain.vocabulary import SPOKEN_OUTCOMES

PAYABLES_ROLES = ("payables", "accounts-payable", "ap", "ap-clerk", "ap-manager")

ChoiceCode = Literal["authorizes-payments", "spoken-to-last", "primary-contact", "no-contact"]


_CONTACTS = (*CONVERSATIONS, EmailSent, Message)  # the kinds of event where we heard each other


class ContactChoice(Struct, frozen=True):
    contact: Contact | None
    code: ChoiceCode  # why this person


def last_contact_event(account: Account) -> Event | None:
    """The last call, agreement, email or message: when we last heard each other."""
    return next((e for e in reversed(account.events) if type(e) in _CONTACTS), None)


def last_conversation(account: Account) -> Call | Promise | None:
    """The last call or agreement."""
    return next(
        (e for e in reversed(account.events) if type(e) is Call or type(e) is Promise), None
    )


def last_person_spoken_to(account: Account) -> str | None:
    for event in reversed(account.events):
        if type(event) is Call and event.contact and event.outcome in SPOKEN_OUTCOMES:
            return event.contact
    return None


def contact_to_call(account: Account) -> ContactChoice:
    """The person who authorizes payments; else the last person spoken to; else the
    primary (first) contact."""
    contacts = account.customer.active_contacts
    approver = next((c for c in contacts if c.authorizes_payment), None)
    if approver:
        return ContactChoice(approver, "authorizes-payments")
    last = last_person_spoken_to(account)
    if last and (contact := account.customer.find_contact(last)) and not contact.inactive:
        return ContactChoice(contact, "spoken-to-last")
    if contacts:
        return ContactChoice(contacts[0], "primary-contact")
    return ContactChoice(None, "no-contact")


def payables_contact(account: Account) -> Contact | None:
    """Who processes invoices: the first payables contact with an email address."""
    for role in PAYABLES_ROLES:
        for contact in account.customer.active_contacts:
            if contact.role == role and contact.email:
                return contact
    return None
