"""Read, decompress, parse and summarise files, in worker processes when there are many.

No Django here: workers start from a clean forkserver and never inherit a database connection.

Workers die with the process that started them. Their parent is the forkserver, not that process, so
each worker watches it itself (`watch_owner`): a pidfd on Linux (woken the moment it exits, killed or
not), else a poll every half second. Once the workers are gone, the forkserver (it exits when no
client is left) and the resource tracker (it exits when nobody holds its pipe) follow; before, a
`kill -9` of an import left all of them blocked on a pipe forever.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from multiprocessing import forkserver

from backstride.core.activity import ActivityFileError, NotAnActivity, ParsedActivity, Samples
from backstride.core.activity_summary import ActivitySummary, summarize
from backstride.core.plausibility import check_activity
from backstride.lifelines import die_with

from .files import check_size, read_file
from .formats import UnknownFormat, decompressed, parse_activity_bytes

PARALLEL_FROM_FILES = 8  # below this, starting worker processes costs more than it saves
# Imported once by the forkserver, so that every worker it forks has them: each import (each pool)
# starts new workers, which otherwise imported the parsers (and fitdecode's profile, for device names)
# on their first file, about 0.05 s of CPU per worker per import.
WORKER_PRELOAD = [
    "backstride.importers.pipeline",
    "backstride.importers.fit",
    "backstride.importers.gpx",
    "backstride.importers.tcx",
    "fitdecode.profile",
]
BATCH = 64  # files in flight at once: bounds memory when an export holds thousands
BATCH_BYTES = 256 * 1024 * 1024  # and archive bytes in flight: a few big members cannot fill the memory


@dataclass
class ParsedPart:
    activity: ParsedActivity  # its samples are dropped once summarised (the summary keeps a chart stream)
    summary: ActivitySummary


@dataclass
class ParsedFile:
    path: str
    sha256: str = ""
    parts: list[ParsedPart] = field(default_factory=list)
    error: str | None = None
    # Not an activity at all (a photo, a CSV, a settings or monitoring FIT file): passed over
    # silently when it was found inside a folder or an archive, reported when named explicitly.
    not_an_activity: bool = False


def one_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else error.__class__.__name__


def plausible(activities: list[ParsedActivity]) -> list[ParsedActivity]:
    """The activities after the plausibility rules (core.plausibility): implausible parts dropped and
    the activity marked partial; an activity with nothing plausible left is left out, and when that
    leaves none, the file fails with the reason."""
    kept: list[ParsedActivity] = []
    refused: list[str] = []
    for activity in activities:
        try:
            kept.append(check_activity(activity))
        except ActivityFileError as error:
            refused.append(one_line(error))
    if not kept and refused:
        raise ActivityFileError(refused[0])
    return kept


def parse_source(path: str, disk_path: str | None, data: bytes | None) -> ParsedFile:
    """One file, start to finish. Never raises: a problem becomes a one-line `error`."""
    try:
        if data is None:
            assert disk_path is not None
            data = read_file(disk_path)  # regular files only, at most MAX_FILE_BYTES
        else:
            check_size(data)
        raw = decompressed(data)
        del data  # the compressed bytes are not needed any more
        activities = plausible(parse_activity_bytes(raw))
        parts = [
            ParsedPart(activity=replace(activity, samples=Samples()), summary=summarize(activity))
            for activity in activities
        ]
    except (UnknownFormat, NotAnActivity) as error:
        return ParsedFile(path=path, error=one_line(error), not_an_activity=True)
    except ActivityFileError as error:
        return ParsedFile(path=path, error=one_line(error))
    except OSError as error:
        reason = error.strerror or error.__class__.__name__
        return ParsedFile(
            path=path, error=f"could not read it ({reason}); check the file is there and readable"
        )
    except Exception as error:  # a parser bug must not stop the batch
        return ParsedFile(path=path, error=f"could not read this file ({error.__class__.__name__}: {error})")
    return ParsedFile(path=path, sha256=hashlib.sha256(raw).hexdigest(), parts=parts)


def _parse_job(job: tuple[str, str | None, bytes | None]) -> ParsedFile:
    return parse_source(*job)


Job = tuple[str, str | None, Callable[[], bytes] | None]  # (display path, disk path, reader)


def _materialise(job: Job) -> tuple[str, str | None, bytes | None] | ParsedFile:
    """The job with an archive member's bytes read, or the reason it could not be read: one damaged
    member (bad CRC, a size that lies) is that member's failure, not the whole batch's."""
    path, disk_path, read = job
    if disk_path or read is None:
        return path, disk_path, None
    try:
        return path, None, read()
    except Exception as error:
        return ParsedFile(path=path, error=f"could not read it from the archive: {one_line(error)}")


def _run(job: tuple[str, str | None, bytes | None] | ParsedFile) -> ParsedFile:
    return job if isinstance(job, ParsedFile) else _parse_job(job)


def parse_many(jobs: list[Job], workers: int | None = None) -> Iterator[ParsedFile]:
    """Results in the order of `jobs`."""
    workers = workers if workers is not None else (os.cpu_count() or 1)
    if workers <= 1 or len(jobs) < PARALLEL_FROM_FILES:
        for job in jobs:
            yield _run(_materialise(job))
        return
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(WORKER_PRELOAD)
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=die_with, initargs=(os.getpid(),)
    ) as pool:
        pending = deque(jobs)
        # Starting the pool starts its server, a fresh interpreter (about 0.1 s of one core): until a
        # worker answers, this process parses the first files itself on the other core.
        forkserver.ensure_running()  # from this thread: the server is this thread's child, as before
        ready = threading.Event()
        threading.Thread(
            target=_warm_up, args=(pool, ready), name="backstride-pool-start", daemon=True
        ).start()
        while len(pending) > workers and not ready.is_set():
            yield _run(_materialise(pending.popleft()))
        # A sliding window, not batches: a new file goes to the pool as soon as the oldest result is
        # taken, so no worker waits for the slowest file of a batch. At most BATCH files and
        # BATCH_BYTES of archive members are in flight.
        window: deque[tuple[Future[ParsedFile] | ParsedFile, int]] = deque()
        in_flight = 0
        for job in pending:
            item = _materialise(job)
            if isinstance(item, ParsedFile):
                window.append((item, 0))
            else:
                size = len(item[2]) if item[2] is not None else 0
                window.append((pool.submit(_parse_job, item), size))
                in_flight += size
            while window and (len(window) >= BATCH or in_flight >= BATCH_BYTES):
                result, size = window.popleft()
                in_flight -= size
                yield result if isinstance(result, ParsedFile) else result.result()
        while window:
            result, _ = window.popleft()
            yield result if isinstance(result, ParsedFile) else result.result()


def _warm_up(pool: ProcessPoolExecutor, ready: threading.Event) -> None:
    """Start the pool's server and a worker, and say when one has answered."""
    try:
        pool.submit(int).result()
    except Exception:  # a pool that cannot start fails the first real job the same way
        pass
    finally:
        ready.set()
