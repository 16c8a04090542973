"""A pager for output longer than the screen, run the way git runs it: through the
shell (PAGER may carry options), with LESS=FRX unless the user set LESS."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys


def show(text: str, pager: str) -> None:
    """`text` through `pager` when it is longer than the screen, else as it is; a pager
    that cannot start leaves the text printed."""
    if text.count("\n") < shutil.get_terminal_size().lines - 1:
        sys.stdout.write(text)
        return
    env = {"LESS": "FRX", "LV": "-c", **os.environ}
    sys.stdout.flush()
    try:
        shown = subprocess.run(
            pager,
            shell=True,  # as git runs it: PAGER may carry options ("less -S")
            input=text.encode(sys.stdout.encoding or "utf-8", errors="replace"),
            env=env,
            check=False,
        )
    except OSError:
        shown = None
    if shown is None or shown.returncode == 127:  # no such pager: print it instead
        sys.stdout.write(text)
