"""Golden CLI tests in the manner of hledger's shelltests: each file in tests/golden/
is a session a reviewer reads like documentation, run on a fresh copy of the sample.

A case is a command, then what it must print and how it must exit:

    # comment lines come before a case
    $ collectctl due --limit 2
    >>>
    expected standard output
    >>>2
    expected standard error
    >>>= 0

A missing `>>>` or `>>>2` block means that stream must be empty. Cases in one file run
in order on the same ledger, so a later case sees what an earlier one changed. A
command not starting with `collectctl` runs in bash (to set a ledger up by hand). The
ledger's path prints as $LEDGER, and the commit id a write prints as [commit] (event
files carry the wall-clock time in their names). Commits carry fixed dates.

After a deliberate change of output, rewrite the expectations and review the diff:

    python -m pytest tests/test_golden.py --update-golden
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import COLLECTCTL, FIXED_GIT_DATES, copy_ledger

GOLDEN = Path(__file__).parent / "golden"
_MARKER = re.compile(r"^(>>>2|>>>=\s*(\d+)|>>>)$")


@dataclass
class Case:
    comment: list[str]
    command: str
    stdout: str = ""
    stderr: str = ""
    code: int = 0


def parse(text: str) -> list[Case]:
    cases: list[Case] = []
    comment: list[str] = []
    block: str | None = None
    lines = text.splitlines(keepends=True)
    for number, line in enumerate(lines, 1):
        stripped = line.rstrip("\n")
        marker = _MARKER.match(stripped)
        if block is None:
            if stripped.startswith("$ "):
                cases.append(Case(comment, stripped[2:]))
                comment, block = [], "command"
            elif stripped.startswith("#") or not stripped:
                comment.append(stripped)
            else:
                raise ValueError(f"line {number}: expected '# comment' or '$ command'")
            continue
        if marker and marker.group(2) is not None:
            cases[-1].code = int(marker.group(2))
            block = None
        elif marker:
            block = "stdout" if stripped == ">>>" else "stderr"
        elif block in ("stdout", "stderr"):
            setattr(cases[-1], block, getattr(cases[-1], block) + line)
        else:
            raise ValueError(f"line {number}: expected >>>, >>>2 or >>>= after the command")
    if block is not None:
        raise ValueError("the last case has no '>>>= CODE' line")
    return cases


def render(cases: list[Case]) -> str:
    parts = []
    for case in cases:
        text = "".join(f"{line}\n" for line in case.comment)
        text += f"$ {case.command}\n"
        if case.stdout:
            text += ">>>\n" + case.stdout
        if case.stderr:
            text += ">>>2\n" + case.stderr
        parts.append(text + f">>>= {case.code}\n")
    return "".join(parts)


EXPORTS = Path(__file__).parent / "data" / "exports"  # $EXPORTS: the books' files


def execute(command: str, ledger: Path) -> Case:
    env = {**os.environ, **FIXED_GIT_DATES, "COLUMNS": "200", "EXPORTS": str(EXPORTS)}
    if command.startswith("collectctl "):
        args = [COLLECTCTL, *shlex.split(command)[1:]]
    else:
        args = ["bash", "-c", command]
    done = subprocess.run(args, cwd=ledger, capture_output=True, text=True, env=env, timeout=120)

    def shown(text: str) -> str:
        # a write's commit id depends on the wall-clock time in its event file's name
        text = re.sub(r" \[[0-9a-f]{7}\]$", " [commit]", text, flags=re.MULTILINE)
        return text.replace(str(ledger), "$LEDGER")

    return Case([], command, shown(done.stdout), shown(done.stderr), done.returncode)


@pytest.mark.parametrize("path", sorted(GOLDEN.glob("*.test")), ids=lambda p: p.stem)
def test_golden(path: Path, sample_master, tmp_path, request):
    ledger = copy_ledger(sample_master, tmp_path / "ledger")
    expected = parse(path.read_text(encoding="utf-8"))
    actual = []
    for case in expected:
        got = execute(case.command, ledger)
        got.comment = case.comment
        actual.append(got)
    if request.config.getoption("--update-golden"):
        path.write_text(render(actual), encoding="utf-8")
        return
    for want, got in zip(expected, actual, strict=True):
        assert (got.stdout, got.stderr, got.code) == (want.stdout, want.stderr, want.code), (
            f"{path.name}: $ {want.command}"
        )


def test_the_golden_format_round_trips():
    for path in GOLDEN.glob("*.test"):
        text = path.read_text(encoding="utf-8")
        assert render(parse(text)) == text, path.name
