"""Named points on the write path where the fault tests kill collectctl, to prove the
next command always finds the ledger as it was, or with the change whole.

COLLECTCTL_FAULT=<point> makes the process kill itself (SIGKILL: no clean-up runs) when it
reaches that point. Unset, each point costs one dictionary lookup.
"""

from __future__ import annotations

import os
import signal

POINTS = (
    "after-journal",  # the journal is on disk, no file written yet
    "mid-write",  # a file's new text is in its temporary file, not yet in place
    "after-write",  # a file is written, not yet added
    "after-add",  # git add done, not yet committed
    "before-commit",  # every file written and added, the journal complete
    "after-commit-object",  # the commit object written, the branch not yet moved to it
    "after-commit",  # committed, the journal not yet removed
    "before-data",  # the email is recorded, not yet handed to the server
    "after-data",  # the server has accepted the email (QUIT not yet sent)
    "after-quit",  # the SMTP conversation is over, the record not yet confirmed
)


def point(name: str) -> None:
    if os.environ.get("COLLECTCTL_FAULT") == name:
        os.kill(os.getpid(), signal.SIGKILL)
