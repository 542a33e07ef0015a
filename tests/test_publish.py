"""The quarter published as a static website with its open data: what every page says and how it is built,
read from the HTML itself (the browser's checks are in test_publish_browser.py)."""

import csv
import fnmatch
import json
import re
import tomllib
from html.parser import HTMLParser
from importlib.resources import files
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from pmf_excel.cli import main
from pmf_excel.pipelines.publish import PublishError, publish
from pmf_excel.pipelines.publish.open_data import data_package, open_data, write_open_data
from pmf_excel.workbooks.csv_files import neutralised
from pmf_excel.pipelines.publish.pages import outcome_path, site_pages
from pmf_excel.workbooks.corporate.report_reader import read_report
from tests.conftest import ROOT


class Page(HTMLParser):
    """A page's elements in order, each as (tag, attributes)."""

    def __init__(self, path: Path):
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {name: value or "" for name, value in attrs}))

    def all(self, tag: str) -> list[dict[str, str]]:
        return [attributes for name, attributes in self.elements if name == tag]


def pages(site: Path) -> dict[str, Page]:
    return {path.name: Page(path) for path in sorted(site.glob("*.html"))}


def test_the_site_has_a_summary_a_page_per_outcome_the_exceptions_the_plan_the_risks_and_open_data(published,
                                                                                                   q3_workbook):
    site = published["2023/24 Q3"]
    report = read_report(q3_workbook)
    expected = {"index.html", "exceptions.html", "improvement-plan.html", "risks.html", "open-data.html",
                *(outcome_path(outcome) for outcome in report.outcomes())}
    assert {path.name for path in site.glob("*.html")} == expected
    assert len(report.outcomes()) == 7
    assert {path.name for path in (site / "data").iterdir()} == {
        "indicators-2023-24-Q3.csv", "actions-2023-24-Q3.csv", "datapackage.json"}
    assert (site / "site.css").exists()
    for name, page in pages(site).items():
        linked = {attributes["href"] for attributes in page.all("a")}
        assert expected <= linked | {name}, name  # every page reaches every other from its navigation


@pytest.mark.parametrize("quarter", ["2023/24 Q2", "2023/24 Q3"])
def test_the_summary_counts_each_outcome_by_rag_exactly_as_the_dashboard(published, q2_workbook, quarter, q3_workbook):
    workbook = {"2023/24 Q2": q2_workbook, "2023/24 Q3": q3_workbook}[quarter]
    rows = CalamineWorkbook.from_path(str(workbook)).get_sheet_by_name("Dashboard").to_python()
    for title, table_id in (("Measures by strategic outcome", "measures"),
                            ("Corporate Plan actions by strategic outcome", "actions")):
        start = next(i for i, row in enumerate(rows) if row[0] == title)
        headings = rows[start + 1]
        dashboard = {}
        for row in rows[start + 2:]:
            if not row[0]:
                break
            dashboard[row[0]] = {h: int(n) for h, n in zip(headings[1:], row[1:]) if h}
        summary = site_pages(read_report(workbook), [])[0].content[table_id]
        site = {name: {**{summary.shown[s]: counts.get(s, 0) for s in summary.states},
                       "Total": summary.total(counts)} for name, _, counts in summary.rows}
        for name, counts in dashboard.items():
            assert {h: n for h, n in counts.items() if h in site[name] or n} == site[name], (title, name)
        html = (published[quarter] / "index.html").read_text(encoding="utf-8")
        table = html.split(f'id="{table_id}-caption"')[1].split("</table>")[0]
        for name, counts in site.items():  # the table on the page says the same
            cells = re.search(rf'<th scope="row"><a href="[^"]+">{re.escape(name)}</a></th>(.*?)</tr>', table)[1]
            assert re.findall(r"<td>(\d+)</td>", cells) == [str(n) for n in counts.values()]


def test_an_outcome_page_shows_each_indicator_with_target_figure_rag_both_directions_reason_and_commentary(
        published):
    page = (published["2023/24 Q2"] / outcome_path("The Best Start in Life for Children and Young People"))
    html = page.read_text(encoding="utf-8")
    row = html.split('<th scope="row">B3e</th>')[1].split("</tr>")[0]
    for shown in ("OFSTED rating Special and alternative provision", "86%", "Tolerance: 5%", ">71%<",
                  '<span class="state state-red">Red</span>', '<span aria-hidden="true">▼ </span>Worsening',
                  "Last quarter: 86%", "Same quarter last year: 100%",
                  "Red: 71% is worse than the target 86% and outside the tolerance",
                  "Data for published reports as at 30th September 2023"):
        assert shown in row, shown
    part = html.split('<span class="part-of">Part of B12a: </span>Strengthening Families')[1].split("</tr>")[0]
    assert "&lt;60%" in part and "52%" in part  # a multi-part measure's parts each have their row


