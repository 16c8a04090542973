"""Test harness: every test gets a throwaway HOME, a fixed git identity, and real ledgers
in temporary folders. End-to-end tests run the installed `collectctl` command."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import forkserver
import pytest

SAMPLE_DAY = "2026-11-23"
COLLECTCTL = shutil.which("collectctl", path=str(Path(sys.executable).parent)) or shutil.which(
    "collectctl"
)


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory, monkeypatch):
    """No test sees the developer's git config, ledger or clock."""
    home = tmp_path_factory.mktemp("home")
    gitconfig = home / ".gitconfig"
    gitconfig.write_text(  # one of the sample company's collectors, found by git's email
        "[user]\n\tname = Dev Patel\n\temail = dev.patel@harborline.example\n"
        "[init]\n\tdefaultBranch = main\n"
    )
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(gitconfig))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in list(os.environ):
        if name.startswith(("COLLECTCTL_", "GIT_AUTHOR_", "GIT_COMMITTER_", "EDITOR", "VISUAL")):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLLECTCTL_TODAY", SAMPLE_DAY)
    monkeypatch.setenv("NO_COLOR", "1")


@dataclass
class Result:
    code: int
    out: str
    err: str


def run(*args: str, cwd: Path | None = None, input: str | None = None, env=None) -> Result:
    """Run collectctl as a user would: a process of its own with these arguments, folder,
    environment and stdin. It is forked from a warm copy (tests/forkserver.py) unless the
    locale or Python's settings change, or COLLECTCTL_TEST_EXEC=1; then the installed
    script is executed."""
    assert COLLECTCTL, "collectctl is not installed in this environment (pip install -e .)"
    full_env = {**os.environ, **(env or {})}
    if _needs_new_interpreter(full_env):
        done = subprocess.run(
            [COLLECTCTL, *args],
            cwd=cwd,
            input=input,
            capture_output=True,
            text=True,
            env=full_env,
            timeout=120,
        )
        return Result(done.returncode, done.stdout, done.stderr)
    with (
        tempfile.TemporaryFile() as stdin,
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
    ):
        if input is not None:
            stdin.write(input.encode())
            stdin.seek(0)
        code = forkserver.run(
            _warm_server(),
            [COLLECTCTL, *args],
            str(cwd or Path.cwd()),
            full_env,
            stdin.fileno(),
            out.fileno(),
            err.fileno(),
            timeout=120,
        )
        out.seek(0)
        err.seek(0)
        return Result(code, out.read().decode(), err.read().decode())


_INTERPRETER_SETTINGS = ("LANG", "LC_", "PYTHON")
_started_env = {k: v for k, v in os.environ.items() if k.startswith(_INTERPRETER_SETTINGS)}
_server: dict[str, object] = {}
_EXEC_ALWAYS = os.environ.get("COLLECTCTL_TEST_EXEC") == "1"  # read before tests clear it


def _needs_new_interpreter(env: dict[str, str]) -> bool:
    settings = {k: v for k, v in env.items() if k.startswith(_INTERPRETER_SETTINGS)}
    return settings != _started_env or _EXEC_ALWAYS


def _warm_server() -> str:
    """This test process's fork server, started on first use; it ends with the process."""
    if not _server:
        folder = tempfile.mkdtemp(prefix="collectctl-warm-")
        path = os.path.join(folder, "socket")
        process = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("forkserver.py")), path],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            env={k: v for k, v in os.environ.items() if not k.startswith("COLLECTCTL_")},
        )
        while not os.path.exists(path):
            if process.poll() is not None:
                raise RuntimeError("the test fork server did not start")
            time.sleep(0.01)
        _server.update(path=path, process=process, folder=folder)
        atexit.register(_stop_server)
    return str(_server["path"])


def _stop_server() -> None:
    process = _server["process"]
    assert isinstance(process, subprocess.Popen)
    process.stdin.close()  # type: ignore[union-attr]
    process.wait(timeout=10)
    shutil.rmtree(str(_server["folder"]), ignore_errors=True)


def on_a_terminal(args: list[str]) -> tuple[int, bytes, bytes]:
    """Run `args` with stderr on a terminal (a pty, 100 columns) and stdout on a pipe:
    the exit code, stdout, and what the terminal showed."""
    import fcntl
    import pty
    import struct
    import termios
    import threading

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    shown = bytearray()

    def drain() -> None:
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                return
            if not chunk:
                return
            shown.extend(chunk)

    reader = threading.Thread(target=drain)
    reader.start()
    done = subprocess.run(args, stdout=subprocess.PIPE, stderr=follower, timeout=120)
    os.close(follower)
    reader.join(timeout=10)
    os.close(leader)
    return done.returncode, done.stdout, bytes(shown)


def git(path: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=path, capture_output=True, text=True, check=True
    ).stdout


