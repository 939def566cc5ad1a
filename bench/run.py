"""The benchmark: a generated year at each size, in two shapes, checked end to end beside a yardstick.

    python bench/run.py                      # 10k, 100k and 1M results; writes bench/RESULTS.md
    python bench/run.py --sizes 10k 100k     # fewer sizes
    python bench/run.py --sizes 3m --repeat 1 --results /tmp/3m.md   # 3M: not a default size

Each size is generated once (bench/out/<size>/, seeded, reused) in two shapes:
the batches as JSON Lines (`input/batches.jsonl`, as bench/generate.py writes
them) and the same batches as one JSON array (`input-array/batches.json`);
the context file is the same in both. Each shape is checked by a fresh
process, as `dsr-check check PATH --format json -o FILE` would check it, with
the steps recorded: read and parse, validate, derive facts, ground, solve,
explain and render. Step times are summed over the shards (so over the
workers); the total is the wall time of the whole process, start-up included.
Peak memory is the process's peak RSS, from the kernel; with workers, the
proportional set size (PSS) of the process and its workers together, sampled
every 200 ms: pages the forked workers share with their parent are counted
once (see measure() for why one process is not sampled).

The yardstick: a plain hand-written Python checker of the batch rules
(`../shared/bench/handwritten.py` beside the repository, or `--yardstick`),
run as an external command on the same files. The machine is shared, so one
timing means little: dsr-check and the yardstick run in pairs (`--repeat`
pairs, the order alternating), and the table gives the medians and the
median of the pairs' ratios. Its violations, by (rule, subject), must equal
dsr-check's for its rules at every size and shape. Without the yardstick the
comparison is skipped with a note. In the same run, on the same files, the
standard library's json.loads parses the input alone. The bundled sample
(fixtures/sample) is timed the same way (median of five).

The targets (issues 4 and 14) are checked at the end and written with the table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000, "3m": 3_000_000}
DEFAULT_SIZES = ["10k", "100k", "1m"]
SHAPES = {"jsonl": "`.jsonl`", "array": "JSON array"}
_HAND = Path("shared", "bench", "handwritten.py")
# ../shared/bench/ beside the repository, or beside a folder it is in (a worktree's)
YARDSTICK = next((p / _HAND for p in ROOT.parents if (p / _HAND).is_file()), ROOT.parent / _HAND)
# The rules the yardstick implements (its docstring lists them): its violations of these are dsr-check's.
YARDSTICK_RULES = frozenset({
    "sampling-ratio-cap", "stated-ratio-cap", "exception-without-cap", "batch-sampling-cap",
    "start-within-5-workdays", "batch-completed-by-nov-20", "results-entered-within-20-workdays",
    "results-published-on-both-channels", "withheld-without-complete-approval", "all-selected-results-entered",
})
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


def child(path: str, workers: int, output: str, as_of: str, shard_results: int | None = None,
          cluster: str | None = None) -> None:
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
                                   limits=limits, obligations=False, cluster=cluster, **sharding))
    with phases("explain"):
        Path(output).write_text(REPORTERS["json"](report), encoding="utf-8")
    print(json.dumps({"seconds": phases.seconds, "peak_kib": phases.peak_kib,
                      "summary": report.summary()}), flush=True)
    os._exit(0)  # as the command ends (checker.cli.main): without the interpreter's teardown


def dataset(name: str) -> tuple[dict[str, Path], dict[str, Any]]:
    """The year of this size in each shape (generated once), and its manifest."""
    out = HERE / "out" / name
    manifest = out / "manifest.json"
    if not manifest.is_file():
        sys.path.insert(0, str(HERE))
        from generate import generate

        print(f"generating {name} …", file=sys.stderr)
        generate(SIZES[name], SEED, out)
    array = out / "input-array"
    if not (array / "batches.json").is_file():
        as_array(out / "input", array)
    return {"jsonl": out / "input", "array": array}, json.loads(manifest.read_text(encoding="utf-8"))


def as_array(folder: Path, target: Path) -> None:
    """The same year with its batches as one JSON array, an element a line; the context file as it is."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(folder / "context.json", target / "context.json")
    part = target / "batches.json.part"
    with open(folder / "batches.jsonl", "rb") as src, open(part, "wb") as dst:
        sep = b"[\n"
        for line in src:
            if line.strip():
                dst.write(sep + line.rstrip(b"\n"))
                sep = b",\n"
        dst.write(b"\n]\n")
    part.rename(target / "batches.json")


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
    parser.add_argument("--sizes", nargs="+", default=DEFAULT_SIZES, choices=list(SIZES))
    parser.add_argument("--shapes", nargs="+", default=list(SHAPES), choices=list(SHAPES))
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3,
                        help="pairs of runs (dsr-check and the yardstick, the order alternating) per size and shape")
    parser.add_argument("--as-of", default="2021-12-31")
    parser.add_argument("--yardstick", type=Path, default=YARDSTICK,
                        help="the hand-written checker run beside dsr-check (default: ../shared/bench/handwritten.py)")
    parser.add_argument("--results", type=Path, default=RESULTS,
                        help="where to write the table (the default is copied into docs/performance.md)")
    parser.add_argument("--no-compare", action="store_true",
                        help="skip the second run of each size (other worker count, 4 shards) and its comparison")
    parser.add_argument("--cluster", help="check on a Dask cluster (local:N, dask://HOST:PORT); its start-up counts")
    parser.add_argument("--child", nargs=2, metavar=("PATH", "OUTPUT"), help=argparse.SUPPRESS)
    parser.add_argument("--shard-results", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.workers, args.child[1], args.as_of, args.shard_results, args.cluster)
        return
    yardstick = args.yardstick if args.yardstick.is_file() else None
    if yardstick is None:
        print(f"note: no yardstick at {args.yardstick}: dsr-check is timed alone", file=sys.stderr)
    rows: list[dict[str, Any]] = []
    for name in args.sizes:
        folders, manifest = dataset(name)
        reports: dict[str, Path] = {}
        for shape in args.shapes:
            folder = folders[shape]
            print(f"{name} ({shape}): checking {manifest['results']} results in {manifest['batches']} batches …",
                  file=sys.stderr)
            report = HERE / "out" / name / f"report-{shape}.json"
            theirs = HERE / "out" / name / f"handwritten-{shape}.json"
            ours = [sys.executable, str(HERE / "run.py"), "--workers", str(args.workers), "--as-of", args.as_of,
                    *(["--cluster", args.cluster] if args.cluster else []), "--child", str(folder), str(report)]
            hand = [sys.executable, str(yardstick), str(folder), "--as-of", args.as_of, "-o", str(theirs)] \
                if yardstick else None
            runs = paired(ours, hand, args.repeat, tree=args.workers > 1 or bool(args.cluster))
            reports[shape] = report
            row = summarise(runs)
            row.update({"name": name, "shape": shape, "results": manifest["results"],
                        "batches": manifest["batches"], "documents": manifest["documents"],
                        "json_loads": json_loads_seconds(folder),
                        "bytes": sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()),
                        "agree": agree(report, theirs) if yardstick else None})
            if args.no_compare:
                row["same"] = None
            elif shape == "jsonl":
                row["same"], row["other_peak_kib"] = same_report(folder, report, manifest["results"], args)
            else:
                first = next(iter(reports))
                row["same"] = same_shape(reports[first], report) if first != shape else None
            rows.append(row)
    sample, bare = [], []
    for _ in range(5):  # paired with the interpreter's bare start-up, the floor of any command here
        sample.append(measure([sys.executable, "-m", "checker", "check", "fixtures/sample", "--as-of", args.as_of,
                               "--format", "json", "-o", os.devnull]))
        bare.append(measure([sys.executable, "-c", "pass"])[0])
    sample_wall = statistics.median(w for w, _, _ in sample)
    sample_peak = max(p for _, p, _ in sample)
    text = render(rows, sample_wall, sample_peak, args, yardstick, statistics.median(bare))
    args.results.write_text(text, encoding="utf-8")
    if args.results == RESULTS:
        PAGE.write_text(with_figures(PAGE.read_text(encoding="utf-8"), text), encoding="utf-8")
    print(text)


