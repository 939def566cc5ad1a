"""The spreadsheet benchmark: a plan table of N rows (100,000 by default, the row limit) checked end to end.

    python bench/table_rows.py                 # 10,000 and 99,990 rows
    python bench/table_rows.py --rows 20000    # one size

Each plan is a CSV with its header block and one compliant task a row (5% of a directory
of 1,000: no violation), written to bench/out/rows-N.csv and checked by a fresh process as
`dsr-check check FILE --as-of 2021-12-31 --format json -o FILE` would; the wall time and the
peak RSS of that process are printed. Reading a table is linear in its rows (issue 12,
item 6: tests/test_tables.py counts it); this gives the constant.
"""

from __future__ import annotations

import argparse
import resource
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


def measure(rows: int) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one `dsr-check check` of the plan."""
    path = plan_csv(rows)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "checker", "check", str(path), "--as-of", "2021-12-31",
                    "--format", "json", "-o", str(path.with_suffix(".json"))], cwd=HERE.parent, check=True)
    return time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 99_990])
    for rows in parser.parse_args().rows:
        seconds, kib = measure(rows)
        print(f"{rows:,} rows: {seconds:.1f} s, peak {kib / 1024:,.0f} MiB")


if __name__ == "__main__":
    main()
