"""The committed samples are exactly what `pmf samples` builds from the council's published report."""

from pathlib import Path

import pytest

from pmf_excel.cli import build_samples
from tests.conftest import workbook_content

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
#: The dashboard says when the workbook was consolidated, and Settings where the returns were (this machine's path).
CONSOLIDATED_AT = frozenset({("Dashboard", "A2"), ("Settings", "B3")})


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("samples")
    build_samples(out, progress=lambda message, done: None)
    return out


def test_catalogue_and_log_are_as_committed(built):
    for name in ("catalogue_2023-24.json", "catalogue_cleaning_log.md"):
        assert (built / name).read_text(encoding="utf-8") == (SAMPLES / name).read_text(encoding="utf-8"), name


def test_returns_are_as_committed(built):
    names = sorted(p.name for p in (built / "returns").glob("*.xlsx"))
    assert names == sorted(p.name for p in (SAMPLES / "returns").glob("*.xlsx"))
    assert len(names) == 9
    for name in names:
        assert workbook_content(SAMPLES / "returns" / name) == workbook_content(built / "returns" / name), name


def test_corporate_workbook_is_as_committed(built):
    name = "Corporate monitoring 2023-24 Q2.xlsx"
    assert workbook_content(SAMPLES / name, CONSOLIDATED_AT) == workbook_content(built / name, CONSOLIDATED_AT)
