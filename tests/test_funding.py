"""The funding register: contract, validation with located errors, sample rows, the table."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from helpers import config
from helpers.errors import InputError
from helpers.inputs.contracts import DATASETS, FUNDING
from helpers.inputs.registers import load_registers, read_dataset
from helpers.programme.funding import funding_by_source, with_total_row
from helpers.report.context import load_context
from helpers.report.sections.funding import funding_frame


@pytest.fixture(scope="module")
def ctx_vi():
    return load_context(
        year=2025, lang="vi", data_dir="data/sample", plan_file="data/plan/quang_ninh_203.yaml"
    )


def test_funding_is_an_optional_register():
    assert DATASETS["funding"] is FUNDING and FUNDING.optional
    assert [c.name for c in FUNDING.columns][:4] == ["year", "fund_source", "task", "amount"]


def test_sample_rows_are_marked_illustrative(sample_registers):
    frame = sample_registers["funding"]
    assert len(frame) == 63  # data/sample/funding.csv: 63 data rows
    assert set(frame["status"]) == {"illustrative"}
    assert frame["source"].str.contains("minh họa").all()


def test_table_by_year_and_source_sums_rows():
    rows = pd.DataFrame(
        {
            "year": [2024, 2024, 2024, 2025, 2026],
            "fund_source": [
                "central_budget",
                "central_budget",
                "enterprise",
                "provincial_budget",
                "enterprise",
            ],
            "amount": [100.0, 50.0, 30.5, 200.0, 9.0],
        }
    )
    table = funding_by_source(rows, 2024, 2025)
    # 2024: central 100 + 50, enterprises 30.5; 2025: provincial 200; 2026 outside the window
    assert table.loc[2024].to_dict() == {
        "central_budget": 150.0,
        "provincial_budget": 0.0,
        "enterprise": 30.5,
        "total": 180.5,
    }
    assert table.loc[2025, "total"] == 200.0
    assert list(with_total_row(table).loc["total"]) == [150.0, 200.0, 30.5, 380.5]


def test_sample_table_2025(ctx_vi):
    """Hand sums of data/sample/funding.csv for 2025: 1,750 central (500 + 1,000 + 250),
    3,280 provincial (480 + 750 + 1,500 + 300 + 250), 1,870 enterprises (220 + 1,300 + 350)."""
    table = funding_by_source(ctx_vi.registers["funding"], 2021, 2025)
    assert table.loc[2025].tolist() == [1750.0, 3280.0, 1870.0, 6900.0]
    shown = funding_frame(ctx_vi)
    assert shown.iloc[-1, 0] == "Tổng cộng"
    assert shown.iloc[-1, -1] == table["total"].sum()


def test_missing_funding_file_is_not_an_error(tmp_path):
    for stem in ("supported_enterprises", "activities"):
        shutil.copy(config.SAMPLE_DATA_DIR / f"{stem}.csv", tmp_path / f"{stem}.csv")
    frames = load_registers(tmp_path)
    assert set(frames) == {"supported_enterprises", "activities"}


def test_funding_saved_as_xls_is_refused(tmp_path):
    for stem in ("supported_enterprises", "activities"):
        shutil.copy(config.SAMPLE_DATA_DIR / f"{stem}.csv", tmp_path / f"{stem}.csv")
    (tmp_path / "funding.xls").write_bytes(b"old excel")
    with pytest.raises(InputError) as caught:
        load_registers(tmp_path)
    assert [p.file for p in caught.value.problems] == ["funding.xls"]


def test_bad_amount_and_source_are_located(tmp_path):
    path = tmp_path / "funding.csv"
    path.write_text(
        "Năm,Nguồn kinh phí,Nhóm nhiệm vụ,Kinh phí (triệu đồng),Ghi chú,Tình trạng số liệu,Nguồn\n"
        "2025,central_budget,training,-5,,published,QĐ 1\n"
        "2025,district_budget,training,10,,published,QĐ 1\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        read_dataset(path, FUNDING)
    located = {(p.row, p.column) for p in caught.value.problems if p.severity == "error"}
    assert located == {(2, "Kinh phí (triệu đồng)"), (3, "Nguồn kinh phí")}
