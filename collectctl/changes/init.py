"""init: a new ledger — a git repository, collectctl.yaml and a first commit — empty or
filled with the bundled sample company.

The one change that is not to an account: there is no ledger to read yet, so it goes
straight to the audit layer instead of `account_change`.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

from msgspec.structs import replace

from collectctl.audit.change import Audit
from collectctl.audit.hooks import install_pre_commit_hook, set_up_clone
from collectctl.audit.identity import resolve_identity
from collectctl.changes.account_change import Outcome
from collectctl.changes.scaffold import team_files
from collectctl.domain.models import LEDGER_FORMAT, Config
from collectctl.errors import CollectctlError
from collectctl.storage import store
from collectctl.storage.layout import CONFIG_FILE, OUTBOX_DIR, STATE_DIR, Layout
from collectctl.storage.resources import bundled
from collectctl.storage.schema import parse_config

SAMPLE_AS_OF = date(2026, 11, 23)  # the Monday the sample ledger's story is told from
_ISO_DATE = re.compile(r"(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)")


_CONFIG_TEMPLATE = """\
# collectctl ledger settings: plain YAML, reviewed like code.
format: {ledger_format}  # how the ledger's files are laid out; `collectctl migrate` upgrades
company: {company}
currency: {currency}
terms: 30  # default payment terms in days (net 30)

# The people who make the calls; `owner` in customer.yaml names one of them by id.
collectors: []
#  - id: maria
#    name: Maria Lopez
#    email: maria@example.com

# The numbers the call list and follow-ups use.
policy:
  first_call_after_due: 5  # first call N days after an invoice's due date
  check_in_mail_followup: 7  # chase a check reported mailed after N days
  promise_grace: 1  # days after a promised date before the promise counts as broken
  escalate_days_past_due: 60  # escalate to the credit manager at N days past due
  escalate_broken_promises: 2  # ... or after N broken promises
  retry_after_no_answer: 2  # voicemail or no answer: try again in N days
  call_again_after: 7  # reached someone but no agreement: call again in N days
  invoice_copy_followup: 3  # after "never received the invoice": confirm the copy arrived
  send_confirmations: false  # true: every promise emails its written confirmation
  holidays: []  # dates follow-ups never land on, besides weekends
  # Written reminders (collectctl remind): each level N days past due, its template,
  # and what it attaches (invoices: their PDFs; statement); `reminders: []` sends none.
  reminders:
    - {{level: 1, after: 3, template: reminder-friendly}}
    - {{level: 2, after: 15, template: reminder-firm, attach: invoices}}
    - {{level: 3, after: 30, template: reminder-final, attach: statement}}
  reminder_gap: 7  # days at least between two reminders to one customer
  reminder_minimum: 0  # no reminder for less than this overdue

# Outgoing mail; without an SMTP host, messages are written to outbox/.
# The password comes only from COLLECTCTL_SMTP_PASSWORD, never from this file.
email:
  # from: ar@example.com
  smtp:
    # host: smtp.example.com
    port: 587
    security: starttls
