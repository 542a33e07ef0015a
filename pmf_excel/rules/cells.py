"""The engine on Excel ranges: grids in, grids of the same shape out, one call for a whole column.

This is what the ``=PMF_...`` functions return, so that the Excel layer
holds no logic: a single cell and a 10,000-row range go through the same
vectorised path; a blank position gives a blank; an unreadable cell gives
the error value ``#VALUE!`` in that position only (its reason is what
:func:`explain_cells` returns); ranges of different sizes behave as Excel's
own array arithmetic does (a single row or column repeats, anything beyond a
smaller range is ``#N/A``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

from .collector import collector_paused
from .errors import PMFValueError, as_text
from .models import Trend
from .policy import DEFAULT_POLICY, Policy, PolicyError, builtin_policies, named_policy, policy_from_rows
from .values import read_value
from .vectorised import breach_many, dot_many, rag_many
from .verdicts import assess, deliverable_rag, direction_of_travel

Grid = list[list[object]]
VALUE_ERROR = "#VALUE!"
SHAPE_ERROR = "#N/A"
_OUTSIDE = object()


def rag_cells(performance, target, tolerance, polarity, policy=None, last_year=None, forecast=None,
              measure_class=None) -> Grid:
    """RAG per row under ``policy`` (a policy's name or its Rules range; the default when blank), each state named
    as the policy names it; ``last_year`` is what a DOT-aware policy compares a missed target with, ``forecast``
    the year-end forecast a policy of amber by forecast judges it by, ``measure_class`` the class whose settings
    the row takes."""
    chosen = _policy_or_error(policy, performance)
    if not isinstance(chosen, Policy):
        return chosen
    many = functools.partial(_per_class, _rag_rows, chosen)
    grid = _vectorised(many, performance, target, tolerance, polarity, last_year, forecast, measure_class)
    return _shown(grid, chosen)


def _rag_rows(performance, target, tolerance, polarity, last_year, forecast, policy: Policy):
    return rag_many(performance, target, tolerance, polarity, policy=policy,
                    last_year=last_year if policy.dot_aware_rag else None,
                    forecast=forecast if policy.amber_by_forecast else None)


def _per_class(many: Callable[..., list], policy: Policy, *columns: list) -> list:
    """``many`` over the rows of each measure class at a time, under the policy as that class has it."""
    *data, classes = columns
    groups: dict[str | None, list[int]] = {}
    for index, measure_class in enumerate(classes):
        groups.setdefault(None if measure_class is None else as_text(measure_class), []).append(index)
    if len(groups) == 1:  # one class (or none) for every row: the columns as they are
        return many(*data, policy=policy.for_measure(measure_class=next(iter(groups))))
    answers: list[object] = [None] * len(classes)
    for measure_class, rows in groups.items():
        chosen = policy.for_measure(measure_class=measure_class)
        for index, answer in zip(rows, many(*[[column[i] for i in rows] for column in data], policy=chosen)):
            answers[index] = answer
    return answers


def _shown(grid: Grid, policy: Policy) -> Grid:
    """The engine's states as the policy names them (its grey names, its words for colours and directions)."""
    names: dict[str, object] = {VALUE_ERROR: VALUE_ERROR, SHAPE_ERROR: SHAPE_ERROR}
    for row in grid:
        for cell in row:
            if isinstance(cell, str) and cell not in names:
                names[cell] = policy.shown(cell)
    return [[names[cell] if isinstance(cell, str) else cell for cell in row] for row in grid]


def breach_cells(performance, target, tolerance, polarity, policy=None, last_year=None, forecast=None,
                 measure_class=None) -> Grid:
    chosen = _policy_or_error(policy, performance)
    if not isinstance(chosen, Policy):
        return chosen
    many = functools.partial(_per_class, _breach_rows, chosen)
    return _vectorised(many, performance, target, tolerance, polarity, last_year, forecast, measure_class)


def _breach_rows(performance, target, tolerance, polarity, last_year, forecast, policy: Policy):
    return breach_many(performance, target, tolerance, polarity, policy=policy,
                       last_year=last_year if policy.dot_aware_rag else None,
                       forecast=forecast if policy.amber_by_forecast else None)


def dot_cells(current, previous, polarity, policy=None) -> Grid:
    chosen = _policy_or_error(policy, current)
    if not isinstance(chosen, Policy):
        return chosen
    return _shown(_vectorised(functools.partial(dot_many, policy=chosen), current, previous, polarity), chosen)


def trend_cells(series, polarity, policy=None) -> Grid:
    """The direction of travel by trend for each row of ``series``: its figures oldest first, the last being this
    period's; one answer per row, in the policy's words, a blank row blank."""
    rows, polarities = as_grid(series), as_grid(polarity)
    chosen = _policy_or_error(policy, [[None] for _ in rows])
    if not isinstance(chosen, Policy):
        return chosen
    out: Grid = []
    for index, row in enumerate(rows):
        if len(polarities) > 1 and index >= len(polarities):
            out.append([SHAPE_ERROR])
            continue
        sense = polarities[index if len(polarities) > 1 else 0][0]
        if _all_blank(row):
            out.append([""])
        else:
            try:
                trend = Trend(figures=tuple(reversed(row[:-1])))
                out.append([chosen.shown(direction_of_travel(row[-1], trend, sense, chosen))])
            except PMFValueError:
                out.append([VALUE_ERROR])
    return out


def status_cells(status, policy=None) -> Grid:
    chosen = _policy_or_error(policy, status)
    if not isinstance(chosen, Policy):
        return chosen
    return _each(functools.partial(deliverable_rag, policy=chosen), status)


def _policy_or_error(raw: object, shaped_like: object, explain: bool = False) -> Policy | Grid:
    """The policy an argument names, or, when it names none, the error in every cell of the result (its reason
    for PMF_EXPLAIN): a bad policy is an input like any other, never a traceback."""
    try:
        return policy_of(raw)
    except PMFValueError as error:
        rows, cols = _shape([as_grid(shaped_like)])
        return [[str(error) if explain else VALUE_ERROR] * cols for _ in range(rows)]


def policy_of(raw: object) -> Policy:
    """The policy a function's optional argument names: blank is the default, a text is a policy's name, a range
    of Setting and Value rows is a Rules sheet."""
    grid = as_grid(raw)
    if _all_blank(cell for row in grid for cell in row):
        return DEFAULT_POLICY
    if len(grid) == 1 and len(grid[0]) == 1:
        name = as_text(grid[0][0]).strip()
        if name.casefold() not in builtin_policies():
            names = ", ".join(policy.name for policy in builtin_policies().values())
            raise PMFValueError("a policy", name, f"Expected one of {names}, or a Rules range.")
        return named_policy(name)
    return _policy_of_rows(tuple(tuple(_setting(cell) for cell in row) for row in grid))


def _setting(cell: object) -> object:
    """A Rules range's cell as a policy reads it, hashable so that the range's policy is read once: text and
    numbers as they are, anything else as its text."""
    if cell is None:
        return ""
    return cell if isinstance(cell, (str, int, float)) else as_text(cell)


@functools.lru_cache(maxsize=32)
def _policy_of_rows(rows: tuple[tuple[object, ...], ...]) -> Policy:
    header = [] if rows and as_text(rows[0][0]).strip() == "Setting" else [["Setting", "Value"]]
    try:
        return policy_from_rows([*header, *map(list, rows)], "the policy range")
    except PolicyError as error:
        raise PMFValueError("a policy", "the policy range", str(error)) from None


def value_cells(text) -> Grid:
    """The number Excel should hold for each typed value; blank for NA, TBC and other missing markers."""
    return _each(_held_number, text)


def _held_number(raw: object) -> object:
    value = read_value(raw)
    return "" if value.is_missing else value.number


def explain_cells(performance, target, tolerance, polarity, policy=None, last_year=None, forecast=None,
                  measure_class=None) -> Grid:
    """The reason sentence for each row, or what is wrong with an unreadable input."""
    chosen = _policy_or_error(policy, performance, explain=True)
    if not isinstance(chosen, Policy):
        return chosen

    def reason(performance, target, tolerance, polarity, last_year, forecast, measure_class):
        own = chosen.for_measure(measure_class=None if measure_class is None else as_text(measure_class))
        return assess(performance, target, tolerance, polarity, last_year=last_year, policy=own,
                      forecast=forecast).reason

    return _each(reason, performance, target, tolerance, polarity, last_year, forecast, measure_class,
                 explain_errors=True)


def _vectorised(many: Callable[..., list], *arguments) -> Grid:
    with collector_paused():
        return _judged_grid(many, *arguments)


def _judged_grid(many: Callable[..., list], *arguments) -> Grid:
    grids = [as_grid(a) for a in arguments]
    rows, cols = _shape(grids)
    spread = [_spread(g, rows, cols) for g in grids]
    cells = [column for column, _ in spread]
    outside = set().union(*(beyond for _, beyond in spread))
    live = [i for i, row in enumerate(zip(*cells)) if i not in outside and not _all_blank(row)]
    results: list[object] = [None] * (rows * cols)
    if live:
        columns = cells if len(live) == len(results) else [[column[i] for i in live] for column in cells]
        for i, answer in zip(live, many(*columns)):
            results[i] = answer
    out = [SHAPE_ERROR if i in outside else _excel(result) for i, result in enumerate(results)]
    return [out[r * cols:(r + 1) * cols] for r in range(rows)]


def _spread(grid: Grid, rows: int, cols: int) -> tuple[list[object], set[int]]:
    """The grid's cell at every position of a ``rows`` × ``cols`` range, row by row, as :func:`_at` finds it
    (a single column or cell at once, any other shape cell by cell), and the positions beyond its edge."""
    if len(grid[0]) == 1 and len(grid) in (1, rows) and cols == 1:
        return [line[0] for line in grid] * (rows if len(grid) == 1 else 1), set()
    cells = [_at(grid, r, c) for r in range(rows) for c in range(cols)]
    return cells, {i for i, cell in enumerate(cells) if cell is _OUTSIDE}


def _each(function: Callable[..., object], *arguments, explain_errors: bool = False) -> Grid:
    with collector_paused():
        return _each_cell(function, *arguments, explain_errors=explain_errors)


def _each_cell(function: Callable[..., object], *arguments, explain_errors: bool) -> Grid:
    grids = [as_grid(a) for a in arguments]
    rows, cols = _shape(grids)
    out: Grid = []
    for r in range(rows):
        line = []
        for c in range(cols):
            row = [_at(g, r, c) for g in grids]
            if any(cell is _OUTSIDE for cell in row):
                line.append(SHAPE_ERROR)
            elif _all_blank(row):
                line.append("")
            else:
                try:
                    line.append(function(*row))
                except PMFValueError as error:
                    line.append(str(error) if explain_errors else VALUE_ERROR)
        out.append(line)
    return out


def _excel(result: object) -> object:
    if isinstance(result, PMFValueError):
        return VALUE_ERROR
    return "" if result is None else result


def as_grid(value: object) -> Grid:
    """A range as rows of cells: a single value is a 1×1 range, a flat list one row.

    xlwings passes a one-row range as a flat list (a column stays a list of
    one-cell rows), so a flat list is a row here too.

    The Excel functions take their ranges raw (xlwings' own per-cell cleaning
    costs ~0.25 ms a cell on xlwings Server, 2.5 s for 10,000 rows), so the
    cells are made plain here, once: an empty cell is None, an error cell is
    its text (``#VALUE!``) so that it gives ``#VALUE!`` with a reason.
    """
    if isinstance(value, (list, tuple)) and value and all(isinstance(row, (list, tuple)) for row in value):
        return [[plain(cell) for cell in row] or [None] for row in value]
    if isinstance(value, (list, tuple)):
        return [[plain(cell) for cell in value] or [None]]
    return [[plain(value)]]


#: How desktop Excel (COM) hands an error cell to a raw argument: these codes, as xlwings itself reads them.
COM_ERRORS = {-2146826281: "#DIV/0!", -2146826246: "#N/A", -2146826259: "#NAME?", -2146826288: "#NULL!",
              -2146826252: "#NUM!", -2146826265: "#REF!", -2146826273: "#VALUE!"}


def plain(cell: object) -> object:
    """One raw cell as the engine reads it, from any of the runtimes xlwings serves.

    Office.js (Excel on the web, xlwings Server and Lite) sends an empty cell
    as ``""`` or null (Pyodide's ``JsNull``) and an error as
    ``{"type": "Error", "basicValue": "#VALUE!"}``; desktop Excel sends an
    error as a COM error code.
    """
    if isinstance(cell, str):
        return cell or None
    if cell is None or isinstance(cell, (float, bool)):
        return cell
    if isinstance(cell, dict):
        if cell.get("type") == "Error":
            return str(cell.get("basicValue") or f"#{cell.get('errorType', 'VALUE')}!")
        return cell.get("basicValue")
    if isinstance(cell, int) and cell in COM_ERRORS:
        return COM_ERRORS[cell]
    if type(cell).__name__ == "JsNull":
        return None
    return cell


def _shape(grids: Sequence[Grid]) -> tuple[int, int]:
    return max(len(g) for g in grids), max(len(g[0]) for g in grids)


def _at(grid: Grid, r: int, c: int) -> object:
    """Excel's broadcasting: one row or one column repeats; beyond a larger range's edge there is nothing."""
    rr = 0 if len(grid) == 1 else r
    cc = 0 if len(grid[0]) == 1 else c
    if rr >= len(grid) or cc >= len(grid[rr]):
        return _OUTSIDE
    return grid[rr][cc]


def _all_blank(cells) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)
