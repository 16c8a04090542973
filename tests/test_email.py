"""Email that really goes out, to a real SMTP server on 127.0.0.1, and what the ledger
remembers of it."""

import json
import socket

import pytest
from conftest import Mailbox, SmtpServer, commit_count, free_port, git, run, snapshot, start_smtp

PDF = "customers/evergreen/documents/INV-2026-0110.pdf"


def send(sample, server_env, *args, collector="dev"):
    return run("-L", str(sample), "--collector", collector, *args, env=server_env)


def test_resend_invoice_delivers_the_pdf_byte_for_byte(sample, smtp_server):
    before = commit_count(sample)
    result = send(sample, smtp_server.env, "resend-invoice", "evergreen", "INV-2026-0110")

    assert result.code == 0, result.err
    [message] = smtp_server.mailbox.messages()
    assert message["From"] == '"Harbor Line Supply Co." <ar@harborline.example>'
    assert message["To"] == "Nina Shah <ap@evergreen.example>"
    assert message["Cc"] == "Dev Patel <dev.patel@harborline.example>"
    assert message["Reply-To"] == "Dev Patel <dev.patel@harborline.example>"
    assert message["Subject"] == "Copy of invoice INV-2026-0110 from Harbor Line Supply Co."
    assert message["Message-ID"].endswith("@harborline.example>")
    assert message["Date"]
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Invoice INV-2026-0110 (your PO EV-2291)" in text
    assert "the invoice document is attached (INV-2026-0110.pdf)" in text
    assert "<td>INV-2026-0110</td>" in html
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "INV-2026-0110.pdf"
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content() == (sample / PDF).read_bytes()
    envelope = smtp_server.mailbox.envelopes[0]
    assert sorted(envelope.rcpt_tos) == ["ap@evergreen.example", "dev.patel@harborline.example"]

    assert commit_count(sample) == before + 1
    assert git(sample, "log", "-1", "--format=%s").strip() == (
        "resend-invoice evergreen: INV-2026-0110 emailed to ap@evergreen.example"
    )
    event_file = git(sample, "show", "--name-only", "--format=", "HEAD").split()[0]
    event = (sample / event_file).read_text()
    assert f"message_id: '{message['Message-ID']}'" in event or message["Message-ID"] in event
    assert "purpose: invoice-copy" in event

    brief = run("-L", str(sample), "brief", "evergreen").out
    assert "invoice copy of INV-2026-0110 emailed 2026-11-23 to ap@evergreen.example" in brief
    follow = json.loads(
        run(
            "-L", str(sample), "--today", "2026-11-25", "followups", "--all", "--format", "json"
        ).out
    )
    evergreen = next(f for f in follow if f["customer"] == "evergreen")
    assert evergreen["detail"] == (
        "invoice copy of INV-2026-0110 emailed 2026-11-23 to ap@evergreen.example: "
        "confirm it arrived"
    )


def test_without_a_document_the_email_carries_the_details(sample, smtp_server):
    result = send(
        sample,
        smtp_server.env,
        "resend-invoice",
        "cobalt-tool",
        "INV-2026-0128",
        "--contact",
        "Ray Dunn",
    )
    assert result.code == 0, result.err
    [message] = smtp_server.mailbox.messages()
    assert message["To"] == "Ray Dunn <ray.dunn@cobalttool.example>"
    assert list(message.iter_attachments()) == []
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "issued 2026-10-19, due 2026-11-18" in text
    assert "amount 6,400.00 USD, open balance 6,400.00 USD" in text


def test_a_name_with_a_comma_stays_one_recipient(sample, smtp_server):
    assert (
        run(
            "-L",
            str(sample),
            "contact",
            "add",
            "cobalt-tool",
            "--name",
            "Doe, Jane",
            "--role",
            "payables",
            "--email",
            "jane.doe@cobalttool.example",
        ).code
        == 0
    )
    result = send(
        sample,
        smtp_server.env,
        "resend-invoice",
        "cobalt-tool",
        "INV-2026-0128",
        "--contact",
        "Doe, Jane",
    )
    assert result.code == 0, result.err
    [message] = smtp_server.mailbox.messages()
    assert [a.addr_spec for a in message["To"].addresses] == ["jane.doe@cobalttool.example"]
    assert message["To"].addresses[0].display_name == "Doe, Jane"


