"""Dates and numbers as the reader's language writes them.

The pictures take a Babel locale name (``"de"``, ``"ar"``, ``"fa"``, ``"uk"``, ``"en"``)
rather than Flask's request context, so they stay pure functions; ``None`` gives
language-neutral forms (ISO dates, month numbers), which the tests use.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from babel.dates import format_date, get_month_names
from babel.numbers import format_decimal, format_percent

__all__ = ["date_formatter", "month_names", "number_formatter", "percent_formatter"]


def date_formatter(locale: str | None) -> Callable[[dt.date], str]:
    """``11.01.2027`` in German, ``٢٠٢٧/٠١/١١``-style in Arabic, ISO without a locale."""
    if locale is None:
        return dt.date.isoformat
    return lambda day: format_date(day, format="medium", locale=locale)


def month_names(locale: str | None) -> list[str]:
    """Twelve abbreviated month names (January first) for the time-axis ticks."""
    if locale is None:
        return [f"{month:02d}" for month in range(1, 13)]
    names = get_month_names("abbreviated", locale=locale)
    return [names[month] for month in range(1, 13)]


def number_formatter(locale: str | None) -> Callable[[float], str]:
    """Whole numbers without decimals, others with at most one (``1,5`` in German)."""
    if locale is None:
        return lambda value: f"{value:g}" if value == int(value) else f"{value:.1f}"
    return lambda value: format_decimal(value, format="#,##0.#", locale=locale)


def percent_formatter(locale: str | None) -> Callable[[float], str]:
    """A share (0–1) as a whole percentage (``42 %`` in German)."""
    if locale is None:
        return lambda share: f"{round(share * 100)} %"
    return lambda share: format_percent(share, format="#,##0 %", locale=locale)
