"""Read values the way co-ordinators type them into typed :class:`Value` objects.

Every form in seed 004 is read here and nowhere else: ``71%``, ``53.49%%``,
``163,278 (321,009 cumulative)``, ``£207k Annual Deficit``, ``1 min 27 secs``,
``5.75 days``, ``4.58 out of 5``, ``Category 2``, ``NA - New PI``. What is
written beside a value (a date, "revised", a cumulative figure) becomes an
annotation and never changes the number. Anything else is a
:class:`PMFValueError` that quotes the text: the engine never guesses.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
from functools import lru_cache

from .errors import PMFValueError
from .models import SECONDS_PER_DAY, Annotation, Kind, Value
from .text import FORMULA_WITHOUT_RESULT, clean, is_formula

EXPECTED_VALUE = (
    "Expected a figure such as 71%, £207k, 163,278, 1 min 27 secs, 5.75 days, 4.5/5 or "
    "Category 2, or NA / TBC when there is no figure."
)

NUMBER = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"

_MISSING = re.compile(
    r"^(?:n/?a|tbc|tbd|not available|not yet available|new kpi|new pi|no data|"
    r"figures? not available|data not available|awaiting data)\b",
    re.IGNORECASE,
)
_PERCENT = re.compile(rf"^([-+]?)\s*({NUMBER})\s*(%+)$")
_MONEY = re.compile(
    rf"^([-+]?)\s*£\s*({NUMBER})\s*(k|m|bn|million|thousand)?\b\s*(.*)$", re.IGNORECASE
)
_MONEY_SIGN = re.compile(
    r"^(?:annual\s+)?(surplus|deficit|over\s?spend|under\s?spend)$", re.IGNORECASE
)
_DURATION_PART = re.compile(
    r"(\d+(?:\.\d+)?)\s*(hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s)\b[\s,]*(?:and\s+)?",
    re.IGNORECASE,
)
_DAYS = re.compile(rf"^([-+]?)\s*({NUMBER})\s*(?:working\s+)?days?$", re.IGNORECASE)
_RATING = re.compile(rf"^({NUMBER})\s*(?:/|out of)\s*({NUMBER})$", re.IGNORECASE)
_CATEGORY = re.compile(r"^category\s*(\d+)$", re.IGNORECASE)
_COUNT = re.compile(rf"^([-+]?)\s*({NUMBER})(?:\s+([A-Za-z][A-Za-z'\- ]*))?$")
_PER_PERIOD = re.compile(r"\s+(per|a)\s+(quarter|annum|year|month|week)$", re.IGNORECASE)
_PREFIX = re.compile(r"^(annual|over|under|approx\.?|approximately|about|c\.)\s+", re.IGNORECASE)
_DATE_TOKEN = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*(?:\s+\d{2}\b)?"
    r"|\b(?:19|20)\d\d(?:/\d{2})?\b|\b\d{2}/\d{2}\b|\bQ[1-4]\b|\b\d{1,2}(?:st|nd|rd|th)\b",
    re.IGNORECASE,
)
_FIRST_NUMBER = re.compile(NUMBER)
_PROFILE = re.compile(r"\bprofiled?\b", re.IGNORECASE)
_PROFILE_QUARTER = re.compile(r"\bQ([1-4])\b", re.IGNORECASE)
_PROFILE_WORDS = re.compile(r"\bQ[1-4]\b|\bprofiled?\b|\btarget\b|\bfor\b|[:–—]|\s-\s|^-|-$", re.IGNORECASE)
_UNIT_SECONDS = {"h": 3600.0, "m": 60.0, "s": 1.0}
_MONEY_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "bn": 1e9}
_MONEY_SIGNS = {"surplus": 1, "deficit": -1, "overspend": 1, "underspend": -1}
_MAX_UNIT_WORDS = 4

#: What a spreadsheet can hold: Excel keeps 15 significant digits, and its largest number is just under 1e308.
#: A figure past either cannot be a real one, and reading it would only guess.
SIGNIFICANT_DIGITS = 15
LARGEST = 1e308
TOO_PRECISE = (f"It has more significant digits than a spreadsheet keeps ({SIGNIFICANT_DIGITS}): type the figure as "
               "the report gives it, rounded.")
TOO_LARGE = "It is beyond ±1E+308, the largest number a spreadsheet holds."


def read_value(raw: object) -> Value:
    """Read one performance or comparison value, as text or as the number an Excel cell holds.

    A bare number from a cell is :attr:`Kind.NUMBER`: it already is what Excel
    holds (a %-formatted 71% arrives as 0.71, the time 0:01:27 as a fraction
    of a day) and takes the unit of whatever it is compared with. A
    :class:`Value` is taken as it is: that is how a caller who knows a
    cell's unit (Consolidate, from the catalogue) says so.
    """
    if raw is None:
        return MISSING
    if isinstance(raw, Value):  # already read, e.g. a cell whose unit the caller knows from the catalogue
        return raw
    if isinstance(raw, str):
        return _read_text(raw)
    if isinstance(raw, bool):
        raise PMFValueError("a value", raw, EXPECTED_VALUE)
    if isinstance(raw, numbers.Real):
        number = held_number(raw)
        if number is None:
            raise PMFValueError("a value", raw, f"{TOO_LARGE} {EXPECTED_VALUE}")
        if math.isnan(number):
            return MISSING
        return Value(kind=Kind.NUMBER, number=number, text=repr(raw))
    if isinstance(raw, dt.timedelta):
        return Value(kind=Kind.DURATION, number=raw.total_seconds() / SECONDS_PER_DAY, text=str(raw))
    if isinstance(raw, dt.time):
        seconds = raw.hour * 3600 + raw.minute * 60 + raw.second + raw.microsecond / 1e6
        return Value(kind=Kind.DURATION, number=seconds / SECONDS_PER_DAY, text=raw.isoformat())
    raise PMFValueError("a value", raw, EXPECTED_VALUE)


MISSING = Value(kind=Kind.MISSING, number=None, text="")


def held_number(raw: numbers.Real) -> float | None:
    """A number as a spreadsheet holds it (NaN stays NaN), or None when no spreadsheet can hold it: an integer
    beyond float range, infinity, anything past ±1e308."""
    try:
        number = float(raw)
    except (OverflowError, ValueError):
        return None
    return number if math.isnan(number) or abs(number) <= LARGEST else None


def check_figures(raw: str, text: str, what: str = "a value", expected: str = EXPECTED_VALUE) -> None:
    """Refuse a text holding a figure with more significant digits than a spreadsheet keeps, before any parsing.

    Leading zeros do not count; every other digit does, so a figure of more
    than 15 digits, and with it any text figure beyond ±1e308, is refused in
    one pass over the text, whatever its length.
    """
    for match in _FIRST_NUMBER.finditer(text):
        if match.end() - match.start() > SIGNIFICANT_DIGITS and \
                len(re.sub(r"\D", "", match.group(0)).lstrip("0")) > SIGNIFICANT_DIGITS:
            raise PMFValueError(what, raw, f"{TOO_PRECISE} {expected}")


def is_missing_text(text: str) -> bool:
    """True for the markers that mean "no figure": blank, NA, TBC, New KPI, Not available…"""
    return not text or bool(_MISSING.match(text))


@lru_cache(maxsize=65_536)
def _read_text(raw: str) -> Value:
    text = clean(raw)
    if is_missing_text(text):
        return Value(kind=Kind.MISSING, number=None, text=raw)
    check_figures(raw, text)
    core, annotations = split_annotations(text)
    value = _read_core(core, annotations)
    if value is None:
        raise PMFValueError("a value", raw, _hint(core) + EXPECTED_VALUE)
    return value.model_copy(update={"text": raw})


def split_annotations(text: str) -> tuple[str, tuple[Annotation, ...]]:
    """Peel bracketed notes, a trailing ``*``, ``per quarter`` and words like ``Annual`` off a value."""
    notes: list[Annotation] = []
    core = text.strip()
    while True:
        if core.endswith("*"):
            notes.insert(0, Annotation(kind="note", text="*"))
            core = core[:-1].rstrip()
        elif core.endswith(")") and "(" in core:
            opening = _matching_open(core)
            if opening <= 0:
                break
            notes.insert(0, _classify(core[opening + 1 : -1].strip()))
            core = core[:opening].rstrip()
        elif match := _PER_PERIOD.search(core):
            notes.insert(0, Annotation(kind="per_period", text=match.group(0).strip()))
            core = core[: match.start()].rstrip()
        else:
            break
    while match := _PREFIX.match(core):
        word = match.group(1).lower()
        notes.insert(0, Annotation(kind="annual" if word == "annual" else "qualifier", text=match.group(1)))
        core = core[match.end():]
    return core, tuple(notes)


def _matching_open(text: str) -> int:
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        if text[index] == ")":
            depth += 1
        elif text[index] == "(":
            depth -= 1
            if depth == 0:
                return index
    return -1


def _classify(note: str) -> Annotation:
    lower = note.lower()
    if "cumulative" in lower:
        match = _FIRST_NUMBER.search(note)
        number = float(match.group(0).replace(",", "")) if match else None
        return Annotation(kind="cumulative", text=note, number=number)
    if "revised" in lower:
        return Annotation(kind="revised", text=note)
    if "provisional" in lower:
        return Annotation(kind="provisional", text=note)
    if "year-end" in lower or "year end" in lower:
        return Annotation(kind="year_end", text=note)
    if "tolerance score" in lower:
        return Annotation(kind="tolerance_score", text=note)
    if _PROFILE.search(note) and (figure := profile_parts(note)[0]) is not None:
        return Annotation(kind="profile", text=note, number=figure.number)
    if _DATE_TOKEN.search(note) and not re.search(r"[\d%£]", _DATE_TOKEN.sub("", note)):
        return Annotation(kind="date", text=note)
    return Annotation(kind="note", text=note)


def profile_parts(note: str) -> tuple[Value | None, int | None]:
    """The figure and the quarter of a profile written beside a target: ``300 tonnes – Q1 profile`` is 300 tonnes
    for Q1; (None, None) when the note holds no figure that can be read."""
    quarter = _PROFILE_QUARTER.search(note)
    rest = clean(_PROFILE_WORDS.sub(" ", note))
    try:
        figure = _read_text(rest) if rest else None
    except PMFValueError:
        figure = None
    if figure is None or figure.is_missing:
        return None, None
    return figure, int(quarter.group(1)) if quarter else None


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _read_core(core: str, notes: tuple[Annotation, ...]) -> Value | None:
    if match := _PERCENT.match(core):
        sign, digits, marks = match.groups()
        if len(marks) > 1:
            notes += (Annotation(kind="typo", text=f"{marks} read as %"),)
        number = _number(digits) / 100 * (-1 if sign == "-" else 1)
        return Value(kind=Kind.PERCENTAGE, number=number, unit="%", text=core, annotations=notes)
    if match := _MONEY.match(core):
        return _read_money(core, match, notes)
    if match := _DAYS.match(core):
        sign, digits = match.groups()
        number = _number(digits) * (-1 if sign == "-" else 1)
        return Value(kind=Kind.DAYS, number=number, unit="days", text=core, annotations=notes)
    if (seconds := _read_duration(core)) is not None:
        return Value(kind=Kind.DURATION, number=seconds / SECONDS_PER_DAY, unit="duration", text=core,
                     annotations=notes)
    if match := _RATING.match(core):
        value, scale = match.groups()
        return Value(kind=Kind.RATING, number=_number(value), unit=f"/{scale}", text=core, annotations=notes)
    if match := _CATEGORY.match(core):
        return Value(kind=Kind.CATEGORY, number=float(match.group(1)), unit="Category", text=core, annotations=notes)
    if match := _COUNT.match(core):
        sign, digits, words = match.groups()
        if words and len(words.split()) > _MAX_UNIT_WORDS:
            return None
        number = _number(digits) * (-1 if sign == "-" else 1)
        return Value(kind=Kind.COUNT, number=number, unit=(words or "").strip(), text=core, annotations=notes)
    return None


def _read_money(core: str, match: re.Match, notes: tuple[Annotation, ...]) -> Value | None:
    sign, digits, scale, rest = match.groups()
    number = _number(digits) * _MONEY_SCALE.get((scale or "").lower(), 1.0)
    if sign == "-":
        number = -number
    if rest:
        sign_word = _MONEY_SIGN.match(rest.strip())
        if not sign_word:
            return None
        word = sign_word.group(1).lower().replace(" ", "")
        number *= _MONEY_SIGNS[word]
        if rest.strip().lower().startswith("annual"):
            notes += (Annotation(kind="annual", text="Annual"),)
        notes += (Annotation(kind="note", text=word),)
    return Value(kind=Kind.MONEY, number=number, unit="£", text=core, annotations=notes)


def _read_duration(core: str) -> float | None:
    """Seconds in ``1 min 27 secs``: parts read one after another from the start, each where the last ended (a
    search would try every position of a long run of digits, in time growing with its square)."""
    position, seconds = 0, 0.0
    while position < len(core) and (match := _DURATION_PART.match(core, position)):
        seconds += float(match.group(1)) * _UNIT_SECONDS[match.group(2)[0].lower()]
        position = match.end()
    if position == 0 or position != len(core):
        return None
    return seconds


def _hint(core: str) -> str:
    """A first sentence that points at the likely fix for the commonest mistakes."""
    if is_formula(core):
        return FORMULA_WITHOUT_RESULT
    if re.search(r"\d,\d{1,2}(?!\d)", core):
        return "A comma is read as a thousands separator: type a decimal point instead (17.6, not 17,6). "
    if len(_FIRST_NUMBER.findall(core)) > 1:
        return "It holds several figures: a multi-part measure needs each part on its own. "
    return ""
