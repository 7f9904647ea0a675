"""NSCL reports: inputs, programme indicators, TFP estimates and the annual report.

The package is read as its layers (see the README's "Layout"):

* :mod:`helpers.inputs` — data contracts, readers and validation of every input file;
* :mod:`helpers.programme` — the plan file, indicators and the status of each target;
* :mod:`helpers.tfp` — growth accounting, production functions, enterprise productivity,
  the effect of support, the criteria set and disclosure control;
* :mod:`helpers.report` — the notebooks' context, section blocks, charts, the HTML/PDF build,
  manifest, batch and the submission to the Ministry;
* :mod:`helpers.samples` — simulators and sample-data generators (tests and ``python -m``; a build
  never imports them);
* :mod:`helpers.cli` — the ``nscl`` command.

The names of :data:`__all__` are the public API. They are imported on first use (PEP 562), so
``import helpers`` stays fast and loads neither pandas nor any layer.

Examples
--------
>>> import helpers
>>> helpers.InputError.__name__
'InputError'

"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

#: Each public name and the module that defines it.
_EXPORTS: dict[str, str] = {
    # errors, shared by every layer
    "NsclError": "helpers.errors",
    "InputError": "helpers.errors",
    "ArgumentError": "helpers.errors",
    "InternalError": "helpers.errors",
    "InputProblem": "helpers.errors",
    # inputs
    "load_params": "helpers.inputs.params",
    "ReportParams": "helpers.inputs.params",
    "load_registers": "helpers.inputs.registers",
    "load_enterprise_panel": "helpers.inputs.enterprise_panel",
    "write_templates": "helpers.inputs.excel_templates",
    # programme
    "load_plan": "helpers.programme.plan",
    "Plan": "helpers.programme.plan",
    "yearly_indicators": "helpers.programme.indicators",
    "assess_plan": "helpers.programme.indicators",
    # TFP
    "decompose": "helpers.tfp.growth_accounting",
    "period_aggregate": "helpers.tfp.growth_accounting",
    "perpetual_inventory": "helpers.tfp.growth_accounting",
    "load_province_accounts": "helpers.inputs.province_accounts",
    "estimate": "helpers.tfp.production",
    "ProductionResult": "helpers.tfp.production",
    "EstimationWarning": "helpers.tfp.production",
    "olley_pakes": "helpers.tfp.enterprise_productivity",
    "estimate_support_effect": "helpers.tfp.support_effect",
    "load_criteria": "helpers.tfp.criteria",
    "suppress_table": "helpers.tfp.disclosure",
    "assert_no_identifiers": "helpers.tfp.disclosure",
    # report
    "load_context": "helpers.report.context",
    "ReportContext": "helpers.report.context",
    "build_report": "helpers.report.build",
    "BuildResult": "helpers.report.build",
    "verify_report": "helpers.report.manifest",
}

#: The public API: the names of :data:`_EXPORTS`.
__all__ = [
    "ArgumentError",
    "BuildResult",
    "EstimationWarning",
    "InputError",
    "InputProblem",
    "InternalError",
    "NsclError",
    "Plan",
    "ProductionResult",
    "ReportContext",
    "ReportParams",
    "assert_no_identifiers",
    "assess_plan",
    "build_report",
    "decompose",
    "estimate",
    "estimate_support_effect",
    "load_context",
    "load_criteria",
    "load_enterprise_panel",
    "load_params",
    "load_plan",
    "load_province_accounts",
    "load_registers",
    "olley_pakes",
    "period_aggregate",
    "perpetual_inventory",
    "suppress_table",
    "verify_report",
    "write_templates",
    "yearly_indicators",
]

if TYPE_CHECKING:  # what static checkers and editors see; at run time, __getattr__ below
    from helpers.errors import ArgumentError, InputError, InputProblem, InternalError, NsclError
    from helpers.inputs.enterprise_panel import load_enterprise_panel
    from helpers.inputs.excel_templates import write_templates
    from helpers.inputs.params import ReportParams, load_params
    from helpers.inputs.province_accounts import load_province_accounts
    from helpers.inputs.registers import load_registers
    from helpers.programme.indicators import assess_plan, yearly_indicators
    from helpers.programme.plan import Plan, load_plan
    from helpers.report.build import BuildResult, build_report
    from helpers.report.context import ReportContext, load_context
    from helpers.report.manifest import verify_report
    from helpers.tfp.criteria import load_criteria
    from helpers.tfp.disclosure import assert_no_identifiers, suppress_table
    from helpers.tfp.enterprise_productivity import olley_pakes
    from helpers.tfp.growth_accounting import decompose, period_aggregate, perpetual_inventory
    from helpers.tfp.production import EstimationWarning, ProductionResult, estimate
    from helpers.tfp.support_effect import estimate_support_effect


def __getattr__(name: str) -> object:
    """Import a public name from its module on first use (PEP 562) and keep it."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
