"""Call notes from the command line, standard input, or the user's $EDITOR."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile

from collectctl.errors import UsageError

_PROMPT = "# Notes on this call. Lines starting with # are dropped; save empty for none.\n"


def stdin_text() -> str:
    """Standard input as UTF-8 text, whatever the locale says (LC_ALL=C decodes as ASCII)."""
    try:
        return sys.stdin.buffer.read().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"standard input is not UTF-8 text (byte {exc.start + 1})") from None


def read_notes(option: str | None) -> str | None:
    if option == "-":
        return stdin_text().strip() or None
    if option is not None:
        return option.strip() or None
    if sys.stdin.isatty() and sys.stdout.isatty():
        return _from_editor()
    return None


def _from_editor() -> str | None:
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    with tempfile.NamedTemporaryFile("w+", suffix=".txt", prefix="collectctl-notes-") as handle:
        handle.write(_PROMPT)
        handle.flush()
        try:
            done = subprocess.run([*shlex.split(editor), handle.name])
        except OSError as exc:
            raise UsageError(f"cannot run $EDITOR {editor!r}: {exc.strerror}") from None
        if done.returncode != 0:
            raise UsageError(
                f"$EDITOR {editor!r} exited with status {done.returncode}; nothing recorded"
            )
        with open(handle.name, encoding="utf-8") as edited:  # editors may replace the file
            text = "".join(line for line in edited if not line.startswith("#"))
    return text.strip() or None
