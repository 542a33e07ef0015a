"""The ``pmf`` command: the engine's answers at a terminal, with messages instead of tracebacks."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .rules.errors import PMFValueError
from .rules.policy import DEFAULT_POLICY, Policy, PolicyError, named_policy
from .rules.verdicts import assess, deliverable_rag, explain_direction
from .workbooks.files import keep_previous


#: The modules the ``workbooks`` extra installs: a command that needs one says to install the extra.
WORKBOOKS_EXTRA = {"xlsxwriter", "openpyxl", "python_calamine", "pandas", "pyarrow", "xlwings", "jinja2", "filelock"}


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except ModuleNotFoundError as error:
        if (error.name or "").partition(".")[0] not in WORKBOOKS_EXTRA:
            raise
        print(f"pmf: this command needs {error.name}, which comes with pmf-excel's workbooks extra: "
              'python -m pip install "pmf-excel[workbooks]" (in a checkout: python -m pip install -e ".[workbooks]")',
              file=sys.stderr)
        return 3
    except Exception as error:  # noqa: BLE001 - only the errors _exit_code knows are messages; the rest re-raise
        code = _exit_code(error)
        if code is None:
            raise
        print(f"pmf: {error}", file=sys.stderr)
        return code


def _exit_code(error: Exception) -> int | None:
    """2 for bad input, 3 for a file or an installation the command cannot use; None for anything else.

    The commands' own errors are imported only here, after a command has
    run, so that the engine's commands need nothing but the engine.
    """
    if isinstance(error, (PMFValueError, PolicyError)):
        return 2
    if isinstance(error, FileNotFoundError):
        return 3
    from .framework.benchmarks import ComparatorsError
    from .framework.council_mapping import MappingError
    from .pipelines.consolidate import ConsolidationBlocked
    from .pipelines.pack import PackError
    from .pipelines.publish import PublishBlocked, PublishError
    from .workbooks.catalogue_sheets import CatalogueError
    from .workbooks.corporate.report_reader import NotAReport
    from .workbooks.council_tables import TableError
    from .workbooks.files import UnusablePath
    from .workbooks.vba import XlwingsVersionError

    if isinstance(error, (CatalogueError, ComparatorsError, NotAReport, PublishError, MappingError, TableError,
                          UnusablePath)):
        return 2
    if isinstance(error, (ConsolidationBlocked, PackError, PublishBlocked, XlwingsVersionError)):
        return 3
    return None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pmf", description="A council's Performance Management Framework in Excel.")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    rag = commands.add_parser("rag", help="RAG of one measure, with the reason",
                              description='Example: pmf rag "77%%" "<70%%" "70.1%%-75%%" "Smaller is better"')
    rag.add_argument("performance")
    rag.add_argument("target")
    rag.add_argument("tolerance")
    rag.add_argument("polarity")
    rag.add_argument("--base", help="the budget a budget-variance measure is a share of, e.g. £733.967m")
    rag.set_defaults(run=_rag)

    dot = commands.add_parser("dot", help="direction of travel between two values",
                              description='Example: pmf dot "1 min 27 secs" "1 min 9 secs" "Smaller is better"')
    dot.add_argument("current")
    dot.add_argument("previous")
    dot.add_argument("polarity")
    dot.set_defaults(run=_dot)

    status = commands.add_parser("status", help="RAG of a deliverable's status",
                                 description='Example: pmf status "Medium Issue/Slippage"')
    status.add_argument("status")
    status.set_defaults(run=_status)

    demo = commands.add_parser("demo", help="build the sample returns and consolidate them (the main job)",
                               description="From the council's published 2023/24 Q2 report: build the catalogue, "
                                           "write each directorate's return filled as published, consolidate them "
                                           "into the corporate workbook and print the Cabinet-style summary.")
    demo.add_argument("--out", type=Path, default=Path("out"), help="folder for everything built (default: out)")
    demo.set_defaults(run=_demo)

    judge = commands.add_parser("judge", help="re-judge a published indicator report row by row",
                                description="Re-judge every indicator of a Corporate Performance Report (PDF text, "
                                            "tab-separated) with the engine and write a CSV of RAG, DOT, breach, "
                                            "reasons, warnings and the cells it could not read. With --map, re-judge "
                                            "any council's published table (CSV or workbook) under its policy and "
                                            "print its printed RAG and DOT beside the engine's, row by row, with "
                                            "the agreement and why rows differ.")
    judge.add_argument("report", type=Path, nargs="?", default=SAMPLE_REPORT, metavar="REPORT|TABLE",
                       help="the report's text (default: the council's 2023/24 Q2 report), or with --map a "
                            "council's published table")
    judge.add_argument("--policy", help="the rule policy: a shipped policy's name or a .toml file (default: the "
                                        "council's default rules)")
    judge.add_argument("--map", type=Path, dest="mapping", metavar="MAPPING",
                       help="the council's mapping file (.toml): its columns, words and quarters")
    judge.add_argument("--out", type=Path, default=Path("out") / "judged_indicators.csv", help="the CSV to write")
    judge.set_defaults(run=_judge)

    catalogue = commands.add_parser("catalogue", help="the catalogue of measures: import a council's own tracker")
    catalogue_commands = catalogue.add_subparsers(required=True, metavar="ACTION")
    imported = catalogue_commands.add_parser(
        "import", help="build a catalogue from a council's own tracker (.xlsx or .csv) through its mapping file",
        description="Read the tracker a council already keeps, its columns named its own way, through the mapping "
                    "file it writes once, and write the catalogue (JSON) that pmf returns and pmf consolidate take. "
                    "Every row that cannot be read is reported by row and column; the others are imported.")
    imported.add_argument("tracker", type=Path, metavar="FILE", help="the council's tracker: .xlsx, .xlsm or .csv")
    imported.add_argument("--map", type=Path, dest="mapping", metavar="MAPPING", required=True,
                          help="the council's mapping file (.toml)")
    imported.add_argument("--out", type=Path, default=Path("catalogue.json"),
                          help="the catalogue to write (default: catalogue.json)")
    imported.set_defaults(run=_import_catalogue)

    samples = commands.add_parser("samples", help="rebuild samples/ from the council's published report",
                                  description="Rebuild the committed samples: the catalogue and its cleaning log, "
                                              "the 2023/24 Q2 returns filled as published, and the corporate "
                                              "workbook consolidated from them; and the second (fictional) "
                                              "council's tracker and published table.")
    samples.add_argument("--out", type=Path, default=SAMPLES, help="folder to write into (default: samples/)")
    samples.set_defaults(run=_samples)

    returns = commands.add_parser("returns", help="write one quarterly return per directorate",
                                  description="Write each directorate's return workbook from the catalogue, with "
                                              "last quarter's and last year's figures from the sample report.")
    returns.add_argument("--catalogue", type=Path, default=SAMPLES / "catalogue_2023-24.json",
                         help="the corporate workbook (its Catalogue sheet) or a catalogue JSON "
                              "(default: the sample 2023/24 catalogue)")
    returns.add_argument("--quarter", required=True, help='the quarter, e.g. "2023/24 Q2"')
    returns.add_argument("--out", type=Path, required=True, help="folder for the returns")
    returns.add_argument("--filled", action="store_true",
                         help="fill in the figures and commentary the council published (sample returns)")
    returns.add_argument("--password", default="", help="protect the definitions with this password")
    returns.add_argument("--policy", help="the rule policy the returns' formulas follow: a shipped policy's name or a "
                                          ".toml file (default: the council's default rules)")
    returns.set_defaults(run=_returns)

    templates = commands.add_parser("templates", help="regenerate the committed workbook templates",
                                    description="Write workbook_templates/: the PMF functions' worked examples, "
                                                "a directorate return and the corporate monitoring workbook (.xlsm, "
                                                "with the Consolidate button) for the sample catalogue.")
    templates.add_argument("--out", type=Path, default=TEMPLATES, help="folder (default: workbook_templates/)")
    templates.set_defaults(run=_templates)

    consolidate = commands.add_parser("consolidate", help="merge the directorate returns into the corporate workbook",
                                      description="Validate every return in RETURNS_DIR, judge every measure with "
                                                  "the engine and write the corporate workbook (the previous "
                                                  "version is kept in 'previous versions/').")
    consolidate.add_argument("returns_dir", type=Path, metavar="RETURNS_DIR")
    consolidate.add_argument("--workbook", type=Path, required=True, help="the corporate workbook to write")
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
    consolidate.set_defaults(run=_consolidate)

    pack = commands.add_parser("pack", help="the committee pack: the corporate report as a PDF",
                               description="Print the consolidated corporate workbook as a PDF for a committee "
                                           "agenda (through LibreOffice): a page per strategic outcome, the "
                                           "exceptions with their commentary, and the full tables as appendices; "
                                           "--short for the members' exceptions-only version.")
    pack.add_argument("workbook", type=Path, metavar="CORPORATE_WORKBOOK")
    pack.add_argument("--out", type=Path, required=True, help="folder for the PDF")
    pack.add_argument("--short", action="store_true", help="the summaries and exceptions only")
    pack.add_argument("--quarter", help='print only what the workbook shows for this quarter, e.g. "2023/24 Q3" '
                                        "(its deliverables, where they are another quarter's than its indicators)")
    pack.set_defaults(run=_pack)

    publish = commands.add_parser("publish", help="the quarter as an accessible website, with its open data",
                                  description="Publish the consolidated corporate workbook's quarter as a static "
                                              "website (WCAG 2.2 AA, no script, no request anywhere else): a "
                                              "summary, a page per strategic outcome, the exceptions, the "
                                              "Improvement Plan and the risk register, with the figures as CSV and "
                                              "a data dictionary in data/. A site published there before is kept "
                                              "in 'previous versions/' beside the folder.")
    publish.add_argument("workbook", type=Path, metavar="CORPORATE_WORKBOOK")
    publish.add_argument("--quarter", required=True, help='the quarter the workbook is consolidated to, e.g. '
                                                         '"2023/24 Q3"')
    publish.add_argument("--out", type=Path, required=True, help="the folder for the site (new, empty, or a site "
                                                                 "published before)")
    publish.set_defaults(run=_publish)

    rejudge = commands.add_parser("rejudge", help="what a policy would change in a past quarter (nothing written)",
                                  description="Re-judge History's figures for a quarter under a policy and list "
                                              "every RAG and direction of travel that would differ from what History "
                                              "recorded, with the policy that recorded it. Nothing is written.")
    rejudge.add_argument("--workbook", type=Path, required=True, help="the corporate workbook")
    rejudge.add_argument("--quarter", required=True, help='the quarter to re-judge, e.g. "2023/24 Q2"')
    rejudge.add_argument("--policy", help="a policy's name or a .toml file (default: the workbook's Rules sheet)")
    rejudge.set_defaults(run=_rejudge)

    rollover = commands.add_parser("rollover", help="the next quarter's returns, pre-filled from History",
                                   description="Write every directorate's return for a quarter from the corporate "
                                               "workbook's Catalogue, with last quarter's and last year's figures "
                                               "from its History.")
    rollover.add_argument("--to", required=True, metavar="QUARTER", help='the new quarter, e.g. "2023/24 Q3"')
    rollover.add_argument("--workbook", type=Path, required=True, help="the corporate workbook")
    rollover.add_argument("--out", type=Path, required=True, help="folder for the new returns")
    rollover.set_defaults(run=_rollover)

    export = commands.add_parser("export-history", help="History as CSV and Parquet for Power BI",
                                 description="Write the corporate workbook's History as a tidy table, one row per "
                                             "measure line per quarter: history.csv and history.parquet.")
    export.add_argument("workbook", type=Path, metavar="CORPORATE_WORKBOOK")
    export.add_argument("--out", type=Path, required=True, help="folder for history.csv and history.parquet")
    export.set_defaults(run=_export_history)
    return parser


def _rag(args: argparse.Namespace) -> int:
    result = assess(args.performance, args.target, args.tolerance, args.polarity, base=args.base)
    print(result.rag)
    print(result.reason)
    for warning in result.warnings:
        print(f"Warning: {warning.message}")
    return 0


def _dot(args: argparse.Namespace) -> int:
    result, reason = explain_direction(args.current, args.previous, args.polarity)
    print(result)
    print(reason)
    return 0


def _status(args: argparse.Namespace) -> int:
    print(deliverable_rag(args.status))
    return 0


SAMPLES = Path(__file__).resolve().parent.parent / "samples"
TEMPLATES = Path(__file__).resolve().parent.parent / "workbook_templates"
SAMPLE_REPORT = SAMPLES / "reports" / "corporate_performance_report_2023-24_Q2.txt"


def _judge(args: argparse.Namespace) -> int:
    policy = named_policy(args.policy) if args.policy else DEFAULT_POLICY
    if args.mapping:
        return _judge_table(args, policy)
    import pandas as pd

    from .samples.judged_report import MeasureNotes, judge_report
    from .workbooks.csv_files import write_csv

    if not args.report.exists():
        raise FileNotFoundError(f"{args.report} does not exist.")
    rows = judge_report(args.report, MeasureNotes.load(SAMPLES / "measure_notes_2023-24.json"), policy)
    table = pd.DataFrame([row.model_dump() for row in rows])
    for column in ("warnings", "problems"):
        table[column] = table[column].map(" | ".join)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    keep_previous(args.out)
    write_csv(table, args.out)
    counts = table["rag"].value_counts().to_dict()
    print(f"{len(rows)} indicators: " + ", ".join(f"{n} {rag}" for rag, n in counts.items()))
    print(f"{sum(len(row.problems) for row in rows)} cell(s) could not be read. Every row: {args.out}")
    return 0


def _judge_table(args: argparse.Namespace, policy: Policy) -> int:
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
    return 0


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
        return 2
    return 0


def _samples(args: argparse.Namespace) -> int:
    from .samples.build import SHOWN, build_samples
    from .samples.second_council import write_second_council

    shown = build_samples(args.out, progress=_progress_bar)[SHOWN]
    print(f"\nReturns for {shown.quarter} and {shown.actions_quarter}, and {shown.workbook} in {args.out}")
    for path in write_second_council(args.out / "second_council"):
        print(f"The second council (illustrative): {path}")
    return 0


def _returns(args: argparse.Namespace) -> int:
    from .samples.build import sample_notes
    from .samples.catalogue_from_report import published_figures
    from .workbooks.catalogue_sheets import load_catalogue
    from .workbooks.directorate_return import write_returns

    catalogue = load_catalogue(args.catalogue)
    policy = named_policy(args.policy) if args.policy else DEFAULT_POLICY
    windows = catalogue.windows_before(args.quarter)  # the council's own earlier figures, where it imported them
    # a catalogue imported from a council's tracker has its own figures; the sample report is the first council's
    figures = {} if catalogue.earlier_figures else published_figures(SAMPLE_REPORT, sample_notes())
    written = write_returns(catalogue, args.quarter, args.out, figures=figures,
                            filled=args.filled, password=args.password, policy=policy,
                            history={ref: (window[0], window[3]) for ref, window in windows.items()},
                            windows=windows)
    for path in written:
        print(path)
    return 0


def _templates(args: argparse.Namespace) -> int:
    from .rules.text import clean
    from .samples.build import sample_notes
    from .samples.catalogue_from_report import published_figures
    from .workbooks.catalogue_sheets import load_catalogue
    from .workbooks.corporate.workbook import write_corporate_workbook
    from .workbooks.directorate_return import write_returns
    from .workbooks.function_examples import write_function_examples

    figures = published_figures(SAMPLE_REPORT, sample_notes())
    args.out.mkdir(parents=True, exist_ok=True)
    print(write_function_examples(args.out / "pmf_functions_examples.xlsx",
                                  {clean(row.ref): row for row in figures.values()}))
    catalogue = load_catalogue(SAMPLES / "catalogue_2023-24.json")
    for path in write_returns(catalogue.of_directorate("Housing"), "2023/24 Q2", args.out, figures=figures):
        print(path)
    corporate = args.out / "Corporate monitoring.xlsm"
    keep_previous(corporate)
    print(write_corporate_workbook(corporate, "", catalogue, [], [], [],
                                   settings={"Returns folder": "", "Next quarter": "", "New returns folder": ""}))
    return 0


def _pack(args: argparse.Namespace) -> int:
    from .pipelines.pack import write_pack

    print(write_pack(args.workbook, args.out, short=args.short, quarter=args.quarter))
    return 0


def _publish(args: argparse.Namespace) -> int:
    from .pipelines.publish import publish

    written = publish(args.workbook, args.quarter, args.out)
    print(f"{args.out / 'index.html'}: {sum(path.suffix == '.html' for path in written)} pages, with the open data "
          f"in {args.out / 'data'}")
    return 0


def _rejudge(args: argparse.Namespace) -> int:
    from .pipelines.rejudge import rejudge
    from .workbooks.catalogue_sheets import load_catalogue
    from .workbooks.history_sheets import read_history
    from .workbooks.rules_sheet import read_rules

    policy = named_policy(args.policy) if args.policy else read_rules(args.workbook) or DEFAULT_POLICY
    changed = rejudge(load_catalogue(args.workbook), read_history(args.workbook), args.quarter, policy)
    print(f"{args.quarter} re-judged under {policy.label}: {len(changed)} verdict(s) would change.")
    for change in changed:
        print(f"  {change.ref}  {change.what}: {change.recorded or 'blank'} ({change.recorded_policy}) -> "
              f"{change.now or 'blank'}")
    return 0


def _consolidate(args: argparse.Namespace) -> int:
    from .framework.benchmarks import import_comparators
    from .pipelines.consolidate import consolidate
    from .workbooks.catalogue_sheets import load_catalogue

    source = args.catalogue or (args.workbook if args.workbook.exists() else SAMPLES / "catalogue_2023-24.json")
    catalogue = load_catalogue(source)
    comparators = import_comparators(args.comparators, catalogue.benchmark_map, args.area) \
        if args.comparators else None
    summary = consolidate(args.returns_dir.absolute(), args.workbook, catalogue, args.quarter,
                          progress=_progress_bar, policy=named_policy(args.policy) if args.policy else None,
                          comparators=comparators)
    print(f"{summary.workbook}: {summary.measures} measures from {summary.files_read} file(s); "
          f"{summary.errors} data-quality error(s), {summary.warnings} warning(s).")
    if summary.backup:
        print(f"The previous version is kept as {summary.backup}")
    return 0


def _rollover(args: argparse.Namespace) -> int:
    from .pipelines.rollover import roll_over
    from .workbooks.catalogue_sheets import load_catalogue
    from .workbooks.history_sheets import read_history
    from .workbooks.rules_sheet import read_rules

    for path in roll_over(load_catalogue(args.workbook), read_history(args.workbook), args.to, args.out,
                          read_rules(args.workbook) or DEFAULT_POLICY):
        print(path)
    return 0


def _export_history(args: argparse.Namespace) -> int:
    from .pipelines.exports import export_history

    if not args.workbook.exists():
        print(f"pmf: {args.workbook} does not exist.", file=sys.stderr)
        return 2
    for path in export_history(args.workbook, args.out):
        print(path)
    return 0


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
    printed is what the workbook shows."""
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
