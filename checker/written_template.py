"""`dsr-check template --kind adjustment|batch|progress_report|work_norm`: a YAML form to fill in.

Every kind has a workbook template (checker.tables.template); the documents a
person may also write by hand (an adjustment filed with the justice bureau, a batch
with its results, a progress report, a work norm) are short, so they have a YAML
form too: every field the schema knows, blank, each with its Chinese label
and the values it accepts in a comment. A blank field is read as absent, so a
half-filled form is checked for what it says; a filled form is checked exactly as
the same document written as JSON. The fields come from `schemas/`, the labels
from the engine's and the rulebook's labels.yaml, so neither is repeated here.
"""

from __future__ import annotations

import json
from typing import Any

from checker.labels import labels
from checker.resources import DEFAULT_RULEBOOK, rules_dir, schemas_dir

KINDS = ("adjustment", "batch", "progress_report", "work_norm")
TITLES = {
    "adjustment": "年度计划调整（报联席会议和司法部门备案）",
    "batch": "抽查批次及其检查结果",
    "progress_report": "季度工作进展报告（或年度总结，period 写 2021-Q3 或 2021）",
    "work_norm": "抽查工作规范（工作细则）",
}
_COMMENT_AT = 40  # the column comments start at, so a filled value rarely pushes them
# Fields the reports never name, so labels.yaml has no word for them.
_WORDS = {"id": "编号", "plan": "所属年度计划的编号", "task_id": "删除时：被删除任务的编号",
          "description": "描述", "outcome": "检查结果", "selected_count": "抽取户数",
          "declared_conflicts": "声明回避的检查人员", "witnesses": "见证人", "note": "说明",
          "ratio_floor": "比例下限", "count_floor": "数量下限", "period": "期间",
          "jurisdiction": "行政区域"}


def _schema(name: str) -> dict[str, Any]:
    return json.loads((schemas_dir() / name).read_text(encoding="utf-8"))


def _resolve(node: dict[str, Any], common: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref", "")
    if ref.startswith("common.schema.json#/$defs/"):
        return {**_resolve(common["$defs"][ref.rsplit("/", 1)[1]], common),
                **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _hint(key: str, node: dict[str, Any], common: dict[str, Any], label: Any) -> str:
    """The comment after a field: its label, and the values or form it takes."""
    node = _resolve(node, common)
    word = label.key(key) if label.key(key) != key else _WORDS.get(key, "")
    words = [word] if word else []
    enum = node.get("enum") or _resolve(node.get("items") or {}, common).get("enum")
    if enum:
        named = {label.values[v] for v in enum if v in label.values}
        shown = [f"{v}（{label.values[v]}）" if v in label.values else str(v) for v in enum if v not in named]
        words.append("取值 " + " / ".join(shown))
    elif node.get("format") == "date" or key.endswith("_on"):
        words.append("如 2021-08-03 或 2021年8月3日")
    elif "ratio" in key:
        words.append("如 5% 或 0.05")
    elif node.get("type") == "boolean":
        words.append("true / false")
    if node.get("type") == "array" and "enum" not in node:
        words.append("可填多项：[甲, 乙]")
    return "；".join(words)


def _lines(props: dict[str, Any], common: dict[str, Any], label: Any, indent: str, required: set[str],
           first_prefix: str = "") -> list[str]:
    out: list[str] = []
    for key, raw in props.items():
        if key == "kind":
            continue
        node = _resolve(raw, common)
        lead = first_prefix if not out and first_prefix else indent  # a list's item starts with "- "
        hint = _hint(key, raw, common, label) + ("（必填）" if key in required else "")
        items = _resolve(node.get("items") or {}, common)
        if node.get("type") == "object" and node.get("properties"):
            out.append(_with_comment(f"{lead}{key}:", hint))
            out += _lines(node["properties"], common, label, indent + "  ", set(node.get("required") or ()))
        elif node.get("type") == "array" and items.get("type") == "object":
            out.append(_with_comment(f"{lead}{key}:", hint + "；每项以 - 开头，可复制多项"))
            out += _lines(items["properties"], common, label, indent + "    ", set(items.get("required") or ()),
                          first_prefix=indent + "  - ")
        else:
            out.append(_with_comment(f"{lead}{key}:", hint))
    return out


def _with_comment(text: str, comment: str) -> str:
    return f"{text.ljust(_COMMENT_AT)} # {comment}" if comment else text


def yaml_template(kind: str) -> str:
    """The blank YAML form of one kind of document."""
    schema, common = _schema(f"{kind}.schema.json"), _schema("common.schema.json")
    label = labels(rules_dir() / DEFAULT_RULEBOOK)
    head = [
        f"# {TITLES[kind]}：填写后用 dsr-check check 本文件 检查。",
        "# 冒号后留空的项视为未填写；文字照原样填写，日期写 2021-08-03 或 2021年8月3日。",
        f"kind: {kind}",
    ]
    return "\n".join(head + _lines(schema["properties"], common, label, "", set(schema.get("required") or ()))) + "\n"
