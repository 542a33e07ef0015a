"""The ``pmf`` command: the engine's answers and the framework's jobs at a terminal, with messages, not tracebacks.

Each subcommand is one function, ``_<name>(args)``, added to the parser by
:func:`_parser`; it imports what it needs when it runs, so ``pmf rag`` loads the
engine alone and starts quickly. Every error ends in :func:`main`, which turns
it into one of the exit statuses below (:data:`EXIT_STATUSES`) and a message;
no traceback reaches the terminal.
"""

from __future__ import annotations

import argparse
import errno
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from .rules.errors import PMFBlocked, PMFInputError

DONE, FAULT, BAD_INPUT, BLOCKED = 0, 1, 2, 3
EXIT_STATUSES = """\
exit status:
  0  done
  2  bad input: the message names the file, sheet, cell and text to correct (or the argument mistyped)
  3  blocked by something outside the input: a workbook open in Excel, another consolidation running,
     a read-only file or folder, a full disk, LibreOffice or a library that is not installed
  1  a fault in pmf itself: please report it (PMF_TRACEBACK=1 shows where it happened)

A figure that starts with "-" is read as a figure, not an option: pmf rag "-£207k" "£740k" 5% "Bigger is better".
After "--" every argument is read as written: pmf dot -- -0.5% -1% "Bigger is better".
"""

#: Errors about a path that the person named: bad input. Any other OSError blocks the work from outside.
_BAD_PATH = {errno.ENOENT: "does not exist", errno.EISDIR: "is a folder, not a file",
             errno.EEXIST: "already exists as a file, where a folder is needed",
             errno.ENOTDIR: "is not a folder (a part of the path is a file)", errno.ENAMETOOLONG: "is too long a name"}
_BLOCKING = {errno.EACCES: "cannot be written or read here (permission denied: a read-only file or folder, or "
                           "a file another program holds)",
             errno.EPERM: "cannot be changed here (the operation is not permitted)",
             errno.EROFS: "is on a read-only disk",
             errno.ENOSPC: "cannot be written: the disk is full",
             getattr(errno, "EDQUOT", errno.ENOSPC): "cannot be written: the disk quota is used up"}


