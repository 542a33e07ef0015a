"""The Improvement Plan and Risks sheets: their native formulas, recalculated by LibreOffice, give the engine's
answers, in the directorate returns and in the corporate workbook's register and heat map."""

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.cell_range import CellRange
from python_calamine import CalamineWorkbook
from xlsxwriter.utility import xl_cell_to_rowcol

from pmf_excel.framework.improvement_plan import ImprovementUpdate, KnownState, PlanLine, plan_check
from pmf_excel.framework.risks import RiskResult, direction, heat_map, judge_risks, read_rating, score_rag
from pmf_excel.pipelines.consolidate import consolidate
from pmf_excel.rules.errors import PMFValueError
from pmf_excel.rules.verdicts import deliverable_rag
from pmf_excel.samples.build import Q2, sample_catalogue, sample_register
from pmf_excel.workbooks.improvement_plan_sheets import ADDED, CHANGES_SHEET, EXCEPTIONS_SHEET, PLAN_SHEET
from pmf_excel.workbooks.improvement_plan_sheets import FIRST_ROW as PLAN_FIRST_ROW
from pmf_excel.workbooks.improvement_plan_sheets import RCOL as PCOL
from pmf_excel.workbooks.risk_sheets import FIRST_ROW as RISK_FIRST_ROW
from pmf_excel.workbooks.risk_sheets import RCOL, REGISTER_COLUMNS, REGISTER_SHEET, RISKS_SHEET, heat_map_cell
from tests.excel_reality import libreoffice_convert, pdf_text

Q2_RETURNS = Path(__file__).resolve().parent.parent / "samples" / "returns" / "2023-24 Q2"
CHECK_STATUS = "Check status"  # the RAG formula's answer for a status that is not one of the five
REASON = "Agreed at the directorate management team."

