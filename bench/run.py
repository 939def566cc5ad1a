"""The benchmark: a generated year at each size, checked end to end, measured per step.

    python bench/run.py                      # 10k, 100k and 1M results; writes bench/RESULTS.md
    python bench/run.py --sizes 10k 100k     # fewer sizes

Each size is generated once (bench/out/<size>/, seeded, reused) and checked
by a fresh process, as `dsr-check check PATH --format json -o FILE` would
check it, with the steps recorded: read and parse, validate, derive facts,
ground, solve, explain and render. Step times are summed over the shards (so
over the workers); the total is the wall time of the whole process, start-up
included. Peak memory is the process's peak RSS, from the kernel; with
workers, the proportional set size (PSS) of the process and its workers
together, sampled every 200 ms: pages the forked workers share with their
parent are counted once (see measure() for why one process is not sampled). In the same run, on the same files,
the standard library's json.loads parses the input alone, as a yardstick.
The bundled sample (fixtures/sample) is timed the same way.

The targets (issue 4) are checked at the end and written with the table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
SEED = 58
RESULTS = HERE / "RESULTS.md"
PAGE = ROOT / "docs" / "performance.md"  # shows RESULTS.md's figures between its markers
STEPS = [("read", "read and parse"), ("validate", "validate"), ("facts", "derive facts"),
         ("ground", "ground"), ("solve", "solve"), ("explain", "explain and render")]


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                out.extend(int(c) for c in f.read().split())
    except OSError:
        pass
    return out


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeMemory:
    """The peak PSS of a process and all its descendants, sampled."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak_kib, self._stop = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.is_set():
            pids, todo = [], [self.pid]
            while todo:
                p = todo.pop()
                pids.append(p)
                todo.extend(_children(p))
            self.peak_kib = max(self.peak_kib, sum(_pss_kib(p) for p in pids))
            time.sleep(0.2)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak_kib


def measure(args: list[str], tree: bool = False) -> tuple[float, int, str]:
    """Wall time, peak memory (KiB) and stdout of a command.

    One process: its peak RSS (ru_maxrss, at least its PSS), read from the kernel when it
    ends. A process with workers (`tree`): the sampled PSS of the tree, every 200 ms.
    Sampling costs the process measured: reading /proc/PID/smaps_rollup walks its page
    tables, and at 20 ms it slowed a 1M run by 3 s (it contends with the page faults of
    grounding), so one process is not sampled.
    """
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", _WRAP, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    memory = TreeMemory(proc.pid) if tree else None
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    sampled = memory.stop() if memory else 0
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)} exited {proc.returncode}: {err.decode()[-2000:]}")
    rss = int(err.decode().rsplit("MAXRSS ", 1)[1].split()[0])
    return wall, max(sampled, rss), out.decode()


