"""Rule policies: each council's conventions as named, versioned data, with the council of the seeds as default.

Councils agree on RAG in words and differ in detail: whether a ``5%``
tolerance is a share of the target or percentage points, whether a figure
exactly on a limit takes the better colour, how small a change is "No
change", what the long-term trend compares with, whether the direction of
travel softens a missed target. A policy holds those choices; the engine
takes one wherever it judges, so the rules are data the performance team can
read and change (the corporate workbook's Rules sheet, or a TOML file), and
every assessment records the policy and version that produced it.

Other councils' stated rules need more than those choices: a green band
below the target ("within 5% of target"), an amber band given only in words
and placed by the responsible officer, a direction-aware RAG in which
"maintained" counts, a quarterly profile printed inside the target cell, their
own words for the colours and the trend, tolerances by class of measure, the
direction of travel as the trend over several periods, and amber by the
year-end forecast. Each is a setting here, off by default, so that every
convention is data and none is code.

:data:`DEFAULT_POLICY` is ``../shared/domain.md`` exactly.
"""

from __future__ import annotations

import json
import tomllib
from importlib.resources import files
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import PMFInputError, PMFValueError, as_text
from .targets import read_tolerance
from .text import is_formula, squash

ToleranceMeaning = Literal["share of target", "percentage points"]
Basis = Literal["previous period", "same period last year", "average of last periods", "trend over last periods"]
BandKind = Literal["relative", "absolute"]
OfficerRating = Literal["not used", "beside the engine", "decides"]
TargetProfile = Literal["annual figure", "profile figure"]

#: The policy format this version of pmf reads: 1 had no green band, words, classes, trends, forecasts or
#: officer ratings; a file written for a later format is refused rather than half-read.
POLICY_FORMAT = 2
#: The states a policy may give words to, and which of them are a RAG or a direction of travel.
RAG_WORDS = ("Green", "Amber", "Red")
DOT_WORDS = ("Improving", "Worsening", "No change", "Not comparable")

#: The five statuses of domain.md and the RAG each gives (003); blank is No update.
DOMAIN_STATUSES = (("On Track", "Green"), ("Medium Issue/Slippage", "Amber"),
                   ("Significant issues/risks/slippage", "Red"), ("Complete", "Complete"),
                   ("No update available", "No update"))
DELIVERABLE_RAGS = ("Green", "Amber", "Red", "Complete", "No update")


class ClassRules(BaseModel):
    """The settings a class of measures (a council's "vital signs", its "service measures") has of its own; every
    setting left out is the policy's."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1)
    #: The tolerance every measure of the class takes instead of its own (``5%``); blank: each measure's own.
    tolerance: str | None = None
    #: The class's green band; blank: on or better than target.
    green_within: str | None = None
    tolerance_meaning: ToleranceMeaning | None = None
    boundaries_inclusive: bool | None = None
    dot_aware_rag: bool | None = None
    maintained_counts_as_improved: bool | None = None
    amber_by_forecast: bool | None = None
    officer_rating: OfficerRating | None = None

    @field_validator("tolerance")
    @classmethod
    def _tolerance_reads(cls, text: str | None) -> str | None:
        return None if text is None else _readable_tolerance(text)

    @field_validator("green_within")
    @classmethod
    def _green_band_reads(cls, text: str | None) -> str | None:
        return _readable_green_band(text) if text else text

    def overrides(self) -> dict[str, object]:
        """The policy settings this class changes, by the policy's own names."""
        found = {key: value for key, value in self.model_dump(exclude={"name", "tolerance"}).items()
                 if value is not None}
        if self.tolerance is not None:
            found["uniform_tolerance"] = self.tolerance
        return found