#: What a lead types over the sample returns, by file, sheet and ref: every branch of the RAG and Check formulas.
PLAN_EDITS = {
    "Assistant Chief Executive": {
        "OC3.1": {"Status": "Medium Issue/Slippage", "Exception reason": None},  # Amber, no reason
        "OC3.2": {"Status": "Significant issues/risks/slippage", "Exception reason": None},  # Red, no reason
        "OC3.3": {"Status": None},  # blank
        "CO2.1": {"Status": "Fine"},  # not one of the five
        "CO2.1a": {"Status": "No update available"},
        "CO2.1b": {"Due date": dt.datetime(2024, 6, 30), "Reason for change": None},  # moved, no reason
        "CO3.1": {"Reason for change": None},  # lead changed in the sample: now without its reason
        "CO3.1a": {"Delivery lead": "ASSISTANT CHIEF EXECUTIVE", "Reason for change": None},  # case only
        "CO4.1": {"Propose to close": "Yes", "Reason for change": None},
        "CO4.A1": {"Status": "Fine", "Due date": dt.datetime(2024, 1, 31), "Reason for change": None},
        "SD1.1a": {"Status": "   "},  # spaces only: blank
        "SD3.1": {"Status": "on track"},  # Excel compares text without case
        "SD3.2": {"Delivery lead": "Head of Policy and Strategy", "Reason for change": REASON},
        "SD3.3": {"Propose to close": "No", "Reason for change": None},
        "PC1.1": {"Exception reason": None},  # Amber and moved: the exception reason is asked for first
        "PC1.1a": {"Status": "Complete", "Propose to close": "Yes", "Reason for change": "Delivered."},
    },
    "Law and Governance": {
        "OC1.1": {"Reason for change": None},  # moved in the sample: now without its reason
        "OC1.1a": {"Delivery lead": "Director of Law and Governance", "Reason for change": None},
        "OC1.2": {"Status": None, "Propose to close": "Yes", "Reason for change": None},  # status comes first
        "OC2.3": {"Status": "Significant issues/risks/slippage"},  # Red with its reason
        "DM1.1": {"Due date": dt.datetime(2023, 9, 30), "Reason for change": "Brought forward."},
        "DM2.2": {"Status": "Complete", "Delivery lead": "director of law and governance"},  # case only
    },
    "Finance": {  # typed as people type, or pasted past the dropdowns: the formulas read it as the engine does
        "CO1.1": {"Delivery lead": None, "Reason for change": None},  # cleared: the lead stays as agreed
        "CO1.2": {"Due date": None, "Reason for change": None},  # cleared: the date stays as agreed
        "CO1.3": {"Propose to close": "y", "Reason for change": None},  # y is yes
        "CO1.A1": {"Status": "  on   track "},  # spaces do not matter
        "CO5.1": {"Status": "Medium Issue / Slippage", "Exception reason": None},  # nor punctuation
        "CO5.2": {"Status": "Significant issues/\nrisks/slippage", "Exception reason": "Supplier."},  # nor breaks
        "SD2.1": {"Status": "Completed"},  # the word 003 also uses
    },
    "Borough Economy": {
        "PR2.1": {"Exception reason": "   "},  # Amber, a reason of spaces only
        "PR2.1a": {"Status": "On Track", "Due date": dt.datetime(2023, 10, 31)},  # retyped, not moved
    },
}
RISK_EDITS = {
    "Assistant Chief Executive": {
        "59a 02/22": {"Likelihood": None, "Impact": None},
        "IPR1": {"Likelihood": 1, "Impact": 1},  # 1 Green, from 12: Reduced
        "IPR2": {"Likelihood": 3, "Impact": 3},  # 9 Amber, as last time: Unchanged
        "SRR08": {"Likelihood": 5, "Impact": 5},  # 25 Red, from 12: Increased
    },
    "Borough Economy": {
        "SRR01": {"Likelihood": 4, "Impact": None},
        "SRR02": {"Likelihood": 3, "Impact": 5},  # 15 Red, from 16: Reduced
        "SRR07": {"Likelihood": 2, "Impact": 4},  # 8 Amber, from 6: Increased
    },
    "Finance": {
        "IPR3": {"Likelihood": 6, "Impact": 4},  # off the scale: Not scored
        "SRR04": {"Likelihood": "3", "Impact": " 4 "},  # numbers typed as text: 12 Amber
        "SRR06": {"Likelihood": 2.5, "Impact": 3},  # not whole: Not scored
    },
    "Law and Governance": {
        # 6 Green, with no last review: New
        "IPR4": {"Likelihood": 2, "Impact": 3, "Last likelihood": None, "Last impact": None, "Last score": None},
    },
}


def _return(directorate: str) -> Path:
    return Q2_RETURNS / f"{directorate} 2023-24 Q2.xlsx"


@pytest.fixture(scope="module")
def catalogue():
    return sample_catalogue()


@pytest.fixture(scope="module")
def actions(catalogue):
    return {action.ref: action for action in catalogue.improvement_plan}


@pytest.fixture(scope="module")
def returns_recalculated(tmp_path_factory, lo_profile):
    """Every Q2 sample return saved untouched by openpyxl (which drops the cached values, so LibreOffice has to
    calculate them), and three of them edited by PLAN_EDITS and RISK_EDITS; each recalculated by LibreOffice."""
    folder = tmp_path_factory.mktemp("plan-and-risk-returns")
    untouched, edited = [], []
    for path in sorted(Q2_RETURNS.glob("*.xlsx")):
        copy = folder / "untouched" / path.name
        copy.parent.mkdir(exist_ok=True)
        openpyxl.load_workbook(path).save(copy)
        untouched.append(copy)
    for directorate in PLAN_EDITS.keys() | RISK_EDITS.keys():
        book = openpyxl.load_workbook(_return(directorate))
        _type_over(book[PLAN_SHEET], PCOL, PLAN_FIRST_ROW, PLAN_EDITS.get(directorate, {}))
        _type_over(book[RISKS_SHEET], RCOL, RISK_FIRST_ROW, RISK_EDITS.get(directorate, {}))
        assert book[PLAN_SHEET].protection.sheet and book[RISKS_SHEET].protection.sheet
        copy = folder / "edited" / _return(directorate).name
        copy.parent.mkdir(exist_ok=True)
        book.save(copy)
        edited.append(copy)
    outputs = {}
    for kind, paths in (("untouched", untouched), ("edited", edited)):
        converted = libreoffice_convert(paths, folder / f"{kind} recalculated", "xlsx", lo_profile)
        missing = [p.name for p in converted if not p.exists()]
        assert not missing, f"LibreOffice could not open: {missing}"
        outputs[kind] = {p.name.removesuffix(" 2023-24 Q2.xlsx"): p for p in converted}
    return outputs


