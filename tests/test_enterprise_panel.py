"""The illustrative enterprise panel: generator, committed files, loader and its checks."""

import gzip

import numpy as np
import pandas as pd
import pytest

from helpers import config
from helpers.errors import MAX_LISTED_ROWS, InputError
from helpers.inputs import enterprise_panel as ep
from helpers.inputs.registers import load_registers
from helpers.samples import enterprise_panel as sample
from helpers.samples.registers import SECTORS, enterprise_pool

COMMITTED = config.SAMPLE_DATA_DIR / ep.SAMPLE_FILE
COMMITTED_TRUTH = config.SAMPLE_DATA_DIR / ep.TRUTH_FILE


@pytest.fixture(scope="module")
def panel():
    return ep.load_enterprise_panel(config.SAMPLE_DATA_DIR)


@pytest.fixture(scope="module")
def register():
    return load_registers(config.SAMPLE_DATA_DIR)["supported_enterprises"]


def _problems(frame):
    with pytest.raises(InputError) as caught:
        ep.validate_enterprise_panel(frame, source="panel.csv")
    return caught.value.problems


def _good_rows():
    return pd.DataFrame(
        {
            "tax_code": ["5700000001", "5700000001", "5700000002-001"],
            "year": [2024, 2025, 2025],
            "vsic_section": ["C", "C", "I"],
            "value_added": [10.0, 11.0, 5.0],
            "gross_output": [30.0, 32.0, 9.0],
            "capital": [50.0, 52.0, 20.0],
            "labour": [12.0, 12.5, 4.0],
            "materials": [20.0, 21.0, 4.0],
            "investment": [5.0, 0.0, 1.0],
            "wage_bill": [6.0, 6.5, 2.0],
        }
    )


# --- generator and committed file --------------------------------------------------------


def test_another_seed_gives_another_panel():
    # same seed, same bytes: test_committed_file_is_the_generators_output
    other = sample.panel_csv_bytes(sample.build_sample_panel(seed=sample.SEED + 1))
    assert gzip.decompress(other) != gzip.decompress(COMMITTED.read_bytes())


def test_committed_files_are_the_generators_output(tmp_path):
    written = sample.write_sample_panel(tmp_path / ep.SAMPLE_FILE)
    assert written.read_bytes() == COMMITTED.read_bytes()
    assert (tmp_path / ep.TRUTH_FILE).read_bytes() == COMMITTED_TRUTH.read_bytes()


def test_the_loader_reads_the_generators_truth_without_the_generator():
    # the loader's truth comes from the committed file, equal to what the generator states
    assert ep.truth() == sample.truth()
    assert sample.truth(seed=7)["seed"] == 7 and ep.truth()["seed"] == sample.SEED == 1


def test_committed_file_is_small_gzip_without_time_stamp():
    data = COMMITTED.read_bytes()
    assert len(data) < 2_000_000
    assert data[:2] == b"\x1f\x8b" and data[4:8] == b"\0\0\0\0"  # gzip, mtime 0
    assert gzip.decompress(data).startswith(b"tax_code,year,vsic_section,value_added")


def test_panel_shape_years_and_entry_exit(panel):
    assert panel["tax_code"].nunique() == sample.N_ENTERPRISES
    assert (panel["year"].min(), panel["year"].max()) == (sample.FIRST_YEAR, sample.LAST_YEAR)
    years_per_enterprise = panel.groupby("tax_code").size()
    assert years_per_enterprise.min() >= 2  # ACF needs consecutive years
    assert (years_per_enterprise < 11).mean() == pytest.approx(0.4, abs=0.1)  # unbalanced
    assert set(panel["status"]) == {"illustrative"}
    assert panel.attrs["truth"]["support_effect"] == sample.SUPPORT_EFFECT == 0.08


def test_every_register_enterprise_is_in_the_panel_with_its_section(panel, register):
    codes = set(panel["tax_code"])
    assert set(register["tax_code"]) <= codes
    assert set(enterprise_pool()["tax_code"]) <= codes
    sections = panel.drop_duplicates("tax_code").set_index("tax_code")["vsic_section"]
    pool = enterprise_pool().set_index("tax_code")["vsic_section"]
    assert (sections.reindex(pool.index) == pool).all()


def test_register_enterprises_are_active_in_their_support_years(panel, register):
    served = register[register["year"] <= sample.LAST_YEAR][["tax_code", "year"]].drop_duplicates()
    active = served.merge(panel[["tax_code", "year"]], how="left", indicator=True)
    assert (active["_merge"] == "both").all()


def test_new_enterprises_have_57_codes_and_the_programmes_sections(panel):
    pool = set(enterprise_pool()["tax_code"])
    new = panel[~panel["tax_code"].isin(pool)].drop_duplicates("tax_code")
    assert len(new) == sample.N_ENTERPRISES - len(pool)
    assert new["tax_code"].str.fullmatch(r"57\d{8}").all()
    assert set(new["vsic_section"]) == set(sample.NEW_SECTION_WEIGHTS)
    shares = new["vsic_section"].value_counts(normalize=True)
    weights = pd.Series(sample.NEW_SECTION_WEIGHTS) / sum(sample.NEW_SECTION_WEIGHTS.values())
    assert (shares - weights).abs().max() < 0.03  # drawn with the register's weights
    assert sample.NEW_SECTION_WEIGHTS["C"] == SECTORS["C"][0]