class Policy(BaseModel):
    """A named, versioned set of rule choices. Frozen and hashable: the engine caches on it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1)
    version: int = Field(ge=1)
    #: The policy format it is written in (:data:`POLICY_FORMAT`).
    format: int = Field(default=POLICY_FORMAT, ge=1)
    description: str = ""
    #: What a bare ``5%`` tolerance of a percentage target means (``5pp`` and ``5% of the range`` say it themselves).
    tolerance_meaning: ToleranceMeaning = "share of target"
    #: One tolerance for every measure (``10%``), where the council sets none per measure; blank keeps each
    #: measure's own.
    uniform_tolerance: str = ""
    #: Whether a figure exactly on a limit takes the better colour (on target is Green, on the tolerance Amber).
    boundaries_inclusive: bool = True
    #: How small a change is No change: 0 means only an equal figure; relative is a share of the earlier figure.
    no_change_band: float = Field(default=0.0, ge=0)
    no_change_kind: BandKind = "relative"
    #: What the short- and long-term directions of travel compare with, and how many periods an average takes.
    short_term_basis: Basis = "previous period"
    long_term_basis: Basis = "same period last year"
    average_periods: int = Field(default=4, ge=2, le=12)
    #: How far worse than the target is still Green ("within 5% of target"): blank is on or better than target.
    #: Read as a tolerance is (``5%`` of the target, ``2pp``); the amber limit is still measured from the target.
    green_within: str = ""
    #: A missed target (worse than the green limit) is Amber when it improved on the long-term comparison and Red
    #: otherwise (the tolerance is not used); on or better than the green limit is Green as always.
    dot_aware_rag: bool = False
    #: Under a DOT-aware RAG, whether "maintained" (No change) counts as improved.
    maintained_counts_as_improved: bool = False
    #: A missed target is Amber when the year-end forecast is on or better than the target, Red otherwise.
    amber_by_forecast: bool = False
    #: The responsible officer's own rating: not asked for; shown beside the engine's (which is the RAG); or the
    #: RAG where given, the engine's suggestion beside it. Either way a difference is flagged, never overwritten.
    officer_rating: OfficerRating = "not used"
    #: A target cell that also writes the quarter's profile (``1,200 tonnes (300 tonnes – Q1 profile)``) is judged
    #: against its annual figure (with a warning) or against the profile figure.
    target_profile: TargetProfile = "annual figure"
    #: The names shown for the grey states.
    no_target_name: str = "No target"
    no_data_name: str = "No data"
    #: The council's own words for the colours and the directions (``("Amber", ("Yellow",))``): the first is
    #: shown, every one is read (a printed table, an officer's rating).
    words: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: Classes of measures with settings of their own, chosen by each measure's class in the catalogue.
    classes: tuple[ClassRules, ...] = ()
    #: The deliverable status vocabulary, in the order of the dropdown, and the RAG each gives.
    statuses: tuple[tuple[str, str], ...] = DOMAIN_STATUSES

    @field_validator("format")
    @classmethod
    def _format_is_known(cls, number: int) -> int:
        if number > POLICY_FORMAT:
            raise ValueError(f"format {number} is newer than this pmf-excel reads ({POLICY_FORMAT}): upgrade "
                             "pmf-excel to use this policy")
        return number

    @field_validator("uniform_tolerance")
    @classmethod
    def _uniform_tolerance_reads(cls, text: str) -> str:
        return _readable_tolerance(text) if text.strip() else text

    @field_validator("green_within")
    @classmethod
    def _green_band_reads(cls, text: str) -> str:
        return _readable_green_band(text) if text.strip() else text

    @field_validator("words")
    @classmethod
    def _words_name_known_states(cls, words: tuple[tuple[str, tuple[str, ...]], ...]
                                 ) -> tuple[tuple[str, tuple[str, ...]], ...]:
        problems, seen = [], {squash(state): state for state in RAG_WORDS + DOT_WORDS}
        for state, said in words:
            if state not in RAG_WORDS + DOT_WORDS:
                problems.append(f"{state!r} is not a state words can be given to ({', '.join(RAG_WORDS + DOT_WORDS)}"
                                "; the grey states are no_target_name and no_data_name)")
                continue
            if not said or not all(word.strip() for word in said):
                problems.append(f"{state!r} needs at least one word, and no blank one")
            for word in said:
                other = seen.setdefault(squash(word), state)
                if other != state:
                    problems.append(f"{word!r} cannot mean both {other} and {state}")
        if problems:
            raise ValueError("; ".join(problems))
        return words

    @field_validator("classes")
    @classmethod
    def _classes_named_once(cls, classes: tuple[ClassRules, ...]) -> tuple[ClassRules, ...]:
        if len({squash(rules.name) for rules in classes}) != len(classes):
            raise ValueError("each class is named once")
        return classes

    @field_validator("statuses")
    @classmethod
    def _statuses_give_known_rags(cls, statuses: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
        wrong = [f"{status!r} gives {rag!r}" for status, rag in statuses if rag not in DELIVERABLE_RAGS]
        if wrong:
            raise ValueError(f"{'; '.join(wrong)}: a status gives one of {', '.join(DELIVERABLE_RAGS)}")
        if len({status.casefold() for status, _ in statuses}) != len(statuses):
            raise ValueError("each status is named once")
        return statuses

    @model_validator(mode="after")
    def _grey_names_differ(self) -> "Policy":
        names = {self.no_target_name, self.no_data_name}
        if len(names) < 2 or names & {"Green", "Amber", "Red", *(self.shown(state) for state in RAG_WORDS)}:
            raise ValueError("the two grey states need their own names, not each other's or a RAG colour's")
        return self

    @model_validator(mode="after")
    def _one_rule_for_a_missed_target(self) -> "Policy":
        """A missed target is coloured by its direction or by its forecast, not both: in the policy and in each
        class as it applies."""
        for rules in (None, *self.classes):
            applied = self if rules is None else self.model_copy(update=rules.overrides())
            if applied.dot_aware_rag and applied.amber_by_forecast:
                where = "" if rules is None else f"the class {rules.name!r}: "
                raise ValueError(f"{where}dot_aware_rag and amber_by_forecast both colour a missed target; "
                                 "choose one")
        return self

    @property
    def label(self) -> str:
        """How an assessment records it: ``PMF default v1``."""
        return f"{self.name} v{self.version}"

    def shown(self, state: str) -> str:
        """A state as this policy names it: the grey states' names, and the council's first word for a colour or a
        direction of travel."""
        grey = {"No target": self.no_target_name, "No data": self.no_data_name}
        if state in grey:
            return grey[state]
        return next((said[0] for named, said in self.words if named == state), state)

    def read_state(self, text: object, states: tuple[str, ...] = RAG_WORDS) -> str | None:
        """The state (one of ``states``) that a printed word means, in this policy's words or the framework's own;
        None when it is none of them, or a formula whose result is not known. Case, spaces and punctuation do not
        matter."""
        key = squash("" if text is None else as_text(text))
        if not key or is_formula(text):
            return None
        for state in states:
            said = next((words for named, words in self.words if named == state), ())
            if key in {squash(state), squash(self.shown(state)), *(squash(word) for word in said)}:
                return state
        return None

    def class_rules(self, measure_class: str | None) -> ClassRules | None:
        """The settings of a measure's class (any case), or None when the policy names no such class."""
        key = squash(measure_class or "")
        return next((rules for rules in self.classes if squash(rules.name) == key), None) if key else None

    def for_measure(self, tolerance_meaning: ToleranceMeaning | None = None,
                    no_change_band: float | None = None, measure_class: str | None = None) -> "Policy":
        """This policy as it applies to one measure: its class's settings (the classes then done with), then the
        measure's own tolerance meaning or no-change band, where the catalogue gives them."""
        rules = self.class_rules(measure_class)
        changes = rules.overrides() | {"classes": ()} if rules else {}
        changes.update({name: value for name, value in (("tolerance_meaning", tolerance_meaning),
                                                        ("no_change_band", no_change_band)) if value is not None})
        return self.model_copy(update=changes) if changes else self

    @property
    def officer_asked(self) -> bool:
        """Whether a return asks for the officer's own rating: the policy or one of its classes uses it."""
        return any(rating != "not used" for rating in (self.officer_rating,
                                                       *(rules.officer_rating for rules in self.classes)))

    @property
    def forecast_asked(self) -> bool:
        """Whether a return asks for a year-end forecast: the policy or one of its classes colours by it."""
        return self.amber_by_forecast or any(rules.amber_by_forecast for rules in self.classes)