def test_dry_run_sends_and_records_nothing(sample, smtp_server):
    before = snapshot(sample)
    result = send(
        sample,
        smtp_server.env,
        "resend-invoice",
        "evergreen",
        "INV-2026-0110",
        "--to",
        "someone@else.example",
        "--dry-run",
    )
    assert result.code == 0, result.err
    assert "To: someone@else.example" in result.out
    assert "[attached: INV-2026-0110.pdf, " in result.out
    assert result.out.endswith("(dry run: nothing sent, nothing recorded)\n")
    assert smtp_server.mailbox.envelopes == []
    assert snapshot(sample) == before


def test_without_an_smtp_host_messages_go_to_the_outbox(sample):
    before = commit_count(sample)
    result = send(sample, {}, "resend-invoice", "evergreen", "INV-2026-0110")
    assert result.code == 0, result.err
    assert result.out.startswith("no SMTP host configured: saved outbox/")
    assert result.out.endswith("(not sent)\n")
    [saved] = list((sample / "outbox").iterdir())
    assert b"Subject: Copy of invoice INV-2026-0110" in saved.read_bytes()
    assert commit_count(sample) == before
    assert git(sample, "status", "--porcelain") == ""  # outbox/ is git-ignored


def test_promise_send_confirms_in_writing_in_the_same_commit(sample, smtp_server):
    before = commit_count(sample)
    result = send(
        sample,
        smtp_server.env,
        "promise",
        "harbor-marine",
        "--amount",
        "2000",
        "--by",
        "2026-12-01",
        "--method",
        "check",
        "--contact",
        "Luis Ortega",
        "--send",
        collector="maria",
    )
    assert result.code == 0, result.err
    [message] = smtp_server.mailbox.messages()
    assert message["To"] == "Luis Ortega <luis@harbormarine.example>"
    assert message["Cc"] == "Maria Lopez <maria.lopez@harborline.example>"
    assert message["Subject"] == (
        "Payment agreement: 2,000.00 USD to Harbor Line Supply Co. by 2026-12-01"
    )
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "  2,000.00 USD by 2026-12-01" in text and "Payment method: check" in text
    assert "<td>2,000.00 USD</td>" in message.get_body(preferencelist=("html",)).get_content()
    assert commit_count(sample) == before + 1
    assert git(sample, "log", "-1", "--format=%s").strip() == (
        "promise harbor-marine: 2,000.00 USD by 2026-12-01, confirmed to luis@harbormarine.example"
    )
    kinds = [
        f.rsplit("-", 2)[1] for f in git(sample, "show", "--name-only", "--format=", "HEAD").split()
    ]
    assert kinds == ["promise", "email"]  # the folder lists them in the order written


def test_the_policy_can_make_sending_the_default(sample, smtp_server):
    config = sample / "collectctl.yaml"
    config.write_text(
        config.read_text().replace("send_confirmations: false", "send_confirmations: true")
    )
    git(sample, "commit", "-qam", "Confirm every promise by email")
    sent = send(
        sample,
        smtp_server.env,
        "log-call",
        "juniper-labs",
        "--outcome",
        "promise",
        "--amount",
        "2750",
        "--by",
        "2026-11-30",
        "--notes",
        "calmer today",
        collector="maria",
    )
    quiet = send(
        sample,
        smtp_server.env,
        "promise",
        "delta-fab",
        "--amount",
        "100",
        "--by",
        "2026-11-30",
        "--no-send",
        collector="maria",
    )
    assert sent.code == 0 and quiet.code == 0, sent.err + quiet.err
    assert [m["To"] for m in smtp_server.mailbox.messages()] == [
        "Greg Mills <greg@juniperlabs.example>"
    ]


def test_the_daily_list_by_mail(sample, smtp_server):
    before = snapshot(sample)
    result = send(
        sample,
        smtp_server.env,
        "due",
        "--collector",
        "maria",
        "--mail-to",
        "maria.lopez@harborline.example",
    )
    assert result.code == 0, result.err
    [message] = smtp_server.mailbox.messages()
    assert message["Subject"] == (
        "Maria Lopez's call list for Monday 2026-11-23 · 5 accounts"
        " · 18,950.00 EUR + 19,600.00 USD overdue · ≈ 40,066.00 USD (EUR at 1.08 USD)"
    )
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "harbor-marine" in text and "<td>harbor-marine</td>" in html
    assert max(len(line) for line in text.splitlines()) <= 80  # a mail reader's width
    assert "past due" in html  # the HTML part keeps every column
    assert snapshot(sample) == before  # nothing in the ledger changed, nothing committed

    follow = send(
        sample,
        smtp_server.env,
        "followups",
        "--all",
        "--mail-to",
        "grace.okafor@harborline.example",
    )
    assert follow.code == 0, follow.err
    assert smtp_server.mailbox.messages()[1]["Subject"] == (
        "Follow-ups for Monday 2026-11-23 · 9 follow-ups"
    )


