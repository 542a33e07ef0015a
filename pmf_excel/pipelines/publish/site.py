"""Writing the site: the pages rendered by the Jinja2 templates shipped with the package, the stylesheet, and
the open data beside them, into a folder that is swapped in whole.

The site is a folder of plain files that link to each other by relative
paths: it works from a file share, a USB stick or any web host, makes no
request anywhere else, and needs no script. It is written to a new folder
beside ``out`` first and swapped in only when complete, so that a failure
never leaves half a site; a site published there before is kept in
``previous versions/`` beside it. A folder that holds anything else is
never touched.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from importlib.resources import files
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from ...framework.quarters import check_quarter, quarter_key
from ...framework.results import ACTION_STATES, RAG_STATES
from ...rules.errors import PMFBlocked, PMFInputError
from ...rules.policy import DEFAULT_POLICY, Policy
from ...workbooks.corporate.report_reader import LANGUAGE, Report, read_report
from ...workbooks.files import keep_previous
from .open_data import open_data, write_open_data
from .pages import DOT_MARKS, Page, site_pages, slug

#: Written into every page, so that a folder holding a site this command wrote can be told from any other.
GENERATOR = "pmf-excel publish"
STYLESHEET = "site.css"
DATA_FOLDER = "data"


class PublishError(PMFInputError):
    """The site cannot be made from what was given; the message names the file, the sheet or the text."""


class PublishBlocked(PMFBlocked):
    """The site cannot be written where it was asked to go; nothing there was changed."""


def publish(workbook: Path, quarter: str, out: Path) -> list[Path]:
    """Publish the quarter's report from the corporate workbook as a static site in ``out``; returns its files."""
    quarter = check_quarter(quarter)
    if not workbook.exists():
        raise PublishError(f"{workbook} does not exist.")
    report = read_report(workbook)
    if quarter_key(quarter) > quarter_key(report.quarter):
        raise PublishError(f"{workbook.name} is consolidated to {report.quarter} (its Settings sheet's Quarter), not "
                           f"{quarter} yet: consolidate {quarter}'s returns first.")
    if quarter != report.quarter:
        raise PublishError(
            f"{workbook.name} is consolidated to {report.quarter} (its Settings sheet's Quarter), and its report "
            f"sheets hold that quarter only. To publish {quarter}, give the workbook as it was consolidated to "
            f"{quarter}: Consolidate keeps earlier versions in 'previous versions' beside it.")
    _check_can_replace(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    except OSError as error:
        raise PublishBlocked(f"The site cannot be written in {out.parent}: {error.strerror or error}.") from None
    try:
        staging.chmod(0o755)  # a web server reads it as it reads any folder, not as a private temporary one
        written = [path.relative_to(staging) for path in write_site(report, workbook.name, staging)]
        if out.exists() and not any(out.iterdir()):
            out.rmdir()
        keep_previous(out)
        os.replace(staging, out)
    except OSError as error:
        raise PublishBlocked(f"The site cannot be written to {out}: {error.strerror or error}.") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [out / path for path in written]


def _check_can_replace(out: Path) -> None:
    """``out`` must be new, empty, or a site this command wrote: anything else in it is someone's own."""
    if out.exists() and not out.is_dir():
        raise PublishError(f"{out} is a file, not a folder: give a folder for the site.")
    if not out.exists() or not any(out.iterdir()):
        return
    index = out / "index.html"
    if not index.exists() or f'content="{GENERATOR}"' not in index.read_text(encoding="utf-8", errors="replace"):
        raise PublishError(f"{out} already holds files that are not a site pmf publish wrote. Give a new or empty "
                           f"folder (the site replaces the whole folder).")


def write_site(report: Report, workbook_name: str, folder: Path) -> list[Path]:
    """Every page, the stylesheet and the open data, written into ``folder``."""
    tables = open_data(report)
    pages = site_pages(report, tables)
    environment = _environment(report.policy)
    common = {"quarter": report.quarter, "actions_quarter": report.actions_quarter or report.quarter,
              "language": LANGUAGE, "generator": GENERATOR, "workbook": workbook_name,
              "policy": report.policy.label, "navigation": pages, "shown": report.policy.shown,
              "state_of": report.state, "states": {"measures": RAG_STATES, "actions": ACTION_STATES}}
    written = []
    for page in pages:
        written.append(folder / page.path)
        written[-1].write_text(render(environment, page, common), encoding="utf-8")
    stylesheet = folder / STYLESHEET
    stylesheet.write_text(files(__package__).joinpath("templates", STYLESHEET).read_text(encoding="utf-8"),
                          encoding="utf-8")
    return [*written, stylesheet, *write_open_data(report, tables, folder / DATA_FOLDER)]


def render(environment: Environment, page: Page, common: dict[str, object]) -> str:
    return environment.get_template(page.template).render(page=page, **common)


def _environment(policy: Policy = DEFAULT_POLICY) -> Environment:
    environment = Environment(loader=PackageLoader(__package__, "templates"),
                              autoescape=select_autoescape(["html", "j2"]), undefined=StrictUndefined,
                              trim_blocks=True, lstrip_blocks=True)
    environment.filters["slug"] = slug
    # a direction in the policy's words (Getting better) is marked as the framework's (Improving) is
    environment.globals["marks"] = DOT_MARKS | {policy.shown(state): mark for state, mark in DOT_MARKS.items()}
    return environment
