"""Email: build messages with the modern EmailMessage API and hand them to a transport.

With an SMTP host configured, messages go out over SMTP; without one they are written as
.eml files to the ledger's outbox/ and nothing claims they were sent. The password comes
only from the environment, never from the ledger.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import datetime
from email import policy as email_policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from collectctl.domain.inputs import one_address
from collectctl.domain.models import Config
from collectctl.errors import CollectctlError, UsageError
from collectctl.storage import faults
from collectctl.storage.environment import env_number

DEFAULT_TIMEOUT = 30.0
# SMTP line endings; headers folded only past RFC 5322's hard limit, so a long subject
# is never split right after "Subject:".
_POLICY = email_policy.SMTP.clone(max_line_length=998)  # headers and text: unfolded
_ATTACHMENT_POLICY = email_policy.SMTP  # base64 in RFC 2045's lines of 76 characters
_PORTS = {"none": 25, "starttls": 587, "ssl": 465}


class MailError(CollectctlError):
    """The message could not be sent; nothing was recorded."""


def _no_line_breaks(what: str, value: str) -> str:
    if "\r" in value or "\n" in value:
        raise UsageError(f"{what} {value!r} contains a line break; refused (header injection)")
    return value


def address(email: str, name: str | None = None, what: str = "address") -> Address:
    """One mailbox; a name like "Doe, Jane" stays one recipient. Two addresses are refused."""
    _no_line_breaks(what, email)
    if name:
        _no_line_breaks(f"{what} name", name)
    try:
        return Address(display_name=name or "", addr_spec=one_address(email))
    except (ValueError, IndexError):
        raise UsageError(f"{what} {email!r} is not one email address") from None


def mailbox(text: str, what: str) -> Address:
    """One mailbox as people write it: `maria@example.com` or `Maria Lopez <maria@…>`."""
    from email.utils import getaddresses

    _no_line_breaks(what, text)
    found = getaddresses([text])
    if len(found) != 1 or not found[0][1]:
        raise UsageError(f"{what} {text!r} is not one email address")
    name, addr = found[0]
    return address(addr, name or None, what)


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    maintype: str = "application"
    subtype: str = "pdf"


@dataclass
class Draft:
    """A message before it has a transport: who, what, and the two alternatives."""

    sender: Address
    to: list[Address]
    subject: str
    text: str
    html: str | None = None
    cc: list[Address] = field(default_factory=list)
    reply_to: Address | None = None
    attachments: list[Attachment] = field(default_factory=list)

    def build(self, moment: datetime) -> EmailMessage:
        _no_line_breaks("subject", self.subject)
        message = EmailMessage(policy=_POLICY)
        message["From"] = self.sender
        message["To"] = self.to
        if self.cc:
            message["Cc"] = self.cc
        if self.reply_to is not None:
            message["Reply-To"] = self.reply_to
        message["Subject"] = self.subject
        message["Date"] = format_datetime(moment)
        message["Message-ID"] = make_msgid(domain=self.sender.domain or None)
        message.set_content(self.text)
        if self.html is not None:
            message.add_alternative(self.html, subtype="html")
        if self.attachments:
            message.make_mixed()
        for attachment in self.attachments:
            _no_line_breaks("attachment filename", attachment.filename)
            part = EmailMessage(policy=_ATTACHMENT_POLICY)
            part.set_content(
                attachment.content,
                maintype=attachment.maintype,
                subtype=attachment.subtype,
                disposition="attachment",
                filename=attachment.filename,
            )
            message.attach(part)
        return message


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    security: str
    username: str | None
    password: str | None
    timeout: float

    @property
    def where(self) -> str:
        return f"SMTP {self.host}:{self.port}"


def smtp_config(config: Config) -> SmtpConfig | None:
    """The SMTP settings, the environment overriding collectctl.yaml; None means outbox."""
    smtp = config.email.smtp
    host = os.environ.get("COLLECTCTL_SMTP_HOST") or smtp.host
    if not host:
        return None
    security = os.environ.get("COLLECTCTL_SMTP_SECURITY") or smtp.security
    if security not in _PORTS:
        raise UsageError(f"COLLECTCTL_SMTP_SECURITY: {security!r} is not none, starttls or ssl")
    port = int(env_number("COLLECTCTL_SMTP_PORT", smtp.port or _PORTS[security], 1, 65535, True))
    timeout = env_number("COLLECTCTL_SMTP_TIMEOUT", DEFAULT_TIMEOUT, 1, 600)
    return SmtpConfig(
        host=host,
        port=port,
        security=security,
        username=os.environ.get("COLLECTCTL_SMTP_USER") or smtp.username,
        password=os.environ.get("COLLECTCTL_SMTP_PASSWORD"),
        timeout=timeout,
    )


def sender(config: Config) -> Address:
    if not config.email.sender:
        raise CollectctlError(
            "set email.from in collectctl.yaml: the address messages come from "
            "(a new ledger: collectctl init DIR --email-from ADDRESS)"
        )  # configuration, not a bad option: exit 1
    return address(config.email.sender, config.company, "email.from")


def send(message: EmailMessage, settings: SmtpConfig) -> str | None:
    """Hand the message to the SMTP server, or raise MailError with one line saying why.
    Once the server has accepted it, nothing undoes that: a failure afterwards (a QUIT
    answered 421, a refused Cc) is returned as a warning, never raised."""
    accepted: list[bool] = []
    try:
        refused = _deliver(message, settings, accepted)
    except Exception as exc:
        if accepted:
            return f"{settings.where}: the message was accepted, then {_failure(exc, settings)}"
        raise MailError(f"{settings.where}: {_failure(exc, settings)}") from None
    if refused:
        recipient, (code, text) = next(iter(refused.items()))
        return f"{settings.where}: recipient {recipient} refused ({code} {_text(text)})"
    return None


def _deliver(
    message: EmailMessage, settings: SmtpConfig, accepted: list[bool]
) -> dict[str, tuple[int, bytes]]:
    client: smtplib.SMTP
    if settings.security == "ssl":
        client = smtplib.SMTP_SSL(
            settings.host,
            settings.port,
            timeout=settings.timeout,
            context=ssl.create_default_context(),
        )
    else:
        client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    with client:
        if settings.security == "starttls":
            client.starttls(context=ssl.create_default_context())
        if settings.username:
            client.login(settings.username, settings.password or "")
        faults.point("before-data")
        refused = client.send_message(message)
        accepted.append(True)  # the server has it: from here on it is delivered
        faults.point("after-data")
    faults.point("after-quit")
    return refused


def _failure(exc: Exception, settings: SmtpConfig) -> str:
    """What went wrong, in one line."""
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return f"authentication failed ({_reply(exc)})"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        recipient, (code, text) = next(iter(exc.recipients.items()))
        return f"recipient {recipient} refused ({code} {_text(text)})"
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return f"sender {exc.sender!s} refused ({_reply(exc)})"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"the server refused the message ({_reply(exc)})"
    if isinstance(exc, TimeoutError) or "timed out" in str(exc):
        return f"no answer within {settings.timeout:g} s"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return f"the server hung up ({exc})"
    if isinstance(exc, ssl.SSLError):
        return f"TLS failed ({exc.reason})"
    if isinstance(exc, OSError):
        return str(exc.strerror or exc)
    return str(exc)


def _text(raw: bytes | str) -> str:
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    return " ".join(text.split())


def _reply(exc: smtplib.SMTPResponseException) -> str:
    return f"{exc.smtp_code} {_text(exc.smtp_error)}"


def save_to_outbox(message: EmailMessage, outbox: Path, name: str) -> Path:
    """Write the message as an .eml file a mail client opens; returns its path."""
    from collectctl.storage.files import atomic_write

    path = outbox / f"{name}.eml"
    atomic_write(path, bytes(message))
    return path
