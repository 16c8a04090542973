"""The files init gives a ledger's repository so a team can share it: git attributes, a
pre-commit configuration and a CI workflow that checks and reviews every pull request."""

from __future__ import annotations

from pathlib import Path

from collectctl import __version__

GITATTRIBUTES = """\
# collectctl: ledger files are text with LF line endings on every machine, so a
# checkout on Windows and one on Linux never disagree about a file nobody changed.
*.yaml text eol=lf
*.j2 text eol=lf
*.pdf binary
# Two collectors adding a contact or an invoice to one customer merge cleanly: contacts
# are merged by name, invoices by number (set up per clone by init --hooks or sync).
customers/*/customer.yaml merge=collectctl
customers/*/invoices.yaml merge=collectctl
"""

PRE_COMMIT_CONFIG = """\
# pre-commit (https://pre-commit.com): after `pre-commit install`, every commit is
# refused when `collectctl check` finds a problem. Without pre-commit: collectctl init
# --hooks installs a plain git hook that does the same.
repos:
  - repo: local
    hooks:
      - id: collectctl-check
        name: collectctl check
        entry: collectctl check
        language: system
        pass_filenames: false
        always_run: true
"""

WORKFLOW = """\
# Every push and pull request: the ledger must pass `collectctl check`, and a pull
# request's summary shows `collectctl review` of what it changes.
name: ledger
on:
  push:
  pull_request:
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0  # review compares the branch with where it left the base
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      # Install collectctl the way your team does (an index, a wheel, a git URL).
      - run: pip install "collectctl==VERSION"
      - run: collectctl check
      - if: github.event_name == 'pull_request'
        run: >-
          collectctl review "origin/${{ github.base_ref }}...HEAD" --format markdown
          >> "$GITHUB_STEP_SUMMARY"
""".replace("VERSION", __version__)


def team_files(ledger: Path, repository_top: bool) -> dict[Path, str]:
    """The files to add: .gitattributes beside the ledger; the pre-commit configuration
    and the workflow only where the ledger is its repository's top folder (that is where
    pre-commit and CI look). A file already there is left alone."""
    files = {ledger / ".gitattributes": GITATTRIBUTES}
    if repository_top:
        files[ledger / ".pre-commit-config.yaml"] = PRE_COMMIT_CONFIG
        files[ledger / ".github" / "workflows" / "ledger.yml"] = WORKFLOW
    return {path: text for path, text in files.items() if not path.exists()}
