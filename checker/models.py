"""Typed records of the input documents (pydantic v2).

These mirror `schemas/*.schema.json`, the published interface; a test keeps
the two accepting and rejecting the same documents. The schema gives users
precise error locations; the models give the rest of the code typed values.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    model_validator,
)

from checker.dates import read_date

_NO_NUL = r"^[^\x00]*$"
# Whitespace spelled out (what Python's str.isspace() counts), not \s: Python's
# re, Rust's regex (pydantic-core, jsonschema-rs) and ECMA-262 disagree on \s.
_SPACE = r"\t\n\u000b\f\r \u001c-\u001f\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_HAS_TEXT = rf"^[^\x00]*[^\x00{_SPACE}][^\x00]*$"
_PERCENT = r"^(100(\.0+)?|[0-9]{1,2}(\.[0-9]+)?)%$"


def _real_date(value: str) -> str:
    if read_date(value) is None:  # 2021-02-30, 0000-01-01, 20210101
        raise ValueError("expected a date YYYY-MM-DD")
    return value


def _unit_interval(value: Decimal | int) -> Decimal | int:
    if isinstance(value, bool) or not 0 <= value <= 1:
        raise ValueError("a ratio written as a number is between 0 and 1")
    return value


Text = Annotated[str, Field(min_length=1, pattern=_NO_NUL)]
FreeText = Annotated[str, Field(pattern=_NO_NUL)]
Id = Annotated[str, Field(min_length=1, pattern=_HAS_TEXT)]
Department = Id
Date = Annotated[str, AfterValidator(_real_date)]
Count = Annotated[StrictInt, Field(ge=0, le=1_000_000_000)]
Year = Annotated[StrictInt, Field(ge=1, le=9999)]
Ratio = (
    Annotated[StrictInt, AfterValidator(_unit_interval)]
    | Annotated[Decimal, Field(strict=True), AfterValidator(_unit_interval)]
    | Annotated[str, Field(pattern=_PERCENT)]
)
Method = Literal["on_site", "document", "online", "third_party"]
# An adjustment's action as the justice bureau writes it (新增/删除/变更) or as the contract names it.
ACTIONS = {"新增": "add", "删除": "remove", "变更": "change"}
Action = Annotated[Literal["add", "remove", "change"],
                   BeforeValidator(lambda v: ACTIONS.get(v, v) if isinstance(v, str) else v)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Window(_Model):
    start: Date
    end: Date


class Objects(_Model):
    description: FreeText | None = None
    directory: Id | None = None
    directory_size: Count | None = None


class Exception_(_Model):
    basis: Literal["key_area", "special_industry", "higher_requirement"]
    cap: Ratio | None = None
    note: FreeText | None = None


class Tier(_Model):
    """A ratio of one credit-risk tier's objects (B类2%（1户）), not of the whole directory."""

    tier: Text
    ratio: Ratio
    count: Count | None = None


class SpecialTiming(_Model):
    reason: Text


class Task(_Model):
    id: Id
    name: FreeText | None = None
    items: list[Id] | None = None
    category: Literal["key", "general"] | None = None  # 事项类别 of its items: 重点 / 一般 (R24)
    objects: Objects | None = None
    methods: list[Method] | None = None
    ratio: Ratio | None = None
    count: Count | None = None
    ratio_floor: Ratio | None = None  # 不低于0.5%: a floor, not a cap
    count_floor: Count | None = None  # 不少于3户
    ratio_tiers: list[Tier] | None = None  # ratios by credit-risk tier: a stated ratio, no cap judged on them
    lead: Department | None = None
    participants: list[Department] | None = None
    window: Window | None = None
    exception: Exception_ | None = None
    special_timing: SpecialTiming | None = None


class Item(_Model):
    id: Id
    name: Text | None = None
    category: Literal["key", "general"] | None = None
    department: Department
    object_type: FreeText | None = None
    basis: FreeText | None = None


class ItemList(_Model):
    kind: Literal["item_list"]
    id: Id
    level: Literal["provincial", "municipal", "county"]
    issuer: Text | None = None
    published_on: Date | None = None
    items: list[Item]


class ObjectDirectory(_Model):
    kind: Literal["object_directory"]
    id: Id
    department: Department
    updated_on: Date | None = None
    size: Count
    entries: list[Id] | None = None


