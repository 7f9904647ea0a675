"""Indicators are computed from register rows, and each target gets its status."""

import datetime as dt

import pandas as pd
import pytest

from helpers import config
from helpers.programme import progress
from helpers.programme.indicators import (
    assess_plan,
    enterprise_indicators,
    tools_applied,
    yearly_indicators,
)
from helpers.programme.plan import load_plan

PLAN = load_plan(config.DATA_DIR / "plan" / "quang_ninh_203.yaml")


def _enterprises(rows):
    frame = pd.DataFrame(rows, columns=["year", "tax_code", "pilot_model", "pilot_level", "tools"])
    frame["status"] = "illustrative"
    return frame


def _activities(rows):
    frame = pd.DataFrame(rows, columns=["year", "kind", "participants", "title"])
    frame["date"] = [dt.date(y, 6, 1) for y in frame["year"]]
    frame["status"] = "illustrative"
    frame["source"] = "test"
    return frame


def test_distinct_enterprises_not_rows():
    frame = _enterprises(
        [
            (2021, "5700000001", False, None, ("5S",)),
            (2021, "5700000001", False, None, ()),  # second action, same enterprise
            (2021, "5700000001-001", False, None, ()),  # a branch is its own unit
            (2022, "5700000001", True, "provincial", ("ISO 9001", "5S")),
        ]
    )
    table = enterprise_indicators(frame)
    assert table["enterprises_supported"].to_dict() == {2021: 2, 2022: 1}
    assert table["support_actions"].to_dict() == {2021: 3, 2022: 1}
    assert table["new_pilot_models"].to_dict() == {2021: 0, 2022: 1}
    tools = tools_applied(frame)
    assert tools.loc["5S"].to_dict() == {2021: 1, 2022: 1}


def test_pilot_counted_once_in_its_first_year():
    frame = _enterprises(
        [
            (2021, "1", True, "provincial", ()),
            (2022, "1", True, "provincial", ()),
            (2022, "2", True, "national", ()),
        ]
    )
    table = enterprise_indicators(frame)
    assert table["new_pilot_models"].to_dict() == {2021: 1, 2022: 1}
    assert table["new_pilot_models_national"].to_dict() == {2021: 0, 2022: 1}


def _registers():
    enterprises = _enterprises(
        [(2021, str(i), i < 4, "provincial" if i < 4 else None, ()) for i in range(100)]
        + [(2022, str(i), False, None, ()) for i in range(112)]
    )
    activities = _activities(
        [
            (2021, "manager_training", 150, "a"),
            (2022, "manager_training", 210, "b"),
            (2022, "expert_certification", 5, "c"),
            (2021, "awareness_event", 80, "d"),
            (2022, "cert_scope_extension", 0, "Mở rộng phạm vi chứng nhận VietGAP"),
        ]
    )
    return {"supported_enterprises": enterprises, "activities": activities}


def test_assessment_hand_computed():
    table = assess_plan(PLAN, _registers(), 2022)
    # managers: 360 against 400 required by 2022 -> R = 0.9
    assert table.loc["P1-MANAGERS", "ratio"] == pytest.approx(0.9)
    assert table.loc["P1-MANAGERS", "status"] == progress.ACCELERATION_NEEDED
    # experts: 5 against 8 -> 0.625
    assert table.loc["P1-EXPERTS", "ratio"] == pytest.approx(0.625)
    # enterprises +12 % within the band
    assert table.loc["P1-ENTERPRISES", "actual"] == pytest.approx(0.12)
    assert table.loc["P1-ENTERPRISES", "status"] == progress.ON_TRACK
    # a continuing task ("Tiếp tục mở rộng") is in progress before its phase ends
    assert table.loc["P1-CERT-SCOPE", "status"] == progress.IN_PROGRESS
    assert table.loc["P1-TFP-CRITERIA", "status"] == progress.NOT_DONE  # no evidence at all
    assert table.loc["P1-AWARENESS", "status"] == progress.IN_PROGRESS  # one event: no number
    assert table.loc["P1-AWARENESS", "item"] == "task"
    assert table.loc["P1-MANAGERS", "item"] == "target"
    assert table.loc["P2-PILOTS", "status"] == "not_started"
    assert table.loc["OBJ-TFP", "status"] == progress.INSUFFICIENT_DATA


def test_a_year_without_rows_is_missing_not_zero():
    registers = _registers()
    table = yearly_indicators(registers)
    assert 2023 not in table.index
    status = assess_plan(PLAN, registers, 2023)
    assert status.loc["P1-MANAGERS", "year"] == 2022


def test_sample_data_agrees_with_published_pilot_figures(sample_registers):
    table = yearly_indicators(sample_registers)
    assert table.loc[2021, "new_pilot_models"] == 10  # published: 10 pilot models in 2021
    assert table.loc[2022, "new_pilot_models"] == 11  # published plan: 11 in 2022
    growth = table["enterprises_supported"].pct_change().loc[2022:2025]
    assert growth.between(0.05, 0.20).all()


def test_sample_rows_carry_status_and_source(sample_registers):
    for frame in sample_registers.values():
        assert frame["status"].isin(["published", "illustrative", "estimate", "assumed"]).all()
        assert frame["source"].str.len().gt(0).all()
