"""The committee pack: the consolidated report printed by LibreOffice, A4 landscape, every page numbered."""

import shutil
import subprocess
from pathlib import Path

import pytest

from pmf_excel.cli import main
from pmf_excel.framework.outcomes import OUTCOMES
from pmf_excel.pipelines.pack import PackError, read_report, write_pack
from tests.excel_reality import pdf_pages, soffice

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def packs(tmp_path_factory, q3_workbook):
    """The packs of a workbook consolidated to 2023/24 Q3, as a council's is after its Q3 consolidation."""
    soffice()  # skips (or fails on CI) without LibreOffice
    out = tmp_path_factory.mktemp("pack")
    return write_pack(q3_workbook, out), write_pack(q3_workbook, out, short=True)


def test_a_page_per_outcome_then_exceptions_then_appendices(packs, q3_workbook):
    full, _ = packs
    text = pdf_pages(full)
    outcomes = [o for o in OUTCOMES if o in set(read_report(q3_workbook).outcome_of.values())]
    for page, outcome in zip(text, outcomes):  # the first pages, one per outcome, in the Corporate Plan's order
        assert outcome in page.splitlines()[0] or outcome in page
        assert "Red measures (" in page and "Red actions (" in page
    assert any(page.lstrip().startswith("Exceptions 2023/24 Q3") for page in text)
    assert any("Appendix A Indicators: 2023/24 Q3" in page for page in text)
    assert any("Appendix B Deliverables: 2023/24 Q3" in page for page in text)
    assert any("Appendix C Improvement Plan: 2023/24 Q3" in page for page in text)
    plan = "\n".join(page for page in text if "Appendix C Improvement Plan" in page)  # however many pages it takes
    assert "Performance Management System: Options Appraisal" in plan
    risks = next(page for page in text if "Appendix D Strategic risks: 2023/24 Q3" in page)
    assert "59a 02/22" in risks and "Unchanged" in risks
    assert text.index(next(p for p in text if "Appendix A" in p)) > len(outcomes)


def test_every_page_is_numbered_with_the_quarter_in_its_footer_on_a4_landscape(packs):
    full, short = packs
    for pdf in (full, short):
        text = pdf_pages(pdf)
        for number, page in enumerate(text, start=1):
            assert f"Page {number} of {len(text)}" in page, (pdf.name, number)
            assert "Corporate Performance Report 2023/24 Q3" in page
        size = next(line for line in subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                                                    check=True).stdout.splitlines() if line.startswith("Page size"))
        width, height = (float(x) for x in size.split(":")[1].split("pts")[0].split("x"))
        assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points


def test_the_red_action_of_003_is_named_on_its_outcome_page(packs):
    full, _ = packs
    page = next(p for p in pdf_pages(full) if p.lstrip().startswith("One Council One Team"))
    assert "Red actions (1)" in page and "BE44" in page and "Sandwell Valley Visitor Centre" in page


def test_the_short_version_is_the_summaries_and_exceptions_only(packs):
    full, short = packs
    text = pdf_pages(short)
    assert not any("Appendix" in page for page in text) and len(text) < len(pdf_pages(full))
    assert any(page.lstrip().startswith("Exceptions 2023/24 Q3") for page in text)


def test_a_second_pack_keeps_the_first(packs, tmp_path, q3_workbook):
    full, _ = packs
    first = write_pack(q3_workbook, tmp_path)
    assert main(["pack", str(q3_workbook), "--out", str(tmp_path)]) == 0
    assert first.exists() and len(list((tmp_path / "previous versions").iterdir())) == 1


def test_a_workbook_that_was_never_consolidated_is_a_clear_message(tmp_path, capsys):
    template = ROOT / "workbook_templates" / "Corporate monitoring.xlsm"
    with pytest.raises(PackError, match="has not been consolidated yet"):
        write_pack(template, tmp_path)
    copy = tmp_path / "not a workbook.xlsx"
    copy.write_text("hello")
    assert main(["pack", str(copy), "--out", str(tmp_path)]) == 2  # bad input, not something outside
    assert "cannot be read" in capsys.readouterr().err
    shutil.rmtree(tmp_path / "previous versions", ignore_errors=True)