#: The modules the ``workbooks`` extra installs: a command that needs one says to install the extra.
WORKBOOKS_EXTRA = {"xlsxwriter", "openpyxl", "python_calamine", "pandas", "pyarrow", "xlwings", "jinja2", "filelock"}


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand and give its exit status (:data:`EXIT_STATUSES`)."""
    try:
        args = _parser().parse_args(argv)
        return args.run(args)
    except SystemExit as done:  # argparse: --help (0) or a mistyped command line (2), already explained
        return done.code if isinstance(done.code, int) else DONE if done.code is None else BAD_INPUT
    except (Exception, KeyboardInterrupt) as error:  # noqa: BLE001 - the one place every error becomes a message
        status, message = _failure(error)
        if status == FAULT and os.environ.get("PMF_TRACEBACK"):
            raise
        print(f"pmf: {message}", file=sys.stderr)
        return status


def _failure(error: BaseException) -> tuple[int, str]:
    """The exit status and message for an error that reached the command."""
    if isinstance(error, PMFInputError):
        return BAD_INPUT, str(error)
    if isinstance(error, PMFBlocked):
        return BLOCKED, str(error)
    # a library's own error about a file carries the OSError it met (xlsxwriter's FileCreateError does)
    error = next((arg for arg in error.args if isinstance(arg, OSError)), error)
    if isinstance(error, OSError) and error.filename is not None:
        name = error.filename
        if error.errno in _BAD_PATH:
            return BAD_INPUT, f"{name} {_BAD_PATH[error.errno]}."
        return BLOCKED, f"{name} {_BLOCKING.get(error.errno, error.strerror or str(error))}."
    if isinstance(error, OSError):  # raised without a file name: its message is all there is
        return (BAD_INPUT if error.errno in _BAD_PATH else BLOCKED), str(error)
    if isinstance(error, ModuleNotFoundError) and (error.name or "").partition(".")[0] in WORKBOOKS_EXTRA:
        return BLOCKED, (f"this command needs {error.name}, which comes with pmf-excel's workbooks extra: "
                         'python -m pip install "pmf-excel[workbooks]" (in a checkout: python -m pip install -e '
                         '".[workbooks]")')
    if isinstance(error, ModuleNotFoundError):
        return BLOCKED, f"{error.name} is not installed, and this command needs it: reinstall pmf-excel."
    if isinstance(error, KeyboardInterrupt):
        return 130, "stopped."
    first_line = (str(error).strip().splitlines() or [""])[0][:200]
    return FAULT, (f"an unexpected {type(error).__name__}{f' ({first_line})' if first_line else ''}. This is a "
                   "fault in pmf, not in your files: please report it with the command you ran.")


class _Parser(argparse.ArgumentParser):
    """argparse, reading an argument that is a figure starting with "-" (-£207k, -0.5%, -.5) as a figure.

    argparse takes any argument starting with "-" for an option unless it is
    a plain negative number; no option of ``pmf`` starts with "-" and a digit,
    a point or a currency sign, so such an argument is always a figure.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(*args, **kwargs)
        self._negative_number_matcher = re.compile(r"^-[\d.£$€]")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="pmf", description="A council's Performance Management Framework in Excel.",
                     epilog=EXIT_STATUSES)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    def command(name: str, run, help: str, description: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=description, epilog=EXIT_STATUSES)
        if run is not None:  # a command of commands (catalogue import) has its run on each of its own
            sub.set_defaults(run=run)
        return sub

    rag = command("rag", _rag, "RAG of one measure, with the reason",
                  'Example: pmf rag "77%" "<70%" "70.1%-75%" "Smaller is better"')
    rag.add_argument("performance")
    rag.add_argument("target")
    rag.add_argument("tolerance")
    rag.add_argument("polarity")
    rag.add_argument("--base", help="the budget a budget-variance measure is a share of, e.g. £733.967m")

    dot = command("dot", _dot, "direction of travel between two values",
                  'Example: pmf dot "1 min 27 secs" "1 min 9 secs" "Smaller is better"')
    dot.add_argument("current")
    dot.add_argument("previous")
    dot.add_argument("polarity")

    status = command("status", _status, "RAG of a deliverable's status",
                     'Example: pmf status "Medium Issue/Slippage"')
    status.add_argument("status")

    demo = command("demo", _demo, "build the sample returns and consolidate them (the main job)",
                   "The main job, from scratch, from the council's published reports: build the catalogue, write "
                   "each directorate's 2023/24 Q2 return filled with the indicators as published (with the "
                   "Improvement Plan and risks) and its 2023/24 Q3 return filled with the action statuses as "
                   "published, consolidate both quarters into one corporate workbook (its History holds both), "
                   "leave it showing the Q2 indicators beside the Q3 deliverables, each in its own quarter, and "
                   "print what it shows as the Cabinet-style summaries: indicators, Corporate Plan deliverables, "
                   "the Improvement Plan and the strategic risks, with the command that prints the committee pack.")
    demo.add_argument("--out", type=Path, default=Path("out"), help="folder for everything built (default: out)")

    judge = command("judge", _judge, "re-judge a published indicator report row by row",
                    "Re-judge every indicator of a Corporate Performance Report (PDF text, tab-separated) with the "
                    "engine and write a CSV of RAG, DOT, breach, reasons, warnings and the cells it could not read. "
                    "With --map, re-judge any council's published table (CSV or workbook) under its policy and "
                    "print its printed RAG and DOT beside the engine's, row by row, with the agreement and why rows "
                    "differ.")
    judge.add_argument("report", type=Path, nargs="?", metavar="REPORT|TABLE",
                       help="the report's text (default: the council's 2023/24 Q2 report, shipped with pmf), or "
                            "with --map a council's published table")
    judge.add_argument("--policy", help="the rule policy: a shipped policy's name or a .toml file (default: the "
                                        "council's default rules)")
    judge.add_argument("--map", type=Path, dest="mapping", metavar="MAPPING",
                       help="the council's mapping file (.toml): its columns, words and quarters")
    judge.add_argument("--out", type=Path, default=Path("out") / "judged_indicators.csv", help="the CSV to write")

    catalogue = command("catalogue", None, "the catalogue of measures: import a council's own tracker",
                        "The catalogue of measures that pmf returns and pmf consolidate take.")
    catalogue_commands = catalogue.add_subparsers(required=True, metavar="ACTION")
    imported = catalogue_commands.add_parser(
        "import", help="build a catalogue from a council's own tracker (.xlsx or .csv) through its mapping file",
        description="Read the tracker a council already keeps, its columns named its own way, through the mapping "
                    "file it writes once, and write the catalogue (JSON) that pmf returns and pmf consolidate take. "
                    "Every row that cannot be read is reported by row and column; the others are imported.",
        epilog=EXIT_STATUSES)
    imported.add_argument("tracker", type=Path, metavar="FILE", help="the council's tracker: .xlsx, .xlsm or .csv")
    imported.add_argument("--map", type=Path, dest="mapping", metavar="MAPPING", required=True,
                          help="the council's mapping file (.toml)")
    imported.add_argument("--out", type=Path, default=Path("catalogue.json"),
                          help="the catalogue to write (default: catalogue.json)")
    imported.set_defaults(run=_import_catalogue)

    samples = command("samples", _samples, "rebuild samples/ from the council's published reports",
                      "Rebuild the committed samples from the council's reports shipped with pmf: the catalogue and "
                      "its cleaning log, the 2023/24 Q2 and Q3 returns filled as published, and the corporate "
                      "workbook consolidated from them; and the second (fictional) council's tracker and published "
                      "table. Each file records its quarter's date (or "
                      "SOURCE_DATE_EPOCH), so rebuilding unchanged inputs changes no byte.")
    samples.add_argument("--out", type=Path, default=Path("samples"),
                         help="folder to write into (default: samples, in the current folder)")

    returns = command("returns", _returns, "write one quarterly return per directorate",
                      "Write each directorate's return workbook from the catalogue. Last quarter's and last year's "
                      "figures come from the corporate workbook's History (--catalogue CORPORATE.xlsx), from the "
                      "earlier figures a catalogue imported from a council's tracker holds, or, for the sample "
                      "catalogue in 2023/24 Q2, from the council's report; otherwise they are left blank for the "
                      "co-ordinators.")
    returns.add_argument("--catalogue", type=Path,
                         help="the corporate workbook (its Catalogue sheet) or a catalogue JSON "
                              "(default: the sample 2023/24 catalogue)")
    returns.add_argument("--quarter", required=True, help='the quarter, e.g. "2023/24 Q2"')
    returns.add_argument("--out", type=Path, required=True, help="folder for the returns")
    returns.add_argument("--filled", action="store_true",
                         help="fill in the figures and commentary the council published (sample returns, "
                              "2023/24 Q2 only)")
    returns.add_argument("--password", default="", help="protect the definitions with this password")
    returns.add_argument("--policy", help="the rule policy the returns' formulas follow: a shipped policy's name or a "
                                          ".toml file (default: the council's default rules)")

    templates = command("templates", _templates, "regenerate the committed workbook templates",
                        "Write the workbook templates: the PMF functions' worked examples, a directorate return and "
                        "the corporate monitoring workbook (.xlsm, with the Consolidate button) for the sample "
                        "catalogue. Each records a fixed date, so regenerating changes no byte.")
    templates.add_argument("--out", type=Path, default=Path("workbook_templates"),
                           help="folder (default: workbook_templates, in the current folder)")

    consolidate = command("consolidate", _consolidate, "merge the directorate returns into the corporate workbook",
                          "Validate every return in RETURNS_DIR, judge every measure with the engine and write the "
                          "corporate workbook (the previous version is kept in 'previous versions/').")
    consolidate.add_argument("returns_dir", type=Path, metavar="RETURNS_DIR")
    consolidate.add_argument("--workbook", type=Path, required=True,
                             help="the corporate workbook to write (.xlsx, or .xlsm for the buttons)")
    consolidate.add_argument("--quarter", required=True, help='the quarter, e.g. "2023/24 Q2"')
    consolidate.add_argument("--catalogue", type=Path,
                             help="a workbook with a Catalogue sheet, or a catalogue JSON (default: the corporate "
                                  "workbook's own Catalogue sheet when it exists, else the sample 2023/24 catalogue)")
    consolidate.add_argument("--policy", help="the rule policy: a name (DOT-aware, Ten percent, average trend) or "
                                              "a .toml file; it is written to the Rules sheet (default: the "
                                              "workbook's Rules sheet, else the council's default rules)")
    consolidate.add_argument("--comparators", type=Path, help="an LG Inform style export (area, metric, period, "
                                                               "value) of comparators, matched to measures by the "
                                                               "Catalogue's benchmarks sheet; kept in the workbook")
    consolidate.add_argument("--area", default="Sandwell", help="our own area in the export (default: Sandwell)")

    pack = command("pack", _pack, "the committee pack: the corporate report as a PDF",
                   "Print the consolidated corporate workbook as a PDF for a committee agenda (through "
                   "LibreOffice): a page per strategic outcome, the exceptions with their commentary, and the full "
                   "tables as appendices; --short for the members' exceptions-only version.")
    pack.add_argument("workbook", type=Path, metavar="CORPORATE_WORKBOOK")
    pack.add_argument("--out", type=Path, required=True, help="folder for the PDF")
    pack.add_argument("--short", action="store_true", help="the summaries and exceptions only")
    pack.add_argument("--quarter", help='print only what the workbook shows for this quarter, e.g. "2023/24 Q3" '
                                        "(its deliverables, where they are another quarter's than its indicators)")

    publish = command("publish", _publish, "the quarter as an accessible website, with its open data",
                      "Publish the consolidated corporate workbook's quarter as a static website (WCAG 2.2 AA, no "
                      "script, no request anywhere else): a summary, a page per strategic outcome, the exceptions, "
                      "the Improvement Plan and the risk register, with the figures as CSV and a data dictionary in "
                      "data/. A site published there before is kept in 'previous versions/' beside the folder.")
    publish.add_argument("workbook", type=Path, metavar="CORPORATE_WORKBOOK")
    publish.add_argument("--quarter", required=True, help='the quarter the workbook is consolidated to, e.g. '
                                                         '"2023/24 Q3"')
    publish.add_argument("--out", type=Path, required=True, help="the folder for the site (new, empty, or a site "
                                                                 "published before)")

    rejudge = command("rejudge", _rejudge, "what a policy would change in a past quarter (nothing written)",
                      "Re-judge History's figures for a quarter under a policy and list every RAG and direction of "
                      "travel that would differ from what History recorded, with the policy that recorded it. "
                      "Nothing is written.")
    rejudge.add_argument("--workbook", type=Path, required=True, help="the corporate workbook")
    rejudge.add_argument("--quarter", required=True, help='the quarter to re-judge, e.g. "2023/24 Q2"')
    rejudge.add_argument("--policy", help="a policy's name or a .toml file (default: the workbook's Rules sheet)")

    rollover = command("rollover", _rollover, "the next quarter's returns, pre-filled from History",
                       "Write every directorate's return for a quarter from the corporate workbook's Catalogue, "
                       "with last quarter's and last year's figures from its History.")
    rollover.add_argument("--to", required=True, metavar="QUARTER", help='the new quarter, e.g. "2023/24 Q3"')
    rollover.add_argument("--workbook", type=Path, required=True, help="the corporate workbook")
    rollover.add_argument("--out", type=Path, required=True, help="folder for the new returns")

    export = command("export-history", _export_history, "History as CSV and Parquet for Power BI",
                     "Write the corporate workbook's History as a tidy table, one row per measure line per "
                     "quarter: history.csv and history.parquet. An earlier export there is replaced only with "
                     "--force, and is then kept in 'previous versions/'.")
    export.add_argument("workbook", type=Path, metavar="CORPORATE_WORKBOOK")
    export.add_argument("--out", type=Path, required=True, help="folder for history.csv and history.parquet")
    export.add_argument("--force", action="store_true", help="replace an earlier export (keeping it)")
    return parser