def snapshot(path: Path) -> dict[str, bytes | str]:
    """Every file of a ledger and its git state (HEAD, index, status), to prove nothing
    changed. Folders are listed too, so a leftover empty folder counts as a change."""
    state: dict[str, bytes | str] = {}
    for item in sorted(path.rglob("*")):
        rel = item.relative_to(path).as_posix()
        if rel.split("/")[0] in (".git", ".collectctl"):
            continue
        state[rel] = item.read_bytes() if item.is_file() else "folder"
    if (path / ".git").exists():
        state["git HEAD"] = git(path, "rev-parse", "HEAD")
        state["git index"] = git(path, "ls-files", "--stage")
        state["git status"] = git(
            path, "--no-optional-locks", "status", "--porcelain", "--untracked-files=all"
        )
    return state


def commit_count(path: Path) -> int:
    return int(git(path, "rev-list", "--count", "HEAD").strip())


# Commits made in golden cases carry these dates, so their ids never change.
FIXED_GIT_DATES = {
    "GIT_AUTHOR_DATE": "2026-11-23T09:00:00+00:00",
    "GIT_COMMITTER_DATE": "2026-11-23T09:00:00+00:00",
}


@pytest.fixture(scope="session")
def sample_master(tmp_path_factory) -> Path:
    """The sample ledger as `init --sample` makes it on 2026-11-23, built once per run
    (with a fixed git identity and dates, so its commit id is always the same)."""
    home = tmp_path_factory.mktemp("sample-home")
    gitconfig = home / ".gitconfig"
    gitconfig.write_text(
        "[user]\n\tname = Test Runner\n\temail = runner@example.test\n"
        "[init]\n\tdefaultBranch = main\n"
    )
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("COLLECTCTL_", "GIT_"))
    }
    env |= {"HOME": str(home), "GIT_CONFIG_GLOBAL": str(gitconfig), "GIT_CONFIG_NOSYSTEM": "1"}
    env |= {"COLLECTCTL_TODAY": SAMPLE_DAY, **FIXED_GIT_DATES}
    ledger = tmp_path_factory.mktemp("sample-master") / "ledger"
    done = subprocess.run(
        [COLLECTCTL, "init", str(ledger), "--sample"], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    return ledger


def copy_ledger(source: Path, target: Path) -> Path:
    """A private copy of a ledger and its git repository (without collectctl's cache).

    Files get fresh timestamps and the index is touched last, as after a real commit:
    git then re-reads any file written in the same second as its index ("racily
    clean"), so an edit that keeps size and mtime is seen exactly as in a new ledger."""
    shutil.copytree(
        source,
        target,
        symlinks=True,
        copy_function=shutil.copy,
        ignore=shutil.ignore_patterns(".collectctl"),
    )
    index = target / ".git" / "index"
    if index.exists():
        os.utime(index)
    return target


@pytest.fixture
def sample(sample_master, tmp_path) -> Path:
    """A fresh copy of the sample ledger as of 2026-11-23, committed."""
    return copy_ledger(sample_master, tmp_path / "ledger")


@pytest.fixture
def empty(tmp_path) -> Path:
    """A new ledger with one customer and no invoices."""
    ledger = tmp_path / "ledger"
    assert run("init", str(ledger), "--company", "Test Co").code == 0
    assert run("-L", str(ledger), "customer", "add", "acme", "--name", "Acme Inc.").code == 0
    return ledger


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """An aiosmtpd handler that keeps what arrives, or refuses recipients."""

    def __init__(self, refuse: bool | set[str] = False):
        self.envelopes = []
        self.refuse = refuse  # True: every recipient; a set: these addresses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse is True or (isinstance(self.refuse, set) and address in self.refuse):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted"

    def messages(self):
        from email import message_from_bytes, policy

        return [message_from_bytes(e.content, policy=policy.default) for e in self.envelopes]


@dataclass
class SmtpServer:
    port: int
    mailbox: Mailbox

    @property
    def env(self) -> dict[str, str]:
        return {
            "COLLECTCTL_SMTP_HOST": "127.0.0.1",
            "COLLECTCTL_SMTP_PORT": str(self.port),
            "COLLECTCTL_SMTP_SECURITY": "none",
            "COLLECTCTL_SMTP_TIMEOUT": "5",
        }


def start_smtp(mailbox: Mailbox, **options):
    from aiosmtpd.controller import Controller

    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port(), **options)
    controller.start()
    return controller


@pytest.fixture
def smtp_server():
    """A real SMTP server on 127.0.0.1 that keeps every message it is sent."""
    mailbox = Mailbox()
    controller = start_smtp(mailbox)
    yield SmtpServer(controller.port, mailbox)
    controller.stop()


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite tests/golden/*.test with what the commands print now.",
    )
