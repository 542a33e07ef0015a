"""Rule policies: each council's conventions as named, versioned data, with the council of the seeds as default.

Councils agree on RAG in words and differ in detail: whether a ``5%``
tolerance is a share of the target or percentage points, whether a figure
exactly on a limit takes the better colour, how small a change is "No
change", what the long-term trend compares with, whether the direction of
travel softens a missed target. A policy holds those choices; the engine
takes one wherever it judges, so the rules are data the performance team can
read and change (the corporate workbook's Rules sheet, or a TOML file), and
every assessment records the policy and version that produced it.

:data:`DEFAULT_POLICY` is ``../shared/domain.md`` exactly.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

ToleranceMeaning = Literal["share of target", "percentage points"]
Basis = Literal["previous period", "same period last year", "average of last periods"]
BandKind = Literal["relative", "absolute"]

#: The five statuses of domain.md and the RAG each gives (003); blank is No update.
DOMAIN_STATUSES = (("On Track", "Green"), ("Medium Issue/Slippage", "Amber"),
                   ("Significant issues/risks/slippage", "Red"), ("Complete", "Complete"),
                   ("No update available", "No update"))
DELIVERABLE_RAGS = ("Green", "Amber", "Red", "Complete", "No update")


class Policy(BaseModel):
    """A named, versioned set of rule choices. Frozen and hashable: the engine caches on it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1)
    version: int = Field(ge=1)
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
    #: A missed target is Amber when it improved on the long-term comparison and Red otherwise (the tolerance is
    #: not used); on or better than target is Green as always.
    dot_aware_rag: bool = False
    #: The names shown for the grey states.
    no_target_name: str = "No target"
    no_data_name: str = "No data"
    #: The deliverable status vocabulary, in the order of the dropdown, and the RAG each gives.
    statuses: tuple[tuple[str, str], ...] = DOMAIN_STATUSES

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
        if len(names) < 2 or names & {"Green", "Amber", "Red"}:
            raise ValueError("the two grey states need their own names, not each other's or a RAG colour's")
        return self

    @property
    def label(self) -> str:
        """How an assessment records it: ``PMF default v1``."""
        return f"{self.name} v{self.version}"

    def shown(self, state: str) -> str:
        """A state as this policy names it (the grey states may be renamed)."""
        return {"No target": self.no_target_name, "No data": self.no_data_name}.get(state, state)

    def for_measure(self, tolerance_meaning: ToleranceMeaning | None = None,
                    no_change_band: float | None = None) -> "Policy":
        """This policy with a measure's own tolerance meaning or no-change band, where the catalogue gives one."""
        changes = {name: value for name, value in (("tolerance_meaning", tolerance_meaning),
                                                   ("no_change_band", no_change_band)) if value is not None}
        return self.model_copy(update=changes) if changes else self


DEFAULT_POLICY = Policy(
    name="PMF default", version=1,
    description="The council's own rules (domain.md): 5% is a share of the target, limits are inclusive, any "
                "change is a change, short term against the previous quarter, long term against the same quarter "
                "last year, the direction of travel does not touch the RAG.")


class PolicyError(ValueError):
    """Every problem with a policy, each naming where it is (file or sheet, setting), reported together."""

    def __init__(self, source: str, problems: list[str]):
        self.problems = problems
        super().__init__(f"The policy in {source} has {len(problems)} problem(s):\n"
                         + "\n".join(f"- {problem}" for problem in problems))


#: The Rules sheet: one setting per row, in this order, with what it means; statuses follow as rows of their own.
SETTINGS = {
    "name": "The policy's name.",
    "version": "Its version: raise it whenever a rule changes, so that History shows which rules judged a quarter.",
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
    "dot_aware_rag": "Yes: a missed target is Amber if it improved on the long-term comparison, Red otherwise.",
    "no_target_name": "What a measure without a target shows.",
    "no_data_name": "What a measure without a figure shows.",
}
STATUS_PREFIX = "status: "


def policy_rows(policy: Policy) -> list[list[str]]:
    """The Rules sheet's cells, headings first, as :func:`policy_from_rows` reads them back."""
    values = policy.model_dump()
    rows = [["Setting", "Value", "What it means"]]
    for name, meaning in SETTINGS.items():
        value = values[name]
        rows.append([name, ("Yes" if value else "No") if isinstance(value, bool) else str(value), meaning])
    rows += [[f"{STATUS_PREFIX}{status}", rag, "A deliverable status and the RAG it gives."]
             for status, rag in policy.statuses]
    return rows


def policy_from_rows(rows: list[list[object]], source: str) -> Policy:
    """A policy from the Rules sheet's cells; every unknown setting and bad value named at once."""
    settings: dict[str, object] = {}
    statuses: list[tuple[str, str]] = []
    problems = []
    for number, row in enumerate(rows[1:], start=2):
        cells = [("" if cell is None else _text(cell)) for cell in list(row) + ["", ""]]
        key, value = cells[0], cells[1]
        if not key:
            continue
        if key.startswith(STATUS_PREFIX):
            statuses.append((key.removeprefix(STATUS_PREFIX).strip(), value))
        elif key in SETTINGS:
            settings[key] = _typed(key, value)
        else:
            problems.append(f"row {number}: {key!r} is not a setting ({', '.join(SETTINGS)}, or '{STATUS_PREFIX}…')")
    if statuses:
        settings["statuses"] = tuple(statuses)
    return _validated(settings, source, problems)


def load_policy(path: Path) -> Policy:
    """A policy from a TOML or JSON file (the command line's ``--policy``)."""
    text = Path(path).read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text) if path.suffix.lower() == ".toml" else json.loads(text)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as error:
        raise PolicyError(path.name, [f"it cannot be read: {error}"]) from None
    if "statuses" in data:
        data["statuses"] = tuple((str(k), str(v)) for k, v in dict(data["statuses"]).items())
    return _validated(data, path.name, [])


def _validated(settings: dict[str, object], source: str, problems: list[str]) -> Policy:
    try:
        policy = Policy.model_validate(settings)
    except ValidationError as error:
        problems = problems + [f"{'.'.join(str(part) for part in e['loc']) or 'policy'}: "
                               f"{str(e['msg']).removeprefix('Value error, ')} (given {e.get('input')!r})"
                               for e in error.errors()]
        policy = None
    if problems:
        raise PolicyError(source, problems)
    return policy


def _text(cell: object) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _typed(key: str, value: str) -> object:
    if key in ("boundaries_inclusive", "dot_aware_rag"):
        return {"yes": True, "true": True, "no": False, "false": False}.get(value.casefold(), value)
    return value


POLICIES = Path(__file__).resolve().parent / "policies"


def builtin_policies() -> dict[str, Policy]:
    """The default policy and the named ones shipped in ``pmf_excel/rules/policies/``, by name (case-insensitive)."""
    found = {DEFAULT_POLICY.name.casefold(): DEFAULT_POLICY}
    for path in sorted(POLICIES.glob("*.toml")):
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