class InspectorDirectory(_Model):
    kind: Literal["inspector_directory"]
    id: Id
    department: Department
    updated_on: Date | None = None
    inspectors: list[Id]


class AnnualPlan(_Model):
    kind: Literal["annual_plan"]
    id: Id
    level: Literal["department", "conference"]
    jurisdiction: Department | None = None  # compared as a department name
    year: Year
    department: Department | None = None
    submitted_on: Date | None = None
    compiled_on: Date | None = None
    issued_on: Date | None = None
    published_on: Date | None = None
    # dates the source does not state (a published table): not the same as not done
    not_stated: list[Literal["submitted_on", "compiled_on", "issued_on", "published_on"]] | None = None
    members: list[Department] | None = None
    county_conferences: list[Department] | None = None  # 县区、管委会联席会议 reporting to this one (R26)
    platform: Text | None = None
    tasks: list[Task] | None = None


class Adjustment(_Model):
    kind: Literal["adjustment"]
    id: Id
    plan: Id
    action: Action
    task: Task | None = None
    task_id: Id | None = None
    filed_with_conference_on: Date | None = None
    filed_with_justice_on: Date | None = None
    published_on: Date | None = None
    effective_on: Date | None = None

    @model_validator(mode="after")
    def _names_its_task(self) -> Adjustment:
        if self.action == "remove" and self.task_id is None:
            raise ValueError("a removal names task_id")
        if self.action != "remove" and self.task is None:
            raise ValueError("an addition or change carries the whole task")
        return self


class Nondisclosure(_Model):
    reason: FreeText | None = None
    approved_by: FreeText | None = None
    approver_role: FreeText | None = None
    archived: StrictBool | None = None


class Result(_Model):
    object: Id
    outcome: FreeText | None = None
    entered_on: Date | None = None
    published: list[Annotated[str, Field(min_length=1, pattern=_NO_NUL)]] | None = None
    nondisclosure: Nondisclosure | None = None
    suspected_crime: StrictBool | None = None
    transferred_on: Date | None = None


class Draw(_Model):
    method: Text | None = None
    drawn_on: Date | None = None
    witnesses: list[Text] | None = None


class ThirdParty(_Model):
    name: Text
    qualified: StrictBool | None = None


class Batch(_Model):
    kind: Literal["batch"]
    id: Id
    task: Id | None = None
    origin: Literal["plan", "complaint", "referral", "monitoring"] | None = None
    year: Year | None = None
    lead: Department | None = None
    participants: list[Department] | None = None
    platform: Text | None = None
    scheme_entered_on: Date | None = None
    draw: Draw | None = None
    directory: Id | None = None
    directory_size: Count | None = None
    selected: list[Id] | None = None
    selected_count: Count | None = None
    inspectors: list[Id] | None = None
    form_items: list[Id] | None = None  # the items its inspection documents (检查文书) cover (4.2.1)
    declared_conflicts: list[Id] | None = None
    methods: list[Method] | None = None
    third_party: ThirdParty | None = None
    started_on: Date | None = None
    completed_on: Date | None = None
    results_entered_on: Date | None = None
    results: list[Result] | None = None


class ProgressReport(_Model):
    kind: Literal["progress_report"]
    id: Id
    department: Department
    jurisdiction: Department | None = None  # compared as a department name
    reporter: Literal["member", "conference"] | None = None  # a county conference's report (R26)
    period: Annotated[str, Field(pattern=r"^[0-9]{4}(-Q[1-4])?$")]
    submitted_on: Date | None = None


class WorkNorm(_Model):
    kind: Literal["work_norm"]
    id: Id
    department: Department
    covers: list[
        Literal["draw_method", "process", "approval", "publication", "archiving", "time_limits"]
    ]


Document = (
    ItemList
    | ObjectDirectory
    | InspectorDirectory
    | AnnualPlan
    | Adjustment
    | Batch
    | ProgressReport
    | WorkNorm
)

MODELS: dict[str, type[_Model]] = {
    "item_list": ItemList,
    "object_directory": ObjectDirectory,
    "inspector_directory": InspectorDirectory,
    "annual_plan": AnnualPlan,
    "adjustment": Adjustment,
    "batch": Batch,
    "progress_report": ProgressReport,
    "work_norm": WorkNorm,
}
