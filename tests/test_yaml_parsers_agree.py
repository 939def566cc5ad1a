"""libyaml's event parser (C) reads YAML as PyYAML's own parser does, where both read it.

The strict loader runs PyYAML's composer and constructor on the C parser's events
(yaml_strict.StrictLoader), and hands what libyaml refuses to the all-Python loader. Where
both parsers read a text, the values (or the strict loader's own refusals: duplicate
keys, misread numbers, tags, depth, size) must be the same. libyaml is the more
permissive of the two in a few corners of the YAML spec (a tab inside a plain scalar,
`n\tull`, is text to libyaml and a scanner error to PyYAML): there it reads what
PyYAML would refuse, never something else. Texts: YAML dumps of random values in block
and flow style, and the same texts with a character changed, dropped or added.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.read import exact as E
from checker.read import yaml_strict as L
from checker.read.inputs import GUARD_DEPTH, Limits

pytestmark = pytest.mark.skipif(L.CParser is None, reason="PyYAML without libyaml: one parser only")

ROOT = Path(__file__).resolve().parent.parent
_TEXT = st.text(alphabet=st.sampled_from(list("ab :-#&*!|>'\\\"[]{},?%@`\n\t~1.0é市\u0085\u2028\ufeff")), max_size=8)
_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | _TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
    max_leaves=12,
)


_OWN = (E.Refused, E.DuplicateKey, E.TooDeep, L.TooMany)  # the strict loader's own refusals


def _outcome(loader_class: type, text: str) -> tuple[str, Any]:
    loader = loader_class(text, max_depth=GUARD_DEPTH, max_values=Limits().max_yaml_values)
    try:
        return "value", loader.get_single_data()
    except yaml.YAMLError:
        return "parser refused", None
    except _OWN as exc:
        return type(exc).__name__, str(exc)
    finally:
        loader.dispose()


def _agree(text: str) -> None:
    c, py = _outcome(L.StrictLoader, text), _outcome(L.PyStrictLoader, text)
    if c[0] == "parser refused":  # what libyaml refuses is read by the all-Python loader (yaml_strict.load_yaml)
        if py[0] == "value":
            assert L.load_yaml(text, Limits().max_yaml_values) == py[1]
        return
    if py[0] == "parser refused":
        return  # libyaml reads a corner of the spec PyYAML refuses
    assert c == py, text


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(_VALUES, st.booleans(), st.data())
def test_the_two_parsers_agree_on_dumps_and_their_mutations(value: Any, flow: bool, data: st.DataObject) -> None:
    text = yaml.safe_dump(value, default_flow_style=flow, allow_unicode=True)
    _agree(text)
    at = data.draw(st.integers(0, len(text)))
    change = data.draw(st.sampled_from(["drop", "add", "replace"]))
    char = data.draw(st.sampled_from(list(":-[]{},'\"\\ \n\t#&*!|>?")))
    mutated = {"drop": text[:at] + text[at + 1:], "add": text[:at] + char + text[at:],
               "replace": text[:at] + char + text[at + 1:]}[change]
    _agree(mutated)


def test_the_two_parsers_agree_on_every_bundled_yaml_file() -> None:
    files = sorted(f for f in ROOT.glob("fixtures/**/*") if f.suffix in {".yaml", ".yml"})
    assert files
    for f in files:
        text = f.read_bytes().decode("utf-8-sig", errors="replace")
        _agree(text)


def test_what_libyaml_refuses_is_read_as_pyyaml_reads_it() -> None:
    text = 'id: "\\udfff"\n'  # an escaped lone surrogate: libyaml refuses it, PyYAML reads it
    assert _outcome(L.StrictLoader, text)[0] == "parser refused"
    assert L.load_yaml(text, 100) == {"id": "\udfff"}


_TRICKY = ["2021-01-25", "2021-1-5 10:00:00", "050", "0x10", "0b11", "1:20", "1_000", "1e3", "1.5", ".inf",
           "-.nan", "yes", "No", "on", "OFF", "~", "null", "Null", "true", "=", "<<", "'1'", '"x"', "a b",
           "2021-01-25T10:00:00Z", "!!str 5", "!!python/object:os.system x", "&a 1", "*a", "|\n  x", ">-\n  y"]


@pytest.mark.parametrize("scalar", _TRICKY)
def test_the_two_parsers_agree_on_scalars_that_resolve_to_types(scalar: str) -> None:
    for text in (f"k: {scalar}\n", f"- {scalar}\n", f"{{k: {scalar}}}\n", f"[{scalar}, x]\n",
                 f"a: &a 1\nk: {scalar}\n"):
        _agree(text)
