"""Reading free-text cells exactly: ratios, counts, date windows, names, fixed values.

Each reader takes the cell's text and returns a `Reading` (the value, and how
it was read, in Chinese and English) or raises `CannotRead` with what was
expected. Nothing is guessed: a text that fits none of the forms below is an
input error naming the cell. Forms read:

- ratio: `5%`, `0.5%`, `0.05`, `不超过5%` / `5%以内` (a cap: the stated ratio),
  `不低于0.5%` / `0.5%以上` (a floor, not a cap), `10-20%` (a range: the upper
  end is the stated ratio, the lower a floor), `3%;2次/年` (the ratio; text
  without a ratio beside it is not read);
- count: `20`, `13户` (户/家/个/件/批/批次/所/处/人/份), `不超过20户`, `不少于3户`
  (a floor), `10-20户`, `1,000户`;
- window (within the plan year where the text names no year):
  `2021-03-01至2021-06-30`, `2021年3月1日-6月30日`, `3.20-4.30`, `3月—12月`,
  `1月-12月`, `全年`, `上半年`, `第二季度`, `10月31日前`, `11月20日前完成`,
  `10月底前`, a single date or month.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from checker.messages import Msg, msg
from checker.rulebook import Text


class CannotRead(ValueError):
    """The text fits none of the forms the reader knows; the message says what was expected.

    `why` is the message as the catalogue's code (checker/messages.yaml), for the report's language.
    """

    def __init__(self, why: Msg | str) -> None:
        super().__init__(str(why))
        self.why = why


# What Excel shows for a formula it could not compute: the cell holds no value the user wrote.
EXCEL_ERRORS = frozenset({"#VALUE!", "#REF!", "#N/A", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!",
                          "#CALC!", "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!",
                          "#UNKNOWN!", "#EXTERNAL!", "#PYTHON!"})


def excel_error(text: str) -> bool:
    """Whether `text` is the error value Excel shows for a failed formula (#VALUE!, #REF!, #N/A…)."""
    return text.strip().upper() in EXCEL_ERRORS


def _number_date(t: str) -> dt.date | None:
    """The date a number typed for one means (20211228 is 2021-12-28), if it is one."""
    if not re.fullmatch(r"\d{8}", t):
        return None
    try:
        return dt.date(int(t[:4]), int(t[4:6]), int(t[6:]))
    except ValueError:
        return None


@dataclass(frozen=True)
class Reading:
    value: Any
    note: Text | None = None  # how it was read; None when taken as written


_SPACES = re.compile(r"\s+")


def norm(text: str) -> str:
    """NFKC (full-width digits, letters, %, brackets to ASCII), spaces removed."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text))


def header_key(text: str) -> str:
    """A header or label as matched: normalised, without required marks or a trailing colon."""
    return norm(text).strip("*※").rstrip(":").strip("*※")


# --- ratios ----------------------------------------------------------------------
_NUM = r"\d+(?:\.\d+)?"
_CAP_PRE = ("不超过", "不高于", "不大于", "最多", "最高", "上限", "<=", "≤", "低于", "<")
_CAP_POST = ("以内", "以下", "之内")
_FLOOR_PRE = ("不低于", "不少于", "不小于", "至少", "最低", "下限", ">=", "≥")
_FLOOR_POST = ("以上",)
_DASH = r"[-~至到—–−]+"
_SEP = re.compile(r"[;,、/()]+")

RATIO_FORMS = "5%, 0.05, 不超过5%, 不低于0.5%, 10-20%"


def _percent(text: str) -> Decimal:
    return Decimal(text)


def _show(p: Decimal) -> str:
    """A percent as the contract writes it: '5%', '0.5%'."""
    t = format(p.normalize(), "f")
    return f"{t}%"


def _bound(text: str) -> tuple[str, str]:
    """Strip a cap or floor word: ('cap'|'floor'|'exact', rest)."""
    for w in _FLOOR_PRE:
        if text.startswith(w):
            return "floor", text[len(w):]
    for w in _CAP_PRE:
        if text.startswith(w):
            return "cap", text[len(w):]
    for w in _FLOOR_POST:
        if text.endswith(w):
            return "floor", text[: -len(w)]
    for w in _CAP_POST:
        if text.endswith(w):
            return "cap", text[: -len(w)]
    return "exact", text


def read_ratio(text: str) -> Reading:
    """A ratio cell: {'ratio': '5%'} and/or {'ratio_floor': '0.5%'}, percent strings."""
    t = norm(text).replace("％", "%").replace("百分之", "")
    parts = [p for p in _SEP.split(t) if p]
    with_ratio = [p for p in parts if "%" in p or re.fullmatch(r"0?\.\d+|0|1", p)]
    if not with_ratio:
        raise CannotRead(msg("read.no_ratio", forms=RATIO_FORMS))
    if len(with_ratio) > 1:
        raise CannotRead(msg("read.ratios_many", n=len(with_ratio)))
    part = with_ratio[0]
    leftover = t.replace(part, "", 1).strip(";,、/() ")
    rest = [leftover] if leftover else []
    kind, body = _bound(part)
    m = re.fullmatch(rf"({_NUM})%?{_DASH}({_NUM})%", body)
    out: dict[str, str] = {}
    if m and kind == "exact":
        low, high = _percent(m.group(1)), _percent(m.group(2))
        if low > high:
            raise CannotRead(msg("read.range_reversed"))
        out = {"ratio": _show(high), "ratio_floor": _show(low)}
        zh, en = f"范围 {_show(low)}–{_show(high)}：上限 {_show(high)} 为计划比例，{_show(low)} 为下限", \
            f"a range {_show(low)}–{_show(high)}: its upper end {_show(high)} is the stated ratio, {_show(low)} a floor"
    else:
        m = re.fullmatch(rf"({_NUM})(%?)", body)
        if not m:
            raise CannotRead(msg("read.expected_eg", forms=RATIO_FORMS))
        value = _percent(m.group(1)) if m.group(2) else _percent(m.group(1)) * 100
        if not m.group(2) and value > 100:  # pragma: no cover - the pattern admits only 0.x, 0 and 1
            raise CannotRead(msg("read.ratio_number"))
        if value > 100:
            raise CannotRead(msg("read.percent_over"))
        shown = _show(value)
        if kind == "floor":
            out = {"ratio_floor": shown}
            zh, en = f"下限 {shown}（不是上限）", f"a floor of {shown}, not a cap"
        elif kind == "cap":
            out = {"ratio": shown}
            zh, en = f"上限 {shown}", f"at most {shown}"
        else:
            out = {"ratio": shown}
            zh, en = (shown, shown) if m.group(2) else (f"{m.group(1)} 即 {shown}", f"{m.group(1)}, i.e. {shown}")
    if rest:
        zh += f"；“{'；'.join(rest)}”不是比例，未读取"
        en += f"; {'; '.join(rest)!r} is not a ratio and is not read"
    note = None if (not rest and kind == "exact" and t == next(iter(out.values())) and len(out) == 1) else Text(zh, en)
    return Reading(out, note)


# --- ratios by credit-risk tier ----------------------------------------------------
_TIER = re.compile(r"([A-D])类?\s*[:：]?\s*(?:按)?(\d+(?:\.\d+)?)%(?:\s*[(（]\s*([\d,]+)\s*户\s*[)）])?|"
                   r"(个体(?:工商户)?)\s*按?\s*(\d+(?:\.\d+)?)%(?:\s*[(（]\s*([\d,]+)\s*户\s*[)）])?")


def read_tiers(text: str) -> Reading:
    """Ratios by credit-risk tier (A:3%;B:4%, 按照B类2%（1户）、C类30%（2户）…): [{tier, ratio, count}].

    Each is a ratio of that tier's objects, not of the whole directory: the cap of
    4.1.2 (5% of the directory) is judged on the task's own ratio, never on these.
    A text naming no tier ratio (不涉及信用风险分类) states none.
    """
    t = unicodedata.normalize("NFKC", text)
    tiers = []
    for m in _TIER.finditer(t):
        tier, ratio, count = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(4), m.group(5),
                                                                                      m.group(6))
        if Decimal(ratio) > 100:
            raise CannotRead(msg("read.tier_over", tier=tier, ratio=ratio))
        tiers.append({"tier": tier, "ratio": _show(Decimal(ratio)), **({"count": _int(count)} if count else {})})
    if not tiers:
        return Reading([], Text("未列出分类抽查比例", "states no ratio by tier"))
    zh = "、".join(f"{t['tier']}{'类' if len(t['tier']) == 1 else ''} {t['ratio']}"
                  + (f"（{t['count']}户）" if "count" in t else "") for t in tiers)
    en = ", ".join(f"{t['tier']} {t['ratio']}" + (f" ({t['count']})" if "count" in t else "") for t in tiers)
    return Reading(tiers, Text(f"分类抽查比例：{zh}；各为该类对象的比例，不是名录库总数的比例，不据此判断5%上限",
                               f"ratios by tier: {en}; each is a ratio of that tier's objects, not of the whole "
                               "directory, so the 5% cap is not judged on them"))


# --- counts ----------------------------------------------------------------------
_UNIT = r"(?:户|家|个|件|批次|批|所|处|人|份|条|项)?"
COUNT_FORMS = "20, 13户, 不超过20户, 不少于3户, 10-20户"


def _int(text: str) -> int:
    if re.fullmatch(r"\d{1,3}(,\d{3})+", text):
        text = text.replace(",", "")
    if not re.fullmatch(r"\d+(\.0+)?", text):
        raise CannotRead(msg("read.whole_number", forms=COUNT_FORMS))
    n = int(Decimal(text))
    if n > 1_000_000_000:
        raise CannotRead(msg("read.count_over"))
    return n


def read_count(text: str, floors: bool = True) -> Reading:
    """A count cell: {'count': 20} and/or {'count_floor': 3}."""
    t = norm(text)
    if "%" in t:
        raise CannotRead(msg("read.ratio_not_count"))
    kind, body = _bound(t)
    m = re.fullmatch(rf"([\d,]+(?:\.0+)?){_UNIT}{_DASH}([\d,]+(?:\.0+)?){_UNIT}", body)
    if m and kind == "exact" and floors:
        low, high = _int(m.group(1)), _int(m.group(2))
        if low > high:
            raise CannotRead(msg("read.range_reversed"))
        return Reading({"count": high, "count_floor": low},
                       Text(f"范围 {low}–{high}：上限 {high} 为计划数量，{low} 为下限",
                            f"a range {low}–{high}: its upper end {high} is the stated count, {low} a floor"))
    m = re.fullmatch(rf"([\d,]+(?:\.0+)?){_UNIT}", body)
    if not m:
        raise CannotRead(msg("read.expected_eg", forms=COUNT_FORMS))
    n = _int(m.group(1))
    if kind == "floor":
        if not floors:
            raise CannotRead(msg("read.floor_not_number"))
        return Reading({"count_floor": n}, Text(f"下限 {n}（不是上限）", f"a floor of {n}, not a cap"))
    if kind == "cap":
        return Reading({"count": n}, Text(f"上限 {n}", f"at most {n}"))
    return Reading({"count": n}, None if t == str(n) else Text(str(n), str(n)))


_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_BRACKETED = re.compile(r"[(（]([^()（）]*)[)）]")
_AMOUNT_SEP = re.compile(r"[;；,，、]+|\s+")
_COUNT_UNIT = re.compile(r"\d(?:户|家|个|件|批次|批|所|处|人|份|条|项)(?:$|[-~至到—–−])")
_BOUNDS = "|".join(map(re.escape, _FLOOR_PRE + _CAP_PRE))
_LAST_RATIO = re.compile(rf"(?:{_BOUNDS})?{_NUM}%?(?:{_DASH}{_NUM})?%(?:{'|'.join(_CAP_POST + _FLOOR_POST)})?$")
AMOUNT_FORMS = "5%, 13户, 10% (20户), 5%，1,500户, 60-70家, 不低于0.5%"


def read_amount(text: str, bare: str = "ratio") -> Reading:
    """A cell holding a ratio, a count or one of each, each part read by its unit: 10% (20户), 5%，1,500户,
    60-70家, 1户(实际以…为准). A bare number is a `bare` ("ratio": 0.05 is 5%; "count": 1 is one, never 100%).

    A bracket without a number, and text that is neither (2次/年), are remarks: not read, and said so.
    More than one ratio, or more than one count, is refused: which one the task states is not written.
    """
    t = _THOUSANDS.sub("", unicodedata.normalize("NFKC", text).replace("％", "%")).strip()
    remarks: list[str] = []

    def bracket(m: re.Match[str]) -> str:
        if re.search(r"\d", m.group(1)):
            return f" {m.group(1)} "
        remarks.append(m.group(1).strip())
        return " "

    t = _BRACKETED.sub(bracket, t)
    ratios: list[Reading] = []
    counts: list[Reading] = []
    for seg in (p for p in _AMOUNT_SEP.split(t) if p):
        if "%" in seg or "百分之" in seg:
            m = _LAST_RATIO.search(seg.replace("百分之", ""))
            if m and m.start() > 0:
                remarks.append(seg[: m.start()])
                seg = m.group()
            ratios.append(read_ratio(seg))
        elif _COUNT_UNIT.search(seg) or (bare == "count" and re.fullmatch(rf"[\d,]+(?:{_DASH}[\d,]+)?", seg)):
            counts.append(read_count(seg))
        elif bare == "ratio" and re.fullmatch(r"0?\.\d+|0|1", seg):
            ratios.append(read_ratio(seg))
        elif re.search(r"\d", seg) and not re.search(r"次|年|月|日|季", seg):
            raise CannotRead(msg("read.neither", seg=seg, forms=AMOUNT_FORMS))
        else:
            remarks.append(seg)
    if len(ratios) > 1:
        raise CannotRead(msg("read.ratios_many", n=len(ratios)))
    if len(counts) > 1:
        raise CannotRead(msg("read.counts_many", n=len(counts)))
    parts = ratios + counts
    if not parts:
        raise CannotRead(msg("read.no_amount", forms=AMOUNT_FORMS))
    if len(parts) == 1 and not remarks:
        return parts[0]
    value: dict[str, Any] = {}
    zh, en = [], []
    for p in parts:
        value.update(p.value)
        shown = "、".join(str(v) for v in p.value.values())
        zh.append(p.note.zh if p.note else shown)
        en.append(p.note.en if p.note else shown)
    if remarks:
        zh.append(f"“{'；'.join(remarks)}”是说明，未读取")
        en.append(f"{'; '.join(remarks)!r} is a remark and is not read")
    return Reading(value, Text("；".join(zh), "; ".join(en)))


def read_size(text: str) -> Reading:
    """A directory size: a whole number, with or without a unit."""
    r = read_count(text, floors=False)
    if set(r.value) != {"count"} or (r.note and r.note.en.startswith("at most")):
        raise CannotRead(msg("read.size"))
    return Reading(r.value["count"], r.note)


# --- dates and windows ---------------------------------------------------------------
_CN_NUM = {"一": 1, "二": 2, "三": 3, "四": 4}
WINDOW_FORMS = "2021-03-01至2021-06-30, 3.20-4.30, 3月—12月, 全年, 10月31日前"


def _date(y: int, m: int, d: int) -> dt.date:
    try:
        return dt.date(y, m, d)
    except ValueError:
        raise CannotRead(msg("read.not_date", date=f"{y}-{m:02d}-{d:02d}")) from None


def _month_end(y: int, m: int) -> dt.date:
    if not 1 <= m <= 12:
        raise CannotRead(msg("read.no_month", m=m))
    return dt.date(y, m, _calendar.monthrange(y, m)[1])


def _month_start(y: int, m: int) -> dt.date:
    if not 1 <= m <= 12:
        raise CannotRead(msg("read.no_month", m=m))
    return dt.date(y, m, 1)


_FULL = re.compile(r"(\d{4})(?:[-./]|年)(\d{1,2})(?:[-./]|月)(\d{1,2})日?")
_MD = re.compile(r"(\d{1,2})(?:[./]|月)(\d{1,2})日?")


def read_date(text: str) -> Reading:
    """One date: 2020-12-28, 2020.12.28, 2020/12/28, 2020年12月28日."""
    t = norm(text)
    m = _FULL.fullmatch(t)
    if not m:
        typed = _number_date(t)
        if typed:
            raise CannotRead(msg("read.number_date", text=t, date=typed.isoformat()))
        raise CannotRead(msg("read.date"))
    d = _date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return Reading(d.isoformat(), None if t == d.isoformat() else Text(d.isoformat(), d.isoformat()))


def _need(year: int | None) -> int:
    if year is None:
        raise CannotRead(msg("read.no_year"))
    return year


def read_window(text: str, year: int | None) -> Reading:
    """A window cell: {'start': ISO, 'end': ISO}, within the plan year where no year is written."""
    t = norm(text)
    t = re.sub(r"(前完成|完成|开展|实施|期间|内)$", lambda m: "前" if m.group(1) == "前完成" else "", t)
    sep = _DASH
    result: tuple[dt.date, dt.date] | None = None
    assumed = False
    # two full dates, or a full date then month-day
    m = re.fullmatch(rf"{_FULL.pattern}{sep}{_FULL.pattern}", t)
    if m:
        g = [int(x) for x in m.groups()]
        result = (_date(g[0], g[1], g[2]), _date(g[3], g[4], g[5]))
    if result is None and (m := re.fullmatch(rf"{_FULL.pattern}{sep}{_MD.pattern}", t)):
        g = [int(x) for x in m.groups()]
        result = (_date(g[0], g[1], g[2]), _date(g[0], g[3], g[4]))
    if result is None and (m := _FULL.fullmatch(t)):
        g = [int(x) for x in m.groups()]
        result = (_date(g[0], g[1], g[2]),) * 2  # type: ignore[assignment]
    # year and months: 2021年3月-6月, 2021年3月至2021年6月
    if result is None and (m := re.fullmatch(rf"(\d{{4}})年(\d{{1,2}})月?{sep}(?:(\d{{4}})年)?(\d{{1,2}})月", t)):
        y1, m1, y2, m2 = int(m.group(1)), int(m.group(2)), int(m.group(3) or m.group(1)), int(m.group(4))
        result = (_month_start(y1, m1), _month_end(y2, m2))
    # month-day to month-day within the plan year: 3.20-4.30, 3月20日-4月30日
    if result is None and (m := re.fullmatch(rf"{_MD.pattern}{sep}{_MD.pattern}", t)):
        y = _need(year)
        g = [int(x) for x in m.groups()]
        result, assumed = (_date(y, g[0], g[1]), _date(y, g[2], g[3])), True
    # months: 3月—12月, 1-12月, 3月
    if result is None and (m := re.fullmatch(rf"(\d{{1,2}})月?{sep}(\d{{1,2}})月(?:份|底)?", t)):
        y = _need(year)
        result, assumed = (_month_start(y, int(m.group(1))), _month_end(y, int(m.group(2)))), True
    # months crossing into the next year: 10月-次年3月
    if result is None and (m := re.fullmatch(rf"(\d{{1,2}})月?{sep}(?:次年|翌年|来年)(\d{{1,2}})月(?:份|底)?", t)):
        y = _need(year)
        result, assumed = (_month_start(y, int(m.group(1))), _month_end(y + 1, int(m.group(2)))), True
    # bare months in a period column: 2-11 (February to November)
    if result is None and (m := re.fullmatch(rf"(\d{{1,2}}){sep}(\d{{1,2}})", t)) and \
            1 <= int(m.group(1)) <= int(m.group(2)) <= 12:
        y = _need(year)
        result, assumed = (_month_start(y, int(m.group(1))), _month_end(y, int(m.group(2)))), True
    # one month of a year: 2025年9月
    if result is None and (m := re.fullmatch(r"(\d{4})年(\d{1,2})月(?:份)?", t)):
        y, mo = int(m.group(1)), int(m.group(2))
        result = (_month_start(y, mo), _month_end(y, mo))
    if result is None and (m := re.fullmatch(r"(\d{1,2})月(?:份)?", t)):
        y = _need(year)
        result, assumed = (_month_start(y, int(m.group(1))), _month_end(y, int(m.group(1)))), True
    # by a day or a month's end: 10月31日前, 11月20日前(完成), 10月底前
    if result is None and (m := re.fullmatch(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日(?:之)?前", t)):
        y = int(m.group(1)) if m.group(1) else _need(year)
        result, assumed = (dt.date(y, 1, 1), _date(y, int(m.group(2)), int(m.group(3)))), not m.group(1)
    if result is None and (m := re.fullmatch(r"(?:(\d{4})年)?(\d{1,2})月底(?:之)?前", t)):
        y = int(m.group(1)) if m.group(1) else _need(year)
        result, assumed = (dt.date(y, 1, 1), _month_end(y, int(m.group(2)))), not m.group(1)
    # the year, its halves and quarters
    if result is None and t in {"全年", "全年度", "年内", "常年"}:
        y = _need(year)
        result, assumed = (dt.date(y, 1, 1), dt.date(y, 12, 31)), True
    if result is None and t in {"上半年", "下半年"}:
        y = _need(year)
        result = (dt.date(y, 1, 1), dt.date(y, 6, 30)) if t == "上半年" else (dt.date(y, 7, 1), dt.date(y, 12, 31))
        assumed = True
    if result is None and (m := re.fullmatch(r"第?([1-4一二三四])季度", t)):
        y = _need(year)
        q = _CN_NUM.get(m.group(1)) or int(m.group(1))
        result, assumed = (_month_start(y, 3 * q - 2), _month_end(y, 3 * q)), True
    if result is None and (typed := _number_date(t)):
        raise CannotRead(msg("read.number_date", text=t, date=typed.isoformat()))
    if result is None:
        raise CannotRead(msg("read.period", forms=WINDOW_FORMS))
    start, end = result
    if end < start:
        raise CannotRead(msg("read.period_reversed", start=start, end=end))
    value = {"start": start.isoformat(), "end": end.isoformat()}
    canonical = f"{start.isoformat()}至{end.isoformat()}"
    if t == canonical:
        return Reading(value, None)
    zh, en = f"{start.isoformat()} 至 {end.isoformat()}", f"{start.isoformat()} to {end.isoformat()}"
    if "前" in t:
        zh += "（只写了截止日，自年初起算）"
        en += " (only the end is written; the period is taken from the start of the year)"
    if assumed:
        zh += f"（年份取计划年度 {start.year}）"
        en += f" (the year is the plan's, {start.year})"
    if re.fullmatch(r"\d{1,2}[-~至到—–−]+\d{1,2}", t):
        zh += "（时间栏中的两个数读作月份）"
        en += " (two numbers in a period column are months)"
    if end.year > start.year and not re.search(r"\d{4}", t):
        zh += f"（跨年至 {end.year} 年）"
        en += f" (it runs into {end.year})"
    return Reading(value, Text(zh, en))


# --- names and fixed values ---------------------------------------------------------
_GROUP_SEP = re.compile(r"[；;/\n|]+|\s+")  # between groups of names (a shared suffix stays in its group)
_NAME_SEP = re.compile(r"[、，,]+")
NONE_WRITTEN = {"-", "—", "–", "--", "——", "无", "/", "\\", "不涉及"}
# The ends of department names: a group "人力资源和社会保障、商务、税务部门" shares its last name's.
_SUFFIX = re.compile(r"(部门|机构|单位|委员会|管理局|局|委|办公室|办|中心|站|所|队|支队|大队)$")


def _split_outside_brackets(text: str, sep: re.Pattern[str]) -> list[str]:
    """`text` split at `sep`, never inside brackets (县（市、区）粮食行政管理部门 is one name)."""
    out, depth, start = [], 0, 0
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in "(（[【":
            depth += 1
        elif ch in ")）]】":
            depth = max(depth - 1, 0)
        elif depth == 0 and (m := sep.match(text, i)):
            out.append(text[start:i])
            start = i = m.end()
            continue
        i += 1
    out.append(text[start:])
    return [p.strip() for p in out if p.strip()]


def read_names(text: str) -> Reading:
    """Department names: split on 、，；/ and spaces, never inside brackets; a name group sharing a suffix
    (人力资源和社会保障、商务、税务部门) gives each its suffix; a trailing 等 (etc.) is dropped; "-", "—", "无"
    and "/" state that there is none. "或" (alternatives) is refused: the department is not stated."""
    raw = unicodedata.normalize("NFKC", text).strip()
    if re.sub(r"\s+", "", raw) in NONE_WRITTEN:
        return Reading([], Text(f"“{raw}”：无", f"{raw!r}: none"))
    if "或" in raw:
        raise CannotRead(msg("read.alternatives"))
    names: list[str] = []
    shared = False
    for group in _split_outside_brackets(raw, _GROUP_SEP):
        parts = _split_outside_brackets(group, _NAME_SEP)
        end = _SUFFIX.search(parts[-1]) if len(parts) > 1 else None
        if end and not any(_SUFFIX.search(p) for p in parts[:-1]):
            parts = [p + end.group(1) for p in parts[:-1]] + [parts[-1]]
            shared = True
        names.extend(parts)
    odd = [n for n in names if n in NONE_WRITTEN or not re.search(r"\w", n)]
    if odd and len(names) > 1:
        raise CannotRead(msg("read.odd_among", name=odd[0]))
    if odd:
        raise CannotRead(msg("read.odd", name=odd[0]))
    note = None
    if names and names[-1].endswith("等") and len(names[-1]) > 1:
        names[-1] = names[-1][:-1]
        note = Text("末尾的“等”不读作部门名称", "the trailing 等 (etc.) is not read as a name")
    if not names:
        raise CannotRead(msg("read.no_name"))
    if len(names) > 1 and note is None:
        note = Text("、".join(names), "; ".join(names))
        if shared:
            note = Text("、".join(names) + "（共用的后缀分给每个名称）", "; ".join(names) + " (the shared suffix "
                        "goes to each name)")
    return Reading(names, note)


def read_one_name(text: str) -> Reading:
    r = read_names(text)
    if not r.value:
        raise CannotRead(msg("read.no_lead"))
    if len(r.value) != 1:
        raise CannotRead(msg("read.leads_many", n=len(r.value), names="、".join(r.value)))
    return Reading(r.value[0], None)


def _term(table: dict[str, str], code: str) -> str:
    """The Chinese word a table gives first for a code: what a Chinese reading names it by."""
    return next((k for k, v in table.items() if v == code and not k.isascii()), code)


def _read_as(keys: list[str], table: dict[str, str]) -> Text:
    """'written → read as': in Chinese by the value's Chinese word (nothing when it was written so),
    in English by its code."""
    zh = "、".join(f"{k} → {_term(table, table[k])}" for k in keys if k != _term(table, table[k]))
    return Text(zh, "、".join(f"{k} → {table[k]}" for k in keys))


def read_value(text: str, table: dict[str, str], what: str) -> Reading:
    key = header_key(text)
    if key not in table:
        raise CannotRead(msg("read.not_one_of", what=what, options="、".join(k for k in table if not k.isascii())))
    return Reading(table[key], None if key == table[key] else _read_as([key], table))


def read_values(text: str, table: dict[str, str], what: str) -> Reading:
    """Several fixed values: split on 、，；/+和及与; spaces split only where they part two known values
    (现场  检查 is one)."""
    parts = []
    for p in re.split(r"[、，,；;/\n+和及与]+", unicodedata.normalize("NFKC", text)):
        if not p.strip():
            continue
        words = p.split()
        parts.extend(words if len(words) > 1 and all(header_key(w) in table for w in words) else [p])
    if not parts:
        raise CannotRead(msg("read.none_of", what=what))
    bad = [p for p in parts if header_key(p) not in table]
    if bad:
        raise CannotRead(msg("read.not_value", bad="、".join(bad), what=what,
                                   options="、".join(k for k in table if not k.isascii())))
    values = list(dict.fromkeys(table[header_key(p)] for p in parts))
    return Reading(values, _read_as([header_key(p) for p in parts], table))


def read_year(text: str) -> Reading:
    t = norm(text)
    m = re.fullmatch(r"(\d{4})(?:年度?)?", t)
    if not m or not 1 <= int(m.group(1)) <= 9999:
        raise CannotRead(msg("read.year"))
    y = int(m.group(1))
    return Reading(y, None if t == str(y) else Text(str(y), str(y)))


def year_in_title(title: str) -> int | None:
    """The one year a title names (广元市利州区2021年度…计划), or None."""
    years = set(re.findall(r"(\d{4})年", norm(title)))
    return int(years.pop()) if len(years) == 1 else None


