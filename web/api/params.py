"""Query parameters of the API: declared once, parsed and documented from the declaration.

Each operation lists its parameters as objects of this module. The registry parses the
query string with them before the view runs (a value that does not fit — or a parameter
the operation does not know — is a 400 naming it), and the OpenAPI document takes each
parameter's JSON Schema from the same object, so the two cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from web.api.problems import BadParameter

__all__ = [
    "BoolParam",
    "DateParam",
    "EnumParam",
    "FloatParam",
    "IdParam",
    "IntParam",
    "Param",
]

MAX_ID_LENGTH = 200
# What the document promises, and nothing else: Python's int(), float() and
# date.fromisoformat() also take "1_000", Arabic-Indic or full-width digits, " 7 ",
# "20250101" or "2025-W01-1", which no client reading the schema would send.
_INTEGER = re.compile(r"-?[0-9]+")
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class Param:
    """One query (or path) parameter; subclasses say how to read and describe a value."""

    name: str
    description: str
    required: bool = False
    location: Literal["query", "path"] = "query"
    default: Any = None
    arg: str | None = None
    """The view's keyword for the value, where the name is not one (``from``)."""

    json_type: ClassVar[str] = "string"

    @property
    def keyword(self) -> str:
        return self.arg or self.name

    def schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": self.json_type}
        if self.default is not None:
            schema["default"] = self.default
        return schema

    def parse(self, raw: str) -> Any:
        return raw

    def read(self, raw: str | None) -> Any:
        """The typed value of ``raw`` (None when absent), or ``BadParameter``."""
        if raw is None:
            if self.required:
                raise BadParameter.one(self.name, "is required")
            return self.default
        return self.parse(raw)

    def openapi(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "in": self.location,
            "required": self.required or self.location == "path",
            "description": self.description,
            "schema": self.schema(),
        }


@dataclass(frozen=True)
class IdParam(Param):
    """An id of a node (candidate, offer, town, skill …): non-empty, printable text."""

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "minLength": 1, "maxLength": MAX_ID_LENGTH}

    def parse(self, raw: str) -> str:
        value = raw.strip()
        if not value or len(raw) > MAX_ID_LENGTH or not value.isprintable():
            raise BadParameter.one(self.name, f"{_shown(raw)} is not an id")
        return value


@dataclass(frozen=True)
class IntParam(Param):
    minimum: int | None = None
    maximum: int | None = None

    json_type: ClassVar[str] = "integer"

    def schema(self) -> dict[str, Any]:
        schema = super().schema()
        if self.minimum is not None:
            schema["minimum"] = self.minimum
        if self.maximum is not None:
            schema["maximum"] = self.maximum
        return schema

    def parse(self, raw: str) -> int:
        try:
            if not _INTEGER.fullmatch(raw):
                raise ValueError(raw)
            value = int(raw)  # ValueError beyond 4,300 digits
        except ValueError:
            raise BadParameter.one(self.name, f"{_shown(raw)} is not a whole number") from None
        if self.minimum is not None and value < self.minimum:
            raise BadParameter.one(self.name, f"{value} is below the minimum {self.minimum}")
        if self.maximum is not None and value > self.maximum:
            raise BadParameter.one(self.name, f"{value} is above the maximum {self.maximum}")
        return value


@dataclass(frozen=True)
class FloatParam(Param):
    minimum: float | None = None

    json_type: ClassVar[str] = "number"

    def schema(self) -> dict[str, Any]:
        schema = super().schema()
        if self.minimum is not None:
            schema["minimum"] = self.minimum
        return schema

    def parse(self, raw: str) -> float:
        if not _NUMBER.fullmatch(raw):
            raise BadParameter.one(self.name, f"{_shown(raw)} is not a number")
        value = float(raw)
        if value in (float("inf"), float("-inf")):
            raise BadParameter.one(self.name, f"{_shown(raw)} is not a finite number")
        if self.minimum is not None and value < self.minimum:
            raise BadParameter.one(self.name, f"{value:g} is below the minimum {self.minimum:g}")
        return value


@dataclass(frozen=True)
class BoolParam(Param):
    json_type: ClassVar[str] = "boolean"

    _TRUE: ClassVar[frozenset[str]] = frozenset({"true", "1", "yes"})
    _FALSE: ClassVar[frozenset[str]] = frozenset({"false", "0", "no"})

    def parse(self, raw: str) -> bool:
        value = raw.strip().lower()
        if value in self._TRUE:
            return True
        if value in self._FALSE:
            return False
        raise BadParameter.one(self.name, f"{_shown(raw)} is not true or false")


@dataclass(frozen=True)
class EnumParam(Param):
    choices: tuple[str, ...] = ()

    def schema(self) -> dict[str, Any]:
        return {**super().schema(), "enum": list(self.choices)}

    def parse(self, raw: str) -> str:
        if raw not in self.choices:
            raise BadParameter.one(
                self.name, f"{_shown(raw)} is not one of {', '.join(self.choices)}"
            )
        return raw


@dataclass(frozen=True)
class DateParam(Param):
    """A calendar day as ``YYYY-MM-DD``."""

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "date"}

    def parse(self, raw: str) -> dt.date:
        try:
            if not _DATE.fullmatch(raw):
                raise ValueError(raw)
            return dt.date.fromisoformat(raw)
        except ValueError:
            raise BadParameter.one(self.name, f"{_shown(raw)} is not a date (YYYY-MM-DD)") from None


def _shown(raw: str) -> str:
    """``raw`` quoted for an error message, cut short: a 10 MB value is not echoed back."""
    return repr(raw if len(raw) <= 80 else raw[:80] + "…")
