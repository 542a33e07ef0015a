"""What is written is what was written before the speed work (issue 18): the returns, the corporate workbook and
the button workbook, compared by meaning with tests/reference/, which make_reference.py built with the code of
the commit before the optimisations: every cell's value or formula and format, every row and column, validation,
conditional format, print setting, sparkline and chart, and the VBA project byte for byte."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest

from pmf_excel.framework.catalogue import Catalogue
from tests.reference.make_reference import CATALOGUE, DAMAGED, RETURNS, WORKBOOKS, consolidated, write_inputs
from tests.workbook_meaning import differences, meaning

REFERENCE = Path(__file__).resolve().parent / "reference"


@pytest.fixture(autouse=True, scope="module")
def the_quarters_own_date():
    """Generated files record the quarter's date unless SOURCE_DATE_EPOCH says otherwise: the references do."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("SOURCE_DATE_EPOCH", raising=False)
        yield


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return Catalogue.model_validate_json((REFERENCE / CATALOGUE).read_text(encoding="utf-8"))


def test_the_returns_are_written_as_before(catalogue, tmp_path):
    written = write_inputs(catalogue, tmp_path)
    assert sorted(path.name for path in written) == sorted(path.name for path in (REFERENCE / RETURNS).iterdir())
    for path in written:
        if path.name != DAMAGED:  # the reference's own is damaged after writing: the consolidation's input
            assert differences(meaning(REFERENCE / RETURNS / path.name), meaning(path)) == [], path.name


@pytest.fixture(scope="module")
def consolidated_now(catalogue, tmp_path_factory) -> Path:
    """The reference returns consolidated by the code as it is now."""
    folder = tmp_path_factory.mktemp("consolidated")
    shutil.copytree(REFERENCE / RETURNS, folder / RETURNS)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        consolidated(catalogue)
    return folder


@pytest.mark.parametrize("name", WORKBOOKS)
def test_consolidation_writes_what_it_wrote_before(consolidated_now, name):
    assert differences(meaning(REFERENCE / name), meaning(consolidated_now / name)) == []


def test_a_changed_sparkline_or_format_is_a_difference(tmp_path):
    """The comparison can fail: one sparkline over another row, one colour changed, are each found."""
    changed = tmp_path / "Corporate.xlsx"
    with zipfile.ZipFile(REFERENCE / WORKBOOKS[0]) as source, zipfile.ZipFile(changed, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":
                data = re.sub(rb"(<xm:f>Trends!\$?D)\$?9:", rb"\g<1>10:", data, count=1)
            if item.filename == "xl/styles.xml":
                data = data.replace(b'rgb="FF1F4E78"', b'rgb="FF1F4E79"', 1)
            target.writestr(item, data)
    found = differences(meaning(REFERENCE / WORKBOOKS[0]), meaning(changed))
    assert any("sparklines" in line for line in found), found[:3]
    assert any("1F4E78" in line for line in found), found[:3]
