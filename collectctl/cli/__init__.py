"""The command line: one error boundary around the Typer app.

User-facing errors become one line on stderr and an exit code (2 for usage errors);
tracebacks appear only with --debug.
"""

from __future__ import annotations

import errno
import gc
import os
import sys

# A run is short and makes almost no reference cycles (parsing all 22,000 files of a
# 1,000-customer ledger peaks at the same memory with the collector off), but reading the
# cache makes hundreds of thousands of objects that the default thresholds (a pass every
# 700 allocations) keep re-scanning: 0.1-0.15 s of a 10,000-customer call list. A pass
# every million allocations leaves a typical run without one; cycles are still collected.
GC_THRESHOLDS = (1_000_000, 20, 20)


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args in (["--version"], ["-V"]):  # answer at once, before importing anything heavy
        from collectctl import __version__

        print(f"collectctl {__version__}")
        return
    if argv is None and sys.getfilesystemencoding() != "utf-8":
        _again_in_utf8_mode()
    gc.set_threshold(*GC_THRESHOLDS)
    for stream in (sys.stdout, sys.stderr):  # a terminal that is not UTF-8 (LC_ALL=C):
        if hasattr(stream, "reconfigure"):  # '·' becomes '?', never a traceback
            stream.reconfigure(errors="replace")
    code = run(args)
    try:
        sys.stdout.flush()  # what is still buffered (a CSV into `| head`) goes out now
    except BrokenPipeError:
        _reader_gone()
        code = 0
    sys.exit(code)


def _again_in_utf8_mode() -> None:
    """Under a locale that is not UTF-8 (LC_ALL=C in cron or a container) Python reads
    arguments as ASCII and cannot hand 'Zürich' to git in a commit message, a path or
    an author's name. Start again in Python's UTF-8 mode, with the same argument bytes
    (what terminals send, and what git and the ledger's files hold)."""

    command = "from collectctl.cli import main; main()"
    os.execv(sys.executable, [sys.executable, "-X", "utf8", "-c", command, *sys.argv[1:]])


def _reader_gone() -> None:
    """The reader went away (`| head`): not an error. Point stdout at /dev/null so the
    flush at exit does not fail again (as Python's documentation advises)."""

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def run(args: list[str]) -> int:
    import typer

    from collectctl.cli import completion
    from collectctl.cli.app import app
    from collectctl.errors import CollectctlError, DiskFullError

    if completion.COMPLETE_VAR in os.environ:  # a shell asking for completions
        completion.enable()
    debug = "--debug" in args
    command = typer.main.get_command(app)
    try:
        result = command.main(args=args, prog_name="collectctl", standalone_mode=False)
        return result if isinstance(result, int) else 0
    except typer.TyperException as exc:  # Typer's usage errors: bad options and arguments
        context = getattr(exc, "ctx", None)
        where = context.command_path if context else "collectctl"
        if type(exc).__name__ == "NoArgsIsHelpError" and context:
            print(context.get_help(), file=sys.stderr)
        else:
            message = " ".join(exc.format_message().replace("Value error, ", "").split())
            print(f"{where}: {message} (see '{where} --help')", file=sys.stderr)
        return exc.exit_code
    except (typer.Abort, KeyboardInterrupt):
        print("collectctl: interrupted", file=sys.stderr)
        return 130
    except CollectctlError as exc:
        if debug:
            raise
        for line in str(exc).splitlines():  # an import names every bad row, one per line
            print(f"collectctl: {line}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        _reader_gone()
        return 0
    except SystemExit as exc:  # Click ends a broken pipe with exit 1; the reader just left
        if isinstance(exc.__context__, BrokenPipeError):
            _reader_gone()
            return 0
        raise
    except OSError as exc:
        if debug:
            raise
        if exc.errno == errno.ENOSPC:
            print(f"collectctl: {DiskFullError()}", file=sys.stderr)
            return 1
        target = f"{exc.filename}: " if exc.filename else ""
        print(f"collectctl: {target}{exc.strerror or exc}", file=sys.stderr)
        return 1