def _readable_tolerance(text: str) -> str:
    try:
        read_tolerance(text)
    except PMFValueError as error:
        raise ValueError(error.expected) from None
    return text


def _readable_green_band(text: str) -> str:
    """A green band is a distance from the target: a share of it (``5%``) or percentage points (``2pp``)."""
    try:
        kind = read_tolerance(text).kind
    except PMFValueError:
        kind = None
    if kind not in ("relative", "points"):
        raise ValueError("a green band is a share of the target such as 5%, or percentage points such as 2pp")
    return text


DEFAULT_POLICY = Policy(
    name="PMF default", version=1,
    description="The council's own rules (domain.md): 5% is a share of the target, limits are inclusive, any "
                "change is a change, short term against the previous quarter, long term against the same quarter "
                "last year, the direction of travel does not touch the RAG.")


class PolicyError(PMFInputError):
    """Every problem with a policy, each naming where it is (file or sheet, setting), reported together."""

    def __init__(self, source: str, problems: list[str]):
        self.problems = problems
        super().__init__(f"The policy in {source} has {len(problems)} problem(s):\n"
                         + "\n".join(f"- {problem}" for problem in problems))


#: The Rules sheet: one setting per row, in this order, with what it means; statuses follow as rows of their own.
SETTINGS = {
    "name": "The policy's name.",
    "version": "Its version: raise it whenever a rule changes, so that History shows which rules judged a quarter.",
    "format": "The policy format it is written in (this pmf-excel reads up to 2).",
    "description": "Why these rules, in a sentence.",
    "tolerance_meaning": "What a bare 5% tolerance of a percentage target means: 'share of target' or "
                         "'percentage points'.",
    "uniform_tolerance": "One tolerance for every measure, e.g. 10%; blank keeps each measure's own.",
    "boundaries_inclusive": "Yes: a figure exactly on a limit takes the better colour. No: it takes the worse.",
    "no_change_band": "How small a change counts as No change (0: only an equal figure).",
    "no_change_kind": "'relative' (a share of the earlier figure, e.g. 0.01 for 1%) or 'absolute' (in the "
                      "measure's unit).",
    "short_term_basis": "The short-term direction compares with: 'previous period' or 'average of last periods'.",
    "long_term_basis": "The long-term direction compares with: 'same period last year' or 'average of last "
                       "periods'.",
    "average_periods": "How many earlier periods an average takes.",
    "green_within": "How far worse than the target is still Green, e.g. 5% (of the target) or 2pp; blank: on or "
                    "better than target.",
    "dot_aware_rag": "Yes: a missed target is Amber if it improved on the long-term comparison, Red otherwise.",
    "maintained_counts_as_improved": "Yes: under dot_aware_rag, No change counts as improved.",
    "amber_by_forecast": "Yes: a missed target is Amber if the year-end forecast meets the target, Red otherwise.",
    "officer_rating": "'not used', 'beside the engine' (the engine's RAG counts) or 'decides' (the officer's "
                      "rating counts where given); a difference is flagged either way.",
    "target_profile": "A target cell that writes the quarter's profile is judged against its 'annual figure' or "
                      "its 'profile figure'.",
    "no_target_name": "What a measure without a target shows.",
    "no_data_name": "What a measure without a figure shows.",
}
STATUS_PREFIX = "status: "
WORDS_PREFIX = "words: "
CLASS_PREFIX = "class: "
#: The settings a class may have of its own, and what each means.
CLASS_SETTINGS = {name: f"For this class: {SETTINGS.get(name, 'the tolerance every measure of it takes.')}"
                  for name in ClassRules.model_fields if name != "name"}
