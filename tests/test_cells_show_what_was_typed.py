"""An unreadable cell's error shows what the user typed or sees in the cell, never a value the
reader made up: a number typed in a date column (20211228) is named as typed, with the date
it means; a formula that failed shows its error value (#VALUE!, #REF!, #N/A…) and the formula."""

from __future__ import annotations

import importlib.util
import zipfile
from pathlib import Path

import pytest

from checker.api import Options, check
from checker.errors import InputError
from checker.tables import TableOptions, read_table

EXCEL = Path(__file__).resolve().parent.parent / "fixtures" / "excel"
FIELDS = TableOptions(plan=(("level", "联席会议"), ("year", "2021")))


def _county_plan() -> object:
    spec = importlib.util.spec_from_file_location("make_county_plan", EXCEL / "make_county_plan.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module.workbook()


def _save(wb: object, path: Path, cached: dict[str, tuple[str, str]] | None = None) -> str:
    """Save the workbook; `cached` gives formula cells the error value Excel saved with them
    (ref → (formula, shown)), which openpyxl cannot write itself."""
    wb.save(path)  # type: ignore[attr-defined]
    if cached:
        with zipfile.ZipFile(path) as z:
            parts = {n: z.read(n) for n in z.namelist()}
        xml = parts["xl/worksheets/sheet1.xml"].decode()
        for ref, (formula, shown) in cached.items():
            plain = f'<c r="{ref}"><f>{formula}</f><v></v></c>'
            assert plain in xml, xml[:200]
            xml = xml.replace(plain, f'<c r="{ref}" t="e"><f>{formula}</f><v>{shown}</v></c>')
        parts["xl/worksheets/sheet1.xml"] = xml.encode()
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in parts.items():
                z.writestr(name, data)
    return str(path)


def _errors(path: str) -> list[InputError]:
    return read_table(path, Path(path).read_bytes(), "xlsx", FIELDS).errors


def test_a_number_typed_in_a_date_column_is_named_as_typed(tmp_path: Path) -> None:
    """Excel shows ######## for 20211228 in a date-formatted cell, and openpyxl reads #VALUE!."""
    wb = _county_plan()
    wb.active["K4"] = 20211228  # type: ignore[attr-defined]
    wb.active["K4"].number_format = "yyyy-mm-dd"  # type: ignore[attr-defined]
    [error] = _errors(_save(wb, tmp_path / "plan.xlsx"))
    assert dict(error.source)["column"] == "K" and dict(error.source)["row"] == 4
    assert error.text("en") == ("sheet 抽查计划 row 4 column K (实施时间): '20211228' cannot be read: "
                                "20211228 is a number, not a date: write 2021-12-28")
    assert error.text("zh") == ("工作表 抽查计划 第 4 行 K 列（实施时间）的「20211228」无法读取："
                                "这是数字，不是日期：请写作 2021-12-28")
    assert "#VALUE!" not in error.text("en") + error.text("zh")


def test_a_number_typed_in_a_general_cell_says_the_date_it_means(tmp_path: Path) -> None:
    wb = _county_plan()
    wb.active["K5"] = 20210315  # type: ignore[attr-defined]
    [error] = _errors(_save(wb, tmp_path / "plan.xlsx"))
    assert error.text("zh").endswith("的「20210315」无法读取：这是数字，不是日期：请写作 2021-03-15")


def test_a_number_that_is_no_date_is_not_given_one(tmp_path: Path) -> None:
    wb = _county_plan()
    wb.active["K5"] = 20211332  # type: ignore[attr-defined]
    [error] = _errors(_save(wb, tmp_path / "plan.xlsx"))
    assert "「20211332」" in error.text("zh") and "请写作" not in error.text("zh")
    assert "应为期间" in error.text("zh")


@pytest.mark.parametrize("shown", ["#VALUE!", "#REF!", "#N/A", "#DIV/0!", "#NAME?"])
def test_a_failed_formula_shows_its_error_value_and_the_formula(tmp_path: Path, shown: str) -> None:
    wb = _county_plan()
    wb.active["K6"] = '=DATE(2021,"x",1)'  # type: ignore[attr-defined]
    path = _save(wb, tmp_path / "plan.xlsx", {"K6": ('DATE(2021,"x",1)', shown)})
    read = read_table(path, Path(path).read_bytes(), "xlsx", FIELDS)
    [error] = read.errors
    assert error.text("en").endswith(f"'{shown}' cannot be read: the cell shows {shown}: its formula "
                                     f'=DATE(2021,"x",1) failed; correct the formula, or write the value')
    assert error.text("zh").endswith(f"的「{shown}」无法读取：单元格显示 {shown}，即其公式 "
                                     f'=DATE(2021,"x",1) 计算出错：请改正公式，或直接写上数值')
    # the error value is not read as the cell's value
    assert not any(shown in n.message and "is read" in n.message for n in read.notes)


def test_an_error_value_without_a_formula_is_named_as_one(tmp_path: Path) -> None:
    """A .csv export keeps the error value and drops the formula."""
    path = tmp_path / "plan.csv"
    wb = _county_plan()
    rows = [[c.value for c in row] for row in wb.active.iter_rows()]  # type: ignore[attr-defined]
    rows[4][10] = "#REF!"
    path.write_text("\n".join(",".join("" if v is None else str(v).replace(",", "，") for v in r) for r in rows),
                    encoding="utf-8")
    errors = read_table(str(path), path.read_bytes(), "csv", FIELDS).errors
    [error] = [e for e in errors if "#REF!" in e.message]
    assert error.text("en").endswith("'#REF!' cannot be read: the cell shows #REF!, the error value of a formula; "
                                     "write the value")
    assert error.text("zh").endswith("的「#REF!」无法读取：单元格显示 #REF!，这是公式出错时的错误值：请直接写上数值")


def test_the_report_names_the_typed_value_in_both_languages(tmp_path: Path) -> None:
    wb = _county_plan()
    wb.active["K4"] = 20211228  # type: ignore[attr-defined]
    wb.active["K4"].number_format = "yyyy-mm-dd"  # type: ignore[attr-defined]
    path = _save(wb, tmp_path / "plan.xlsx")
    for lang, fragment in (("zh", "「20211228」无法读取：这是数字，不是日期：请写作 2021-12-28"),
                           ("en", "'20211228' cannot be read: 20211228 is a number, not a date: write 2021-12-28")):
        report = check([path], Options(lang=lang, tables=FIELDS))
        [data] = report.to_dict()["input_errors"]
        assert fragment in data["message"], data