def test_levels_are_positive_and_rounded_to_four_digits(panel):
    for column in ep.LEVEL_COLUMNS:
        values = panel[column].to_numpy()
        assert (values > 0).all()
        exponent = np.floor(np.log10(values))
        scaled = values / 10 ** (exponent - 3)
        assert np.allclose(scaled, np.round(scaled), atol=1e-6), column


def test_the_truth_names_every_sector_with_constant_returns():
    truth = sample.truth()
    assert set(truth["sectors"]) == set(SECTORS)
    for sector in truth["sectors"].values():
        assert sector["alpha_l"] + sector["alpha_k"] == pytest.approx(1.0)


def test_rounding_keeps_the_nearest_decimal():
    values = np.array([0.000123456, 1.23456, 123456.0, 98765432.0])
    assert sample._round_significant(values).tolist() == [0.0001235, 1.235, 123500.0, 98770000.0]


# --- loader ------------------------------------------------------------------------------


def test_loader_returns_none_without_a_panel(tmp_path):
    assert ep.load_enterprise_panel(tmp_path) is None


def test_loader_reads_plain_csv_without_truth(tmp_path):
    rows = _good_rows()
    rows.to_csv(tmp_path / "enterprise_panel.csv", index=False)
    loaded = ep.load_enterprise_panel(tmp_path)
    assert loaded["tax_code"].tolist() == rows["tax_code"].tolist()
    assert "truth" not in loaded.attrs
    assert set(loaded["status"]) == {""}


def test_tax_codes_keep_leading_zeros(tmp_path):
    rows = _good_rows().assign(tax_code=["0100109106", "0100109106", "0100109106-001"])
    rows.to_csv(tmp_path / "enterprise_panel.csv", index=False)
    assert ep.load_enterprise_panel(tmp_path)["tax_code"].iloc[0] == "0100109106"


def test_missing_columns_are_all_listed():
    problems = _problems(_good_rows().drop(columns=["capital", "labour"]))
    assert [(p.file, p.column, p.message) for p in problems] == [
        ("panel.csv", "capital", "column is missing"),
        ("panel.csv", "labour", "column is missing"),
    ]


def test_non_positive_levels_are_located():
    rows = _good_rows()
    rows.loc[1, "labour"] = 0.0
    rows.loc[2, "value_added"] = -3.0
    rows.loc[0, "investment"] = -1.0
    problems = _problems(rows)
    located = {(p.row, p.column, p.value) for p in problems}
    assert located == {(3, "labour", "0.0"), (4, "value_added", "-3.0"), (2, "investment", "-1.0")}
    assert all(p.expected for p in problems)


def test_duplicate_enterprise_year_is_located():
    rows = pd.concat([_good_rows(), _good_rows().iloc[[1]]], ignore_index=True)
    (problem,) = _problems(rows)
    assert (problem.row, problem.column, problem.value) == (5, "year", "2025")
    assert "another row for this year" in problem.message


def test_bad_tax_codes_sections_years_and_text_are_located():
    rows = _good_rows().astype({"capital": object, "year": object})
    rows.loc[0, "tax_code"] = "57-123"
    rows.loc[1, "vsic_section"] = "c10"
    rows.loc[2, "capital"] = "nhiều"
    rows.loc[1, "year"] = 2024.5
    problems = _problems(rows)
    found = {(p.row, p.column, p.message) for p in problems}
    assert (2, "tax_code", "not a tax code") in found
    assert (3, "vsic_section", "not a VSIC section") in found
    assert (4, "capital", "not a number") in found
    assert (3, "year", "not a year") in found
    code = next(p for p in problems if p.column == "tax_code")
    assert code.value == "57-123" and "10 digits" in code.expected


def test_long_lists_of_problems_end_with_a_count():
    rows = pd.concat([_good_rows()] * 20, ignore_index=True)
    rows["tax_code"] = [f"57{i:08d}" for i in range(len(rows))]
    rows["labour"] = -1.0
    problems = _problems(rows)
    assert len(problems) == MAX_LISTED_ROWS + 1
    assert problems[-1].row is None and "40 more row(s)" in problems[-1].message


def test_unreadable_file_is_an_input_error(tmp_path):
    (tmp_path / "enterprise_panel.csv.gz").write_bytes(b"not gzip at all")
    with pytest.raises(InputError) as caught:
        ep.load_enterprise_panel(tmp_path)
    assert caught.value.problems[0].file == "enterprise_panel.csv.gz"


def test_the_truth_in_attrs_is_shared_read_only_and_survives_the_results_cache():
    import copy
    import pickle

    panel = ep.load_enterprise_panel(config.SAMPLE_DATA_DIR)
    carried = panel.attrs["truth"]
    assert isinstance(carried, ep.SharedTruth)
    derived = panel[panel["year"] == 2025].groupby("vsic_section").head(1)
    assert derived.attrs["truth"] is carried  # not deep-copied into every derived frame
    assert copy.deepcopy(carried) is carried
    with pytest.raises(TypeError, match="read-only"):
        carried["support_effect"] = 0.5
    stored = pickle.loads(pickle.dumps(panel))  # as the results cache stores the panel
    assert stored.attrs["truth"] == carried and isinstance(stored.attrs["truth"], ep.SharedTruth)
