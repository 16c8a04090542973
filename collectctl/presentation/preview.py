"""An email as a person checks it before it goes: headers, text, attachments."""

from __future__ import annotations

from email.message import EmailMessage


def preview(message: EmailMessage) -> str:
    lines = [
        f"{key}: {message[key]}"
        for key in ("From", "To", "Cc", "Reply-To", "Subject", "Date", "Message-ID")
        if message[key]
    ]
    body = message.get_body(preferencelist=("plain",))
    lines += ["", body.get_content().rstrip() if isinstance(body, EmailMessage) else ""]
    for part in message.iter_attachments():
        size = len(part.get_content())
        lines.append(f"[attached: {part.get_filename()}, {size:,} bytes]")
    return "\n".join(lines) + "\n"
