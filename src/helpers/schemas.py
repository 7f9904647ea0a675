"""Data contracts of the programme's registers: headers, machine names, types and codes.

One definition per dataset drives reading, validation and (later) the Excel templates, so the
Vietnamese headers an analyst sees and the machine names the code uses cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Tools and management systems an enterprise may apply (codes as written in the register).
TOOL_CODES: tuple[str, ...] = (
    "ISO 9001",
    "ISO 14001",
    "ISO 22000",
    "ISO 45001",
    "ISO 50001",
    "HACCP",
    "5S",
    "Kaizen",
    "Lean",
    "Six Sigma",
    "TPM",
    "KPI",
    "BSC",
    "GMP",
    "VietGAP",
    "GlobalGAP",
    "TQM",
    "QCC",
    "OCOP",
    "other",
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

#: Pilot-model levels.
PILOT_LEVELS: tuple[str, ...] = ("provincial", "national")

#: Status of a figure or row.
STATUSES: tuple[str, ...] = ("published", "estimate", "derived", "assumed", "illustrative")

#: VSIC 2018 sections (level 1 letters).
VSIC_SECTIONS: tuple[str, ...] = tuple("ABCDEFGHIJKLMNOPQRSTU")


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


@dataclass(frozen=True)
class Dataset:
    """A dataset contract: its name, file stem and columns."""

    name: str
    file_stem: str
    title_vi: str
    title_en: str
    columns: tuple[Column, ...] = field(default_factory=tuple)

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


_STATUS = Column(
    "status",
    "Tình trạng số liệu",
    "code",
    codes=STATUSES,
    help_vi="published / estimate / derived / assumed / illustrative",
    help_en="published / estimate / derived / assumed / illustrative",
)
_SOURCE = Column(
    "source",
    "Nguồn",
    "str",
    help_vi="Nguồn số liệu (văn bản, báo cáo, đường dẫn)",
    help_en="Source of the row (document, report, address)",
)

SUPPORTED_ENTERPRISES = Dataset(
    name="supported_enterprises",
    file_stem="supported_enterprises",
    title_vi="Danh sách doanh nghiệp được hỗ trợ",
    title_en="Register of supported enterprises",
    columns=(
        Column("year", "Năm", "int", minimum=2015, maximum=2030, help_vi="Năm hỗ trợ"),
        Column(
            "tax_code",
            "Mã số thuế",
            "tax_code",
            help_vi="10 chữ số, hoặc 10-3 chữ số với chi nhánh",
            help_en="10 digits, or 10-3 digits for a branch",
        ),
        Column("name", "Tên doanh nghiệp", "str"),
        Column("vsic_section", "Ngành VSIC (cấp 1)", "code", codes=VSIC_SECTIONS),
        Column("commune", "Xã/phường/đặc khu", "str", required=False),
        Column("support_type", "Hình thức hỗ trợ", "code", codes=SUPPORT_TYPES),
        Column(
            "tools",
            "Công cụ, hệ thống quản lý áp dụng",
            "codes",
            required=False,
            codes=TOOL_CODES,
            help_vi="Nhiều giá trị cách nhau bởi dấu ;",
            help_en="Several values separated by ;",
        ),
        Column("pilot_model", "Mô hình điểm", "bool", help_vi="có / không", help_en="yes / no"),
        Column("pilot_level", "Cấp mô hình điểm", "code", required=False, codes=PILOT_LEVELS),
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
        Column("year", "Năm", "int", minimum=2015, maximum=2030),
        Column("date", "Ngày", "date", help_vi="dd/mm/yyyy", help_en="dd/mm/yyyy"),
        Column("kind", "Loại hoạt động", "code", codes=ACTIVITY_KINDS),
        Column("title", "Tên hoạt động", "str"),
        Column("participants", "Số người tham gia", "int", minimum=0, maximum=100_000),
        Column("enterprises", "Số doanh nghiệp", "int", required=False, minimum=0, maximum=10_000),
        Column("notes", "Ghi chú", "str", required=False),
        _STATUS,
        _SOURCE,
    ),
)

DATASETS: dict[str, Dataset] = {d.name: d for d in (SUPPORTED_ENTERPRISES, ACTIVITIES)}