_BOOLEANS = ("boundaries_inclusive", "dot_aware_rag", "maintained_counts_as_improved", "amber_by_forecast")


def policy_rows(policy: Policy) -> list[list[str]]:
    """The Rules sheet's cells, headings first, as :func:`policy_from_rows` reads them back."""
    values = policy.model_dump()
    rows = [["Setting", "Value", "What it means"]]
    for name, meaning in SETTINGS.items():
        value = values[name]
        rows.append([name, _shown_setting(value), meaning])
    rows += [[f"{WORDS_PREFIX}{state}", "; ".join(said), "The council's words for it, the first one shown."]
             for state, said in policy.words]
    for rules in policy.classes:
        own = [(name, value) for name, value in rules.model_dump(exclude={"name"}).items() if value is not None]
        rows += [[f"{CLASS_PREFIX}{rules.name}: {name}", _shown_setting(value), CLASS_SETTINGS[name]]
                 for name, value in own] or [[f"{CLASS_PREFIX}{rules.name}", "", "A class with the policy's own "
                                                                                 "settings."]]
    rows += [[f"{STATUS_PREFIX}{status}", rag, "A deliverable status and the RAG it gives."]
             for status, rag in policy.statuses]
    return rows


def _shown_setting(value: object) -> str:
    return ("Yes" if value else "No") if isinstance(value, bool) else str(value)


