"""A warm `collectctl` for the suite: one process per test worker imports collectctl and
everything it uses once, then forks a fresh copy of itself for each command a test runs.

Each command still runs in a process of its own, through the same entry point as the
installed script (`collectctl.cli:main`), with its own argv, environment, working folder,
stdin/stdout/stderr and exit status, and its own git subprocesses; only the interpreter's
start and the imports (about 0.1 s of a 0.15 s command) are shared. Nothing one command
does reaches the next: each copy starts from the same freshly imported state.

conftest.run() uses it unless a test changes the locale or Python's own settings (those
need a new interpreter) or COLLECTCTL_TEST_EXEC=1 asks for the installed script every
time. The README's blocks, the terminal tests and the kill tests exec the installed script.

Run as a script: `python forkserver.py SOCKET` serves until its stdin closes.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import signal
import socket
import sys

REQUEST_LIMIT = 1 << 20


def serve(path: str) -> None:
    _import_everything()
    server = socket.socket(socket.AF_UNIX)
    server.bind(path + ".new")
    server.listen(64)
    os.rename(path + ".new", path)  # the path appears only once it accepts
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # handlers are reaped by the kernel
    watch = selectors.DefaultSelector()
    watch.register(server, selectors.EVENT_READ)
    watch.register(sys.stdin.fileno(), selectors.EVENT_READ)  # EOF: the test worker ended
    while True:
        for key, _ in watch.select():
            if key.fileobj != server:
                os._exit(0)
            connection, _ = server.accept()
            if os.fork() == 0:
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                server.close()
                _handle(connection)
            connection.close()


def _import_everything() -> None:
    import pkgutil

    import collectctl

    for module in pkgutil.walk_packages(collectctl.__path__, "collectctl."):
        if not module.name.endswith("__main__"):
            __import__(module.name)
    import git  # noqa: F401  (imported lazily by the write path)


def _handle(connection: socket.socket) -> None:
    """One request: run the command in a child of this handler, report how it ended."""
    data, fds, _, _ = socket.recv_fds(connection, REQUEST_LIMIT, 3)
    while not data.endswith(b"\n"):
        more = connection.recv(REQUEST_LIMIT)
        if not more:
            break
        data += more
    request = json.loads(data)
    pid = os.fork()
    if pid == 0:
        _run_command(request, fds)
    for fd in fds:
        os.close(fd)
    _, status = os.waitpid(pid, 0)
    connection.sendall(str(os.waitstatus_to_exitcode(status)).encode())
    connection.close()
    os._exit(0)


def _run_command(request: dict, fds: list[int]) -> None:
    """Become the command: its folder, environment and streams, then collectctl's main,
    ending as the interpreter would (exit functions, flushed streams, the exit code)."""
    import atexit
    import time
    import traceback

    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    time.tzset()
    sys.argv = request["argv"]
    code = 0
    try:
        from collectctl.cli import main

        main()
    except SystemExit as exit:
        if exit.code is None or isinstance(exit.code, int):
            code = exit.code or 0
        else:
            print(exit.code, file=sys.stderr)
            code = 1
    except BaseException:
        traceback.print_exc()
        code = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError):
            stream.flush()
    os._exit(code)


def run(
    socket_path: str,
    argv: list[str],
    cwd: str,
    env: dict[str, str],
    input_fd: int,
    output_fd: int,
    error_fd: int,
    timeout: float,
) -> int:
    """Ask the server at socket_path to run argv; the exit status (negative: a signal)."""
    request = json.dumps({"argv": argv, "cwd": cwd, "env": env}).encode() + b"\n"
    with socket.socket(socket.AF_UNIX) as connection:
        connection.settimeout(timeout)
        connection.connect(socket_path)
        socket.send_fds(connection, [request], [input_fd, output_fd, error_fd])
        answer = b""
        while chunk := connection.recv(64):
            answer += chunk
    return int(answer)


if __name__ == "__main__":
    serve(sys.argv[1])