def test_an_outcome_page_lists_its_corporate_plan_actions_by_status(published):
    html = (published["2023/24 Q3"] / outcome_path("One Council One Team")).read_text(encoding="utf-8")
    headings = re.findall(r'<h3 id="actions-[a-z-]+">([^<]+)</h3>', html)
    assert headings == ["Green: 26 actions", "Amber: 13 actions", "Red: 1 action", "Complete: 8 actions",
                        "No update: 2 actions"]  # the Dashboard's counts for One Council One Team in 2023/24 Q3
    red = html.split("Red: 1 action</h3>")[1].split("</table>")[0]
    assert '<th scope="row">BE44</th>' in red and "Sandwell Valley Visitor Centre" in red


def test_the_exceptions_plan_and_risk_pages(published, q3_workbook):
    site = published["2023/24 Q3"]
    exceptions = (site / "exceptions.html").read_text(encoding="utf-8")
    report = read_report(q3_workbook)
    assert exceptions.count('<tr>\n<th scope="row">') == len(report.exceptions) > 0
    plan = (site / "improvement-plan.html").read_text(encoding="utf-8")
    assert "Lower than expected return rate for New Member survey" in plan  # OC1.1's exception reason
    assert "No changes to the plan this quarter." in plan
    q2_plan = (published["2023/24 Q2"] / "improvement-plan.html").read_text(encoding="utf-8")
    assert "<li>3 changes to delivery lead</li>" in q2_plan  # 002 §10.4's summary, as the change log words it
    html = (site / "risks.html").read_text(encoding="utf-8")
    heat_map = html.split('id="heat-map-table-caption"')[1].split("</table>")[0]
    likelihood_5 = heat_map.split('<th scope="row">Likelihood 5</th>')[1].split("</tr>")[0]
    assert re.findall(r'<td class="heat-(\w+)">(\d+)', likelihood_5) == [
        ("green", "0"), ("amber", "0"), ("red", "0"), ("red", "1"), ("red", "0")]  # scores 5, 10, 15, 20, 25
    assert '<td class="heat-red">1<span class="refs">SRR02</span><span class="band">Red</span></td>' in likelihood_5
    assert "13 strategic risks in 2023/24 Q3:\n2 Red, 9 Amber, 2 Green." in html


def test_every_page_is_built_accessibly(published):
    """WCAG by construction: language, skip link to main, one h1 and headings in order, tables with captions and
    headers, charts as SVG images with a title, a description and their table after them."""
    for quarter, site in published.items():
        for name, page in pages(site).items():
            where = f"{quarter} {name}"
            assert page.all("html")[0]["lang"] == "en-GB", where
            first_link = page.all("a")[0]
            assert first_link == {"class": "skip-link", "href": "#main"}, where
            assert page.all("main")[0]["id"] == "main", where
            levels = [int(tag[1]) for tag, _ in page.elements if re.fullmatch(r"h[1-6]", tag)]
            assert levels[0] == 1 and levels.count(1) == 1, where
            assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), (where, levels)
            tags = [tag for tag, _ in page.elements]
            assert tags.count("table") == tags.count("caption") == tags.count("thead"), where
            for index, (tag, attributes) in enumerate(page.elements):
                if tag == "th":
                    assert attributes.get("scope") in ("col", "row"), where
                if tag == "svg":
                    ids = {a.get("id") for t, a in page.elements[index:] if t in ("title", "desc")}
                    assert attributes["role"] == "img", where
                    assert {attributes["aria-labelledby"], attributes["aria-describedby"]} <= ids, where
                    assert "table" in tags[index:], where  # the chart's figures follow it as a table
                if tag == "div" and "table-scroll" in attributes.get("class", ""):
                    assert attributes["tabindex"] == "0" and attributes["role"] == "region", where


def test_the_site_names_no_address_outside_itself(published):
    """No script, no font, no image, no stylesheet from elsewhere: every link is to a file of the site."""
    for site in published.values():
        files_of_site = {path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file()}
        for path in site.rglob("*.html"):
            html = path.read_text(encoding="utf-8")
            assert not re.search(r"(?i)(https?:|ftp:|//[a-z0-9])", html), path.name
            assert "<script" not in html and "<iframe" not in html and "<img" not in html, path.name
            page = Page(path)
            for _, attributes in page.elements:
                for name in ("href", "src", "action", "srcset", "data"):
                    if name in attributes and not attributes[name].startswith("#"):
                        assert attributes[name].split("#")[0] in files_of_site, (path.name, attributes[name])
        css = (site / "site.css").read_text(encoding="utf-8")
        assert "url(" not in css and "@import" not in css