def policy_from_rows(rows: list[list[object]], source: str) -> Policy:
    """A policy from the Rules sheet's cells; every unknown setting and bad value named at once."""
    settings: dict[str, object] = {}
    statuses: list[tuple[str, str]] = []
    words: dict[str, list[str]] = {}
    classes: dict[str, dict[str, object]] = {}
    problems = []
    for number, row in enumerate(rows[1:], start=2):
        cells = [("" if cell is None else _text(cell)) for cell in list(row) + ["", ""]]
        key, value = cells[0], cells[1]
        if not key:
            continue
        if key.startswith(STATUS_PREFIX):
            statuses.append((key.removeprefix(STATUS_PREFIX).strip(), value))
        elif key.startswith(WORDS_PREFIX):
            words[key.removeprefix(WORDS_PREFIX).strip()] = [word.strip() for word in value.split(";")]
        elif key.startswith(CLASS_PREFIX) and ":" not in key.removeprefix(CLASS_PREFIX):
            classes.setdefault(key.removeprefix(CLASS_PREFIX).strip(), {})  # a class of the policy's own settings
        elif key.startswith(CLASS_PREFIX):
            name, _, setting = key.removeprefix(CLASS_PREFIX).rpartition(":")
            if setting.strip() not in CLASS_SETTINGS or not name.strip():
                problems.append(f"row {number}: {key!r} is not a class setting (write 'class: NAME: SETTING', the "
                                f"setting one of {', '.join(CLASS_SETTINGS)})")
                continue
            classes.setdefault(name.strip(), {})[setting.strip()] = _typed(setting.strip(), value)
        elif key in SETTINGS:
            settings[key] = _typed(key, value)
        else:
            problems.append(f"row {number}: {key!r} is not a setting ({', '.join(SETTINGS)}, or '{STATUS_PREFIX}…', "
                            f"'{WORDS_PREFIX}…', '{CLASS_PREFIX}…')")
    if statuses:
        settings["statuses"] = tuple(statuses)
    if words:
        settings["words"] = words
    if classes:
        settings["classes"] = classes
    return _validated(settings, source, problems)


