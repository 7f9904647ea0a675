"""Data contracts of the programme's registers: headers, machine names, types and codes.

One definition per dataset drives reading, validation and (later) the Excel templates, so the
Vietnamese headers an analyst sees and the machine names the code uses cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Tools and management systems an enterprise may apply (codes as written in the register),
#: each with whether it is a standard that leads to a certificate (counted for the
#: enterprise criterion DN5).
TOOL_CERTIFIES: dict[str, bool] = {
    "ISO 9001": True,
    "ISO 14001": True,
    "ISO 22000": True,
    "ISO 45001": True,
    "ISO 50001": True,
    "HACCP": True,
    "5S": False,
    "Kaizen": False,
    "Lean": False,
    "Six Sigma": False,
    "TPM": False,
    "KPI": False,
    "BSC": False,
    "GMP": True,
    "VietGAP": True,
    "GlobalGAP": True,
    "TQM": False,
    "QCC": False,
    "OCOP": False,
    "other": False,
}
#: The tool codes, in the order of :data:`TOOL_CERTIFIES`.
TOOL_CODES: tuple[str, ...] = tuple(TOOL_CERTIFIES)
#: Standards that lead to a certificate.
CERTIFIABLE_TOOL_CODES: frozenset[str] = frozenset(
    code for code, certifies in TOOL_CERTIFIES.items() if certifies
)

#: Support types in the supported-enterprises register.
SUPPORT_TYPES: tuple[str, ...] = (
    "dissemination",
    "training",
    "consulting",
    "pilot_model",
    "certification",
)

#: Activity kinds in the activities register.
ACTIVITY_KINDS: tuple[str, ...] = (
    "awareness_event",
    "manager_training",
    "expert_training",
    "expert_certification",
    "cert_scope_extension",
    "tfp_criteria",
    "other",
)

#: Sources of the programme's funding (funding register).
FUNDING_SOURCES: tuple[str, ...] = ("central_budget", "provincial_budget", "enterprise")

#: Task groups a funding row may be booked to (the plan's groups of tasks).
FUNDING_TASKS: tuple[str, ...] = (
    "awareness",
    "training",
    "enterprise_support",
    "pilot_models",
    "certification",
    "tfp_criteria",
    "management",
    "other",
)

#: Pilot-model levels.
PILOT_LEVELS: tuple[str, ...] = ("provincial", "national")

#: Status of a figure or row.
STATUSES: tuple[str, ...] = ("published", "estimate", "derived", "assumed", "illustrative")

#: VSIC 2018 sections (level 1 letters).
VSIC_SECTIONS: tuple[str, ...] = tuple("ABCDEFGHIJKLMNOPQRSTU")

#: Words accepted in a yes/no column; the templates offer the first pair in their drop-down.
YES_NO: tuple[str, ...] = ("có", "không")

#: A row of a register whose first cell (column A) starts with this text is the templates' notes
#: row, not data.
NOTES_MARKER = "HƯỚNG DẪN"

#: Years of the national programme (Decision 1322/QĐ-TTg, 2021–2030) that every provincial plan
#: implements. Earlier years are accepted as a baseline (with a warning), later ones are not.
PROGRAMME_YEARS: tuple[int, int] = (2021, 2030)


@dataclass(frozen=True)
class Column:
    """One column of a dataset.

    Parameters
    ----------
    name : str
        Stable machine name used by the code.
    header_vi : str
        Header in the Vietnamese template (what analysts type and see).
    kind : str
        ``int``, ``float``, ``str``, ``date``, ``bool``, ``code``, ``codes`` (a list of codes
        separated by ``;``) or ``tax_code``.
    required : bool
        Whether every row needs a value.
    codes : tuple of str
        Allowed values for ``code`` and ``codes`` columns.
    minimum : float or None
        Smallest allowed value for numbers.
    maximum : float or None
        Largest allowed value for numbers.
    help_vi, help_en : str
        What the column takes, for templates and messages.
    label_en : str
        What the column means, in English (the templates' data dictionary).

    """

    name: str
    header_vi: str
    kind: str
    required: bool = True
    codes: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    help_vi: str = ""
    help_en: str = ""
    label_en: str = ""


@dataclass(frozen=True)
class Dataset:
    """A dataset contract: its name, file stem and columns."""

    name: str
    file_stem: str
    title_vi: str
    title_en: str
    columns: tuple[Column, ...] = field(default_factory=tuple)
    #: An optional register may be absent from a data folder (its tables are then left out).
    optional: bool = False

    def column(self, name: str) -> Column:
        """Return the column with machine name ``name``."""
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def headers(self) -> dict[str, str]:
        """Map Vietnamese header to machine name."""
        return {c.header_vi: c.name for c in self.columns}


#: First and last year a register row may hold.
FIRST_REGISTER_YEAR, LAST_REGISTER_YEAR = 2015, 2030


def _year_column(what_vi: str, what_en: str) -> Column:
    """The ``year`` column of a register, whose help names what the year is of.

    Examples
    --------
    >>> _year_column("Năm hỗ trợ", "the support").help_en
    'Year of the support, 4 digits (2015–2030)'

    """
    span = f"{FIRST_REGISTER_YEAR}–{LAST_REGISTER_YEAR}"
    return Column(
        "year",
        "Năm",
        "int",
        minimum=FIRST_REGISTER_YEAR,
        maximum=LAST_REGISTER_YEAR,
        help_vi=f"{what_vi}, 4 chữ số ({span})",
        help_en=f"Year of {what_en}, 4 digits ({span})",
        label_en="Year",
    )


_STATUS = Column(
    "status",
    "Tình trạng số liệu",
    "code",
    codes=STATUSES,
    help_vi="published (đã công bố) / estimate (ước tính) / derived (tính ra) / assumed (giả định) "
    "/ illustrative (minh họa)",
    help_en="published / estimate / derived / assumed / illustrative",
    label_en="Status of the row's figures",
)
_NOTES = Column(
    "notes",
    "Ghi chú",
    "str",
    required=False,
    help_vi="Ghi chú (không bắt buộc)",
    help_en="Notes (optional)",
    label_en="Notes",
)
_SOURCE = Column(
    "source",
    "Nguồn",
    "str",
    help_vi="Nguồn số liệu (văn bản, báo cáo, đường dẫn)",
    help_en="Source of the row (document, report, address)",
    label_en="Source",
)

SUPPORTED_ENTERPRISES = Dataset(
    name="supported_enterprises",
    file_stem="supported_enterprises",
    title_vi="Danh sách doanh nghiệp được hỗ trợ",
    title_en="Register of supported enterprises",
    columns=(
        _year_column("Năm hỗ trợ", "the support"),
        Column(
            "tax_code",
            "Mã số thuế",
            "tax_code",
            help_vi="10 chữ số, hoặc 10-3 chữ số với chi nhánh; gõ dạng văn bản để giữ số 0 ở đầu",
            help_en="10 digits, or 10-3 digits for a branch; typed as text to keep a leading 0",
            label_en="Tax code (MST)",
        ),
        Column(
            "name",
            "Tên doanh nghiệp",
            "str",
            help_vi="Tên đầy đủ của doanh nghiệp",
            help_en="Full name of the enterprise",
            label_en="Enterprise name",
        ),
        Column(
            "vsic_section",
            "Ngành VSIC (cấp 1)",
            "code",
            codes=VSIC_SECTIONS,
            help_vi="Chữ cái ngành cấp 1 theo VSIC 2018 (A–U)",
            help_en="VSIC 2018 section letter (A–U)",
            label_en="Sector (VSIC 2018 section)",
        ),
        Column(
            "commune",
            "Xã/phường/đặc khu",
            "str",
            required=False,
            help_vi="Xã, phường hoặc đặc khu nơi doanh nghiệp đặt trụ sở (không bắt buộc)",
            help_en="Commune, ward or special zone of the head office (optional)",
            label_en="Commune / ward / special zone",
        ),
        Column(
            "support_type",
            "Hình thức hỗ trợ",
            "code",
            codes=SUPPORT_TYPES,
            help_vi="dissemination (tuyên truyền) / training (đào tạo) / consulting (tư vấn) "
            "/ pilot_model (mô hình điểm) / certification (chứng nhận)",
            help_en="dissemination / training / consulting / pilot_model / certification",
            label_en="Support type",
        ),
        Column(
            "tools",
            "Công cụ, hệ thống quản lý áp dụng",
            "codes",
            required=False,
            codes=TOOL_CODES,
            help_vi="Nhiều giá trị cách nhau bởi dấu ; (ví dụ: ISO 9001; 5S)",
            help_en="Several values separated by ; (for example: ISO 9001; 5S)",
            label_en="Tools and management systems applied",
        ),
        Column(
            "pilot_model",
            "Mô hình điểm",
            "bool",
            help_vi="có / không",
            help_en="yes / no (có / không)",
            label_en="Pilot model",
        ),
        Column(
            "pilot_level",
            "Cấp mô hình điểm",
            "code",
            required=False,
            codes=PILOT_LEVELS,
            help_vi="provincial (cấp tỉnh) / national (cấp quốc gia); chỉ điền khi là mô hình điểm",
            help_en="provincial / national; only for a pilot model",
            label_en="Pilot model level",
        ),
        _STATUS,
        _SOURCE,
    ),
)

ACTIVITIES = Dataset(
    name="activities",
    file_stem="activities",
    title_vi="Danh sách hoạt động của chương trình",
    title_en="Register of programme activities",
    columns=(
        _year_column("Năm của hoạt động", "the activity"),
        Column(
            "date",
            "Ngày",
            "date",
            help_vi="Ngày diễn ra, dd/mm/yyyy, trong năm của dòng",
            help_en="Date held, dd/mm/yyyy, within the row's year",
            label_en="Date",
        ),
        Column(
            "kind",
            "Loại hoạt động",
            "code",
            codes=ACTIVITY_KINDS,
            help_vi="awareness_event (hội thảo, tuyên truyền) / manager_training (đào tạo "
            "lãnh đạo, quản lý) / expert_training (đào tạo chuyên gia) / expert_certification "
            "(cấp chứng chỉ chuyên gia) / cert_scope_extension (mở rộng phạm vi chứng nhận) "
            "/ tfp_criteria (bộ tiêu chí TFP) / other (khác)",
            help_en="awareness_event / manager_training / expert_training / expert_certification "
            "/ cert_scope_extension / tfp_criteria / other",
            label_en="Kind of activity",
        ),
        Column(
            "title",
            "Tên hoạt động",
            "str",
            help_vi="Tên hoạt động",
            help_en="Title of the activity",
            label_en="Title",
        ),
        Column(
            "participants",
            "Số người tham gia",
            "int",
            minimum=0,
            maximum=100_000,
            help_vi="Số người (lượt người) tham gia, số nguyên ≥ 0",
            help_en="Participants (person-turns), a whole number ≥ 0",
            label_en="Participants",
        ),
        Column(
            "enterprises",
            "Số doanh nghiệp",
            "int",
            required=False,
            minimum=0,
            maximum=10_000,
            help_vi="Số doanh nghiệp tham gia, số nguyên ≥ 0, không lớn hơn số người tham gia",
            help_en="Enterprises taking part, a whole number ≥ 0, at most the participants",
            label_en="Enterprises",
        ),
        _NOTES,
        _STATUS,
        _SOURCE,
    ),
)

FUNDING = Dataset(
    name="funding",
    file_stem="funding",
    title_vi="Kinh phí thực hiện chương trình",
    title_en="Register of programme funding",
    optional=True,
    columns=(
        _year_column("Năm của khoản kinh phí", "the funding"),
        Column(
            "fund_source",
            "Nguồn kinh phí",
            "code",
            codes=FUNDING_SOURCES,
            help_vi="central_budget (ngân sách trung ương) / provincial_budget (ngân sách tỉnh) "
            "/ enterprise (doanh nghiệp đối ứng)",
            help_en="central_budget / provincial_budget / enterprise (own contribution)",
            label_en="Source of funds",
        ),
        Column(
            "task",
            "Nhóm nhiệm vụ",
            "code",
            required=False,
            codes=FUNDING_TASKS,
            help_vi="awareness (tuyên truyền) / training (đào tạo) / enterprise_support (hỗ trợ "
            "doanh nghiệp) / pilot_models (mô hình điểm) / certification (chứng nhận) "
            "/ tfp_criteria (bộ tiêu chí TFP) / management (quản lý) / other (khác)",
            help_en="awareness / training / enterprise_support / pilot_models / certification "
            "/ tfp_criteria / management / other",
            label_en="Task group",
        ),
        Column(
            "amount",
            "Kinh phí (triệu đồng)",
            "float",
            minimum=0,
            maximum=1_000_000,
            help_vi="Số tiền đã thực hiện, triệu đồng, số ≥ 0",
            help_en="Amount spent, million VND, a number ≥ 0",
            label_en="Amount (million VND)",
        ),
        _NOTES,
        _STATUS,
        _SOURCE,
    ),
)

DATASETS: dict[str, Dataset] = {d.name: d for d in (SUPPORTED_ENTERPRISES, ACTIVITIES, FUNDING)}