def _type_over(sheet, columns: dict[str, int], first_row: int, edits: dict[str, dict[str, object]]) -> None:
    rows = {sheet.cell(row, 1).value: row for row in range(first_row + 1, sheet.max_row + 1)}
    for ref, values in edits.items():
        for heading, value in values.items():
            sheet.cell(rows[ref], columns[heading] + 1).value = value


def _calamine_rows(path: Path, sheet: str, first_row: int) -> list[list]:
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()
    return [row for row in rows[first_row:] if row and row[0] != ""]


def _openpyxl_rows(path: Path, sheet: str, first_row: int) -> list[list]:
    """The cached values as openpyxl reads them: a blank is None where calamine says ""."""
    book = openpyxl.load_workbook(path, data_only=True)
    return [["" if value is None else value for value in row]
            for row in book[sheet].iter_rows(min_row=first_row + 1, values_only=True) if row[0] is not None]


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _day(value: object) -> dt.date | None:
    if value in ("", None):
        return None
    return value.date() if isinstance(value, dt.datetime) else value


def _status_rag(status: str) -> str:
    try:
        return deliverable_rag(status)
    except PMFValueError:
        return CHECK_STATUS


def _plan_line(cells: list, actions) -> PlanLine:
    ref = cells[PCOL["Ref"]]
    return PlanLine(
        action=actions[ref],
        agreed=KnownState(lead=_text(cells[PCOL["Agreed lead"]]), due=_day(cells[PCOL["Agreed due date"]])),
        update=ImprovementUpdate(
            ref=ref, status=_text(cells[PCOL["Status"]]), update=_text(cells[PCOL["Progress update"]]),
            exception=_text(cells[PCOL["Exception reason"]]), lead=_text(cells[PCOL["Delivery lead"]]),
            due=_day(cells[PCOL["Due date"]]),
            propose_close=_text(cells[PCOL["Propose to close"]]).casefold() in ("yes", "y"),
            change_reason=_text(cells[PCOL["Reason for change"]])))


def _plan_engine(cells: list, actions) -> tuple[str, str]:
    """The engine's RAG and Check of a return row, from the values in its cells."""
    line = _plan_line(cells, actions)
    return _status_rag(line.update.status), plan_check(line)


def _rating(value: object) -> int | None:
    """A rating as Consolidate reads it; one it refuses leaves the risk Not scored."""
    try:
        return read_rating(value, "a rating")
    except PMFValueError:
        return None


def _risk_engine(cells: list) -> tuple[object, str, str]:
    """The engine's Score, RAG and Direction of a return row, from the values in its cells."""
    likelihood, impact = _rating(cells[RCOL["Likelihood"]]), _rating(cells[RCOL["Impact"]])
    score = None if likelihood is None or impact is None else likelihood * impact
    last = _rating_product(cells[RCOL["Last score"]])
    return "" if score is None else score, score_rag(score), direction(score, last)


def _rating_product(value: object) -> int | None:
    return None if value in ("", None) else int(value)


def _assert_plan_rows(rows: list[list], actions, where: str) -> list[tuple[str, str]]:
    seen = []
    for cells in rows:
        shown = (cells[PCOL["RAG"]], cells[PCOL["Check"]])
        assert shown == _plan_engine(cells, actions), f"{where} {PLAN_SHEET} {cells[PCOL['Ref']]}: {cells}"
        seen.append(shown)
    return seen