"""

_GITIGNORE_LINES = (f"{STATE_DIR}/", f"{OUTBOX_DIR}/")


def init_ledger(
    directory: Path,
    *,
    sample: bool,
    today: date,
    who: str | None,
    company: str | None = None,
    currency: str = "USD",
    executable: str = "collectctl",
    email_from: str | None = None,
) -> Outcome:
    """`executable`: the collectctl git is to run as the merge driver; `email_from`: the
    address mail comes from (email.from)."""
    directory = directory.resolve()
    if (directory / CONFIG_FILE).exists():
        raise CollectctlError(f"{directory} is already a ledger ({CONFIG_FILE} exists)")
    if sample:
        shift = timedelta(weeks=(today - SAMPLE_AS_OF).days // 7)
        files = _sample_files(directory, shift)
        subject = f"init: sample ledger with dates as of {SAMPLE_AS_OF + shift}"
        # the sample names its collectors: the author may be one of them
        config_text = files[directory / CONFIG_FILE]
        assert isinstance(config_text, str)
        config = parse_config(store.parse(config_text, CONFIG_FILE), CONFIG_FILE, [])
    else:
        name = company or directory.name.replace("-", " ").replace("_", " ").title()
        files = {
            directory / CONFIG_FILE: _CONFIG_TEMPLATE.format(
                company=store.yaml_scalar(name), currency=currency, ledger_format=LEDGER_FORMAT
            )
        }
        subject = f"init: new ledger for {name}"
        config = Config(company=name)
    if email_from is not None:
        files[directory / CONFIG_FILE] = _with_sender(
            str(files[directory / CONFIG_FILE]), email_from
        )
    files[directory / ".gitignore"] = _gitignore_text(directory / ".gitignore")

    created = not directory.exists()
    directory.mkdir(parents=True, exist_ok=True)
    audit = Audit(Layout(directory))
    try:
        # whoever sets the ledger up need not be one of its collectors (the sample's)
        identity = resolve_identity(directory, replace(config, collectors=()), who)
    except CollectctlError:
        if created:
            directory.rmdir()  # leave nothing behind for a failed init
        raise
    if not audit.is_repository():
        audit.init_repository()
    files |= team_files(directory, repository_top=audit.prefix == "")
    set_up_clone(directory, executable)
    with audit.change(identity) as change:
        for path, content in files.items():
            change.write(path, content)
        change.describe(subject, "init")
    return Outcome(change.subject or "", change.commit_id, change.notice)


def _with_sender(config_text: str, address: str) -> str:
    """collectctl.yaml with `email.from` set (the template's commented example, or the
    sample's own, replaced)."""
    line = re.compile(r"^  #? ?from: .*$", re.MULTILINE)
    return line.sub(lambda _: f"  from: {store.yaml_scalar(address)}", config_text, count=1)


def _gitignore_text(path: Path) -> str:
    existing = path.read_text() if path.exists() else ""
    missing = [line for line in _GITIGNORE_LINES if line not in existing.splitlines()]
    prefix = existing if not existing or existing.endswith("\n") else existing + "\n"
    return prefix + "".join(f"{line}\n" for line in missing)


def _sample_files(directory: Path, shift: timedelta) -> dict[Path, str | bytes]:
    """The bundled sample, with every ISO date (in names and text) moved by `shift`,
    a whole number of weeks so follow-ups stay on the same weekdays."""

    def moved(match: re.Match[str]) -> str:
        return (date.fromisoformat(match.group(0)) + shift).isoformat()

    source = bundled("sample-ledger")
    files: dict[Path, str | bytes] = {}
    for path in sorted(source.rglob("*")):
        if not path.is_file() or path.name == "README.md":
            continue
        if {STATE_DIR, OUTBOX_DIR} & set(path.relative_to(source).parts):
            continue  # a developer's cache or outbox beside the bundled sample
        target = directory / _ISO_DATE.sub(moved, path.relative_to(source).as_posix())
        if path.name == CONFIG_FILE:  # holidays are the calendar's, not the story's
            files[target] = path.read_text(encoding="utf-8")
        elif path.suffix in (".yaml", ".j2", ".txt"):
            files[target] = _ISO_DATE.sub(moved, path.read_text(encoding="utf-8"))
        else:  # documents such as invoice PDFs travel byte for byte
            files[target] = path.read_bytes()
    return files


def is_ledger(directory: Path) -> bool:
    return (directory / CONFIG_FILE).is_file()


def install_hook(directory: Path, executable: str) -> Path:
    """The git pre-commit hook running check, and the merge driver .gitattributes names."""
    root = directory.resolve()
    hook = install_pre_commit_hook(root, executable)
    set_up_clone(root, executable)
    return hook


def executable_of(argv0: str) -> str:
    """This very collectctl, for git to run from hooks and merges (else the one on PATH)."""
    program = Path(argv0)
    return str(program.resolve()) if program.name == "collectctl" else "collectctl"