# Runs the command as its own child and reports that child's peak RSS (KiB): a process forked
# straight from this one would count this one's memory, at the fork, as its own.
_WRAP = """import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
sys.stderr.write(f"\\nMAXRSS {usage.ru_maxrss}\\n")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def json_loads_seconds(folder: Path) -> float:
    """Plain json.loads of every input file (each line of a .jsonl), nothing else."""
    total = 0.0
    for f in sorted(folder.rglob("*")):
        if f.suffix not in {".json", ".jsonl"}:
            continue
        data = f.read_bytes()
        start = time.perf_counter()
        if f.suffix == ".jsonl":
            for line in data.splitlines():
                json.loads(line)
        else:
            json.loads(data)
        total += time.perf_counter() - start
    return total


def child(path: str, workers: int, output: str, as_of: str, shard_results: int | None = None) -> None:
    """One checked run, as the CLI does it, with its steps recorded (run in a fresh process)."""
    from checker.api import Options, check
    from checker.read.inputs import Limits
    from checker.reporters import REPORTERS

    sys.path.insert(0, str(HERE))
    from measure import Measured

    phases = Measured()
    # A million results are 142 MB in one .jsonl file: past the 64 MiB default, as `--max-file-mb 1024` would.
    limits = Limits(max_file_bytes=2**30)
    sharding = {"shard_results": shard_results} if shard_results else {}
    report = check([path], Options(as_of=dt.date.fromisoformat(as_of), workers=workers, phases=phases,
                                   limits=limits, obligations=False, **sharding))
    with phases("explain"):
        Path(output).write_text(REPORTERS["json"](report), encoding="utf-8")
    print(json.dumps({"seconds": phases.seconds, "peak_kib": phases.peak_kib,
                      "summary": report.to_dict()["summary"]}), flush=True)
    os._exit(0)  # as the command ends (checker.cli.main): without the interpreter's teardown


def dataset(name: str) -> tuple[Path, dict[str, Any]]:
    out = HERE / "out" / name
    manifest = out / "manifest.json"
    if not manifest.is_file():
        sys.path.insert(0, str(HERE))
        from generate import generate

        print(f"generating {name} …", file=sys.stderr)
        generate(SIZES[name], SEED, out)
    return out / "input", json.loads(manifest.read_text(encoding="utf-8"))


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    import clingo

    return (f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, Linux {platform.release()}, "
            f"Python {platform.python_version()}, clingo {clingo.__version__}")


def main() -> None:
    parser = argparse.ArgumentParser(description="dsr-check benchmark")
    parser.add_argument("--sizes", nargs="+", default=list(SIZES), choices=list(SIZES))
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--as-of", default="2021-12-31")
    parser.add_argument("--results", type=Path, default=RESULTS,
                        help="where to write the table (the default is copied into docs/performance.md)")
    parser.add_argument("--no-compare", action="store_true",
                        help="skip the second run of each size (other worker count, 4 shards) and its comparison")
    parser.add_argument("--child", nargs=2, metavar=("PATH", "OUTPUT"), help=argparse.SUPPRESS)
    parser.add_argument("--shard-results", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.workers, args.child[1], args.as_of, args.shard_results)
        return
    rows: list[dict[str, Any]] = []
    for name in args.sizes:
        folder, manifest = dataset(name)
        baseline = json_loads_seconds(folder)
        print(f"{name}: checking {manifest['results']} results in {manifest['batches']} batches …",
              file=sys.stderr)
        report = HERE / "out" / name / "report.json"
        wall, peak, out = measure([sys.executable, str(HERE / "run.py"), "--workers", str(args.workers),
                                   "--as-of", args.as_of, "--child", str(folder), str(report)],
                                  tree=args.workers > 1)
        run = json.loads(out.strip().splitlines()[-1])
        rows.append({"name": name, "results": manifest["results"], "batches": manifest["batches"],
                     "documents": manifest["documents"], "wall": wall, "peak_kib": peak,
                     "json_loads": baseline, "run": run,
                     "bytes": sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()),
                     "same": None if args.no_compare else same_report(folder, report, manifest["results"], args)})
    sample_wall, sample_peak, _ = measure([sys.executable, "-m", "checker", "check", "fixtures/sample",
                                           "--as-of", args.as_of, "--format", "json", "-o", os.devnull])
    text = render(rows, sample_wall, sample_peak, args.workers)
    args.results.write_text(text, encoding="utf-8")
    if args.results == RESULTS:
        PAGE.write_text(with_figures(PAGE.read_text(encoding="utf-8"), text), encoding="utf-8")
    print(text)


START, END = "<!-- bench:start -->\n", "<!-- bench:end -->\n"


def with_figures(page: str, results: str) -> str:
    """The page with the benchmark's figures (RESULTS.md less its title) between its markers."""
    head, _, rest = page.partition(START)
    _, _, tail = rest.partition(END)
    body = results.split("\n", 2)[2].replace("\n## ", "\n### ")
    return head + START + body.rstrip("\n") + "\n" + END + tail