def _assert_risk_rows(rows: list[list], where: str) -> list[tuple[object, str, str]]:
    seen = []
    for cells in rows:
        shown = tuple(cells[RCOL[name]] for name in ("Score", "RAG", "Direction"))
        assert shown == _risk_engine(cells), f"{where} {RISKS_SHEET} {cells[RCOL['Ref']]}: {cells}"
        seen.append(shown)
    return seen


def test_edited_returns_recalculated_by_libreoffice_equal_the_engine(returns_recalculated, actions):
    plan_seen, risks_seen, checked = [], [], {}
    for directorate, path in returns_recalculated["edited"].items():
        plan = _calamine_rows(path, PLAN_SHEET, PLAN_FIRST_ROW)
        risks = _calamine_rows(path, RISKS_SHEET, RISK_FIRST_ROW)
        plan_seen += _assert_plan_rows(plan, actions, path.name)
        risks_seen += _assert_risk_rows(risks, path.name)
        edited_refs = {cells[0] for cells in plan + risks}
        checked[directorate] = set(PLAN_EDITS.get(directorate, {})) | set(RISK_EDITS.get(directorate, {}))
        assert checked[directorate] <= edited_refs, directorate
    # Every branch of the formulas was taken, so that the equality above says something of each.
    assert {rag for rag, _ in plan_seen} >= {"Green", "Amber", "Red", "Complete", "No update", CHECK_STATUS}
    assert {check for _, check in plan_seen} >= {"", "Status required", "Exception reason required",
                                                 "Reason for change required"}
    assert {rag for _, rag, _ in risks_seen} >= {"Green", "Amber", "Red", "Not scored"}
    assert {way for _, _, way in risks_seen} >= {"Reduced", "Increased", "Unchanged", "New", ""}


@pytest.mark.parametrize(("directorate", "ref", "rag", "check"), [
    ("Assistant Chief Executive", "OC3.1", "Amber", "Exception reason required"),
    ("Assistant Chief Executive", "OC3.2", "Red", "Exception reason required"),
    ("Assistant Chief Executive", "OC3.3", "No update", "Status required"),
    ("Assistant Chief Executive", "CO2.1", CHECK_STATUS, ""),
    ("Assistant Chief Executive", "CO2.1a", "No update", ""),
    ("Assistant Chief Executive", "CO2.1b", "Green", "Reason for change required"),
    ("Assistant Chief Executive", "CO3.1", "Red", "Reason for change required"),
    ("Assistant Chief Executive", "CO3.1a", "Complete", ""),
    ("Assistant Chief Executive", "CO4.1", "Complete", "Reason for change required"),
    ("Assistant Chief Executive", "CO4.A1", CHECK_STATUS, "Reason for change required"),
    ("Assistant Chief Executive", "SD1.1a", "No update", "Status required"),
    ("Assistant Chief Executive", "SD3.1", "Green", ""),
    ("Assistant Chief Executive", "SD3.2", "Complete", ""),
    ("Assistant Chief Executive", "SD3.3", "Green", ""),
    ("Assistant Chief Executive", "PC1.1", "Amber", "Exception reason required"),
    ("Assistant Chief Executive", "PC1.1a", "Complete", ""),
    ("Law and Governance", "OC1.1", "Amber", "Reason for change required"),
    ("Law and Governance", "OC1.1a", "Green", "Reason for change required"),
    ("Law and Governance", "OC1.2", "No update", "Status required"),
    ("Law and Governance", "OC2.3", "Red", ""),
    ("Law and Governance", "DM1.1", "Complete", ""),
    ("Law and Governance", "DM2.2", "Complete", ""),
    ("Borough Economy", "PR2.1", "Amber", "Exception reason required"),
    ("Borough Economy", "PR2.1a", "Green", ""),
    ("Finance", "CO1.1", "Complete", ""),
    ("Finance", "CO1.2", "Complete", ""),
    ("Finance", "CO1.3", "Green", "Reason for change required"),
    ("Finance", "CO1.A1", "Green", ""),
    ("Finance", "CO5.1", "Amber", "Exception reason required"),
    ("Finance", "CO5.2", "Red", ""),
    ("Finance", "SD2.1", "Complete", ""),
])
def test_each_edited_plan_row_shows_what_its_lead_is_told(returns_recalculated, directorate, ref, rag, check):
    """The same rows by hand: what the sheet must show, whatever the engine says."""
    rows = _calamine_rows(returns_recalculated["edited"][directorate], PLAN_SHEET, PLAN_FIRST_ROW)
    cells = next(cells for cells in rows if cells[PCOL["Ref"]] == ref)
    assert (cells[PCOL["RAG"]], cells[PCOL["Check"]]) == (rag, check)