def load_policy(path: Path) -> Policy:
    """A policy from a TOML or JSON file (the command line's ``--policy``)."""
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text) if path.name.lower().endswith(".toml") else json.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, json.JSONDecodeError) as error:
        raise PolicyError(path.name, [f"it cannot be read: {error}"]) from None
    if not isinstance(data, dict):
        raise PolicyError(path.name, ["it holds no settings: expected a table of setting = value"])
    if "statuses" in data:
        if not isinstance(data["statuses"], dict):
            raise PolicyError(path.name, ["statuses: a table of status = RAG, one line each"])
        data["statuses"] = tuple((str(k), str(v)) for k, v in data["statuses"].items())
    return _validated(data, path.name, [])


def _validated(settings: dict[str, object], source: str, problems: list[str]) -> Policy:
    """The policy, or every problem at once, each named by its setting (``classes.Vital sign.tolerance``,
    ``words.Amber``) as the file or the sheet writes it."""
    settings = dict(settings)
    names: list[str] = []
    problems = list(problems)
    if isinstance(settings.get("words"), dict):
        settings["words"] = tuple((str(state), tuple(str(w) for w in (said if isinstance(said, (list, tuple))
                                                                       else [said])))
                                  for state, said in settings["words"].items())
    if isinstance(settings.get("classes"), dict):
        classes = []
        for name, rules in settings["classes"].items():
            if isinstance(rules, dict):
                classes.append({"name": str(name), **rules})
                names.append(str(name))  # by the position pydantic will report, which skips a class left out
            else:
                problems.append(f"classes.{name}: a class is a table of settings ({', '.join(CLASS_SETTINGS)})")
        settings["classes"] = tuple(classes)
    try:
        policy = Policy.model_validate(settings)
    except ValidationError as error:
        problems += [f"{_where(e['loc'], names) or 'policy'}: {str(e['msg']).removeprefix('Value error, ')} "
                     f"(given {_given(e.get('input'))})" for e in error.errors()]
        policy = None
    if problems:
        raise PolicyError(source, problems)
    return policy


def _where(loc: tuple, class_names: list[str]) -> str:
    """A pydantic location as the policy writes it: a class by its name rather than its position."""
    parts = [str(part) for part in loc]
    if len(parts) > 1 and parts[0] == "classes" and parts[1].isdigit() and int(parts[1]) < len(class_names):
        parts[1] = class_names[int(parts[1])]
    if len(parts) > 1 and parts[0] == "words" and parts[1].isdigit():
        parts = parts[:1]
    return ".".join(parts)


def _given(value: object) -> str:
    if isinstance(value, (tuple, list)) and value and isinstance(value[0], tuple):
        return repr(dict(value)) if all(len(pair) == 2 for pair in value) else repr(value)
    return repr(value)


def _text(cell: object) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return as_text(cell).strip()


def _typed(key: str, value: str) -> object:
    if key in _BOOLEANS:
        return {"yes": True, "true": True, "no": False, "false": False}.get(value.casefold(), value)
    return value


#: Package data, so the named policies are there in an installed wheel as in a checkout.
POLICIES = files(__package__) / "policies"


def builtin_policies() -> dict[str, Policy]:
    """The default policy and the named ones shipped in ``pmf_excel/rules/policies/``, by name (case-insensitive)."""
    found = {DEFAULT_POLICY.name.casefold(): DEFAULT_POLICY}
    for path in sorted((p for p in POLICIES.iterdir() if p.name.endswith(".toml")), key=lambda p: p.name):
        policy = load_policy(path)
        found[policy.name.casefold()] = policy
    return found


def named_policy(name: str) -> Policy:
    """A shipped policy by its name (any case), or a TOML or JSON file of one."""
    known = builtin_policies()
    if name.strip().casefold() in known:
        return known[name.strip().casefold()]
    path = Path(name)
    if path.suffix.lower() in (".toml", ".json") and path.exists():
        return load_policy(path)
    names = ", ".join(policy.name for policy in known.values())
    raise PolicyError(name, [f"there is no policy of that name ({names}) and no .toml or .json file there"])