def test_grey_states_are_shown_as_the_workbooks_policy_names_them(tmp_path, q2_workbook):
    from pmf_excel.pipelines.consolidate import consolidate
    from pmf_excel.rules.policy import DEFAULT_POLICY
    from pmf_excel.samples.build import sample_catalogue

    renamed = DEFAULT_POLICY.model_copy(update={"name": "Plain words", "no_target_name": "Not set"})
    workbook = tmp_path / "Corporate.xlsx"
    consolidate(q2_workbook.parent / "returns", workbook, sample_catalogue(), "2023/24 Q2", policy=renamed)
    publish(workbook, "2023/24 Q2", tmp_path / "site")
    summary = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert '<span class="state state-no-target">Not set</span>' in summary and "No target" not in summary
    people = (tmp_path / "site" / outcome_path("People Live Well and Age Well")).read_text(encoding="utf-8")
    assert "13 Not set" in people and '<span class="state state-no-target">Not set</span>' in people


def test_the_open_data_is_the_quarters_tidy_tables_with_a_data_dictionary(published, q2_workbook):
    data = published["2023/24 Q2"] / "data"
    report = read_report(q2_workbook)
    with (data / "indicators-2023-24-Q2.csv").open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == len(report.indicators)
    b3e = next(row for row in rows if row["ref"] == "B3e")
    assert {key: b3e[key] for key in ("quarter", "quarter_start", "financial_year", "quarter_number", "performance",
                                      "performance_value", "unit", "rag", "breach", "direction_short_term",
                                      "direction_long_term", "target", "tolerance")} == {
        "quarter": "2023/24 Q2", "quarter_start": "2023-07-01", "financial_year": "2023/24", "quarter_number": "2",
        "performance": "71%", "performance_value": "0.71", "unit": "percentage", "rag": "Red", "breach": "true",
        "direction_short_term": "Worsening", "direction_long_term": "Worsening", "target": "86%", "tolerance": "5%"}
    o8e = next(row for row in rows if row["ref"] == "O8e")  # a duration: the council's words, and days as a number
    assert (o8e["performance"], o8e["last_quarter"], o8e["unit"]) == ("1 min 27 secs", "1 min 9 secs", "duration")
    assert float(o8e["performance_value"]) == pytest.approx(87 / 86_400)
    part = next(row for row in rows if row["ref"] == "B12a" and row["part"] == "Strengthening Families")
    assert part["performance"] == "52%"
    assert part["indicator"] == "Early Help - Number of Allocated Lead Professionals by Organization"
    assert {row["breach"] for row in rows if row["rag"] in ("No target", "No data")} == {""}
    package = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        with (data / resource["path"]).open(encoding=resource["encoding"], newline="") as stream:
            header = next(csv.reader(stream))
        fields = resource["schema"]["fields"]
        assert header == [field["name"] for field in fields]
        assert all(field["description"] and field["type"] in ("string", "number", "integer", "boolean", "date")
                   for field in fields)
    with (data / "actions-2023-24-Q2.csv").open(encoding="utf-8-sig", newline="") as stream:
        assert len(list(csv.DictReader(stream))) == len(report.deliverables)
    assert package == data_package(report, open_data(report))
    page = (published["2023/24 Q2"] / "open-data.html").read_text(encoding="utf-8")
    assert "<code>performance_value</code>" in page and 'href="data/datapackage.json"' in page


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_written_as_text(tmp_path, q3_workbook):
    assert neutralised("=HYPERLINK(\"x\",\"click\")") == "'=HYPERLINK(\"x\",\"click\")"
    for formula in ("+44 121 569 2222", "-£207k", "@SUM(A1)", "\tcmd", "\r=1"):
        assert neutralised(formula) == "'" + formula
    for data in ("-14.9", "+3", "71%", "Red", ""):
        assert neutralised(data) == data
    report = read_report(q3_workbook)
    report.indicators[0].cells["Commentary"] = '=cmd|" /C calc"!A0'
    report.deliverables[0].cells["Update"] = "@SUM(1+1)*cmd"
    tables = open_data(report)
    write_open_data(report, tables, tmp_path)
    for table, column, expected in ((tables[0], "commentary", "'=cmd|\" /C calc\"!A0"),
                                    (tables[1], "update", "'@SUM(1+1)*cmd")):
        with (tmp_path / table.path).open(encoding="utf-8-sig", newline="") as stream:
            assert next(csv.DictReader(stream))[column] == expected


