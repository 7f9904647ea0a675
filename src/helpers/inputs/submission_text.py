"""The Department's own words in the submission: one Vietnamese YAML file in the data folder.

``submission.yaml`` holds what only the Department can write — the document's number and date,
the signer, the recipients, and the paragraphs on direction, causes, directions and proposals.
Every number of the submission comes from the data instead. A paragraph left empty appears in
the document as a marked placeholder ("[Sở bổ sung: …]") and ``nscl validate`` warns about it.
``nscl templates`` writes the example file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from helpers import config
from helpers.errors import InputError, InputProblem

TEXT_FILE = "submission.yaml"
EXAMPLE_PATH = config.TEMPLATES_DIR / "submission" / "submission.example.yaml"
#: Key whose mapping overrides the other keys in the phase summary report.
PHASE_KEY = "tong_ket_giai_doan"
#: Paragraph keys and what the placeholder asks the Department to write.
PARAGRAPHS: dict[str, str] = {
    "chi_dao_dieu_hanh": "tình hình chỉ đạo, điều hành; văn bản đã ban hành; kế hoạch năm",
    "nguyen_nhan": "nguyên nhân của tồn tại, hạn chế",
    "phuong_huong": "phương hướng, giải pháp thực hiện",
    "kien_nghi_bo": "kiến nghị, đề xuất với Bộ Khoa học và Công nghệ",
    "kien_nghi_tinh": "kiến nghị, đề xuất với UBND tỉnh",
}
#: Short fields and what their placeholder says.
FIELDS: dict[str, str] = {
    "co_quan_chu_quan": "tên cơ quan chủ quản",
    "co_quan_ban_hanh": "tên cơ quan ban hành",
    "so_van_ban": "",
    "ky_hieu": "chữ viết tắt của cơ quan",
    "dia_danh": "địa danh",
    "ngay_ban_hanh": "",
    "kinh_gui": "nơi gửi",
    "quyen_han": "",
    "chuc_vu": "chức vụ người ký",
    "nguoi_ky": "họ và tên người ký",
    "luu": "VT, đơn vị soạn thảo",
}
#: Fields whose absence is customary (number taken at signing, no delegation) — no warning.
OPTIONAL_FIELDS = frozenset({"so_van_ban", "ngay_ban_hanh", "quyen_han"})
KNOWN_KEYS = frozenset(PARAGRAPHS) | frozenset(FIELDS) | {"noi_nhan", PHASE_KEY}


def placeholder(what: str) -> str:
    """The marked text that stands for words the Department has not written yet.

    Examples
    --------
    >>> placeholder("nguyên nhân")
    '[Sở bổ sung: nguyên nhân]'

    """
    return f"[Sở bổ sung: {what}]"


def is_placeholder(text: str) -> bool:
    """Whether ``text`` is a placeholder of :func:`placeholder`."""
    return text.startswith("[Sở bổ sung:") and text.endswith("]")


@dataclass
class DepartmentText:
    """The Department's words, with placeholders where they are missing."""

    values: dict[str, str]
    recipients: list[str]
    missing: list[str] = field(default_factory=list)
    issued: dt.date | None = None

    def get(self, key: str) -> str:
        """A field or paragraph (a placeholder when missing)."""
        return self.values[key]

    def paragraphs(self, key: str) -> list[str]:
        """A paragraph key split into its paragraphs (blank lines separate them)."""
        text = self.values[key]
        if is_placeholder(text):
            return [text]
        return [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]


def _problem(message: str, key: str | None = None, value: object = None, *, warning=False):
    return InputProblem(
        TEXT_FILE,
        message,
        column=key,
        value=None if value is None else str(value),
        severity="warning" if warning else "error",
    )


def read_raw(path: Path) -> dict[str, object]:
    """Read the file with YAML's safe loader; an absent file reads as empty.

    Raises
    ------
    InputError
        When the file is not valid YAML or does not hold ``key: value`` pairs.

    """
    if not path.is_file():
        return {}
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise InputError([_problem(f"không đọc được tệp YAML: {error}")]) from error
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise InputError([_problem("tệp phải gồm các cặp khóa: giá trị")])
    return raw


def _check(raw: dict[str, object], *, where: str = "") -> list[InputProblem]:
    problems = []
    for key, value in raw.items():
        name = f"{where}{key}"
        if key not in KNOWN_KEYS or (where and key == PHASE_KEY):
            problems.append(
                _problem("khóa không dùng đến (xem tệp mẫu của nscl templates)", name, value)
            )
        elif key == "noi_nhan":
            if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                problems.append(_problem("cần một danh sách, mỗi dòng một nơi nhận", name))
        elif key == PHASE_KEY:
            if not isinstance(value, dict):
                problems.append(_problem("cần các cặp khóa: giá trị", name))
            else:
                problems.extend(_check(value, where=f"{PHASE_KEY}."))
        elif value is not None and not isinstance(value, str | int):
            problems.append(_problem("cần một đoạn văn bản", name, value))
        elif key == "ngay_ban_hanh" and value:
            try:
                dt.datetime.strptime(str(value), "%d/%m/%Y")
            except ValueError:
                problems.append(_problem("ngày cần ghi dạng dd/mm/yyyy", name, value))
    return problems


def load_text(data_dir: Path, kind: str = "annual") -> DepartmentText:
    """The Department's words for a report ``kind`` (``annual`` or ``phase_review``).

    Raises
    ------
    InputError
        On a malformed file (unreadable YAML, unknown key, a date not in dd/mm/yyyy).

    """
    raw = read_raw(data_dir / TEXT_FILE)
    problems = _check(raw)
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    merged = {k: v for k, v in raw.items() if k != PHASE_KEY}
    if kind == "phase_review" and isinstance(raw.get(PHASE_KEY), dict):
        merged.update(raw[PHASE_KEY])  # type: ignore[arg-type]
    values: dict[str, str] = {}
    missing = []
    for key, what in {**FIELDS, **PARAGRAPHS}.items():
        text = str(merged.get(key) or "").strip()
        if text:
            values[key] = text
        elif key in OPTIONAL_FIELDS:
            values[key] = ""
        else:
            values[key] = placeholder(what)
            missing.append(key)
    recipients = [" ".join(r.split()) for r in merged.get("noi_nhan") or [] if r.strip()]
    if not recipients:
        missing.append("noi_nhan")
    issued = None
    if values["ngay_ban_hanh"]:
        issued = dt.datetime.strptime(values["ngay_ban_hanh"], "%d/%m/%Y").date()
    return DepartmentText(values, recipients, missing, issued)


def text_warnings(data_dir: Path, kind: str = "annual") -> list[InputProblem]:
    """One warning per missing paragraph or field of the submission (for ``nscl validate``).

    Raises
    ------
    InputError
        On a malformed file (see :func:`load_text`).

    """
    text = load_text(data_dir, kind)
    described = {**FIELDS, **PARAGRAPHS, "noi_nhan": "nơi nhận"}
    return [
        _problem(
            f"báo cáo gửi Bộ sẽ có chỗ trống '{placeholder(described[key])}'",
            key,
            warning=True,
        )
        for key in text.missing
    ]


def write_example(out_dir: Path, *, overwrite: bool = False) -> Path:
    """Write the example ``submission.yaml`` into ``out_dir``.

    Raises
    ------
    FileExistsError
        When the file exists and ``overwrite`` is False (it may hold the Department's words).

    """
    target = out_dir / TEXT_FILE
    if target.exists() and not overwrite:
        raise FileExistsError(str(target))
    out_dir.mkdir(parents=True, exist_ok=True)
    target.write_bytes(EXAMPLE_PATH.read_bytes())
    return target
