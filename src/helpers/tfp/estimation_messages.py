"""What an estimator warns about: English text for logs, plus a kind and values for reports.

An :class:`EstimationMessage` *is* its English text (a ``str``), so everything that lists,
joins, prints or serialises warnings keeps working; its :attr:`~EstimationMessage.kind` and
:attr:`~EstimationMessage.values` let a report say the same thing in its own language from
the message catalogues (``ent.warning.<kind>``).
"""

from __future__ import annotations

from typing import Any


class EstimationMessage(str):
    """An estimator's warning: English text, with a kind and the values it quotes.

    Examples
    --------
    >>> note = EstimationMessage("bootstrap_failed", "bootstrap: 2 of 19 failed", failed=2, reps=19)
    >>> note, note.kind, note.values["failed"]
    ('bootstrap: 2 of 19 failed', 'bootstrap_failed', 2)
    >>> import pickle
    >>> pickle.loads(pickle.dumps(note)).values == {"failed": 2, "reps": 19}
    True

    """

    kind: str
    values: dict[str, Any]

    def __new__(cls, kind: str, text: str, **values: Any) -> EstimationMessage:  # noqa: D102
        message = super().__new__(cls, text)
        message.kind = kind
        message.values = values
        return message

    def __getnewargs__(self) -> tuple[str, str]:  # type: ignore[override]
        return self.kind, str(self)


def message_of(warning: object) -> str:
    """The message a recorded warning carries, keeping an :class:`EstimationMessage` intact.

    ``str(warning)`` would give plain text: the kind and values would be lost.
    """
    arguments = getattr(warning, "args", ())
    if arguments and isinstance(arguments[0], EstimationMessage):
        return arguments[0]
    return str(warning)