def paired(ours: list[str], theirs: list[str] | None, repeat: int, tree: bool
           ) -> list[tuple[tuple[float, int, str], tuple[float, int, str] | None]]:
    """`repeat` pairs of (dsr-check, yardstick) runs; the first of a pair alternates, so a drift
    of the shared machine's load weighs on both alike."""
    pairs: list[tuple[tuple[float, int, str], tuple[float, int, str] | None]] = []
    for i in range(max(1, repeat)):
        if theirs is None:
            pairs.append((measure(ours, tree=tree), None))
        elif i % 2 == 0:
            a = measure(ours, tree=tree)
            pairs.append((a, measure(theirs)))
        else:
            b = measure(theirs)
            pairs.append((measure(ours, tree=tree), b))
    return pairs


def summarise(pairs: list[tuple[tuple[float, int, str], tuple[float, int, str] | None]]) -> dict[str, Any]:
    """Medians of the pairs, the median of their ratios, and the steps of dsr-check's median run."""
    walls = [a[0] for a, _ in pairs]
    median = sorted(pairs, key=lambda p: p[0][0])[(len(pairs) - 1) // 2]
    out: dict[str, Any] = {
        "pairs": len(pairs), "wall": statistics.median(walls), "walls": walls,
        "peak_kib": max(a[1] for a, _ in pairs), "run": json.loads(median[0][2].strip().splitlines()[-1]),
        "hand": None, "hand_peak_kib": None, "ratio": None,
    }
    if all(b is not None for _, b in pairs):
        out["hand"] = statistics.median(b[0] for _, b in pairs if b)
        out["hand_walls"] = [b[0] for _, b in pairs if b]
        out["hand_peak_kib"] = max(b[1] for _, b in pairs if b)
        out["ratio"] = statistics.median(a[0] / b[0] for a, b in pairs if b)
    return out


def agree(report: Path, theirs: Path) -> dict[str, Any]:
    """dsr-check's violations of the yardstick's rules against the yardstick's, by (rule, subject).

    The yardstick reports a result's finding on its object, one per result. dsr-check reports
    results that share a fact as one finding on their batch, listing their objects (R22): such a
    finding stands for its objects here."""
    ours: set[tuple[str, str]] = set()
    for f in json.loads(report.read_text(encoding="utf-8"))["violations"]:
        if f["rule"] in YARDSTICK_RULES:
            objects = (f.get("evidence") or {}).get("objects")
            if isinstance(objects, list):
                ours.update((f["rule"], o) for o in objects)
            else:
                ours.add((f["rule"], f["subject"]))
    hand = {(v["rule"], v["subject"]) for v in json.loads(theirs.read_text(encoding="utf-8"))["violations"]}
    return {"same": ours == hand, "findings": len(hand), "only_ours": sorted(ours - hand)[:5],
            "only_theirs": sorted(hand - ours)[:5]}


def same_shape(first: Path, other: Path) -> bool:
    """The report of the batches as one JSON array is the .jsonl's, but for the file's name, its hash
    and the line and column of its findings (a .json file's places are found; a .jsonl line's is its number)."""
    def norm(path: Path) -> str:
        report = json.loads(path.read_text(encoding="utf-8"))
        del report["inputs"]

        def walk(value: Any) -> Any:
            if isinstance(value, dict):
                if str(value.get("file", "")).endswith(("batches.json", "batches.jsonl")):
                    value = {k: v for k, v in value.items() if k not in {"line", "column"}}
                return {k: walk(v) for k, v in value.items()}
            return [walk(v) for v in value] if isinstance(value, list) else value

        text = json.dumps(walk(report), ensure_ascii=False, sort_keys=True)
        return text.replace(f"{path.parent}/input-array/batches.json", "BATCHES").replace(
            f"{path.parent}/input/batches.jsonl", "BATCHES").replace(f"{path.parent}/input-array/", "").replace(
            f"{path.parent}/input/", "")
    return norm(first) == norm(other)


START, END = "<!-- bench:start -->\n", "<!-- bench:end -->\n"


def with_figures(page: str, results: str) -> str:
    """The page with the benchmark's figures (RESULTS.md less its title) between its markers."""
    head, _, rest = page.partition(START)
    _, _, tail = rest.partition(END)
    body = results.split("\n", 2)[2].replace("\n## ", "\n### ")
    return head + START + body.rstrip("\n") + "\n" + END + tail


def same_report(folder: Path, report: Path, results: int, args: argparse.Namespace) -> tuple[bool, int]:
    """Check the same files again with the other worker count (1 or 2) and the results cut into
    4 shards: the report must be the same, byte for byte. Also the peak memory of that run."""
    other = 1 if args.workers > 1 else 2
    again = report.with_name(f"report-{other}-workers.json")
    print(f"  again with {other} worker(s), 4 shards …", file=sys.stderr)
    _, peak, _ = measure([sys.executable, str(HERE / "run.py"), "--workers", str(other), "--as-of", args.as_of,
                          "--shard-results", str(-(-results // 4)), "--child", str(folder), str(again)],
                         tree=other > 1)
    return again.read_bytes() == report.read_bytes(), peak


def _mib(kib: float) -> str:
    return f"{kib / 1024:,.0f}"


def render(rows: list[dict[str, Any]], sample_wall: float, sample_peak: int, args: argparse.Namespace,
           yardstick: Path | None, bare: float) -> str:
    workers = args.workers
    out = [
        "# Benchmark results",
        "",
        f"Measured {dt.date.today().isoformat()} by `python bench/run.py` (seed {SEED}, "
        f"--workers {workers}, --repeat {args.repeat}, as of {args.as_of}"
        f"{f', --cluster {args.cluster}' if args.cluster else ''}) on: {machine()}. "
        "The machine is shared with other work, so each figure is a median of paired runs.",
        "",
        "## Against the hand-written checker",
        "",
    ]
    if yardstick is None:
        out += ["The hand-written checker (`../shared/bench/handwritten.py`) was not found: not compared.", ""]
    else:
        out += [
            "The yardstick is a plain hand-written Python checker of the batch rules (no clingo, no schema",
            "validation: `../shared/bench/handwritten.py`), run as an external command on the same files.",
            "dsr-check and the yardstick run in pairs, the order alternating; *dsr-check* and *hand-written*",
            "are the medians of each one's wall time (start-up included), *÷* the median of the pairs' ratios.",
            "*Same findings*: the yardstick's violations by (rule, subject) equal dsr-check's for its rules",
            "(a dsr-check finding on a batch that lists its results' objects, R22, stands for those objects).",
            "",
        ]
    head = ["size", "results", "shape", "input MB", "pairs", "dsr-check s", "hand-written s", "dsr ÷ hand-written",
            "json.loads s", "dsr-check peak MiB", "hand-written peak MiB", "same findings"]
    out.append("| " + " | ".join(head) + " |")
    out.append("|" + "---|" * len(head))
    for r in rows:
        hand = r["hand"] is not None
        agreed = r["agree"]
        cells = [r["name"], f"{r['results']:,}", SHAPES[r["shape"]], f"{r['bytes'] / 1e6:.0f}", str(r["pairs"]),
                 f"**{r['wall']:.2f}**", f"{r['hand']:.2f}" if hand else "—",
                 f"**{r['ratio']:.2f}×**" if hand else "—", f"{r['json_loads']:.2f}", _mib(r["peak_kib"]),
                 _mib(r["hand_peak_kib"]) if hand else "—",
                 "—" if agreed is None else f"yes ({agreed['findings']:,})" if agreed["same"] else "**no**"]
        out.append("| " + " | ".join(cells) + " |")
    out += [
        "",
        "## Steps",
        "",
        "Of dsr-check's median run. Step times are summed over shards (and so over workers); *total* is",
        "the wall time of the whole `check` process, start-up included. Memory: a step's column is the",
        "largest peak RSS of one process by the end of that step; *peak* is the process's peak RSS (with",
        "workers: the PSS of the process and its workers together, sampled every 200 ms). *Same report*:",
        f"the `.jsonl` checked again with {'1 worker' if workers > 1 else '2 workers'} and the results cut into",
        "4 shards, compared byte for byte; the JSON array's report compared with the `.jsonl`'s (but for the",
        "file's name and hash).",
        "",
    ]
    head = ["size", "shape"] + [label for _, label in STEPS] + ["total s", "peak MiB", "same report"]
    out.append("| " + " | ".join(head) + " |")
    out.append("|" + "---|" * len(head))
    for r in rows:
        sec, kib = r["run"]["seconds"], r["run"]["peak_kib"]
        cells = [r["name"], SHAPES[r["shape"]]]
        cells += [f"{sec.get(step, 0):.2f} s / {_mib(kib.get(step, 0))} MiB" for step, _ in STEPS]
        cells += [f"**{r['wall']:.2f}**", f"**{_mib(r['peak_kib'])}**",
                  {None: "not compared", True: "yes", False: "**no**"}[r["same"]]]
        out.append("| " + " | ".join(cells) + " |")
    out.append("")
    out.append(f"Sample (fixtures/sample, median of 5: {sample_wall:.2f} s wall including start-up, "
               f"peak {_mib(sample_peak)} MiB; the interpreter alone, `python -c pass`, paired with it: "
               f"{bare:.2f} s).")
    out.append("")
    out.append("## Targets")
    out.append("")
    out.append("| target | measured | met |")
    out.append("|---|---|---|")
    for label, ok, value in targets(rows, sample_wall, workers):
        out.append(f"| {label} | {value} | {'yes' if ok else '**no**'} |")
    out.append("")
    return "\n".join(out)


def targets(rows: list[dict[str, Any]], sample_wall: float, workers: int) -> list[tuple[str, bool, str]]:
    """Issue 14's targets (and issue 4's, still held) against what was measured."""
    by = {(r["name"], r["shape"]): r for r in rows}
    checks: list[tuple[str, bool, str]] = []
    for shape, label in SHAPES.items():
        m = by.get(("1m", shape))
        if m and m["ratio"] is not None:
            checks.append((f"1M results, {label}: ≤ 2.5 × the hand-written checker", m["ratio"] <= 2.5,
                           f"{m['ratio']:.2f}× ({m['wall']:.1f} s ÷ {m['hand']:.1f} s)"))
    m, big = by.get(("1m", "jsonl")), by.get(("3m", "jsonl"))
    if m and big:
        t = (big["wall"] / big["results"]) / (m["wall"] / m["results"])
        checks.append(("linear to 3M: time per result at 3M ≤ 1.15 × at 1M", t <= 1.15, f"{t:.2f}×"))
        checks.append(("3M peak memory < 2.5 GiB", big["peak_kib"] < 2.5 * 2**20, f"{_mib(big['peak_kib'])} MiB"))
    if m:
        if m.get("other_peak_kib"):
            one, two = (m["peak_kib"], m["other_peak_kib"]) if workers == 1 else (m["other_peak_kib"], m["peak_kib"])
            checks.append(("1M `--workers 2` peak memory (4 shards) ≤ 1.2 × one worker's", two <= 1.2 * one,
                           f"{_mib(two)} MiB ÷ {_mib(one)} MiB = {two / one:.2f}×"))
        checks.append(("1M results end to end ≤ 20 s", m["wall"] <= 20, f"{m['wall']:.1f} s"))
        checks.append(("1M peak memory < 2 GiB", m["peak_kib"] < 2 * 2**20, f"{_mib(m['peak_kib'])} MiB"))
        k = by.get(("100k", "jsonl"))
        if k:
            t = (m["wall"] / m["results"]) / (k["wall"] / k["results"])
            checks.append(("linear time: per result at 1M ≤ 1.5 × at 100k", t <= 1.5, f"{t:.2f}×"))
    agreed = [r for r in rows if r["agree"] is not None]
    if agreed:
        checks.append(("the hand-written checker's findings, at every size and shape",
                       all(r["agree"]["same"] for r in agreed),
                       ", ".join(f"{r['name']} {r['shape']}: {'same' if r['agree']['same'] else 'different'}"
                                 for r in agreed)))
    compared = [r for r in rows if r["same"] is not None]
    if compared:
        checks.append(("the same report with 1 and 2 workers and in both shapes, at every size",
                       all(r["same"] for r in compared),
                       ", ".join(f"{r['name']} {r['shape']}: {'identical' if r['same'] else 'different'}"
                                 for r in compared)))
    checks.append(("sample < 0.5 s including start-up", sample_wall < 0.5, f"{sample_wall:.2f} s"))
    return checks


if __name__ == "__main__":
    main()
