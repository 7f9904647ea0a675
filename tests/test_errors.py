"""Every exception class of the project derives from NsclError and carries its exit code."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import helpers
from helpers.errors import EXIT_BAD_INPUT, EXIT_INTERNAL, NsclError
from helpers.report.build import NotebookFailed


def project_exception_classes() -> list[type[BaseException]]:
    """Exception classes defined in any module of ``helpers`` (``__main__`` not run)."""
    classes = {}
    for module_info in pkgutil.walk_packages(helpers.__path__, "helpers."):
        if module_info.name.endswith("__main__"):
            continue
        module = importlib.import_module(module_info.name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if value.__module__ == module.__name__ and issubclass(value, BaseException):
                classes[f"{value.__module__}.{value.__qualname__}"] = value
    return list(classes.values())


#: Not errors: a warning category and the signal that unwinds a build like Ctrl-C.
NOT_ERRORS = {"EstimationWarning", "Interrupted"}

#: The exit code each error of the project ends the command line with.
EXPECTED_EXIT = {
    "InputError": EXIT_BAD_INPUT,
    "ArgumentError": EXIT_BAD_INPUT,
    "InternalError": EXIT_INTERNAL,
    "NsclError": EXIT_INTERNAL,
    "BadInputFileError": EXIT_BAD_INPUT,
    "SpecificationError": EXIT_BAD_INPUT,
    "EstimationError": EXIT_BAD_INPUT,
    "DisclosureError": EXIT_INTERNAL,
    "CellError": EXIT_BAD_INPUT,
    "_DecodeError": EXIT_BAD_INPUT,
    "NotebookFailed": EXIT_INTERNAL,
    "UnknownFact": EXIT_BAD_INPUT,
    "FactUnavailable": EXIT_BAD_INPUT,
}


def test_every_exception_class_derives_from_the_base_with_its_exit_code():
    errors = [c for c in project_exception_classes() if c.__name__ not in NOT_ERRORS]
    assert {c.__name__ for c in errors} == set(EXPECTED_EXIT)
    for error in errors:
        assert issubclass(error, NsclError), error
        assert error.exit_code == EXPECTED_EXIT[error.__name__], error


def test_warnings_stay_warnings():
    names = {c.__name__: c for c in project_exception_classes()}
    assert issubclass(names["EstimationWarning"], UserWarning)
    assert not issubclass(names["Interrupted"], Exception)  # not caught as an error


@pytest.mark.parametrize(
    ("raised_in_the_notebook", "exit_code"),
    [("InputError", EXIT_BAD_INPUT), ("KeyError", EXIT_INTERNAL), (None, EXIT_INTERNAL)],
)
def test_a_failed_notebook_is_bad_input_only_when_it_raised_an_input_error(
    raised_in_the_notebook, exit_code
):
    error = NotebookFailed("notebook 03_x.ipynb failed in cell 4", raised_in_the_notebook)
    assert error.exit_code == exit_code