def test_the_outcome_pages_count_grey_states_by_the_workbooks_own_names(tmp_path):
    from pmf_excel.pipelines.consolidate import consolidate
    from pmf_excel.pipelines.pack import read_report
    from pmf_excel.rules.policy import DEFAULT_POLICY
    from pmf_excel.samples.build import sample_catalogue

    shutil.copytree(ROOT / "samples" / "returns" / "2023-24 Q2", tmp_path / "returns")
    workbook = tmp_path / "Corporate.xlsx"
    renamed = DEFAULT_POLICY.model_copy(update={"name": "Plain words", "no_target_name": "Not set"})
    consolidate(tmp_path / "returns", workbook, sample_catalogue(), "2023/24 Q2", policy=renamed)
    assert read_report(workbook).policy == renamed
    page = next(p for p in pdf_pages(write_pack(workbook, tmp_path / "pack", short=True))
                if p.lstrip().startswith("People Live Well and Age Well"))
    assert "Not set" in page and "No target" not in page
    counts = page.split("Not set")[1].splitlines()[1].split()  # the row under the headings
    assert counts == ["3", "1", "2", "13", "2", "21"]  # as counted by hand from 004 (test_consolidate.py)


def test_the_pack_is_a_tagged_pdf_with_its_title_and_the_councils_language(packs):
    """Screen readers need the structure tree (tags in reading order), the title and the language (PDF/UA, WCAG)."""
    from pypdf import PdfReader

    for pdf, title in zip(packs, ("Corporate Performance Report 2023/24 Q3: committee pack",
                                  "Corporate Performance Report 2023/24 Q3: exceptions")):
        reader = PdfReader(pdf)
        root = reader.trailer["/Root"]
        assert root["/MarkInfo"]["/Marked"].value is True, pdf.name
        tags = root["/StructTreeRoot"]["/K"]
        assert len(tags) > len(reader.pages), pdf.name  # far more tagged elements than pages
        assert reader.metadata.title == title
        assert root["/ViewerPreferences"]["/DisplayDocTitle"].value is True  # the window shows the title, not the file
        assert root["/Lang"] == "en-GB"


def test_the_pack_is_in_british_english_whatever_the_machines_locale(tmp_path, monkeypatch, q3_workbook):
    from pypdf import PdfReader

    soffice()
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    monkeypatch.setenv("LC_ALL", "de_DE.UTF-8")
    pdf = write_pack(q3_workbook, tmp_path, short=True)
    assert PdfReader(pdf).trailer["/Root"]["/Lang"] == "en-GB"


@pytest.fixture(scope="module")
def sample_packs(tmp_path_factory):
    """The sample workbook's packs: as it shows (Q2's indicators, Q3's deliverables), and each quarter alone."""
    from tests.conftest import SAMPLE_WORKBOOK

    soffice()
    out = tmp_path_factory.mktemp("sample packs")
    return {quarter: write_pack(SAMPLE_WORKBOOK, out / (quarter or "shown").replace("/", "-"), quarter=quarter)
            for quarter in (None, "2023/24 Q2", "2023/24 Q3")}


def test_the_pack_shows_each_part_of_the_report_in_its_own_quarter(sample_packs):
    pack = sample_packs[None]
    assert pack.name == "Corporate performance 2023-24 Q2 committee pack.pdf"
    text = pdf_pages(pack)
    first = text[0]
    assert first.lstrip().startswith("The Best Start in Life for Children and Young People")
    assert "Red measures (4)" in first and "Corporate Plan actions, 2023/24 Q3" in first
    assert "Red actions (1)" in first and "School Nursing" in first
    assert any("Appendix A Indicators: 2023/24 Q2" in page for page in text)
    assert any("Appendix B Deliverables: 2023/24 Q3" in page for page in text)
    assert all("Corporate Performance Report 2023/24 Q2" in page for page in text)


def test_pack_quarter_prints_what_the_workbook_shows_for_that_quarter(sample_packs):
    deliverables = pdf_pages(sample_packs["2023/24 Q3"])
    assert sample_packs["2023/24 Q3"].name == "Corporate performance 2023-24 Q3 committee pack.pdf"
    assert "Red actions (1)" in deliverables[0] and "Red measures" not in deliverables[0]
    assert not any("Appendix A" in page or "Appendix C" in page for page in deliverables)
    assert any("Appendix B Deliverables: 2023/24 Q3" in page for page in deliverables)
    indicators = pdf_pages(sample_packs["2023/24 Q2"])
    assert "Red measures (4)" in indicators[0] and "Red actions" not in indicators[0]
    assert not any("Appendix B" in page for page in indicators)
    assert any("Appendix D Strategic risks: 2023/24 Q2" in page for page in indicators)


def test_pack_quarter_the_workbook_does_not_show_is_a_message(tmp_path, capsys):
    from tests.conftest import SAMPLE_WORKBOOK

    assert main(["pack", str(SAMPLE_WORKBOOK), "--out", str(tmp_path), "--quarter", "2023/24 Q4"]) == 2
    error = capsys.readouterr().err
    assert "shows 2023/24 Q2 and 2023/24 Q3, not 2023/24 Q4" in error and "Traceback" not in error
    assert main(["pack", str(SAMPLE_WORKBOOK), "--out", str(tmp_path), "--quarter", "Q4"]) == 2
    assert not list(tmp_path.glob("*.pdf"))