@pytest.mark.parametrize(("directorate", "ref", "score", "rag", "way"), [
    ("Assistant Chief Executive", "59a 02/22", "", "Not scored", ""),
    ("Assistant Chief Executive", "IPR1", 1, "Green", "Reduced"),
    ("Assistant Chief Executive", "IPR2", 9, "Amber", "Unchanged"),
    ("Assistant Chief Executive", "SRR08", 25, "Red", "Increased"),
    ("Borough Economy", "SRR01", "", "Not scored", ""),
    ("Borough Economy", "SRR02", 15, "Red", "Reduced"),
    ("Borough Economy", "SRR07", 8, "Amber", "Increased"),
    ("Law and Governance", "IPR4", 6, "Green", "New"),
    ("Finance", "IPR3", "", "Not scored", ""),
    ("Finance", "SRR04", 12, "Amber", "Increased"),
    ("Finance", "SRR06", "", "Not scored", ""),
])
def test_each_edited_risk_row_shows_its_score_band_and_direction(returns_recalculated, directorate, ref, score,
                                                                  rag, way):
    rows = _calamine_rows(returns_recalculated["edited"][directorate], RISKS_SHEET, RISK_FIRST_ROW)
    cells = next(cells for cells in rows if cells[RCOL["Ref"]] == ref)
    assert (cells[RCOL["Score"]], cells[RCOL["RAG"]], cells[RCOL["Direction"]]) == (score, rag, way)


def test_untouched_returns_recalculated_by_libreoffice_equal_the_engine(returns_recalculated, actions):
    plan_rows = risk_rows = 0
    for path in returns_recalculated["untouched"].values():
        plan_rows += len(_assert_plan_rows(_calamine_rows(path, PLAN_SHEET, PLAN_FIRST_ROW), actions, path.name))
        risk_rows += len(_assert_risk_rows(_calamine_rows(path, RISKS_SHEET, RISK_FIRST_ROW), path.name))
    assert plan_rows == len(sample_catalogue().improvement_plan) and risk_rows == len(sample_register().risks)


@pytest.mark.parametrize("reader", [_calamine_rows, _openpyxl_rows], ids=["calamine", "openpyxl"])
def test_the_values_cached_by_the_generator_equal_the_engine(actions, reader):
    """Before anything recalculates: what a reader that does not calculate (calamine, openpyxl, Consolidate)
    sees in the returns as written."""
    plan_rows = risk_rows = 0
    for path in sorted(Q2_RETURNS.glob("*.xlsx")):
        plan_rows += len(_assert_plan_rows(reader(path, PLAN_SHEET, PLAN_FIRST_ROW), actions, path.name))
        risk_rows += len(_assert_risk_rows(reader(path, RISKS_SHEET, RISK_FIRST_ROW), path.name))
    assert plan_rows == len(sample_catalogue().improvement_plan) and risk_rows == len(sample_register().risks)


# The corporate workbook ----------------------------------------------------------------------------------------

REGISTER = {name: index for index, (name, _) in enumerate(REGISTER_COLUMNS)}
#: The register edited in the corporate workbook: SRR02 from likelihood 5 to 1, IPR2's likelihood cleared.
REGISTER_EDITS = {"SRR02": 1, "IPR2": None}


