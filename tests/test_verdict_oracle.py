"""Never a wrong verdict: the cap rules against exact arithmetic, at sizes clingo cannot multiply.

clingo's integers are 32-bit and wrap silently; a cap written as Count*100 > Size*5
passes 500,000,000 × 5. The rules compare exact ratio ranks instead; here they are
checked against Python's Fractions over the whole range of counts and sizes.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.api import Options, check_documents
from checker.read.inputs import RawDocument
from tests.helpers import plan

counts = st.one_of(st.integers(0, 1_000_000_000), st.sampled_from([0, 1, 49, 50, 51, 999_999_999, 10**9]))
caps = st.one_of(st.none(), st.decimals(0, 1, places=6, allow_nan=False),
                 st.sampled_from(["0.001%", "5%", "8%", "100%"]))


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(count=counts, size=counts, cap=caps)
def test_the_sampling_cap_verdict_is_exact(count: int, size: int, cap: Decimal | str | None) -> None:
    doc = plan(count=count, size=size)
    task = doc["tasks"][0]
    del task["ratio"]
    if cap is not None:
        task["exception"] = {"basis": "key_area", "cap": cap}
    limit = Fraction(5, 100) if cap is None else (
        Fraction(Decimal(cap[:-1])) / 100 if isinstance(cap, str) else Fraction(cap))
    report = check_documents([RawDocument("f", "", doc)], Options(as_of=dt.date(2020, 12, 1)))
    assert report.input_errors == []
    found = [f for f in report.of("violation") if f.rule == "sampling-ratio-cap"]
    expected = count > 0 if size == 0 else Fraction(count, size) > limit
    assert bool(found) == expected, (count, size, cap)
    if found and size:
        allowed = size * limit
        assert found[0].evidence["max_allowed"] == allowed.numerator // allowed.denominator
