"""History exported for Power BI: tidy, typed, every quarter, and nothing overwritten."""

from pathlib import Path

import pandas as pd

from pmf_excel.cli import main
from pmf_excel.pipelines.consolidate import consolidate
from pmf_excel.pipelines.exports import COLUMNS, history_table
from pmf_excel.samples.seed_reports import read_indicator_report
from pmf_excel.workbooks.catalogue_sheets import load_catalogue
from pmf_excel.workbooks.directorate_return import write_returns
from pmf_excel.samples.sources import INDICATOR_REPORT

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def test_two_quarters_export_as_one_tidy_table(tmp_path):
    catalogue = load_catalogue(SAMPLES / "catalogue_2023-24.json")
    figures = {row.ref: row for row in read_indicator_report(INDICATOR_REPORT)}
    workbook = tmp_path / "Corporate.xlsx"
    for quarter in ("2023/24 Q2", "2023/24 Q3"):
        folder = tmp_path / quarter.replace("/", "-")
        write_returns(catalogue, quarter, folder, figures=figures, filled=True)
        consolidate(folder, workbook, catalogue, quarter)
    table = history_table(workbook)
    assert list(table.columns) == COLUMNS
    lines = sum(max(1, len(m.parts)) for m in catalogue.measures) + len(catalogue.actions)
    assert table.groupby("quarter").size().to_dict() == {"2023/24 Q2": lines, "2023/24 Q3": lines}
    assert set(table["quarter_start"].dt.strftime("%Y-%m-%d")) == {"2023-07-01", "2023-10-01"}
    b12b = table[(table.ref == "B12b") & (table.quarter == "2023/24 Q2")].iloc[0]
    assert (b12b.performance_value, b12b.rag, bool(b12b.breach)) == (0.77, "Red", True)
    assert table[table.rag.isin(["No target", "No update"])]["breach"].isna().all()
    e10 = table[(table.ref == "E10") & (table.quarter == "2023/24 Q2")].iloc[0]
    assert (e10.figure_for, b12b.figure_for) == ("2022/23 Q4", "2023/24 Q2")  # E10 is reported two quarters behind
    assert set(table[table.ref == "O5d"].rag) == {"Not due", "No target"}  # reports in Q1 and Q3

    out = tmp_path / "powerbi"
    assert main(["export-history", str(workbook), "--out", str(out)]) == 0
    assert pd.read_parquet(out / "history.parquet").shape == table.shape
    assert len(pd.read_csv(out / "history.csv")) == len(table)
    assert main(["export-history", str(workbook), "--out", str(out)]) == 2  # refused: an earlier export is there
    assert not (out / "previous versions").exists()
    assert main(["export-history", str(workbook), "--out", str(out), "--force"]) == 0
    assert len(list((out / "previous versions").iterdir())) == 2
