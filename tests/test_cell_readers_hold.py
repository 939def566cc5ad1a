"""Any cell text either reads to a value or is refused by name; no text crashes a reader, and a value
read renders back to text that reads the same."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.tables import readers as rd

# Texts built from the pieces real cells are made of, and any text at all.
_PIECES = st.sampled_from(["5%", "10", "-", "—", "户", "家", "(", ")", "（", "）", "、", "，", ",", "；", ";",
                           "或", "部门", "局", "不超过", "不低于", "≥", "月", "次年", "年", "2025", "B类", "A:", " ",
                           "\n", "1.", "2、", "0.05", "1,500", "至", "前", "全年", "个体"])
TEXTS = st.one_of(st.lists(_PIECES, max_size=8).map("".join), st.text(max_size=20))
READERS: dict[str, Callable[[str], Any]] = {
    "ratio": rd.read_ratio, "count": rd.read_count, "amount": rd.read_amount,
    "amount_count": lambda t: rd.read_amount(t, "count"), "tiers": rd.read_tiers,
    "window": lambda t: rd.read_window(t, 2025), "names": rd.read_names, "one_name": rd.read_one_name,
    "date": rd.read_date, "year": rd.read_year, "size": rd.read_size,
}


@pytest.mark.parametrize("name", sorted(READERS))
@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(text=TEXTS)
def test_a_cell_text_is_read_or_refused_never_a_crash(name: str, text: str) -> None:
    try:
        reading = READERS[name](text)
    except rd.CannotRead as exc:
        assert str(exc)  # a refusal says what was expected
        return
    assert isinstance(reading, rd.Reading)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(text=TEXTS)
def test_a_ratio_or_count_read_renders_back_to_the_same(text: str) -> None:
    try:
        value = rd.read_amount(text, "ratio").value
    except rd.CannotRead:
        return
    for key, v in value.items():
        again = rd.read_amount(str(v) if "ratio" in key else f"{v}户", "ratio").value
        assert again == {key.removesuffix("_floor"): v}


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(text=TEXTS)
def test_a_window_read_renders_back_to_the_same(text: str) -> None:
    try:
        window = rd.read_window(text, 2025).value
    except rd.CannotRead:
        return
    assert rd.read_window(f"{window['start']}至{window['end']}", None).value == window


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(text=TEXTS)
def test_names_read_render_back_to_the_same(text: str) -> None:
    try:
        names = rd.read_names(text).value
    except rd.CannotRead:
        return
    if names:
        assert rd.read_names("；".join(names)).value == names