def _rag(args: argparse.Namespace) -> int:
    from .rules.verdicts import assess

    result = assess(args.performance, args.target, args.tolerance, args.polarity, base=args.base)
    print(result.rag)
    print(result.reason)
    for warning in result.warnings:
        print(f"Warning: {warning.message}")
    return DONE


def _dot(args: argparse.Namespace) -> int:
    from .rules.verdicts import explain_direction

    result, reason = explain_direction(args.current, args.previous, args.polarity)
    print(result)
    print(reason)
    return DONE


def _status(args: argparse.Namespace) -> int:
    from .rules.verdicts import deliverable_rag

    print(deliverable_rag(args.status))
    return DONE


def _judge(args: argparse.Namespace) -> int:
    from .rules.policy import DEFAULT_POLICY, named_policy

    policy = named_policy(args.policy) if args.policy else DEFAULT_POLICY
    if args.mapping:
        if args.report is None:
            raise PMFInputError("--map re-judges a council's published table: give the table (CSV or workbook).")
        return _judge_table(args, policy)
    import pandas as pd

    from .samples.judged_report import MeasureNotes, judge_report
    from .samples.sources import INDICATOR_REPORT, MEASURE_NOTES
    from .workbooks.csv_files import write_csv
    from .workbooks.files import keep_previous

    if args.out.is_dir():
        raise PMFInputError(f"{args.out} is a folder: --out names the CSV file to write, e.g. "
                            f"{args.out / 'judged_indicators.csv'}.")
    if args.report is not None and not args.report.exists():
        raise PMFInputError(f"{args.report} does not exist.")
    rows = judge_report(args.report or INDICATOR_REPORT, MeasureNotes.load(MEASURE_NOTES), policy)
    table = pd.DataFrame([row.model_dump() for row in rows])
    for column in ("warnings", "problems"):
        table[column] = table[column].map(" | ".join)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    keep_previous(args.out)
    write_csv(table, args.out)
    counts = table["rag"].value_counts().to_dict()
    print(f"{len(rows)} indicators: " + ", ".join(f"{n} {rag}" for rag, n in counts.items()))
    print(f"{sum(len(row.problems) for row in rows)} cell(s) could not be read. Every row: {args.out}")
    return DONE


