"""=PMF_RAG, =PMF_DOT, =PMF_TREND, =PMF_BREACH, =PMF_STATUS, =PMF_VALUE and =PMF_EXPLAIN for any workbook.

Thin wrappers over :mod:`pmf_excel.rules.cells`: every argument arrives as a 2-D
range (a single cell is 1×1) and every result spills in the same shape, so
one call judges a whole column. The same module serves desktop Excel with the
xlwings add-in, xlwings Lite and xlwings Server. Ranges are taken raw and made plain by
:func:`pmf_excel.rules.cells.as_grid`, so that an error value in an input cell
gives ``#VALUE!`` with a reason instead of looking blank.
"""

import xlwings as xw

from pmf_excel.rules import cells

#: Ranges arrive raw, in one piece: pmf_excel.rules.cells makes the cells plain (blanks, error values) in one pass.
RANGE = {"convert": "raw"}
PERFORMANCE = "This quarter's figure, as typed (71%, 1 min 27 secs, £207k Annual Deficit) or as the cell holds it."
TARGET = "The target: 86%, <70%, 900-1200, 3.86 days, or No target / TBC."
TOLERANCE = "The tolerance: 5% (of the target), 5pp, a band such as 70.1%-75%, 92% (tolerance score), or NA."
POLARITY = "Bigger is better, Smaller is better, NA - dependent (a range target) or NA."


def measure_arguments(function):
    """The four arguments PMF_RAG, PMF_BREACH and PMF_EXPLAIN share, with their help text."""
    for name, doc in (("polarity", POLARITY), ("tolerance", TOLERANCE), ("target", TARGET),
                      ("performance", PERFORMANCE)):
        function = xw.arg(name, doc=doc, **RANGE)(function)
    return function


POLICY = ("Optional: the rule policy, by name (DOT-aware) or as the Rules sheet's Setting and Value range; the "
          "council's default rules when left out.")
LAST_YEAR = "Optional: the same quarter last year's figure, which a DOT-aware policy judges a missed target by."
FORECAST = "Optional: the year-end forecast, which a policy of amber by forecast judges a missed target by."
MEASURE_CLASS = "Optional: the measure's class (e.g. Vital sign), whose own settings the policy gives it."


def policy_arguments(function):
    """The optional arguments PMF_RAG, PMF_BREACH and PMF_EXPLAIN share, after the four measure arguments."""
    for name, doc in (("measure_class", MEASURE_CLASS), ("forecast", FORECAST), ("last_year", LAST_YEAR),
                      ("policy", POLICY)):
        function = xw.arg(name, doc=doc, **RANGE)(function)
    return function


@xw.func(category="PMF")
@measure_arguments
@policy_arguments
def pmf_rag(performance, target, tolerance, polarity, policy=None, last_year=None, forecast=None,
            measure_class=None):
    """RAG of a measure by the council's rules: Green, Amber, Red, No target or No data (in the policy's words)."""
    return cells.rag_cells(performance, target, tolerance, polarity, policy, last_year, forecast, measure_class)


@xw.func(category="PMF")
@xw.arg("current", doc="This period's figure.", **RANGE)
@xw.arg("previous", doc="The figure compared with: last quarter's, or the same quarter last year's.", **RANGE)
@xw.arg("polarity", doc=POLARITY, **RANGE)
@xw.arg("policy", doc=POLICY, **RANGE)
def pmf_dot(current, previous, polarity, policy=None):
    """Direction of travel: Improving, Worsening, No change or Not comparable."""
    return cells.dot_cells(current, previous, polarity, policy)


@xw.func(category="PMF")
@xw.arg("series", doc="Each row one measure's figures, oldest first, the last being this period's.", **RANGE)
@xw.arg("polarity", doc=POLARITY, **RANGE)
@xw.arg("policy", doc=POLICY, **RANGE)
def pmf_trend(series, polarity, policy=None):
    """Direction of travel by trend: the regression line over each row's figures, in the policy's words."""
    return cells.trend_cells(series, polarity, policy)


@xw.func(category="PMF")
@measure_arguments
@policy_arguments
def pmf_breach(performance, target, tolerance, polarity, policy=None, last_year=None, forecast=None,
               measure_class=None):
    """Tolerance breach: TRUE when the RAG is Red, FALSE for Green or Amber, blank for No target or No data."""
    return cells.breach_cells(performance, target, tolerance, polarity, policy, last_year, forecast, measure_class)


@xw.func(category="PMF")
@xw.arg("deliverable_status", doc="On Track, Medium Issue/Slippage, Significant issues/risks/slippage, Complete "
                                  "or No update available.", **RANGE)
@xw.arg("policy", doc=POLICY, **RANGE)
def pmf_status(deliverable_status, policy=None):
    """RAG of a deliverable's status: Green, Amber, Red, Complete or No update."""
    return cells.status_cells(deliverable_status, policy)


@xw.func(category="PMF")
@xw.arg("text", doc="A value as typed: 71%, 1 min 27 secs, £207k Annual Deficit, 163,278 (321,009 cumulative).",
        **RANGE)
def pmf_value(text):
    """The number Excel should hold for a typed value: 0.71 for 71%, a time for 1 min 27 secs, -207000 for a deficit."""
    return cells.value_cells(text)


@xw.func(category="PMF")
@measure_arguments
@policy_arguments
def pmf_explain(performance, target, tolerance, polarity, policy=None, last_year=None, forecast=None,
                measure_class=None):
    """Why the RAG is what it is, in a sentence; or what is wrong with an input PMF_RAG cannot read."""
    return cells.explain_cells(performance, target, tolerance, polarity, policy, last_year, forecast, measure_class)
