"""Strict YAML: a safe loader with no object tags, dates kept as text, numbers exact, no duplicate keys.

The composer counts its depth and its values, so no value is nested past the
guard, nor a file of `- {}` lines read past --max-yaml-values, before the
recursive constructor walks it. libyaml's event parser (C) reads where it can;
what it refuses is read by PyYAML's own parser (load_yaml).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

try:
    from yaml._yaml import CParser
except ImportError:  # PyYAML built without libyaml
    CParser = None

from checker.read.exact import DuplicateKey, Refused, TooDeep, decimal, integer
from checker.read.inputs import GUARD_DEPTH, Limits


class TooMany(Exception):
    """More values than --max-yaml-values."""


class _Bounded:
    """Safe YAML: no object tags, dates stay text, numbers exact, no duplicate keys.

    The composer counts its depth and stops at `max_depth`, so no YAML value is
    nested deeper than the limit by the time the recursive constructor walks it;
    and it counts the values, stopping past `max_values`.
    """

    def _bound(self, max_depth: int, max_values: int) -> None:
        self._max_depth = max_depth
        self._depth = 0
        self._values_left = max_values

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        self._depth += 1
        self._values_left -= 1
        try:
            if self._depth - 1 > self._max_depth:  # the root is at depth 0
                raise TooDeep
            if self._values_left < 0:
                raise TooMany
            return super().compose_node(parent, index)  # type: ignore[misc]
        finally:
            self._depth -= 1


class PyStrictLoader(_Bounded, yaml.SafeLoader):
    """The strict loader, all in Python: what PyYAML's own parser says of a text."""

    def __init__(self, stream: str, max_depth: int = GUARD_DEPTH,
                 max_values: int = Limits.max_yaml_values) -> None:
        yaml.SafeLoader.__init__(self, stream)
        self._bound(max_depth, max_values)


if CParser is not None:
    class StrictLoader(_Bounded, Composer, CParser, SafeConstructor, Resolver):  # type: ignore[misc]
        """The strict loader on libyaml's event parser (C), three times as fast; the composer is
        still PyYAML's, so the bounds above hold. libyaml refuses a few texts PyYAML reads (an
        escaped lone surrogate): what it refuses is read again by PyStrictLoader (load_yaml).
        It reads a few PyYAML refuses (a tab inside a plain scalar, as the spec allows);
        tests/test_yaml_parsers_agree.py holds the two to the same values where both read."""

        def __init__(self, stream: str, max_depth: int = GUARD_DEPTH,
                     max_values: int = Limits.max_yaml_values) -> None:
            CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)
            self._bound(max_depth, max_values)
else:
    StrictLoader = PyStrictLoader  # type: ignore[misc]


def load_yaml(text: str, max_values: int) -> Any:
    """The text's one YAML document, read strictly; a YAMLError is PyYAML's own word on it."""
    if StrictLoader is not PyStrictLoader:
        try:
            return _read_yaml(StrictLoader, text, max_values)
        except yaml.YAMLError:
            pass  # libyaml refused it: PyYAML's parser says what it is
    return _read_yaml(PyStrictLoader, text, max_values)


def _read_yaml(loader_class: type[_Bounded], text: str, max_values: int) -> Any:
    loader = loader_class(text, max_depth=GUARD_DEPTH, max_values=max_values)  # type: ignore[call-arg]
    try:
        return loader.get_single_data()  # type: ignore[attr-defined]
    finally:
        loader.dispose()  # type: ignore[attr-defined]


_RESOLVERS = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


_PLAIN_INT = re.compile(r"[-+]?(0|[1-9][0-9_]*)")


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    """Plain decimal only: YAML 1.1 reads 050 as 40, 0x10 as 16 and 1:20 as 80."""
    text = str(loader.construct_scalar(node))
    if not _PLAIN_INT.fullmatch(text):
        raise Refused(
            f"{text} at {_at(node)} is not a plain decimal number (YAML 1.1 reads it as octal, "
            "hexadecimal, binary or base 60); write it in decimal, or quote it if it is text"
        )
    return integer(text.replace("_", ""))


def _construct_float(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
    text = str(loader.construct_scalar(node))
    if ":" in text:
        raise Refused(f"{text} at {_at(node)} is a base-60 number in YAML 1.1; quote it if text")
    if text.lower().lstrip("+-") in {".inf", ".nan"}:
        raise Refused(f"{text} at {_at(node)} is not a number this checker accepts")
    return decimal(text.replace("_", ""))


def _refuse_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    tag = node.tag.replace("tag:yaml.org,2002:", "!!")
    raise Refused(
        f"the YAML tag {tag} at {_at(node)} is not accepted: only text, numbers, true/false, "
        "null, lists and mappings (as in JSON)"
    )


def _at(node: yaml.Node) -> str:
    return f"line {node.start_mark.line + 1} column {node.start_mark.column + 1}"


def _construct_bool(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> bool:
    text = str(loader.construct_scalar(node))
    if text.lower() not in loader.bool_values:  # SafeLoader raised KeyError on `!!bool maybe`
        raise Refused(f"{text} at {_at(node)} is not true or false")
    return bool(loader.bool_values[text.lower()])


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    if not isinstance(node, yaml.MappingNode):  # `!!map [1]` raised TypeError
        raise Refused(f"the tag !!map at {_at(node)} is on a value that is not a mapping")
    own = sum(1 for k, _ in node.value if k.tag != "tag:yaml.org,2002:merge")
    loader.flatten_mapping(node)
    merged = len(node.value) - own  # keys merged in with <<: may be overridden
    out: dict[Any, Any] = {}
    own_keys: set[str] = set()
    for i, (key_node, value_node) in enumerate(node.value):
        if not isinstance(key_node, yaml.ScalarNode):  # str() of an aliased list key could not end
            raise Refused(f"the key at {_at(key_node)} is a list or mapping; a key is text")
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        if i >= merged:
            if key in own_keys:
                raise DuplicateKey(key)
            own_keys.add(key)
        out[key] = loader.construct_object(value_node, deep=True)
    return out


for _loader in {StrictLoader, PyStrictLoader}:
    _loader.yaml_implicit_resolvers = _RESOLVERS
    _loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
    _loader.add_constructor("tag:yaml.org,2002:bool", _construct_bool)
    _loader.add_constructor("tag:yaml.org,2002:float", _construct_float)
    for _tag in ("binary", "set", "omap", "pairs", "timestamp"):
        _loader.add_constructor(f"tag:yaml.org,2002:{_tag}", _refuse_tag)
    _loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