def same_report(folder: Path, report: Path, results: int, args: argparse.Namespace) -> bool:
    """Check the same files again with the other worker count (1 or 2) and the results cut into
    4 shards: the report must be the same, byte for byte."""
    other = 1 if args.workers > 1 else 2
    again = report.with_name(f"report-{other}-workers.json")
    print(f"  again with {other} worker(s), 4 shards …", file=sys.stderr)
    subprocess.run([sys.executable, str(HERE / "run.py"), "--workers", str(other), "--as-of", args.as_of,
                    "--shard-results", str(-(-results // 4)), "--child", str(folder), str(again)],
                   check=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.DEVNULL)
    return again.read_bytes() == report.read_bytes()


def _mib(kib: float) -> str:
    return f"{kib / 1024:,.0f}"


def render(rows: list[dict[str, Any]], sample_wall: float, sample_peak: int, workers: int) -> str:
    out = [
        "# Benchmark results",
        "",
        f"Measured {dt.date.today().isoformat()} by `python bench/run.py` (seed {SEED}, "
        f"--workers {workers}, as of 2021-12-31) on: {machine()}.",
        "",
        "Step times are summed over shards (and so over workers); *total* is the wall time of the",
        "whole `check` process, start-up included. Memory: a step's column is the largest peak RSS",
        "of one process by the end of that step; *peak* is the process's peak RSS (with workers:",
        "the PSS of the process and its workers together, sampled every 200 ms). *json.loads*",
        "parses the same files and does nothing else. *Same report* checks the files again with",
        f"{'1 worker' if workers > 1 else '2 workers'} and the results cut into 4 shards, and compares the two "
        "reports byte for byte.",
        "",
    ]
    head = ["size", "results", "input MB"] + [label for _, label in STEPS] + \
        ["total s", "json.loads s", "total ÷ json.loads", "peak MiB", "same report"]
    out.append("| " + " | ".join(head) + " |")
    out.append("|" + "---|" * len(head))
    for r in rows:
        sec, kib = r["run"]["seconds"], r["run"]["peak_kib"]
        cells = [r["name"], f"{r['results']:,}", f"{r['bytes'] / 1e6:.0f}"]
        cells += [f"{sec.get(step, 0):.2f} s / {_mib(kib.get(step, 0))} MiB" for step, _ in STEPS]
        cells += [f"**{r['wall']:.2f}**", f"{r['json_loads']:.2f}", f"{r['wall'] / r['json_loads']:.1f}×",
                  f"**{_mib(r['peak_kib'])}**", {None: "not compared", True: "yes", False: "**no**"}[r["same"]]]
        out.append("| " + " | ".join(cells) + " |")
    out.append("")
    out.append(f"Sample (fixtures/sample, {sample_wall:.2f} s wall including start-up, "
               f"peak {_mib(sample_peak)} MiB).")
    out.append("")
    out.append("## Targets")
    out.append("")
    by = {r["name"]: r for r in rows}
    checks: list[tuple[str, bool | None, str]] = []
    if "1m" in by:
        m = by["1m"]
        checks.append(("1M results end to end ≤ 20 s", m["wall"] <= 20, f"{m['wall']:.1f} s"))
        checks.append(("1M peak memory < 2 GiB", m["peak_kib"] < 2 * 2**20, f"{_mib(m['peak_kib'])} MiB"))
        checks.append(("1M total ≤ 25 × json.loads", m["wall"] <= 25 * m["json_loads"],
                       f"{m['wall'] / m['json_loads']:.1f}×"))
        if "100k" in by:
            k = by["100k"]
            t = (m["wall"] / m["results"]) / (k["wall"] / k["results"])
            mem = (m["peak_kib"] / m["results"]) / (k["peak_kib"] / k["results"])
            checks.append(("linear time: per result at 1M ≤ 1.5 × at 100k", t <= 1.5, f"{t:.2f}×"))
            checks.append(("linear memory: per result at 1M ≤ 1.5 × at 100k", mem <= 1.5, f"{mem:.2f}×"))
    compared = [r for r in rows if r["same"] is not None]
    if compared:
        checks.append(("the same report with 1 and 2 workers, at every size", all(r["same"] for r in compared),
                       ", ".join(f"{r['name']}: {'identical' if r['same'] else 'different'}" for r in compared)))
    checks.append(("sample < 1 s including start-up", sample_wall < 1, f"{sample_wall:.2f} s"))
    out.append("| target | measured | met |")
    out.append("|---|---|---|")
    for label, ok, value in checks:
        out.append(f"| {label} | {value} | {'yes' if ok else '**no**'} |")
    out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    main()
