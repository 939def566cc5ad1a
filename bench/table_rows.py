"""The spreadsheet benchmark: a plan table of N rows (100,000 by default, the row limit) checked end to end.

    python bench/table_rows.py                          # 10,000 and 99,990 rows
    python bench/table_rows.py --rows 20000             # one size
    python bench/table_rows.py --against /path/to/old   # paired: this checkout and another, in turns

Each plan is a CSV with its header block and one compliant task a row (5% of a directory
of 1,000: no violation), written to bench/out/rows-N.csv and checked by a fresh process as
`dsr-check check FILE --as-of 2021-12-31 --format json -o FILE` would; the wall time, the CPU
time and the peak RSS of that process are printed (on a busy machine the CPU time is the better
estimate of the wall time on a quiet one: the check runs on one core). Reading a table is linear in its rows (issue 12,
item 6: tests/test_tables.py counts it); this gives the constant.

On a shared machine, compare two checkouts with `--against`: the runs alternate (this one,
the other, this one, …) so both see the same load, and the medians and their ratio are
printed. bench/NOTES.md keeps the figures.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
HEAD = ("年度,2021\n层级,部门\n部门,县市场监管局\n报送日期,2020-12-20\n"
        "序号,任务名称,抽查事项,检查对象,抽查基数,检查方式,抽查比例,抽查数量,牵头部门,参与部门,检查时间\n")


def plan_csv(rows: int) -> Path:
    path = HERE / "out" / f"rows-{rows}.csv"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        body = "".join(f"{i},任务{i},事项{i},企业,1000,实地核查,5%,50,县市场监管局,县卫生健康局,3月-6月\n"
                       for i in range(1, rows + 1))
        path.write_text(HEAD + body, encoding="utf-8")
    return path


def measure(rows: int, checkout: Path = HERE.parent) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds and peak RSS (KiB) of one `dsr-check check` of the plan, run from `checkout`."""
    path = plan_csv(rows)
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "checker", "check", str(path), "--as-of", "2021-12-31",
                              "--format", "json", "-o", str(path.with_suffix(".json"))], cwd=checkout)
    _, status, usage = os.wait4(child.pid, 0)  # this child's own peak, not the largest of all children so far
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{checkout}: dsr-check exited with {child.returncode}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 99_990])
    parser.add_argument("--against", type=Path, help="another checkout, run in turns with this one")
    parser.add_argument("--runs", type=int, default=3, help="runs of each checkout with --against")
    args = parser.parse_args()
    for rows in args.rows:
        if args.against is None:
            seconds, cpu, kib = measure(rows)
            print(f"{rows:,} rows: {seconds:.1f} s (CPU {cpu:.1f} s), peak {kib / 1024:,.0f} MiB")
            continue
        runs: dict[Path, list[tuple[float, float, int]]] = {HERE.parent: [], args.against: []}
        for _ in range(args.runs):
            for checkout, done in runs.items():
                done.append(measure(rows, checkout))
        this, other = ((statistics.median(s for s, _, _ in done), statistics.median(c for _, c, _ in done),
                        max(k for _, _, k in done)) for done in runs.values())
        print(f"{rows:,} rows: {this[0]:.1f} s (CPU {this[1]:.1f} s), peak {this[2] / 1024:,.0f} MiB; "
              f"{args.against}: {other[0]:.1f} s (CPU {other[1]:.1f} s), peak {other[2] / 1024:,.0f} MiB "
              f"(medians of {args.runs}: {other[1] / this[1]:.1f} × the CPU time, "
              f"{other[2] / this[2]:.1f} × the memory)")


if __name__ == "__main__":
    main()