def _judge_table(args: argparse.Namespace, policy) -> int:
    from .pipelines.onboarding import judge_table, write_rejudged

    rows, agreed = judge_table(args.report, policy, args.mapping)
    width = max([len(row.ref) for row in rows] + [3])
    print(f"{'Ref':<{width}}  {'Printed':<10} {'Engine':<10} {'ok':<3} {'Printed DOT':<15} {'Engine DOT':<15} ok")
    for row in rows:
        marks = {True: "yes", False: "NO", None: ""}
        print(f"{row.ref:<{width}}  {row.printed_rag:<10} {row.engine_rag:<10} {marks[row.rag_agrees]:<3} "
              f"{row.printed_dot:<15} {row.engine_dot:<15} {marks[row.dot_agrees]}")
        if row.rag_agrees is False or row.dot_agrees is False or row.printed_rag != row.engine_rag:
            print(f"{'':<{width}}  why: {row.why}")
        for problem in row.problems:
            print(f"{'':<{width}}  cannot be read: {problem}")
    print(f"\nUnder {policy.label}: {agreed.summary()} Every row: {write_rejudged(rows, args.out)}")
    return DONE


def _import_catalogue(args: argparse.Namespace) -> int:
    from .pipelines.onboarding import import_catalogue

    imported = import_catalogue(args.tracker, args.mapping, args.out)
    source = f"{args.tracker.name}" + (f" › {imported.sheet}" if imported.sheet else "")
    print(f"{len(imported.catalogue.measures)} measure(s) and {len(imported.catalogue.earlier_figures)} earlier "
          f"figure(s) from {source}" + (f": {imported.written}" if imported.written else "; nothing written."))
    for problem in imported.problems:
        print(f"pmf: {problem.where()}: {problem.text!r}: {problem.message}", file=sys.stderr)
    if imported.problems:
        print(f"pmf: {len(imported.problems)} cell(s) could not be read; fix them in the tracker (or the mapping) "
              "and import again.", file=sys.stderr)
        return BAD_INPUT
    return DONE


