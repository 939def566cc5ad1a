"""Line and column of JSON pointers in a JSON or YAML text, found on demand.

The loader parses with the fast C readers, which keep no positions. When a
report needs to point into a file (SARIF regions, GitHub annotations, the
`source` of a finding), the pointers it needs are looked up here in one scan
of that file: a light tokenizer for JSON that steps over (in C) every value
with nothing wanted inside and stops once every pointer is found, and the
YAML composer (which keeps marks) for YAML. Only files with findings or
input errors are scanned, and none larger than the text the loader keeps
(checker.read.inputs.MAX_KEPT_TEXT_BYTES).
A member is placed at its key (where a reader looks for it); an array item at
its first character. Lines and columns count from 1; columns count Unicode
code points.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

import yaml

from checker.errors import pointer

Position = tuple[int, int]

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+')
_SKIP = json.JSONDecoder()  # finds where a value no pointer wanted lies within ends


def ancestors(path: str) -> list[str]:
    """The pointer itself and every pointer above it, nearest first ("" last)."""
    out = [path]
    while path:
        path = path[: path.rfind("/")]
        out.append(path)
    return out


def positions(text: str, syntax: str, wanted: Iterable[str]) -> dict[str, Position]:
    """Where each wanted pointer (and its ancestors) begins in the text."""
    targets = {a for w in wanted for a in ancestors(w)}
    try:
        if syntax == "yaml":
            return _yaml_positions(text, targets)
        return _json_positions(text, targets)
    except (yaml.YAMLError, ValueError, RecursionError, IndexError):  # unreadable text has no positions
        return {}


class _Lines:
    """Offsets to (line, column), for offsets visited in increasing order."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.offset = 0
        self.line = 1
        self.line_start = 0

    def at(self, offset: int) -> Position:
        newlines = self.text.count("\n", self.offset, offset)
        if newlines:
            self.line += newlines
            self.line_start = self.text.rfind("\n", self.offset, offset) + 1
        self.offset = offset
        return self.line, offset - self.line_start + 1


def _json_positions(text: str, targets: set[str]) -> dict[str, Position]:
    out: dict[str, Position] = {}
    lines = _Lines(text)
    # a frame: [path, is_object, expecting_key, key_or_index, key_offset]
    stack: list[list[object]] = []
    at_offset = 0
    while (m := _TOKEN.search(text, at_offset)) is not None:
        at_offset = m.end()
        tok = m.group()
        frame = stack[-1] if stack else None
        if frame is not None and frame[1] and frame[2]:  # an object member's key
            if tok == "}":
                stack.pop()
            elif tok[0] == '"':
                frame[3] = json.loads(tok)
                frame[4] = m.start()
                frame[2] = False
            continue
        if tok == ":":
            continue
        if tok == ",":
            if frame is not None:
                if frame[1]:
                    frame[2] = True
                else:
                    frame[3] = int(frame[3]) + 1  # type: ignore[call-overload]
            continue
        if tok in {"}", "]"}:
            if not stack:  # unbalanced: not JSON this scan can place
                break
            stack.pop()
            continue
        # a value starts here
        if frame is None:
            path, at = "", m.start()
        else:
            path = str(frame[0]) + pointer(frame[3])  # type: ignore[arg-type]
            at = int(frame[4]) if frame[1] else m.start()  # type: ignore[call-overload]
        if path not in targets:  # nothing wanted inside: step over the value (in C)
            if tok in {"{", "["}:
                try:
                    at_offset = _SKIP.raw_decode(text, m.start())[1]
                    continue
                except ValueError:  # not plain JSON inside: walk it token by token
                    pass
        elif path not in out:
            out[path] = lines.at(at)
            if len(out) == len(targets):
                break
        if tok == "{":
            stack.append([path, True, True, None, 0])
        elif tok == "[":
            stack.append([path, False, False, 0, 0])
    return out


def _yaml_positions(text: str, targets: set[str]) -> dict[str, Position]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    root = yaml.compose(text, Loader=loader)
    out: dict[str, Position] = {}
    if root is None:
        return out
    stack: list[tuple[yaml.Node, str, yaml.Mark]] = [(root, "", root.start_mark)]
    while stack:
        node, path, mark = stack.pop()
        if path in targets:
            out.setdefault(path, (mark.line + 1, mark.column + 1))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    child = path + pointer(key.value)
                    if child in targets:  # targets hold every ancestor of a wanted pointer
                        stack.append((value, child, key.start_mark))
        elif isinstance(node, yaml.SequenceNode):
            for i, value in enumerate(node.value):
                child = path + pointer(i)
                if child in targets:
                    stack.append((value, child, value.start_mark))
    return out
