"""The buttons' vbaProject.bin is built once for each set of sources and read back after (vba/cache.py): what is
read back is what a fresh build gives, byte for byte; a changed source, a damaged kept build or a cache folder
that cannot be used never gives other bytes."""

from __future__ import annotations

from importlib.resources import files

import pytest

from pmf_excel.workbooks.vba import build_vba_project, cached_vba_project, xlwings_vba
from pmf_excel.workbooks.vba import cache as vba_cache

SHEETS = tuple(f"Sheet{index}" for index in range(1, 25))


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("PMF_EXCEL_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture(scope="module")
def sources() -> tuple[dict[str, str], dict[str, str]]:
    """The corporate workbook's own: macros/*.bas and the pinned xlwings' module and class."""
    modules = {path.name.removesuffix(".bas"): path.read_text(encoding="cp1252")
               for path in files("macros").iterdir() if path.name.endswith(".bas")}
    xlwings_modules, classes = xlwings_vba()
    return {**modules, **xlwings_modules}, classes


def test_the_kept_build_is_a_fresh_build_byte_for_byte(cache, sources):
    modules, classes = sources
    fresh = build_vba_project(modules, classes=classes, sheet_modules=SHEETS)
    assert cached_vba_project(modules, classes=classes, sheet_modules=SHEETS) == fresh  # built, and kept
    assert len(list(cache.glob("vbaProject-*.bin"))) == 1
    assert cached_vba_project(modules, classes=classes, sheet_modules=SHEETS) == fresh  # read back


def test_it_is_read_back_not_built_again(cache, sources, monkeypatch):
    modules, classes = sources
    kept = cached_vba_project(modules, classes=classes, sheet_modules=SHEETS)
    monkeypatch.setattr(vba_cache, "build_vba_project", lambda *args, **kwargs: pytest.fail("built again"))
    assert cached_vba_project(modules, classes=classes, sheet_modules=SHEETS) == kept


@pytest.mark.parametrize("change", ["a module's source", "the sheets", "a class", "the builder"])
def test_a_changed_source_or_builder_is_built_anew(cache, sources, monkeypatch, change):
    modules, classes = sources
    cached_vba_project(modules, classes=classes, sheet_modules=SHEETS)
    sheets = SHEETS
    if change == "a module's source":
        modules = {**modules, "PMF": modules["PMF"] + "' one more line\n"}
    elif change == "the sheets":
        sheets = SHEETS[:-1]
    elif change == "a class":
        classes = {**classes, "Dictionary": classes["Dictionary"].replace("Option Explicit", "Option Explicit ")}
    else:
        monkeypatch.setattr(vba_cache, "_BUILDER", (*vba_cache._BUILDER, "cache.py"))
    assert cached_vba_project(modules, classes=classes, sheet_modules=sheets) == \
        build_vba_project(modules, classes=classes, sheet_modules=sheets)
    assert len(list(cache.glob("vbaProject-*.bin"))) == 2


def test_a_damaged_kept_build_is_not_used(cache, sources):
    modules, classes = sources
    fresh = cached_vba_project(modules, classes=classes, sheet_modules=SHEETS)
    (kept,) = cache.glob("vbaProject-*.bin")
    damaged = bytearray(kept.read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    kept.write_bytes(bytes(damaged))
    assert cached_vba_project(modules, classes=classes, sheet_modules=SHEETS) == fresh
    kept.write_bytes(b"")
    assert cached_vba_project(modules, classes=classes, sheet_modules=SHEETS) == fresh


def test_a_cache_folder_that_cannot_be_used_still_gives_the_project(tmp_path, sources, monkeypatch):
    modules, classes = sources
    (tmp_path / "a file").write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("PMF_EXCEL_CACHE", str(tmp_path / "a file" / "cache"))
    assert cached_vba_project(modules, classes=classes, sheet_modules=SHEETS) == \
        build_vba_project(modules, classes=classes, sheet_modules=SHEETS)
    assert [path.name for path in tmp_path.iterdir()] == ["a file"]
