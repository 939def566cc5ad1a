"""A JSON or YAML text to a value, strictly: every problem an InputError value, never a raise."""

from __future__ import annotations

import json
from typing import Any

import yaml

from checker.errors import InputError
from checker.read.bounds import check_bounds
from checker.read.exact import DuplicateKey, Refused, TooDeep
from checker.read.inputs import Limits
from checker.read.json_strict import load_json
from checker.read.yaml_strict import TooMany, load_yaml


def parse_value(
    name: str, data: bytes, syntax: str, limits: Limits
) -> tuple[Any, InputError | None]:
    """Parse strictly and check the value against the limits (depth, text, aliases)."""
    value, error = parse_bytes(name, data, syntax, limits)
    if error is None:
        error = check_bounds(name, value, limits, budget=max(len(data), 1))
    return (None, error) if error else (value, None)


def parse_bytes(
    name: str, data: bytes, syntax: str, limits: Limits | None = None
) -> tuple[Any, InputError | None]:
    """Decode UTF-8 (a BOM is accepted) and parse strictly.

    Nesting is bounded before the recursive parsers see it: JSON by a linear scan
    of its brackets, YAML by the composer counting its depth. That guard is set at
    the ceiling, not at the run's limit, so that a document nested a little too deep
    is refused alone, with its place, by check_bounds.
    """
    limits = limits or Limits()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, InputError(
            name, "", f"not UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start} cannot be decoded"
        )
    try:
        if syntax == "yaml":
            return load_yaml(text, limits.max_yaml_values), None
        return load_json(data, text), None
    except json.JSONDecodeError as exc:
        return None, InputError(name, "", f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}")
    except DuplicateKey as exc:
        return None, InputError(name, "", f"duplicate key {exc.key!r} in one object")
    except Refused as exc:
        return None, InputError(name, "", str(exc))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1} column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return None, InputError(name, "", f"invalid YAML{where}: {problem}")
    except TooDeep:
        return None, InputError(name, "", f"nested deeper than {limits.max_depth} levels")
    except TooMany:
        return None, InputError(name, "", f"holds more than {limits.max_yaml_values} values, the most a YAML file "
                                          "may (--max-yaml-values): give bulk data as JSON or JSON Lines")
    except RecursionError:  # a last guard: the bounds above keep the parsers far from it
        return None, InputError(name, "", "value is nested too deeply")