def _samples(args: argparse.Namespace) -> int:
    from .samples.build import SHOWN, build_samples
    from .samples.second_council import write_second_council

    shown = build_samples(args.out, progress=_progress_bar)[SHOWN]
    print(f"\nReturns for {shown.quarter} and {shown.actions_quarter}, and {shown.workbook} in {args.out}")
    for path in write_second_council(args.out / "second_council"):
        print(f"The second council (illustrative): {path}")
    return DONE


def _returns(args: argparse.Namespace) -> int:
    from .framework.quarters import check_quarter
    from .rules.policy import DEFAULT_POLICY, named_policy
    from .samples.build import sample_catalogue, sample_notes
    from .samples.catalogue_from_report import published_figures
    from .samples.sources import INDICATOR_REPORT, INDICATOR_REPORT_QUARTER
    from .workbooks.catalogue_sheets import load_catalogue
    from .workbooks.directorate_return import write_returns

    quarter = check_quarter(args.quarter)
    sample_figures = args.catalogue is None and quarter == INDICATOR_REPORT_QUARTER
    if args.filled and not sample_figures:
        raise PMFInputError(f"--filled fills the sample catalogue's returns with the figures the council published "
                            f"for {INDICATOR_REPORT_QUARTER}; there are none for {quarter}"
                            + (" or for another catalogue" if args.catalogue else "") + ".")
    catalogue = load_catalogue(args.catalogue) if args.catalogue else sample_catalogue()
    policy = named_policy(args.policy) if args.policy else DEFAULT_POLICY
    windows = catalogue.windows_before(quarter)  # the council's own earlier figures, where it imported them
    earlier = {ref: (window[0], window[3]) for ref, window in windows.items()} if catalogue.earlier_figures \
        else _earlier_figures(args.catalogue, quarter)
    figures = published_figures(INDICATOR_REPORT, sample_notes()) if sample_figures else None
    for path in write_returns(catalogue, quarter, args.out, figures=figures, history=earlier, filled=args.filled,
                              password=args.password, policy=policy, windows=windows):
        print(path)
    if not figures and all(figure is None for pair in earlier.values() for figure in pair):
        print(f"Last quarter's and last year's figures are left blank for the co-ordinators: there is no History "
              f"of them{' in ' + args.catalogue.name if args.catalogue else ''}, and the sample report's figures "
              f"are for {INDICATOR_REPORT_QUARTER} only. A consolidated corporate workbook (--catalogue "
              f"CORPORATE.xlsx, or pmf rollover) fills them from its History.")
    return DONE


