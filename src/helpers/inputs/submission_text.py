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
from typing import Annotated, Any

from pydantic import ConfigDict, PlainValidator, ValidationError, create_model
from pydantic_core import PydanticCustomError

from helpers import config
from helpers.errors import InputProblem
from helpers.problems import Problems, read_yaml_mapping

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
#: How the issuing date is written (dd/mm/yyyy).
DATE_FORMAT = "%d/%m/%Y"


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


def read_raw(path: Path, lang: str = "vi") -> dict[str, Any]:
    """Read the file with YAML's safe loader; an absent file reads as empty.

    Raises
    ------
    InputError
        When the file is not valid YAML or does not hold ``key: value`` pairs.

    """
    return read_yaml_mapping(
        path, not_found=None, unreadable="submission_unreadable", lang=lang, encoding="utf-8-sig"
    )


# --- the file's model ----------------------------------------------------------------------


def _words(value: object) -> str | int | None:
    """A field or paragraph: text (a number, such as a document number, is kept) or empty."""
    if value is None or isinstance(value, str | int):
        return value
    raise PydanticCustomError("submission_not_text", "a paragraph of text is needed")


def _date(value: object) -> str | int | None:
    """The issuing date, written dd/mm/yyyy (or empty: it is given at signing)."""
    value = _words(value)
    if value:
        try:
            dt.datetime.strptime(str(value), DATE_FORMAT)
        except ValueError:
            raise PydanticCustomError(
                "submission_bad_date", "the date must be written dd/mm/yyyy"
            ) from None
    return value


def _recipients(value: object) -> list[str]:
    """The recipients (nơi nhận): a list, one recipient per line."""
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return value
    raise PydanticCustomError("submission_not_list", "a list is needed, one recipient per line")


Words = Annotated[str | int | None, PlainValidator(_words)]
IssuingDate = Annotated[str | int | None, PlainValidator(_date)]
Recipients = Annotated[list[str], PlainValidator(_recipients)]
_OWN_KEYS_ONLY = ConfigDict(extra="forbid")
#: Type and default of every key the phase summary may hold (all but the phase key itself).
_PHASE_FIELDS: dict[str, Any] = {
    key: (IssuingDate if key == "ngay_ban_hanh" else Words, None)
    for key in {**FIELDS, **PARAGRAPHS}
} | {"noi_nhan": (Recipients, None)}
#: The phase summary's own words.
PhaseText = create_model("PhaseText", __config__=_OWN_KEYS_ONLY, **_PHASE_FIELDS)
#: ``submission.yaml``: the fields, the paragraphs, the recipients and the phase summary's.
SubmissionText = create_model(
    "SubmissionText", __config__=_OWN_KEYS_ONLY, **{**_PHASE_FIELDS, PHASE_KEY: (PhaseText, None)}
)

#: Problem kind of pydantic's own error types; the validators above name their kind.
_KIND_OF_ERROR = {
    "extra_forbidden": "submission_unknown_key",
    "model_type": "submission_not_mapping",
}
#: Kinds whose problem quotes the offending value.
_QUOTED_KINDS = frozenset({"submission_unknown_key", "submission_not_text", "submission_bad_date"})


def _check(raw: dict[str, Any], found: Problems) -> None:
    """Validate ``raw`` with :data:`SubmissionText`; record each problem located by its key.

    Problems are listed in the order of the file's keys (the phase summary's keys in theirs).
    """
    try:
        SubmissionText.model_validate(raw)
    except ValidationError as error:
        phase = raw.get(PHASE_KEY)
        order = {key: position for position, key in enumerate(raw)}
        inner = (
            {key: position for position, key in enumerate(phase)} if isinstance(phase, dict) else {}
        )

        def place(item: Any) -> tuple[int, int]:
            loc = item["loc"]
            return order.get(loc[0], len(order)), inner.get(loc[1], -1) if len(loc) > 1 else -1

        for item in sorted(error.errors(), key=place):
            kind = _KIND_OF_ERROR.get(item["type"], item["type"])
            value = item.get("input") if kind in _QUOTED_KINDS else None
            found.add(
                kind,
                column=".".join(str(part) for part in item["loc"]),
                value=None if value is None else str(value),
            )


def load_text(data_dir: Path, kind: str = "annual", lang: str = "vi") -> DepartmentText:
    """The Department's words for a report ``kind`` (``annual`` or ``phase_review``).

    Parameters
    ----------
    data_dir : Path
        The data folder.
    kind : {"annual", "phase_review"}
        The report's kind: the phase review takes the phase summary's words first.
    lang : {"vi", "en"}
        Language of the problems' messages (the file and the submission are Vietnamese).

    Raises
    ------
    InputError
        On a malformed file (unreadable YAML, unknown key, a date not in dd/mm/yyyy), every
        problem located by its key.

    """
    raw = read_raw(data_dir / TEXT_FILE, lang)
    found = Problems(TEXT_FILE, lang=lang)
    _check(raw, found)
    found.raise_if_errors()
    merged = {k: v for k, v in raw.items() if k != PHASE_KEY}
    if kind == "phase_review" and isinstance(raw.get(PHASE_KEY), dict):
        merged.update(raw[PHASE_KEY])
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
        issued = dt.datetime.strptime(values["ngay_ban_hanh"], DATE_FORMAT).date()
    return DepartmentText(values, recipients, missing, issued)


def text_warnings(data_dir: Path, kind: str = "annual", lang: str = "vi") -> list[InputProblem]:
    """One warning per missing paragraph or field of the submission (for ``nscl validate``).

    Raises
    ------
    InputError
        On a malformed file (see :func:`load_text`).

    """
    text = load_text(data_dir, kind, lang)
    described = {**FIELDS, **PARAGRAPHS, "noi_nhan": "nơi nhận"}
    found = Problems(TEXT_FILE, lang=lang)
    for key in text.missing:
        found.add("submission_placeholder", column=key, placeholder=placeholder(described[key]))
    return found.raise_if_errors()


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
