"""A province's year of inspection records, generated: deterministic, seeded, sized.

Why: the benchmark must measure a checker on data shaped like a real year —
jurisdictions with their conference plans and tasks, item lists, the two
directories, adjustments, progress reports, work norms, and batches of about
50 results each — with a known mix of faults planted at realistic rates, so
that the test can check the checker finds exactly those faults and the
benchmark measures a correct checker.

The faults and the rule each one breaks (the manifest lists every planted
(kind, rule, subject)):

- over_cap_task         sampling-ratio-cap          a task plans more than 5% of its directory
- late_start            start-within-5-workdays     a batch drawn on the eve of a holiday starts
                                                    after the 5th working day (R2, R3)
- unpublished_result    results-published-on-both-channels   a result is on one channel only (found on its batch)
- unpublished_plan      conference-plan-published   a conference plan never published
- unfiled_adjustment    adjustment-filed-with-justice   an adjustment not filed with justice

Working days are counted here with chinesecalendar directly, independently of
the checker's own calendar code. Everything else is clean.

Output (`out/`): `input/context.json` (every document but the batches) and
`input/batches.jsonl` (one batch a line), plus `manifest.json` beside `input/`.

    python bench/generate.py --results 10000 --seed 58 --out bench/out/10k
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import chinese_calendar

YEAR = 2021
AS_OF = "2021-12-31"
RESULTS_PER_BATCH = 50
BATCHES_PER_TASK = 8

# Fault rates (per task, per batch, per result, per jurisdiction, per adjustment).
RATES = {
    "over_cap_task": 0.02,
    "late_start": 0.02,
    "unpublished_result": 0.003,
    "unpublished_plan": 0.05,
    "unfiled_adjustment": 0.10,
}
RULES = {
    "over_cap_task": "sampling-ratio-cap",
    "late_start": "start-within-5-workdays",
    "unpublished_result": "results-published-on-both-channels",
    "unpublished_plan": "conference-plan-published",
    "unfiled_adjustment": "adjustment-filed-with-justice",
}

DEPARTMENTS = [  # code, name suffix, an item name, the objects it inspects
    ("SC", "市场监管局", "食品生产企业监督检查", "食品生产企业"),
    ("WJ", "卫生健康委", "公共场所卫生监督检查", "公共场所经营单位"),
    ("HB", "生态环境局", "排污单位监督检查", "排污单位"),
    ("JT", "交通运输局", "道路运输企业检查", "道路运输企业"),
    ("ZJ", "住房城乡建设局", "建筑施工企业检查", "建筑施工企业"),
    ("NY", "农业农村局", "农资经营单位检查", "农资经营单位"),
    ("WL", "文化广电旅游局", "娱乐场所检查", "娱乐场所"),
    ("YJ", "应急管理局", "危险化学品经营单位检查", "危险化学品经营单位"),
]
PLACES = [
    "广元市", "利州区", "昭化区", "朝天区", "旺苍县", "青川县", "剑阁县", "苍溪县",
    "成都市", "绵阳市", "德阳市", "南充市", "巴中市", "达州市", "遂宁市", "内江市",
    "乐山市", "宜宾市", "泸州市", "自贡市", "攀枝花市", "眉山市", "资阳市", "雅安市",
]
OUTCOMES = ["未发现问题"] * 8 + ["发现问题，已责令整改", "未按规定公示年报，已责令改正"]


def workday(day: dt.date) -> bool:
    return chinese_calendar.is_workday(day)


def nth_workday_after(day: dt.date, n: int) -> dt.date:
    """The n-th working day after `day`, the day itself not counted (R2)."""
    while n:
        day += dt.timedelta(days=1)
        n -= workday(day)
    return day


def iso(day: dt.date) -> str:
    return day.isoformat()


@dataclass
class Year:
    """The documents of a generated year and the faults planted in them."""

    context: list[dict[str, Any]] = field(default_factory=list)
    batches: list[dict[str, Any]] = field(default_factory=list)
    faults: list[dict[str, str]] = field(default_factory=list)

    def plant(self, kind: str, subject: str) -> None:
        self.faults.append({"kind": kind, "rule": RULES[kind], "subject": subject})


def _pick(rng: random.Random, n: int, rate: float) -> set[int]:
    """About rate × n of range(n), and at least one: every fault kind occurs."""
    k = max(1, round(n * rate))
    return set(rng.sample(range(n), min(k, n)))


class Generator:
    def __init__(self, results: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.batch_count = max(1, round(results / RESULTS_PER_BATCH))
        self.places = max(2, self.batch_count // 250)
        self.year = Year()
        self._next_object: dict[str, int] = {}  # the next object number of each directory
        # draw days: working days from March to mid-October, and holiday eves
        days = [dt.date(YEAR, 3, 1) + dt.timedelta(days=i) for i in range(230)]
        self.draw_days = [d for d in days if workday(d)]
        self.eves = [d for d in self.draw_days if (nth_workday_after(d, 5) - d).days >= 9]

    def place(self, j: int) -> tuple[str, str, str]:
        """The code, name and level of the j-th jurisdiction."""
        base = PLACES[j % len(PLACES)]
        name = base if j < len(PLACES) else f"{base}第{j // len(PLACES) + 1}片区"
        level = "municipal" if base.endswith("市") else "county"
        return f"J{j:03d}", name, level

    def run(self) -> Year:
        per_place = [self.batch_count // self.places] * self.places
        for j in range(self.batch_count % self.places):
            per_place[j] += 1
        tasks: list[tuple[str, dict[str, Any], int, str]] = []  # (place code, task, batches, holder)
        plans: list[dict[str, Any]] = []
        for j, n in enumerate(per_place):
            tasks.extend(self.jurisdiction(j, n, plans))
        # faults on tasks: over the cap
        over = _pick(self.rng, len(tasks), RATES["over_cap_task"])
        for i, (_, task, _, _) in enumerate(tasks):
            if i in over:
                size = task["objects"]["directory_size"]
                task["count"] = size * 5 // 100 + self.rng.randint(1, 30)
                self.year.plant("over_cap_task", task["id"])
        self.year.context.extend(plans)
        # batches, in task order; faults on batches and results
        specs = [(code, task, k) for code, task, n, _ in tasks for k in range(n)]
        late = _pick(self.rng, len(specs), RATES["late_start"])
        total_results = 0
        for i, (code, task, k) in enumerate(specs):
            batch = self.batch(code, task, k, i, late=i in late)
            total_results += len(batch["results"])
            self.year.batches.append(batch)
        unpublished = _pick(self.rng, total_results, RATES["unpublished_result"])
        r = 0
        for batch in self.year.batches:
            planted = False
            for result in batch["results"]:
                if r in unpublished and "nondisclosure" not in result:
                    result["published"] = ["gsxt_sichuan"]
                    if not planted:  # the results of a batch missing a channel are one finding on it (R22)
                        self.year.plant("unpublished_result", batch["id"])
                        planted = True
                r += 1
        return self.year

    # --- one jurisdiction's context ----------------------------------------------
    def jurisdiction(self, j: int, batches: int, plans: list[dict[str, Any]]) -> list[Any]:
        rng = self.rng
        code, name, level = self.place(j)
        depts = [(c, f"{name}{suffix}", item, objs) for c, suffix, item, objs in DEPARTMENTS]
        ctx = self.year.context
        ctx.append({
            "kind": "item_list", "id": f"{code}-list", "level": level,
            "issuer": f"{name}市场监管领域部门联合双随机一公开监管工作联席会议",
            "published_on": "2021-01-15",
            "items": [{"id": f"{code}-I-{c}", "name": item, "category": "key" if i % 3 == 0 else "general",
                       "department": dept, "object_type": objs, "basis": "《随机抽查事项清单》"}
                      for i, (c, dept, item, objs) in enumerate(depts)],
        })
        for c, dept, _, _ in depts:
            ctx.append({"kind": "inspector_directory", "id": f"{code}-insp-{c}", "department": dept,
                        "updated_on": "2021-01-10",
                        "inspectors": [f"{code}-{c}-P{n:02d}" for n in range(1, 21)]})
            ctx.append({"kind": "annual_plan", "id": f"{code}-plan-{c}", "level": "department",
                        "jurisdiction": name, "year": YEAR, "department": dept,
                        "submitted_on": iso(dt.date(2020, 12, rng.randint(15, 30))), "platform": "provincial"})
            for q, end in ((1, "03-26"), (2, "06-25"), (3, "09-24"), (4, "12-24")):
                ctx.append({"kind": "progress_report", "id": f"{code}-rep-{c}-Q{q}", "department": dept,
                            "jurisdiction": name, "period": f"{YEAR}-Q{q}", "submitted_on": f"{YEAR}-{end}"})
            ctx.append({"kind": "progress_report", "id": f"{code}-rep-{c}", "department": dept,
                        "jurisdiction": name, "period": str(YEAR), "submitted_on": f"{YEAR}-12-08"})
            ctx.append({"kind": "work_norm", "id": f"{code}-norm-{c}", "department": dept,
                        "covers": ["draw_method", "process", "approval", "publication", "archiving",
                                   "time_limits"]})
        # tasks: lead and participant pair up the departments, so every member takes part
        n_tasks = max(4, round(batches / BATCHES_PER_TASK))
        sizes = [batches // n_tasks + (1 if t < batches % n_tasks else 0) for t in range(n_tasks)]
        n_added = 1 if n_tasks >= 6 else 0  # tasks an adjustment adds
        out: list[Any] = []
        dir_need: dict[str, int] = {}
        for t in range(n_tasks):
            lead = depts[(2 * t) % 8]
            part = depts[(2 * t + 1) % 8]
            planned = sizes[t] * RESULTS_PER_BATCH + 200
            dir_need[lead[0]] = dir_need.get(lead[0], 0) + planned
            task = {
                "id": f"{code}-{YEAR}-{t + 1:03d}", "name": f"{lead[3]}联合抽查",
                "items": [f"{code}-I-{lead[0]}", f"{code}-I-{part[0]}"],
                "objects": {"description": lead[3], "directory": f"{code}-dir-{lead[0]}"},
                "methods": ["on_site"], "ratio": "5%", "count": planned, "lead": lead[1],
                "participants": [part[1]],
                "window": {"start": f"{YEAR}-03-01", "end": f"{YEAR}-11-15"},
            }
            out.append((code, task, sizes[t], "adjustment" if t >= n_tasks - n_added else "plan"))
        dir_size = {c: need * 20 + rng.randint(0, 20000) for c, need in dir_need.items()}
        for c, dept, _, _ in depts:
            size = dir_size.get(c, rng.randint(5000, 30000))
            dir_size[c] = size
            ctx.append({"kind": "object_directory", "id": f"{code}-dir-{c}", "department": dept,
                        "updated_on": "2021-01-10", "size": size})
        for _, task, _, _ in out:
            task["objects"]["directory_size"] = dir_size[task["objects"]["directory"][-2:]]
        plan = {
            "kind": "annual_plan", "id": f"{code}-plan", "level": "conference", "jurisdiction": name,
            "year": YEAR, "compiled_on": f"{YEAR}-01-{rng.randint(20, 29)}", "issued_on": f"{YEAR}-02-02",
            "published_on": f"{YEAR}-02-05", "members": [d for _, d, _, _ in depts],
            "platform": "provincial", "tasks": [t for _, t, _, holder in out if holder == "plan"],
        }
        if rng.random() < RATES["unpublished_plan"] or j == 1:
            del plan["published_on"]
            self.year.plant("unpublished_plan", plan["id"])
        plans.append(plan)
        for k, (_, task, _, holder) in enumerate(out):
            if holder != "adjustment":
                continue
            task["window"]["start"] = f"{YEAR}-06-01"
            adj = {
                "kind": "adjustment", "id": f"{code}-adj-{k}", "plan": plan["id"], "action": "add",
                "task": task, "filed_with_conference_on": f"{YEAR}-05-20",
                "filed_with_justice_on": f"{YEAR}-05-21", "published_on": f"{YEAR}-05-24",
                "effective_on": f"{YEAR}-05-25",
            }
            if rng.random() < RATES["unfiled_adjustment"] or j == 0:
                del adj["filed_with_justice_on"]
                self.year.plant("unfiled_adjustment", adj["id"])
            ctx.append(adj)
        return out

    # --- one batch -------------------------------------------------------------------
    def batch(self, code: str, task: dict[str, Any], k: int, index: int, late: bool) -> dict[str, Any]:
        rng = self.rng
        lead_code = task["objects"]["directory"][-2:]
        part_dir = task["items"][1][-2:]
        earliest = dt.date.fromisoformat(task["window"]["start"])
        if late:
            drawn = rng.choice([d for d in self.eves if d >= earliest])
            started = nth_workday_after(drawn, rng.randint(6, 8))
            self.year.plant("late_start", f"{code}-B{index:06d}")
        else:
            pool = self.eves if rng.random() < 0.1 else self.draw_days
            drawn = rng.choice([d for d in pool if d >= earliest])
            started = nth_workday_after(drawn, rng.randint(1, 5))  # the 5th is still in time
        completed = min(started + dt.timedelta(days=rng.randint(3, 20)), dt.date(YEAR, 11, 10))
        entered = nth_workday_after(completed, rng.randint(1, 20))
        n = rng.randint(RESULTS_PER_BATCH - 20, RESULTS_PER_BATCH + 20)
        start = self._next_object.get(lead_code + code, 0)
        self._next_object[lead_code + code] = start + n
        objects = [f"{code}-{lead_code}-{start + i:06d}" for i in range(n)]
        results = []
        for obj in objects:
            result: dict[str, Any] = {"object": obj, "outcome": rng.choice(OUTCOMES),
                                      "published": ["gsxt_sichuan", "creditchina_sichuan"]}
            roll = rng.random()
            if roll < 0.002:  # withheld with a complete approval: in order (R7)
                del result["published"]
                result["nondisclosure"] = {"reason": "涉及商业秘密", "approved_by": "局长",
                                           "approver_role": "principal_head", "archived": True}
            elif roll < 0.003:
                result["outcome"] = "涉嫌犯罪，已移送"
                result["suspected_crime"] = True
                result["transferred_on"] = iso(completed + dt.timedelta(days=rng.randint(1, 10)))
            results.append(result)
        return {
            "kind": "batch", "id": f"{code}-B{index:06d}", "task": task["id"], "year": YEAR,
            "lead": task["lead"], "participants": task["participants"], "platform": "provincial",
            "scheme_entered_on": iso(drawn),
            "draw": {"method": "platform_lottery", "drawn_on": iso(drawn), "witnesses": ["公证处"]},
            "directory": task["objects"]["directory"], "directory_size": task["objects"]["directory_size"],
            "selected": objects,
            "inspectors": [*(f"{code}-{lead_code}-P{n:02d}" for n in rng.sample(range(1, 21), 2)),
                           f"{code}-{part_dir}-P{rng.randint(1, 20):02d}"],
            "methods": ["on_site"], "started_on": iso(started), "completed_on": iso(completed),
            "results_entered_on": iso(entered), "results": results,
        }


def generate(results: int, seed: int, out: Path) -> dict[str, Any]:
    """Write the year under `out` and return its manifest."""
    year = Generator(results, seed).run()
    folder = out / "input"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "context.json").write_text(
        json.dumps({"documents": year.context}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    with open(folder / "batches.jsonl", "w", encoding="utf-8", newline="\n") as f:
        for batch in year.batches:
            f.write(json.dumps(batch, ensure_ascii=False, separators=(",", ":")))
            f.write("\n")
    manifest = {
        "seed": seed, "results": sum(len(b["results"]) for b in year.batches),
        "batches": len(year.batches), "documents": len(year.context) + len(year.batches),
        "as_of": AS_OF, "faults": sorted(year.faults, key=lambda f: (f["kind"], f["subject"])),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n",
                                       encoding="utf-8")
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=58)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    m = generate(args.results, args.seed, args.out)
    print(f"{m['results']} results in {m['batches']} batches, {m['documents']} documents, "
          f"{len(m['faults'])} planted faults → {args.out}")


if __name__ == "__main__":
    main()