def failing(kind):
    """Servers that fail in each way a real one can."""
    if kind == "refuses":
        mailbox = Mailbox(refuse=True)
        controller = start_smtp(mailbox)
        return controller, controller.port
    if kind == "rejects login":
        from aiosmtpd.smtp import AuthResult

        controller = start_smtp(
            Mailbox(),
            authenticator=lambda *a: AuthResult(success=False, handled=False),
            auth_require_tls=False,
        )
        return controller, controller.port
    if kind == "never answers":
        silent = socket.socket()
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        return silent, silent.getsockname()[1]
    return None, free_port()  # closed port


FAILURES = {
    "refuses": "recipient ap@evergreen.example refused (550 5.1.1 mailbox unavailable)",
    "rejects login": "authentication failed (535 5.7.8 Authentication credentials invalid)",
    "never answers": "no answer within 1 s",
    "closed port": "connection refused",
}


@pytest.mark.parametrize("kind", FAILURES, ids=str)
def test_a_failed_send_is_one_line_and_records_nothing(sample, kind):
    server, port = failing(kind)
    before = snapshot(sample)
    env = {
        "COLLECTCTL_SMTP_HOST": "127.0.0.1",
        "COLLECTCTL_SMTP_PORT": str(port),
        "COLLECTCTL_SMTP_SECURITY": "none",
        "COLLECTCTL_SMTP_TIMEOUT": "1" if kind == "never answers" else "10",
    }
    if kind == "rejects login":
        env |= {"COLLECTCTL_SMTP_USER": "ar", "COLLECTCTL_SMTP_PASSWORD": "wrong"}
    try:
        result = send(sample, env, "resend-invoice", "evergreen", "INV-2026-0110")
    finally:
        if server is not None:
            (server.stop if hasattr(server, "stop") else server.close)()
    assert result.code == 1
    assert result.err == f"collectctl: SMTP 127.0.0.1:{port}: {FAILURES[kind]}\n"
    assert snapshot(sample) == before


INJECTIONS = {
    "newline in --to": (
        ["--to", "ap@x.example\r\nBcc: all@victim.example"],
        2,
        "collectctl: --to 'ap@x.example\\r\\nBcc: all@victim.example' contains a "
        "line break; refused (header injection)",
    ),
    "two addresses": (
        ["--to", "a@x.example, b@y.example"],
        2,
        "collectctl: --to 'a@x.example, b@y.example' is not one email address",
    ),
}


@pytest.mark.parametrize("case", INJECTIONS, ids=str)
def test_header_injection_is_refused_before_anything_is_sent(sample, smtp_server, case):
    args, code, message = INJECTIONS[case]
    before = snapshot(sample)
    result = send(sample, smtp_server.env, "resend-invoice", "evergreen", "INV-2026-0110", *args)
    assert (result.code, result.err) == (code, message + "\n")
    assert smtp_server.mailbox.envelopes == []
    assert snapshot(sample) == before


def test_a_template_subject_with_a_newline_is_refused(sample, smtp_server):
    (sample / "templates").mkdir()
    (sample / "templates/invoice-copy.subject.j2").write_text("Copy\nBcc: all@victim.example\n")
    result = send(sample, smtp_server.env, "resend-invoice", "evergreen", "INV-2026-0110")
    assert result.code == 2
    assert "contains a line break; refused (header injection)" in result.err
    assert smtp_server.mailbox.envelopes == []


def test_customer_html_arrives_as_text(sample, smtp_server):
    path = sample / "customers/harbor-marine/customer.yaml"
    path.write_text(
        path.read_text().replace(
            "name: Harbor Marine Services", "name: <img src=x onerror=alert(1)>", 1
        )
    )
    git(sample, "commit", "-qam", "A hostile name")
    result = send(
        sample,
        smtp_server.env,
        "promise",
        "harbor-marine",
        "--amount",
        "10",
        "--by",
        "2026-12-01",
        "--contact",
        "Luis Ortega",
        "--send",
        collector="maria",
    )
    assert result.code == 0, result.err
    html = smtp_server.mailbox.messages()[0].get_body(preferencelist=("html",)).get_content()
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "<img" not in html


