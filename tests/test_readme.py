"""Every shell example in README.md, run as written by bash against a fresh copy of the
sample company (today pinned to 2026-11-23, a real SMTP server on 127.0.0.1). A block is
run in a fresh HOME whose ~/ar holds the sample ledger, unless the comment above it says
otherwise:

    <!-- readme-test: skip: why -->      not run here, and why
    <!-- readme-test: empty-home -->     ~/ar does not exist yet (the block creates it)
    <!-- readme-test: cron -->           crontab lines: the schedule's five fields dropped
    <!-- readme-test: imports -->        the exports it names are in ~/ar, and the mapping
                                         the README shows is in collectctl.yaml
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import COLLECTCTL, SAMPLE_DAY, copy_ledger, git

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text()
EXPORTS = ROOT / "tests/data/exports"
_BLOCK = re.compile(r"(?:<!-- readme-test: (?P<how>[^>]*?) -->\n)?```sh\n(?P<code>.*?)```", re.S)


def blocks():
    found = []
    for match in _BLOCK.finditer(README):
        line = README[: match.start("code")].count("\n") + 1
        found.append(pytest.param(match["how"] or "", match["code"], id=f"README.md:{line}"))
    return found


def with_imports(ledger):
    for name, export in (("Open Invoices.csv", "qbo-open-invoices.csv"),
                         ("lockbox.csv", "lockbox.csv"),
                         ("Customer Contact List.csv", "qbo-contacts.csv")):  # fmt: skip
        shutil.copy(EXPORTS / export, ledger / name)
    mappings = README.split("```yaml\nmappings:\n")[1].split("```")[0]
    config = ledger / "collectctl.yaml"
    config.write_text(config.read_text() + "mappings:\n" + mappings)
    git(ledger, "commit", "-qam", "the lockbox mapping, as the README shows it")


@pytest.mark.parametrize(("how", "code"), blocks())
def test_readme_example(how, code, sample_master, smtp_server, tmp_path):
    if how.startswith("skip:"):
        pytest.skip(how.removeprefix("skip:").strip())
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(Path(os.environ["GIT_CONFIG_GLOBAL"]), home / ".gitconfig")
    ledger = home / "ar"
    if how != "empty-home":
        copy_ledger(sample_master, ledger)
    if how == "imports":
        with_imports(ledger)
    if how == "cron":
        code = "\n".join(line.split(None, 5)[5] for line in code.splitlines() if line.strip())
    env = {
        **os.environ,
        **smtp_server.env,
        "HOME": str(home),
        "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"),
        "PATH": f"{Path(COLLECTCTL).parent}{os.pathsep}{os.environ['PATH']}",
        "COLLECTCTL_TODAY": SAMPLE_DAY,
    }
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", code],
        cwd=ledger if ledger.exists() else home,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"{code}\n--- stderr:\n{done.stderr}"
    assert "Traceback" not in done.stderr


def test_every_shell_block_is_run_or_says_why_not():
    assert len(blocks()) == README.count("```sh\n")
