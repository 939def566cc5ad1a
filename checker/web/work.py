"""Checks off the request thread: a bounded pool, each check in a process of its own.

A thread of the pool starts a process for one check and waits for it at most
the time limit, then kills it: a hostile or huge upload costs its sender one
slot for that long, never the server. The process gets the files as bytes,
writes them to a temporary folder of its own and calls `checker.api.check`
there with the uploads' names, so the report names the files as the command
line would for the same files in the current folder. Other submissions' files,
read as context, go in a folder of their own (store.CONTEXT).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import multiprocessing
import os
import resource
import tempfile
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from checker.read.inputs import Limits

WAIVER_FILE = "waivers/granted.json"  # uploads' names hold no '/', so no upload can take this name


@dataclass(frozen=True)
class Context:
    """One other submission's files in a check's context: its folder, and its spreadsheets' fields."""

    folder: str
    files: list[tuple[str, bytes]]
    plan: tuple[tuple[str, str], ...] = ()
    items: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Job:
    files: list[tuple[str, bytes]]
    as_of: dt.date
    lang: str = "zh"
    plan: tuple[tuple[str, str], ...] = ()
    items: tuple[tuple[str, str], ...] = ()
    waivers: list[dict[str, str]] | None = None
    context: list[Context] = field(default_factory=list)  # other submissions' files, read as context only
    limits: Limits = field(default_factory=Limits)
    memory_bytes: int | None = None  # the checking process's address space at most


@dataclass(frozen=True)
class Outcome:
    ok: bool
    error: str = ""
    report_json: str = ""
    report_html: str = ""
    exit_code: int = 0
    summary: dict[str, int] = field(default_factory=dict)
    rulebook: str = ""
    obligations: list[dict[str, Any]] = field(default_factory=list)


def _check(job: Job) -> Outcome:
    """The check itself, in the child process."""
    from checker.api import Options, check
    from checker.reporters import REPORTERS
    from checker.tables import TableOptions

    with tempfile.TemporaryDirectory(prefix="dsr-web-") as folder:
        os.chdir(folder)
        for name, data in job.files:
            Path(name).write_bytes(data)
        context = [_write_context(c, job) for c in job.context]
        waivers = None
        if job.waivers is not None:
            Path(WAIVER_FILE).parent.mkdir()
            Path(WAIVER_FILE).write_text(json.dumps({"waivers": job.waivers}, ensure_ascii=False), "utf-8")
            waivers = WAIVER_FILE
        options = Options(as_of=job.as_of, lang=job.lang, limits=job.limits, waivers=waivers,
                          tables=TableOptions(plan=job.plan, items=job.items),
                          context=tuple(name for names in context for name in names))
        report = check([name for name, _ in job.files], options)
        return Outcome(
            ok=True, report_json=REPORTERS["json"](report), report_html=REPORTERS["html"](report),
            exit_code=report.exit_code, summary=report.summary(),
            rulebook=f"{report.rulebook['id']} {report.rulebook['version']}",
            obligations=[dataclasses.asdict(o) for o in report.obligations])


def _write_context(c: Context, job: Job) -> list[str]:
    """Write one context submission's files; the paths to read. Spreadsheets are read with their own
    submission's fields (--plan, --items), which may not be this check's: that submission's files are
    then read here first (checker.api.read) and given to the check as the JSON that reading writes."""
    from checker.api import Options, read
    from checker.tables import TableOptions

    folder = Path(c.folder)
    folder.mkdir(parents=True)
    names = [str(folder / name) for name, _ in c.files]
    for name, (_, data) in zip(names, c.files, strict=True):
        Path(name).write_bytes(data)
    if (c.plan, c.items) == (job.plan, job.items):
        return names
    value = read(names, Options(limits=job.limits, tables=TableOptions(plan=c.plan, items=c.items)))
    for name in names:
        Path(name).unlink()
    written = folder / "read.json"
    written.write_text(json.dumps(value, ensure_ascii=False), "utf-8")
    return [str(written)]


def _child(conn: Any, job: Job) -> None:
    try:
        if job.memory_bytes:
            resource.setrlimit(resource.RLIMIT_AS, (job.memory_bytes, job.memory_bytes))
        outcome = _check(job)
    except MemoryError:
        outcome = Outcome(ok=False, error=f"the check needed more than {(job.memory_bytes or 0) // 2**20} MiB")
    except Exception as exc:  # the report of a failed check, not a traceback on the server's console
        outcome = Outcome(ok=False, error=f"{type(exc).__name__}: {exc}")
    conn.send(outcome)
    conn.close()


def _context() -> Any:
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["checker.api", "checker.reporters", "checker.web.work"])
    return ctx


def run_job(job: Job, seconds: float) -> Outcome:
    """Run one check in a new process; kill it after `seconds`."""
    ctx = _context()
    receive, send = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(send, job), daemon=True)
    process.start()
    send.close()
    try:
        if receive.poll(seconds):
            try:
                return receive.recv()
            except EOFError:
                pass
        else:
            return Outcome(ok=False, error=f"timeout: the check took longer than {seconds:g} s")
        process.join(5)
        return Outcome(ok=False, error=f"the checking process ended without a report (exit {process.exitcode})")
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        receive.close()


class AccountBusy(Exception):
    """An account already has its share of the pool: `per_account` checks queued or running."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit

    def message(self, lang: str = "zh") -> str:
        if lang == "en":
            return (f"this account already has {self.limit} checks queued or running, as many as one account "
                    "may; submit again when one of them is done")
        return f"本账户已有 {self.limit} 项检查在排队或进行中，已达每个账户的上限；请待其中一项完成后再提交。"


class Pool:
    """At most `workers` checks at once and `queue` more waiting; past that, `submit` refuses. One
    account holds at most `per_account` of them, so that one flooding it cannot starve the others."""

    def __init__(self, workers: int = 2, queue: int = 32, per_account: int = 4) -> None:
        self._threads = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="dsr-check")
        self._slots = threading.BoundedSemaphore(workers + queue)
        self.per_account = per_account
        self._held: Counter[str] = Counter()
        self._lock = threading.Lock()

    def full_for(self, account: str) -> bool:
        """Whether `account` has its share queued or running (a request is refused before it is stored)."""
        with self._lock:
            return self._held[account] >= self.per_account

    def submit(self, task: Callable[[], Any], account: str) -> Future | None:
        """The check's future; None when the pool is full; AccountBusy when `account` has its share."""
        with self._lock:
            if self._held[account] >= self.per_account:
                raise AccountBusy(self.per_account)
            if not self._slots.acquire(blocking=False):
                return None
            self._held[account] += 1
        try:
            future = self._threads.submit(task)
        except RuntimeError:  # shutting down
            self._release(account)
            return None
        future.add_done_callback(lambda _: self._release(account))
        return future

    def _release(self, account: str) -> None:
        with self._lock:
            self._held[account] -= 1
            if not self._held[account]:
                del self._held[account]
        self._slots.release()

    def shutdown(self) -> None:
        self._threads.shutdown(wait=False, cancel_futures=True)
