"""Generate the embedded, illustrative registers in ``data/sample/`` (seeded, reproducible).

The registers are illustrative: the programme's 2022–2025 provincial results were not found in
public sources. They are built to agree with what was published (10 pilot models in 2021, 11
planned for 2022) and every row says so in its status and source columns. Run
``python -m helpers.samples.registers`` to write them again; the output is byte-identical.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from helpers import config
from helpers.inputs.contracts import ACTIVITIES, SUPPORTED_ENTERPRISES

ILLUSTRATIVE_SOURCE = "Dữ liệu minh họa, không phải số liệu thực (illustrative, not real data)"
PILOTS_2021_SOURCE = (
    "Số lượng 10 mô hình điểm năm 2021 đã công bố (tapchitaichinh.vn, 2022); "
    "danh sách doanh nghiệp là minh họa"
)
PILOTS_2022_SOURCE = (
    "Kế hoạch 11 mô hình điểm năm 2022 đã công bố (tapchitaichinh.vn, 2022, 'dự kiến'); "
    "danh sách doanh nghiệp là minh họa"
)

#: Distinct enterprises supported per year (illustrative; 2026 is a full-year estimate).
ENTERPRISES_PER_YEAR = {2021: 120, 2022: 134, 2023: 150, 2024: 163, 2025: 185, 2026: 205}
#: Pilot models per year and level (2021 and 2022 agree with published figures).
PILOTS_PER_YEAR = {
    2021: ("provincial", 10),
    2022: ("provincial", 11),
    2023: ("provincial", 4),
    2024: ("provincial", 3),
    2025: ("provincial", 3),
    2026: ("national", 3),
}
#: Manager training turns per year (illustrative).
MANAGER_TURNS = {2021: 150, 2022: 210, 2023: 245, 2024: 230, 2025: 235, 2026: 240}
#: Experts certified per year (illustrative).
EXPERTS_CERTIFIED = {2021: 0, 2022: 5, 2023: 6, 2024: 4, 2025: 3, 2026: 2}
AWARENESS_EVENTS = {2021: 4, 2022: 6, 2023: 7, 2024: 6, 2025: 8, 2026: 5}

SECTORS = {  # VSIC section: (weight, name stem)
    "B": (0.10, "Than"),
    "D": (0.04, "Năng lượng"),
    "F": (0.16, "Xây dựng"),
    "C": (0.26, "Sản xuất"),
    "I": (0.16, "Du lịch"),
    "G": (0.12, "Thương mại"),
    "A": (0.10, "Nông nghiệp"),
    "H": (0.06, "Vận tải"),
}
COMMUNES = (
    "Phường Hồng Gai",
    "Phường Bãi Cháy",
    "Phường Hà Tu",
    "Phường Cẩm Phả",
    "Phường Uông Bí",
    "Phường Đông Triều",
    "Phường Quảng Yên",
    "Phường Móng Cái 1",
    "Xã Tiên Yên",
    "Xã Đầm Hà",
    "Xã Hải Hà",
    "Đặc khu Vân Đồn",
    "Đặc khu Cô Tô",
)
TOOLS_BY_SECTOR = {
    "B": ("ISO 9001", "ISO 45001", "5S", "TPM", "KPI"),
    "D": ("ISO 9001", "ISO 14001", "ISO 50001", "TPM", "BSC"),
    "F": ("ISO 9001", "ISO 45001", "5S", "KPI"),
    "C": ("ISO 9001", "ISO 14001", "5S", "Kaizen", "Lean", "Six Sigma", "TPM", "GMP"),
    "I": ("ISO 9001", "ISO 22000", "HACCP", "5S", "KPI"),
    "G": ("ISO 9001", "5S", "KPI", "BSC"),
    "A": ("VietGAP", "GlobalGAP", "HACCP", "OCOP", "5S"),
    "H": ("ISO 9001", "5S", "KPI"),
}
NAME_FORMS = ("Công ty TNHH", "Công ty Cổ phần", "Hợp tác xã", "Doanh nghiệp tư nhân")
NAME_WORDS = (
    "Hạ Long",
    "Bãi Cháy",
    "Cửa Ông",
    "Vân Đồn",
    "Yên Tử",
    "Tuần Châu",
    "Bạch Đằng",
    "Đông Bắc",
    "Hòn Gai",
    "Quang Hanh",
    "Trà Cổ",
    "Cô Tô",
    "Hoành Bồ",
    "Đầm Hà",
)
POOL_SIZE = 700
SEED = 20201118  # the plan's date


def enterprise_pool(seed: int = SEED, size: int = POOL_SIZE) -> pd.DataFrame:
    """Return the illustrative enterprises: tax code, name, VSIC section, commune.

    Tax codes start with 57 (Quảng Ninh's prefix) and are unique; a few are branches (10-3).
    """
    rng = np.random.default_rng(seed)
    sections = list(SECTORS)
    weights = np.array([SECTORS[s][0] for s in sections])
    chosen = rng.choice(sections, size=size, p=weights / weights.sum())
    numbers = rng.choice(np.arange(1_000_000, 99_999_999), size=size, replace=False)
    rows = []
    for index, (section, number) in enumerate(zip(chosen, numbers, strict=True)):
        tax_code = f"57{number:08d}"
        if index % 40 == 39:
            tax_code += f"-{rng.integers(1, 20):03d}"
        form = NAME_FORMS[rng.integers(len(NAME_FORMS))]
        word = NAME_WORDS[rng.integers(len(NAME_WORDS))]
        name = f"{form} {SECTORS[section][1]} {word} {index + 1:03d}"
        commune = COMMUNES[rng.integers(len(COMMUNES))]
        rows.append((tax_code, name, section, commune))
    return pd.DataFrame(rows, columns=["tax_code", "name", "vsic_section", "commune"])


def _support_rows(pool: pd.DataFrame, rng: np.random.Generator) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    already_pilot: set[str] = set()
    for year, count in ENTERPRISES_PER_YEAR.items():
        picked = pool.iloc[np.sort(rng.choice(len(pool), size=count, replace=False))]
        level, pilots = PILOTS_PER_YEAR[year]
        eligible = [i for i, code in enumerate(picked["tax_code"]) if code not in already_pilot]
        pilot_positions = set(rng.choice(eligible, size=pilots, replace=False).tolist())
        already_pilot.update(picked["tax_code"].iloc[sorted(pilot_positions)])
        source = {2021: PILOTS_2021_SOURCE, 2022: PILOTS_2022_SOURCE}.get(year, ILLUSTRATIVE_SOURCE)
        for position, enterprise in enumerate(picked.itertuples(index=False)):
            tools = TOOLS_BY_SECTOR[enterprise.vsic_section]
            n_actions = 1 + int(rng.integers(0, 3))
            kinds = ["dissemination", "training", "consulting", "certification"]
            actions = list(rng.choice(kinds, size=n_actions, replace=False))
            if position in pilot_positions:
                actions = ["pilot_model"]
            for action in actions:
                applied: list[str] = []
                if action in ("consulting", "certification", "pilot_model"):
                    k = 1 + int(rng.integers(0, 3))
                    applied = sorted(rng.choice(tools, size=min(k, len(tools)), replace=False))
                is_pilot = action == "pilot_model"
                rows.append(
                    {
                        "year": year,
                        "tax_code": enterprise.tax_code,
                        "name": enterprise.name,
                        "vsic_section": enterprise.vsic_section,
                        "commune": enterprise.commune,
                        "support_type": action,
                        "tools": "; ".join(applied),
                        "pilot_model": "có" if is_pilot else "không",
                        "pilot_level": level if is_pilot else "",
                        "status": "illustrative",
                        "source": source if is_pilot else ILLUSTRATIVE_SOURCE,
                    }
                )
    return rows


def _split(total: int, parts: int, rng: np.random.Generator) -> list[int]:
    """Split ``total`` into ``parts`` positive whole numbers (roughly equal)."""
    if parts == 0:
        return []
    shares = rng.dirichlet(np.full(parts, 8.0))
    counts = np.floor(shares * total).astype(int)
    counts[: total - counts.sum()] += 1
    return counts.tolist()


def _date_in(year: int, rng: np.random.Generator, last_month: int = 12) -> str:
    day = dt.date(year, 1, 1) + dt.timedelta(days=int(rng.integers(0, 28 * last_month + 2)))
    return day.strftime("%d/%m/%Y")


def _activity_rows(rng: np.random.Generator) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []

    def add(year: int, kind: str, title: str, participants: int, enterprises: int | str) -> None:
        last_month = 10 if year == 2026 else 12
        notes = "Ước cả năm 2026 (full-year estimate)" if year == 2026 else ""
        rows.append(
            {
                "year": year,
                "date": _date_in(year, rng, last_month),
                "kind": kind,
                "title": title,
                "participants": participants,
                "enterprises": enterprises,
                "notes": notes,
                "status": "illustrative",
                "source": ILLUSTRATIVE_SOURCE,
            }
        )

    for year in ENTERPRISES_PER_YEAR:
        for number in range(1, AWARENESS_EVENTS[year] + 1):
            add(
                year,
                "awareness_event",
                f"Hội thảo năng suất chất lượng số {number}/{year}",
                participants := int(rng.integers(60, 200)),
                min(int(rng.integers(20, 80)), participants),  # each sends someone
            )
        courses = 3 + int(rng.integers(0, 3))
        for number, turns in enumerate(_split(MANAGER_TURNS[year], courses, rng), start=1):
            add(
                year,
                "manager_training",
                f"Khóa đào tạo chuyên sâu cho lãnh đạo, quản lý doanh nghiệp {number}/{year}",
                turns,
                max(1, turns // 2),
            )
        if EXPERTS_CERTIFIED[year]:
            add(
                year,
                "expert_training",
                f"Khóa đào tạo chuyên gia năng suất {year}",
                EXPERTS_CERTIFIED[year] + int(rng.integers(2, 6)),
                "",
            )
            add(
                year,
                "expert_certification",
                f"Cấp chứng chỉ chuyên gia năng suất {year}",
                EXPERTS_CERTIFIED[year],
                "",
            )
    add(
        2023,
        "cert_scope_extension",
        "Mở rộng phạm vi chứng nhận VietGAP và OCOP cho sản phẩm chủ lực của tỉnh",
        0,
        "",
    )
    add(
        2025,
        "tfp_criteria",
        "Dự thảo bộ tiêu chí đánh giá TFP cấp tỉnh và doanh nghiệp (bảng điểm đề xuất)",
        0,
        "",
    )
    rows.sort(key=lambda r: (r["year"], dt.datetime.strptime(str(r["date"]), "%d/%m/%Y")))
    return rows


def build_sample_registers(seed: int = SEED) -> dict[str, pd.DataFrame]:
    """Return both illustrative registers with the templates' Vietnamese headers."""
    rng = np.random.default_rng(seed)
    pool = enterprise_pool(seed)
    enterprises = pd.DataFrame(_support_rows(pool, rng))
    activities = pd.DataFrame(_activity_rows(rng))
    return {
        SUPPORTED_ENTERPRISES.name: enterprises.rename(
            columns={c.name: c.header_vi for c in SUPPORTED_ENTERPRISES.columns}
        ),
        ACTIVITIES.name: activities.rename(
            columns={c.name: c.header_vi for c in ACTIVITIES.columns}
        ),
    }


def write_sample_registers(out_dir: Path = config.SAMPLE_DATA_DIR, seed: int = SEED) -> list[Path]:
    """Write the registers as UTF-8 CSV into ``out_dir``; return the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in build_sample_registers(seed).items():
        path = out_dir / f"{name}.csv"
        frame.to_csv(path, index=False, lineterminator="\n")
        written.append(path)
    return written


if __name__ == "__main__":
    for written_path in write_sample_registers():
        print(written_path.name)