def test_publishing_again_keeps_the_previous_site_and_never_touches_a_folder_of_other_files(tmp_path, capsys,
                                                                                            q3_workbook):
    out = tmp_path / "site"
    assert main(["publish", str(q3_workbook), "--quarter", "2023/24 Q3", "--out", str(out)]) == 0
    assert "12 pages" in capsys.readouterr().out
    (out / "index.html").write_text((out / "index.html").read_text(encoding="utf-8") + "<!-- edited -->",
                                    encoding="utf-8")
    assert main(["publish", str(q3_workbook), "--quarter", "2023/24 Q3", "--out", str(out)]) == 0
    kept = list((tmp_path / "previous versions").iterdir())
    assert len(kept) == 1 and "<!-- edited -->" in (kept[0] / "index.html").read_text(encoding="utf-8")
    assert "<!-- edited -->" not in (out / "index.html").read_text(encoding="utf-8")
    own = tmp_path / "mine"
    own.mkdir()
    (own / "notes.txt").write_text("mine")
    assert main(["publish", str(q3_workbook), "--quarter", "2023/24 Q3", "--out", str(own)]) == 2
    assert "already holds files that are not a site pmf publish wrote" in capsys.readouterr().err
    assert [path.name for path in own.iterdir()] == ["notes.txt"]


@pytest.mark.parametrize("arguments, status, message", [
    (["--quarter", "Q3"], 2, '"Q3" is not a quarter the framework can read'),
    (["--quarter", "2023/24 Q4"], 2, "consolidate 2023/24 Q4's returns first"),
    (["--quarter", "2023/24 Q2"], 2, "give the workbook as it was consolidated to 2023/24 Q2"),
])
def test_a_quarter_the_workbook_does_not_hold_is_a_message(tmp_path, capsys, arguments, status, message, q3_workbook):
    assert main(["publish", str(q3_workbook), *arguments, "--out", str(tmp_path / "site")]) == status
    error = capsys.readouterr().err
    assert message in error and "Traceback" not in error
    assert not (tmp_path / "site").exists()


def test_a_file_that_is_not_a_consolidated_workbook_or_a_folder_that_cannot_be_made_is_a_message(tmp_path, capsys,
                                                                                                 q3_workbook):
    text = tmp_path / "report.xlsx"
    text.write_text("not a workbook")
    assert main(["publish", str(text), "--quarter", "2023/24 Q3", "--out", str(tmp_path / "site")]) == 2
    assert "report.xlsx cannot be read" in capsys.readouterr().err
    template = ROOT / "workbook_templates" / "Corporate monitoring.xlsm"
    assert main(["publish", str(template), "--quarter", "2023/24 Q3", "--out", str(tmp_path / "site")]) == 2
    assert "has not been consolidated yet: Settings has no Quarter" in capsys.readouterr().err
    assert main(["publish", str(tmp_path / "missing.xlsx"), "--quarter", "2023/24 Q3", "--out",
                 str(tmp_path / "site")]) == 2
    assert "missing.xlsx does not exist" in capsys.readouterr().err
    blocked = text / "site"  # inside a file: the folder cannot be made
    assert main(["publish", str(q3_workbook), "--quarter", "2023/24 Q3", "--out", str(blocked)]) == 3
    assert "The site cannot be written in" in capsys.readouterr().err
    with pytest.raises(PublishError, match="is a file, not a folder"):
        publish(q3_workbook, "2023/24 Q3", text)


def test_the_templates_are_package_data_the_wheel_carries():
    templates = files("pmf_excel.pipelines.publish").joinpath("templates")
    shipped = sorted(entry.name for entry in templates.iterdir())
    assert {"base.html.j2", "summary.html.j2", "outcome.html.j2", "site.css"} <= set(shipped)
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["pmf_excel"]
    for name in shipped:
        assert any(fnmatch.fnmatch(f"pipelines/publish/templates/{name}", p) for p in patterns), name


def test_a_workbook_showing_another_quarters_deliverables_publishes_them_in_their_quarter(tmp_path):
    from tests.conftest import SAMPLE_WORKBOOK

    site = tmp_path / "site"
    publish(SAMPLE_WORKBOOK, "2023/24 Q2", site)
    summary = (site / "index.html").read_text(encoding="utf-8")
    assert "Measures by RAG rating and strategic outcome, 2023/24 Q2" in summary
    assert "Corporate Plan actions by status and strategic outcome, 2023/24 Q3" in summary
    assert {path.name for path in (site / "data").glob("*.csv")} == {"indicators-2023-24-Q2.csv",
                                                                     "actions-2023-24-Q3.csv"}
    with (site / "data" / "actions-2023-24-Q3.csv").open(encoding="utf-8-sig", newline="") as stream:
        assert {row["quarter"] for row in csv.DictReader(stream)} == {"2023/24 Q3"}
    outcome = (site / outcome_path("One Council One Team")).read_text(encoding="utf-8")
    assert "Corporate Plan actions rated Red, 2023/24 Q3" in outcome