def test_a_crash_after_sending_is_committed_not_sent_again(sample, smtp_server):
    crashed = send(
        sample,
        {**smtp_server.env, "COLLECTCTL_FAULT": "before-commit"},
        "resend-invoice",
        "evergreen",
        "INV-2026-0110",
    )
    assert crashed.code == -9
    assert len(smtp_server.mailbox.envelopes) == 1

    result = run("-L", str(sample), "brief", "evergreen")

    assert result.err.startswith(
        "collectctl: completed an interrupted 'resend-invoice "
        "evergreen: INV-2026-0110 emailed to ap@evergreen.example' "
        "(its email had gone out): committed customers/evergreen/activity/"
    )
    assert "invoice copy of INV-2026-0110 emailed 2026-11-23" in result.out
    assert git(sample, "log", "-1", "--format=%s").startswith("resend-invoice evergreen")
    assert git(sample, "status", "--porcelain") == ""
    assert len(smtp_server.mailbox.envelopes) == 1


def test_check_flags_an_email_field_holding_two_addresses(sample):
    path = sample / "customers/cobalt-tool/customer.yaml"
    path.write_text(
        path.read_text().replace(
            "email: ap@cobalttool.example", "email: ap@cobalttool.example, boss@cobalttool.example"
        )
    )
    result = run("-L", str(sample), "check")
    assert result.code == 1
    assert result.out == (
        "customers/cobalt-tool/customer.yaml:15: email: 'ap@cobalttool.example, "
        "boss@cobalttool.example' is not one email address\n"
    )


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_encrypted_transports_verify_the_server(sample, tmp_path, security):
    import ssl

    import trustme
    from aiosmtpd.controller import Controller

    authority = trustme.CA()
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(server_context)
    ca_file = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(ca_file))
    mailbox = Mailbox()
    if security == "starttls":
        controller = Controller(
            mailbox,
            hostname="127.0.0.1",
            port=free_port(),
            tls_context=server_context,
            require_starttls=True,
        )
    else:
        controller = Controller(
            mailbox, hostname="127.0.0.1", port=free_port(), ssl_context=server_context
        )
    controller.start()
    env = {
        "COLLECTCTL_SMTP_HOST": "127.0.0.1",
        "COLLECTCTL_SMTP_PORT": str(controller.port),
        "COLLECTCTL_SMTP_SECURITY": security,
        "COLLECTCTL_SMTP_TIMEOUT": "10",
    }
    try:
        untrusted = send(sample, env, "resend-invoice", "evergreen", "INV-2026-0110")
        trusted = send(
            sample,
            {**env, "SSL_CERT_FILE": str(ca_file)},
            "resend-invoice",
            "evergreen",
            "INV-2026-0110",
        )
    finally:
        controller.stop()
    assert untrusted.code == 1
    assert untrusted.err.startswith(f"collectctl: SMTP 127.0.0.1:{controller.port}: TLS failed")
    assert trusted.code == 0, trusted.err
    assert len(mailbox.envelopes) == 1


# --- the SMTP boundary (issue 13, item 3) ---------------------------------------------------


def test_killed_with_the_message_handed_over_it_is_recorded_and_never_sent_twice(
    sample, smtp_server
):
    """No message reaches a server without a record: killed right after the server
    accepted it, the next command commits the record as 'may have been delivered', and a
    plain retry asks before sending the same copy again."""
    crashed = send(
        sample,
        {**smtp_server.env, "COLLECTCTL_FAULT": "after-data"},
        "resend-invoice",
        "evergreen",
        "INV-2026-0110",
    )
    assert crashed.code == -9
    assert len(smtp_server.mailbox.envelopes) == 1
    brief = run("-L", str(sample), "brief", "evergreen")
    assert brief.err.startswith("collectctl: completed an interrupted 'resend-invoice evergreen")
    assert (
        "invoice copy of INV-2026-0110 emailed 2026-11-23 to ap@evergreen.example "
        "(interrupted: may have been delivered)" in brief.out
    )
    before = snapshot(sample)
    retry = send(sample, smtp_server.env, "resend-invoice", "evergreen", "INV-2026-0110")
    assert (retry.code, retry.err) == (
        1,
        "collectctl: the copy of INV-2026-0110 to ap@evergreen.example sent 2026-11-23 was "
        "interrupted and may have been delivered; ask the customer, or pass --resend\n",
    )
    assert snapshot(sample) == before and len(smtp_server.mailbox.envelopes) == 1
    again = send(
        sample, smtp_server.env, "resend-invoice", "evergreen", "INV-2026-0110", "--resend"
    )
    assert again.code == 0, again.err
    assert len(smtp_server.mailbox.envelopes) == 2
    assert (
        "(interrupted"
        not in run("-L", str(sample), "brief", "evergreen")
        .out.split("LAST CONTACTS")[1]
        .splitlines()[1]
    )
    assert run("-L", str(sample), "check").out == "ledger OK\n"