def _earlier_figures(catalogue: Path | None, quarter: str) -> dict[str, tuple[object, object]]:
    """Last quarter's and last year's figures from the History of the corporate workbook given as catalogue."""
    if catalogue is None or catalogue.suffix.lower() == ".json":
        return {}
    from .pipelines.rollover import previous_figures
    from .workbooks.history_sheets import read_history

    return previous_figures(read_history(catalogue).measures, quarter)


def _templates(args: argparse.Namespace) -> int:
    from .rules.text import clean
    from .samples.build import sample_catalogue, sample_notes
    from .samples.catalogue_from_report import published_figures
    from .samples.sources import INDICATOR_REPORT, INDICATOR_REPORT_QUARTER
    from .workbooks.corporate.workbook import write_corporate_workbook
    from .workbooks.directorate_return import write_returns
    from .workbooks.files import replace_keeping_backup, temporary_beside
    from .workbooks.function_examples import write_function_examples

    figures = published_figures(INDICATOR_REPORT, sample_notes())
    args.out.mkdir(parents=True, exist_ok=True)
    print(write_function_examples(args.out / "pmf_functions_examples.xlsx",
                                  {clean(row.ref): row for row in figures.values()}))
    catalogue = sample_catalogue()
    for path in write_returns(catalogue.of_directorate("Housing"), INDICATOR_REPORT_QUARTER, args.out,
                              figures=figures):
        print(path)
    # written beside and swapped in, the one before kept: a build that fails or refuses (another xlwings) leaves
    # the template the council's buttons open where it was
    corporate = args.out / "Corporate monitoring.xlsm"
    written = temporary_beside(corporate)
    try:
        write_corporate_workbook(written, "", catalogue, [], [], [],
                                 settings={"Returns folder": "", "Next quarter": "", "New returns folder": ""})
        replace_keeping_backup(written, corporate)
    finally:
        written.unlink(missing_ok=True)
    print(corporate)
    return DONE


def _pack(args: argparse.Namespace) -> int:
    from .pipelines.pack import write_pack

    print(write_pack(args.workbook, args.out, short=args.short, quarter=args.quarter))
    return DONE


def _publish(args: argparse.Namespace) -> int:
    from .pipelines.publish import publish

    written = publish(args.workbook, args.quarter, args.out)
    print(f"{args.out / 'index.html'}: {sum(path.suffix == '.html' for path in written)} pages, with the open data "
          f"in {args.out / 'data'}")
    return DONE