@pytest.fixture(scope="module")
def corporate(tmp_path_factory, catalogue):
    """A corporate workbook consolidated from the Q2 sample returns only."""
    path = tmp_path_factory.mktemp("corporate") / "Corporate monitoring 2023-24 Q2.xlsx"
    consolidate(Q2_RETURNS, path, catalogue, Q2)
    return path


@pytest.fixture(scope="module")
def corporate_recalculated(corporate, tmp_path_factory, lo_profile):
    """The corporate workbook saved by openpyxl as it is and with REGISTER_EDITS, recalculated by LibreOffice."""
    folder = tmp_path_factory.mktemp("corporate-recalculated")
    outputs = {}
    for kind, edits in (("untouched", {}), ("edited", REGISTER_EDITS)):
        book = openpyxl.load_workbook(corporate)
        sheet = book[REGISTER_SHEET]
        rows = {}
        for row in range(1, sheet.max_row + 1):  # the register's row, not the row of its changes below it
            rows.setdefault(sheet.cell(row, 1).value, row)
        for ref, likelihood in edits.items():
            sheet.cell(rows[ref], REGISTER["Likelihood"] + 1).value = likelihood
        copy = folder / kind / corporate.name
        copy.parent.mkdir()
        book.save(copy)
        [outputs[kind]] = libreoffice_convert([copy], folder / f"{kind} recalculated", "xlsx", lo_profile)
        assert outputs[kind].exists(), f"LibreOffice could not open the {kind} corporate workbook"
    return outputs


def _register(path: Path) -> tuple[dict[tuple[int, int], object], list[list]]:
    """The heat map's cells by (likelihood, impact), and the register's rows."""
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(REGISTER_SHEET).to_python()
    cells = {}
    for likelihood in range(1, 6):
        for impact in range(1, 6):
            row, col = xl_cell_to_rowcol(heat_map_cell(likelihood, impact))
            cells[(likelihood, impact)] = rows[row][col]
    header = next(i for i, row in enumerate(rows) if row[:2] == ["Ref", "Risk"])
    register = []
    for row in rows[header + 1:]:
        if row[0] == "":
            break
        register.append(row)
    return cells, register


def _results(register: list[list], risks) -> list[RiskResult]:
    return [RiskResult(risk=risks[row[REGISTER["Ref"]]], owner=row[REGISTER["Owner"]],
                       likelihood=_rating(row[REGISTER["Likelihood"]]), impact=_rating(row[REGISTER["Impact"]]),
                       previous_score=_rating_product(row[REGISTER["Previous score"]]), controls="",
                       further_actions="")
            for row in register]


def _assert_register_formulas(register: list[list], results: list[RiskResult]) -> None:
    for row, result in zip(register, results, strict=True):
        shown = tuple(row[REGISTER[name]] for name in ("Score", "RAG", "Direction"))
        expected = ("" if result.score is None else result.score, result.rag, result.direction)
        assert shown == expected, f"{REGISTER_SHEET} {result.risk.ref}: {row}"


def test_heat_map_and_register_recalculated_by_libreoffice_equal_the_engine(corporate_recalculated, catalogue):
    risks = {risk.ref: risk for risk in catalogue.risks}
    returned = {update.ref: update for update in sample_register().returns[Q2]}
    engine = {result.risk.ref: result for result in judge_risks(catalogue.risks, returned, {})}
    cells, register = _register(corporate_recalculated["untouched"])
    results = _results(register, risks)
    assert [r.risk.ref for r in results] == sorted(engine)
    for result in results:  # the register is what the engine made of the returns
        known = engine[result.risk.ref]
        assert (result.likelihood, result.impact, result.previous_score) == \
            (known.likelihood, known.impact, known.previous_score), result.risk.ref
    _assert_register_formulas(register, results)
    expected = {key: len(refs) for key, refs in heat_map(list(engine.values())).items()}
    assert cells == expected
    assert sum(cells.values()) == len(catalogue.risks)