class QuitFails:
    """An SMTP server that accepts the message, then answers QUIT with 421."""

    def __init__(self, mailbox):
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import SMTP

        class Server(SMTP):
            async def smtp_QUIT(self, arg):
                await self.push("421 4.3.0 closing, try again later")
                self.transport.close()

        class Control(Controller):
            def factory(self):
                return Server(self.handler, **self.SMTP_kwargs)

        self.controller = Control(mailbox, hostname="127.0.0.1", port=free_port())


def test_an_error_after_the_server_accepted_the_message_does_not_undo_the_send(sample):
    mailbox = Mailbox()
    server = QuitFails(mailbox)
    server.controller.start()
    try:
        env = SmtpServer(server.controller.port, mailbox).env
        before = commit_count(sample)
        result = send(sample, env, "resend-invoice", "evergreen", "INV-2026-0110")
    finally:
        server.controller.stop()
    assert result.code == 0, result.err
    assert len(mailbox.envelopes) == 1
    assert commit_count(sample) == before + 1
    assert result.out.splitlines()[-1].endswith(
        "(SMTP 127.0.0.1:" + str(server.controller.port) + ": the message was accepted, then "
        "the server refused the message (421 4.3.0 closing, try again later))"
    )
    assert "(interrupted" not in run("-L", str(sample), "brief", "evergreen").out


def test_a_retry_after_an_interrupted_confirmation_asks_first(sample, smtp_server):
    promise = ["promise", "harbor-marine", "--amount", "2000", "--by", "2026-12-01",
               "--contact", "Luis Ortega", "--send"]  # fmt: skip
    crashed = send(sample, {**smtp_server.env, "COLLECTCTL_FAULT": "after-data"}, *promise)
    assert crashed.code == -9
    assert run("-L", str(sample), "check").out == "ledger OK\n"  # recovered: recorded
    before = snapshot(sample)
    retry = send(sample, smtp_server.env, *promise)
    assert (retry.code, retry.err) == (
        1,
        "collectctl: the last promise confirmation to luis@harbormarine.example (2026-11-23) "
        "was interrupted and may have been delivered; ask the customer, or pass --resend\n",
    )
    assert snapshot(sample) == before and len(smtp_server.mailbox.envelopes) == 1
    assert send(sample, smtp_server.env, *promise, "--resend").code == 0
    assert len(smtp_server.mailbox.envelopes) == 2


def test_every_line_of_a_sent_message_fits_and_attachments_use_76(sample, smtp_server):
    result = send(sample, smtp_server.env, "resend-invoice", "evergreen", "INV-2026-0110")
    assert result.code == 0, result.err
    raw = smtp_server.mailbox.envelopes[0].content
    lines = raw.split(b"\r\n") if b"\r\n" in raw else raw.split(b"\n")
    assert all(len(line) <= 998 for line in lines)
    start = raw.index(b"Content-Disposition: attachment")
    body = raw[start:].split(b"\r\n\r\n" if b"\r\n" in raw else b"\n\n", 1)[1]
    base64_lines = [line for line in body.splitlines() if line and not line.startswith(b"--")]
    assert base64_lines and all(len(line) <= 76 for line in base64_lines)


def test_a_mailed_listing_takes_a_named_address_and_says_it_is_automatic(sample, smtp_server):
    result = send(sample, smtp_server.env, "due", "--mail-to", "Maria Lopez <maria@example.test>")
    assert result.code == 0, result.err
    [message] = smtp_server.mailbox.messages()
    assert message["To"] == "Maria Lopez <maria@example.test>"
    assert message["Auto-Submitted"] == "auto-generated"
    two = send(sample, smtp_server.env, "due", "--mail-to", "a@x.test, b@x.test")
    assert two.code == 2 and "is not one email address" in two.err


def test_the_person_acting_signs_and_is_copied_not_the_accounts_owner(sample, smtp_server):
    """Maria covers Dev's account evergreen while he is away: the customer hears from her."""
    result = send(
        sample, smtp_server.env, "resend-invoice", "evergreen", "INV-2026-0110", collector="maria"
    )
    assert result.code == 0, result.err
    [message] = smtp_server.mailbox.messages()
    assert message["Cc"] == "Maria Lopez <maria.lopez@harborline.example>"
    assert message["Reply-To"] == "Maria Lopez <maria.lopez@harborline.example>"
    assert "Maria Lopez" in message.get_body(preferencelist=("plain",)).get_content()
