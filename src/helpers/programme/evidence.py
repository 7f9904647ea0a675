"""Tasks of the plan (nhiệm vụ) judged from coded evidence in the activities register.

Each activity row is coded with the evidence kinds of the plan file (``evidence_kinds``): by its
activity kind and, where given, words of its title. A task counts only the kinds it names, so a
row about an OCOP ranking is never evidence of product certification, and a draft never
completes a task whose plan words ask for a finished, issued set.

Status of a task:

* ``continuing`` ("Tiếp tục mở rộng …", "Nâng cao nhận thức …"): *in progress* while its phase
  runs and there is evidence in it; *done* only once the phase is over (report year after the
  phase's last year) with evidence in it; *not done* without evidence.
* ``deliverable`` ("Xây dựng, hoàn thiện …"): *done* only when evidence of a completing kind
  (an issuing decision) is recorded; *in progress* on other counted evidence (a draft); *not
  done* without evidence.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from helpers.programme import progress
from helpers.programme.plan import Plan, Target


@dataclass(frozen=True)
class TaskAssessment:
    """The status of a task and the evidence behind it.

    Attributes
    ----------
    status : str
        ``done``, ``in_progress`` or ``not_done`` (:mod:`helpers.programme.progress`).
    counted : DataFrame
        Activity rows counted as evidence, with ``counted_kinds`` and ``other_kinds`` (codes).
    excluded : DataFrame
        Rows of the task's activity kinds that give none of its evidence kinds (for example an
        OCOP ranking filed as a certification-scope event), with ``other_kinds``.
    completed : bool
        Whether evidence of a completing kind is recorded.

    """

    status: str
    counted: pd.DataFrame
    excluded: pd.DataFrame
    completed: bool

    @property
    def year(self) -> int | None:
        """Latest year with counted evidence."""
        return None if self.counted.empty else int(self.counted["year"].max())


def evidence_kinds_of(plan: Plan, activity_kind: str, title: str) -> tuple[str, ...]:
    """The evidence kinds (codes, plan order) an activity row gives.

    Examples
    --------
    >>> from helpers.config import PROJECT_ROOT
    >>> from helpers.programme.plan import load_plan
    >>> plan = load_plan(PROJECT_ROOT / "data/plan/quang_ninh_203.yaml")
    >>> evidence_kinds_of(plan, "cert_scope_extension", "Xếp hạng sản phẩm OCOP 4 sao")
    ('ocop_ranking',)

    """
    return tuple(k.code for k in plan.evidence_kinds if k.matches(activity_kind, str(title)))


def _relevant_activity_kinds(plan: Plan, target: Target) -> set[str]:
    assert target.task is not None
    named = set(target.task.counts + target.task.completes)
    return {a for k in plan.evidence_kinds if k.code in named for a in k.activity_kinds}


def assess_task(
    target: Target, plan: Plan, activities: pd.DataFrame, *, start: int, end: int, year: int
) -> TaskAssessment:
    """Judge a task in ``year`` from the activity rows of its phase up to ``year``.

    Parameters
    ----------
    target : Target
        A plan item of kind ``task``.
    plan : Plan
        The plan (its evidence kinds).
    activities : DataFrame
        The activities register (``year``, ``date``, ``kind``, ``title``, ``participants``).
    start, end : int
        First and last year of the task's phase.
    year : int
        The report year.

    """
    if target.task is None:
        raise ValueError(f"{target.code} is not a task")
    spec = target.task
    window = activities[
        (activities["year"] >= start)
        & (activities["year"] <= min(year, end))
        & activities["kind"].isin(_relevant_activity_kinds(plan, target))
    ].copy()
    kinds = [
        evidence_kinds_of(plan, k, t) for k, t in zip(window["kind"], window["title"], strict=True)
    ]
    named = set(spec.counts + spec.completes)
    window["counted_kinds"] = [tuple(k for k in ks if k in named) for ks in kinds]
    window["other_kinds"] = [tuple(k for k in ks if k not in named) for ks in kinds]
    has_counted = window["counted_kinds"].map(bool).astype(bool)
    counted = window[has_counted].sort_values("date", kind="stable")
    excluded = window[~has_counted].sort_values("date", kind="stable")
    completed = any(k in spec.completes for ks in counted["counted_kinds"] for k in ks)
    if spec.type == "deliverable":
        if completed:
            status = progress.DONE
        else:
            status = progress.IN_PROGRESS if not counted.empty else progress.NOT_DONE
    elif counted.empty:
        status = progress.NOT_DONE
    else:
        status = progress.DONE if year > end else progress.IN_PROGRESS
    return TaskAssessment(status, counted, excluded, completed)


def assess_task_in_year(
    target: Target, plan: Plan, activities: pd.DataFrame, year: int
) -> TaskAssessment:
    """:func:`assess_task` over the task's own phase (the plan says which)."""
    phase = plan.phase(target.phase)
    return assess_task(target, plan, activities, start=phase.start, end=phase.end, year=year)