def _rejudge(args: argparse.Namespace) -> int:
    from .pipelines.rejudge import rejudge
    from .rules.policy import DEFAULT_POLICY, named_policy
    from .workbooks.catalogue_sheets import load_catalogue
    from .workbooks.history_sheets import read_history
    from .workbooks.rules_sheet import read_rules

    policy = named_policy(args.policy) if args.policy else read_rules(args.workbook) or DEFAULT_POLICY
    changed = rejudge(load_catalogue(args.workbook), read_history(args.workbook), args.quarter, policy)
    print(f"{args.quarter} re-judged under {policy.label}: {len(changed)} verdict(s) would change.")
    for change in changed:
        print(f"  {change.ref}  {change.what}: {change.recorded or 'blank'} ({change.recorded_policy}) -> "
              f"{change.now or 'blank'}")
    return DONE


def _consolidate(args: argparse.Namespace) -> int:
    from .framework.benchmarks import import_comparators
    from .pipelines.consolidate import consolidate
    from .rules.policy import named_policy
    from .samples.build import sample_catalogue
    from .workbooks.catalogue_sheets import load_catalogue
    from .workbooks.files import check_workbook_name

    check_workbook_name(args.workbook)  # before its Catalogue sheet is read from it
    source = args.catalogue or (args.workbook if args.workbook.exists() else None)
    catalogue = load_catalogue(source) if source else sample_catalogue()
    comparators = import_comparators(args.comparators, catalogue.benchmark_map, args.area) \
        if args.comparators else None
    summary = consolidate(args.returns_dir.absolute(), args.workbook, catalogue, args.quarter,
                          progress=_progress_bar, policy=named_policy(args.policy) if args.policy else None,
                          comparators=comparators)
    print(f"{summary.workbook}: {summary.measures} measures from {summary.files_read} file(s); "
          f"{summary.errors} data-quality error(s), {summary.warnings} warning(s).")
    if summary.backup:
        print(f"The previous version is kept as {summary.backup}")
    return DONE


def _rollover(args: argparse.Namespace) -> int:
    from .pipelines.rollover import roll_over
    from .workbooks.catalogue_sheets import load_catalogue
    from .rules.policy import DEFAULT_POLICY
    from .workbooks.history_sheets import read_history
    from .workbooks.rules_sheet import read_rules

    for path in roll_over(load_catalogue(args.workbook), read_history(args.workbook), args.to, args.out,
                          read_rules(args.workbook) or DEFAULT_POLICY):
        print(path)
    return DONE


def _export_history(args: argparse.Namespace) -> int:
    from .pipelines.exports import export_history

    for path in export_history(args.workbook, args.out, force=args.force):
        print(path)
    return DONE


def _progress_bar(message: str, done: float) -> None:
    """A one-line progress bar on the terminal; quiet when output goes to a file."""
    if not sys.stderr.isatty():
        return
    filled = int(done * 30)
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done:4.0%} {message[:50]:<50}"
                     + ("\n" if done >= 1 else ""))
    sys.stderr.flush()


def _demo(args: argparse.Namespace) -> int:
    """The main job, from scratch: catalogue, the directorates' returns, the corporate workbook; the summary
    printed is what the workbook shows, its counts its Data quality sheet's."""
    from .samples.build import SHOWN, build_samples

    shown = build_samples(args.out, progress=_progress_bar)[SHOWN]
    print(f"\nCorporate Performance Report {shown.quarter}: indicators as the council published them\n")
    print(shown.narrative())
    print(f"\nCorporate Plan deliverables {shown.actions_quarter}: action statuses as the council published them\n")
    print(shown.action_narrative())
    print(f"\nImprovement Plan {shown.quarter}: from the council's November 2023 report (002; leads and dates "
          "illustrative)\n")
    print(shown.plan_narrative())
    print(f"\nStrategic Risk Register {shown.quarter}: the risks 002 and 000 name (scores illustrative)\n")
    print(shown.risk_narrative())
    print(f"\nReturns: {args.out / 'returns'}\nCorporate workbook: {shown.workbook}, showing {shown.quarter}'s "
          f"indicators and {shown.actions_quarter}'s deliverables (History holds both quarters; {shown.errors} "
          f"data-quality error(s), {shown.warnings} warning(s))\nThe committee pack: pmf pack \"{shown.workbook}\" "
          f"--out {args.out / 'pack'}")
    return DONE


if __name__ == "__main__":
    sys.exit(main())
