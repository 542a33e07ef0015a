"""Tables of records in sheets: written and read back through one mapping, bad rows named."""

import datetime as dt

from python_calamine import CalamineWorkbook

from pmf_excel.framework.improvement_plan import ActionType, ImprovementAction
from pmf_excel.samples.build import sample_plan, sample_register
from pmf_excel.workbooks.catalogue_sheets import PLAN_TABLE, RISKS_TABLE
from pmf_excel.workbooks.history_sheets import PLAN_HISTORY


def test_the_sample_plan_and_register_round_trip_through_a_workbook(tmp_path):
    import xlsxwriter

    path = tmp_path / "tables.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    date = workbook.add_format({"num_format": "dd/mm/yyyy"})
    for table, records in ((PLAN_TABLE, sample_plan().actions), (RISKS_TABLE, sample_register().risks)):
        sheet = workbook.add_worksheet(table.sheet)
        for r, row in enumerate(table.rows(records)):
            for c, value in enumerate(row):
                if isinstance(value, dt.date):
                    sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date)
                else:
                    sheet.write(r, c, value)
    workbook.close()
    book = CalamineWorkbook.from_path(str(path))
    plan, problems = PLAN_TABLE.read(book.get_sheet_by_name(PLAN_TABLE.sheet).to_python(), "tables.xlsx")
    risks, more = RISKS_TABLE.read(book.get_sheet_by_name(RISKS_TABLE.sheet).to_python(), "tables.xlsx")
    assert problems == more == []
    assert plan == sample_plan().actions and risks == sample_register().risks


def test_every_bad_row_is_named_with_sheet_row_ref_and_heading_and_the_rest_kept():
    rows = [PLAN_TABLE.headings,
            ["A1", "Corporate Oversight", "W", "Main action", "", "Act", "Finance", "Lead", dt.datetime(2024, 3, 31),
             "", ""],
            ["A2", "Culture", "W", "Main action", "", "Act", "Finance", "Lead", "31/03/2024", "", ""],
            ["", "", "", "", "", "", "", "", "", "", ""],
            [7.0, "Decision Making", "W", "Task", "", "Act", "Finance", "Lead", dt.date(2024, 3, 31), "", ""]]
    records, problems = PLAN_TABLE.read(rows, "Corporate.xlsm")
    assert [r.ref for r in records] == ["A1"] and records[0].due == dt.date(2024, 3, 31)
    assert records[0].type is ActionType.MAIN
    assert problems[0].startswith("Corporate.xlsm › Catalogue improvement plan › row 3 (A2): Theme: 'Culture' is "
                                  "not one of the plan's six themes")
    assert problems[1].startswith("Corporate.xlsm › Catalogue improvement plan › row 5 (7.0): Type: Input should be")
    assert len(problems) == 2


def test_missing_headings_are_said_once():
    records, problems = PLAN_HISTORY.read([["Quarter", "Ref"], ["2023/24 Q2", "A1"]], "Corporate.xlsm")
    assert records == [] and problems == [
        "Corporate.xlsm › Improvement Plan history: the first row lacks the heading(s) Theme, Workstream, Type, "
        "Directorate, Delivery lead, Due"]


def test_a_column_added_in_a_later_version_may_be_missing():
    rows = [h for h in PLAN_HISTORY.headings if h != "Exception reason"]
    records, problems = PLAN_HISTORY.read([rows, ["2023/24 Q2", "A1", "Decision Making", "W", "Main action",
                                                  "Finance", "Lead", dt.datetime(2024, 1, 31), "", "", ""]], "x")
    assert problems == [] and records[0].exception == "" and records[0].due == dt.date(2024, 1, 31)


def test_yes_reads_as_true_and_blank_as_the_default():
    rows = PLAN_HISTORY.rows([])
    rows.append(["2023/24 Q2", "A1", "Corporate Oversight", "W", "Main action", "Finance", "Lead",
                 dt.datetime(2024, 1, 31), "On Track", "Green", "Yes", ""])
    rows.append(["2023/24 Q2", "A2", "Corporate Oversight", "W", "Main action", "Finance", "Lead",
                 dt.datetime(2024, 1, 31), "", "", "", ""])
    records, problems = PLAN_HISTORY.read(rows, "x")
    assert problems == [] and [r.propose_close for r in records] == [True, False]
    assert records[1].status == "" and isinstance(records[0].due, dt.date)


def test_a_record_written_is_its_cells():
    action = ImprovementAction(ref="A1", theme="Decision Making", workstream="W", type=ActionType.SUB, parent="A",
                               action="Act", directorate="Finance", lead="Lead", due=dt.date(2024, 1, 31))
    assert PLAN_TABLE.rows([action])[1] == ["A1", "Decision Making", "W", "Sub-action", "A", "Act", "Finance", "Lead",
                                            dt.date(2024, 1, 31), "", ""]
