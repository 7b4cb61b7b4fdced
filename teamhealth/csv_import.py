"""Reading a CSV of metric values: every problem reported per row, nothing half-imported.

Pure: bytes and the names of the teams the person may write to in, rows or
errors out. Columns: ``team,metric,period_start,value`` (a header row, UTF-8).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from . import periods, thresholds

COLUMNS = ("team", "metric", "period_start", "value")
MAX_ROWS = 10_000
# No cell of a good file comes near this; a longer one is refused with its line.
MAX_CELL = 1_000


@dataclass(frozen=True)
class Row:
    line: int
    team: str
    metric: str
    period_start: date
    value: Decimal


@dataclass(frozen=True)
class RowError:
    line: int  # 0 for a problem with the whole file
    message: str


def parse(
    content: bytes, team_names: set[str], *, today: date, bounds: thresholds.Bounds
) -> tuple[list[Row], list[RowError]]:
    """Parse and validate every row; any error means nothing should be imported.

    Values and periods are checked by the rules every door asks
    (``thresholds.validate_value`` and ``validate_period``).
    """
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [RowError(0, "The file is not UTF-8 text. Save it as CSV UTF-8 and try again.")]
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader, None)
        lines = list(reader)
    except csv.Error as error:
        # The module's own cell limit (128 KiB), a NUL byte, a stray quote.
        return [], [RowError(reader.line_num, f"This line cannot be read as CSV: {error}.")]
    if header is None:
        return [], [RowError(0, "The file is empty.")]
    normalized = tuple(h.strip().lower() for h in header)
    if normalized != COLUMNS:
        return [], [
            RowError(
                0,
                f"The columns must be {', '.join(COLUMNS)} (in that order); "
                f"this file has {', '.join(h.strip() for h in header) or 'none'}.",
            )
        ]
    # Said first and alone: otherwise it came last, after thousands of row problems.
    if len(lines) > MAX_ROWS:
        return [], [
            RowError(
                0,
                f"Too many rows: {len(lines)} after the header, at most {MAX_ROWS} per file. "
                "Split the file and import each part.",
            )
        ]
    rows: list[Row] = []
    errors: list[RowError] = []
    seen: dict[tuple[str, str, date], int] = {}
    for line, cells in enumerate(lines, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(COLUMNS):
            errors.append(RowError(line, f"Expected {len(COLUMNS)} cells, found {len(cells)}."))
            continue
        if any(len(c) > MAX_CELL for c in cells):
            errors.append(RowError(line, f"A cell is longer than {MAX_CELL} characters."))
            continue
        team, metric, day_text, value_text = (c.strip() for c in cells)
        problems = []
        if team not in team_names:
            problems.append(f"Unknown team {team!r} (or not one you may enter values for).")
        if metric not in thresholds.METRICS:
            problems.append(
                f"Unknown metric {metric!r}: use one of {', '.join(thresholds.METRICS)}."
            )
        try:
            day = date.fromisoformat(day_text)
        except ValueError:
            problems.append(f"Bad date {day_text!r}: use YYYY-MM-DD.")
            day = None
        try:
            value = Decimal(value_text)
            if not value.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            problems.append(f"Bad number {value_text!r}.")
            value = None
        if value is not None and metric in thresholds.METRICS:
            out_of_range = thresholds.validate_value(metric, value, bounds=bounds)
            if out_of_range:
                problems.append(out_of_range)
            elif value >= Decimal("1000000"):
                problems.append(f"Out of range: {value_text} is too large.")
        if day is not None:
            out_of_history = thresholds.validate_period(day, bounds=bounds, today=today)
            if out_of_history:
                problems.append(out_of_history)
                day = None
        if day is not None and metric in thresholds.METRICS:
            start = periods.period_start(day)
            first = seen.get((team, metric, start))
            if first is not None:
                problems.append(
                    f"Duplicate period: line {first} already gives {team} {metric} "
                    f"for the period starting {start}."
                )
            else:
                seen[(team, metric, start)] = line
        if problems or day is None or value is None:
            errors.extend(RowError(line, p) for p in problems)
            continue
        rows.append(
            Row(line, team, metric, periods.period_start(day), value.quantize(Decimal("0.01")))
        )
    if not rows and not errors:
        errors.append(RowError(0, "The file has a header but no rows."))
    return rows, errors
