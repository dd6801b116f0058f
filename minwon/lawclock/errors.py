"""The one error type of the legal clock."""

from __future__ import annotations

__all__ = ["LawclockError"]


class LawclockError(ValueError):
    """Bad input to the legal clock.

    ``field`` names the input at fault (``"registered_at"``, ``"period"``, ``"excluded[1]"`` …),
    ``code`` is a stable machine-readable string (``"lawclock.naive_datetime"``) a UI can
    translate, and the message is a clear English sentence.
    """

    def __init__(self, message: str, *, field: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code

    def __reduce__(self) -> tuple[object, ...]:  # keep the keyword fields when pickled
        return (_rebuild, (self.message, self.field, self.code))


def _rebuild(message: str, field: str, code: str) -> LawclockError:
    return LawclockError(message, field=field, code=code)
