"""A parser process per web import: the server process never reads or parses an uploaded file.

One 150 MB FIT parsed inside the server took gigabytes and stalled every page. Now each import job
starts one process (from multiprocessing's fork server: none of the server's memory, no database
connection) that collects the uploads, parses them (with the parser pool when there are many, as the
command line does) and sends back over a pipe first a BatchInfo, then each (source, parsed file) in
order. The server's job thread only stores what arrives.

Nothing outlives its use: the parser leads a process group of its own (its parser pool included),
and the whole group is killed as soon as nobody can read what it sends, that is when the server
dies or the job stops listening (its parent is the fork server, which outlives a killed server
while a child of it runs, so the parent pid would tell nothing). No Django here.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import select
import signal
import threading
from collections.abc import Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from types import TracebackType
from typing import Any

from backstride.importers.pipeline import ParsedFile, one_line

from .import_sources import BatchInfo, ImportSource, collect_sources, parse_collected

STOP_S = 10.0  # a parser told to stop (its reader gone) is killed if still there after this


class ParserStopped(RuntimeError):
    """The parser process ended before sending everything. One line, for the job's message."""


def _die_with_reader(send: Connection) -> None:
    """Make this process the leader of a new process group, and kill that group (this process, its
    pool, anything it started) the moment the read end of ``send`` is closed: a pipe's write end
    reports an error once no reader is left."""
    os.setpgrp()
    watched = os.dup(send.fileno())  # ours alone: stays valid whatever happens to ``send``

    def watch() -> None:
        poller = select.poll()
        poller.register(watched, 0)  # errors and hang-ups are always reported
        while True:
            for _fd, event in poller.poll():
                if event & (select.POLLERR | select.POLLHUP):
                    os.killpg(0, signal.SIGKILL)

    threading.Thread(target=watch, name="backstride-reader-watch", daemon=True).start()


def _parse_and_send(paths: list[Path], labels: dict[Path, str], send: Connection) -> None:
    """The parser process's whole life."""
    _die_with_reader(send)
    try:
        collected = collect_sources(paths, labels)
        send.send(("info", collected.info()))
        for source, parsed in parse_collected(collected):
            send.send(("parsed", (source.portable(), parsed)))
        send.send(("end", None))
    except (BrokenPipeError, ConnectionResetError):
        pass  # the job stopped listening (its thread failed or the server is stopping)
    except Exception as error:  # a bug in collecting or parsing: the job says so in one line
        with contextlib.suppress(OSError):
            send.send(("error", f"{error.__class__.__name__}: {one_line(error)}"))
    finally:
        send.close()


class ParserProcess:
    """``with ParserProcess(paths, labels) as parser:`` then ``parser.info`` and
    ``for source, parsed in parser.results(): ...``. Leaving the block ends the process."""

    def __init__(self, paths: list[Path], labels: dict[Path, str]) -> None:
        self._args = (list(paths), dict(labels))
        self._process: Any = None
        self.info: BatchInfo | None = None

    def __enter__(self) -> ParserProcess:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_parse_and_send, args=(*self._args, send), name="backstride-import-parser"
        )
        try:
            self._process.start()
            send.close()  # ours: the pipe reads as closed as soon as the parser's end is closed
            kind, payload = self._receive_one()
            if kind != "info":
                raise ParserStopped(f"the parser process sent {kind!r} before the list of files")
        except BaseException:
            self._stop()
            raise
        self.info = payload
        return self

    @property
    def pid(self) -> int:
        return int(self._process.pid)

    def results(self) -> Iterator[tuple[ImportSource, ParsedFile]]:
        while True:
            kind, payload = self._receive_one()
            if kind == "end":
                return
            yield payload

    def _receive_one(self) -> tuple[str, Any]:
        try:
            kind, payload = self._receive.recv()
        except (EOFError, OSError) as error:
            self._process.join(timeout=5)
            code = self._process.exitcode
            how = f"killed by signal {-code}" if code is not None and code < 0 else f"exit status {code}"
            stopped = f"the parser process stopped before the end ({how}; out of memory?)"
            raise ParserStopped(stopped) from error
        if kind == "error":
            raise ParserStopped(f"the parser process failed: {payload}")
        return kind, payload

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop()

    def _stop(self) -> None:
        """Closing our end is the parser's signal to stop (it kills its own group at once); one that
        has not gone after STOP_S is killed from here, with its group."""
        self._receive.close()
        if self._process.pid is None:
            return  # never started
        self._process.join(timeout=STOP_S)
        if self._process.is_alive():
            try:
                os.killpg(self._process.pid, signal.SIGKILL)
            except ProcessLookupError:  # killed before it made its group
                os.kill(self._process.pid, signal.SIGKILL)
            self._process.join(timeout=STOP_S)
