"""One error hierarchy for the whole project.

Stores wrap driver and SQLite errors in these (``raise … from e``); the CLI prints them
as one line and exits non-zero, the web layer maps them to HTTP in one place. Anything
else that escapes is a bug and keeps its traceback.
"""

from __future__ import annotations

__all__ = ["Conflict", "InvalidInput", "NotFound", "StoreUnavailable", "WegweiserError"]


class WegweiserError(Exception):
    """An expected failure with a message a person can act on."""


class NotFound(WegweiserError):
    """An id that names nothing in the store."""


class Conflict(WegweiserError):
    """A write that would overwrite someone else's newer change."""


class StoreUnavailable(WegweiserError):
    """The store cannot be reached or opened: server down, wrong password, bad data dir."""


class InvalidInput(WegweiserError):
    """Input that was rejected before anything was written.

    ``problems`` lists every problem found, each as ``"<where>: <what>"`` so that a person
    can fix a whole file in one pass instead of one error per run.
    """

    def __init__(self, summary: str, problems: list[str] | None = None) -> None:
        self.summary = summary
        self.problems = list(problems or [])
        super().__init__(summary)

    def __str__(self) -> str:
        if not self.problems:
            return self.summary
        return "\n".join([self.summary, *(f"  {p}" for p in self.problems)])