def test_changing_a_likelihood_moves_the_heat_map(corporate_recalculated, catalogue):
    risks = {risk.ref: risk for risk in catalogue.risks}
    before, _ = _register(corporate_recalculated["untouched"])
    cells, register = _register(corporate_recalculated["edited"])
    results = _results(register, risks)
    assert {r.risk.ref: r.likelihood for r in results if r.risk.ref in REGISTER_EDITS} == REGISTER_EDITS
    _assert_register_formulas(register, results)
    assert cells == {key: len(refs) for key, refs in heat_map(results).items()}
    moved = {key: cells[key] - before[key] for key in cells if cells[key] != before[key]}
    assert moved == {(5, 4): -1, (1, 4): 1, (2, 3): -1}  # SRR02 from 5×4 to 1×4; IPR2 (2×3) unscored
    srr02 = next(row for row in register if row[REGISTER["Ref"]] == "SRR02")
    assert (srr02[REGISTER["Score"]], srr02[REGISTER["RAG"]], srr02[REGISTER["Direction"]]) == (4, "Green", "Reduced")
    ipr2 = next(row for row in register if row[REGISTER["Ref"]] == "IPR2")
    assert (ipr2[REGISTER["Score"]], ipr2[REGISTER["RAG"]], ipr2[REGISTER["Direction"]]) == ("", "Not scored", "")


def test_actions_added_this_quarter_are_in_red_font(corporate, catalogue):
    sheet = openpyxl.load_workbook(corporate)[PLAN_SHEET]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(max_col=11)]
    header = next(i for i, row in enumerate(rows) if row[0] == "Ref" and row[10] == "Added")
    first = header + 2  # the first action's row, 1-based
    last = max(i for i, row in enumerate(rows, start=1) if i >= first and row[0])
    red = [(CellRange(str(ranges.sqref)), rule) for ranges in sheet.conditional_formatting for rule in ranges.rules
           if rule.type == "expression" and rule.formula == [f'$K{first}="{ADDED}"']]
    assert len(red) == 1, [(str(r.sqref), [x.formula for x in r.rules]) for r in sheet.conditional_formatting]
    [(area, rule)] = red
    assert rule.dxf.font.color.rgb.upper().endswith("C00000")
    assert (area.min_col, area.max_col, area.min_row) == (1, 11, first) and area.max_row >= last
    flagged = {row[0] for row in rows[first - 1:] if row[10] == ADDED}
    added = {action.ref for action in catalogue.improvement_plan if action.added_in == Q2}
    assert flagged == added and len(added) == 8
    assert all(row[10] in (ADDED, "", None) for row in rows[first - 1:])


def test_every_new_sheet_opens_and_prints_in_libreoffice(corporate, tmp_path, lo_profile):
    directorates = ("Assistant Chief Executive", "Borough Economy")
    paths = [corporate, *(_return(directorate) for directorate in directorates)]
    pdfs = libreoffice_convert(paths, tmp_path / "pdf", "pdf", lo_profile)
    for pdf in pdfs:
        assert pdf.exists() and pdf.stat().st_size > 10_000, f"LibreOffice could not print {pdf.name}"
    corporate_text = " ".join(pdf_text(pdfs[0]).split())
    for title in (f"Improvement Plan monitoring tool {Q2}", f"Improvement Plan exception report {Q2}",
                  f"Changes to the Improvement Plan {Q2}", f"Strategic Risk Register {Q2}",
                  "Heat map: number of risks by likelihood and impact"):
        assert title in corporate_text, title
    for directorate, pdf in zip(directorates, pdfs[1:], strict=True):
        text = " ".join(pdf_text(pdf).split())
        for title in (f"{directorate}: Improvement Plan actions for {Q2}", f"{directorate}: strategic risks for {Q2}"):
            assert title in text, title
    sheets = CalamineWorkbook.from_path(str(corporate)).sheet_names
    assert {PLAN_SHEET, EXCEPTIONS_SHEET, CHANGES_SHEET, REGISTER_SHEET} <= set(sheets)
