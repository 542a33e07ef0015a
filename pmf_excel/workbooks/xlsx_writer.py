"""The xlsxwriter workbook every file is written with: xlsxwriter's own, less two costs our files do not need.

xlsxwriter runs some thirty regular expressions over every formula written, to prefix the newer functions
(``FILTER``, ``XLOOKUP``, ``LAMBDA``…) with the ``_xlfn.`` Excel stores them under, whether or not the formula
names any, and some 150 over the formula of every conditional format and validation: a fifth of the time a
500-return report takes, its formulas being tens of thousands. A formula that names none of them comes out of
those expressions unchanged, so one search for their names decides whether xlsxwriter's own preparation is
needed; each expression ends with the function's ``(``, so a formula without one (a conditional format's
``"Red"``) needs none.

And it escapes every attribute it writes by searching it for ``&``, ``<`` and quotes, a cell's style number
too, which makes the search raise the TypeError it then catches: once for every formatted cell of a report. A
number, or a text with none of them (a cell's address), needs no escaping and is passed as it is.

What is written is the same either way (tests/test_same_outputs.py); the two methods are xlsxwriter's own,
taken over here.
"""

from __future__ import annotations

import re

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

#: The functions xlsxwriter prefixes in every formula (its ``Worksheet._prepare_formula``); a formula naming
#: none of them needs nothing of it but the leading ``=`` taken off. ``INGLE`` stands for ``SINGLE``, which
#: xlsxwriter matches after any character.
_PREFIXED = re.compile(r"(?:ANCHORARRAY|BYCOL|BYROW|CHOOSECOLS|CHOOSEROWS|DROP|EXPAND|FILTER|HSTACK|LAMBDA|"
                       r"MAKEARRAY|MAP|RANDARRAY|REDUCE|SCAN|INGLE|SEQUENCE|SORT|SORTBY|SWITCH|TAKE|TEXTSPLIT|"
                       r"TOCOL|TOROW|UNIQUE|VSTACK|WRAPCOLS|WRAPROWS|XLOOKUP)\(")
#: What xlsxwriter escapes in an attribute: an attribute without any is written as it is.
_ESCAPED = re.compile('["&<>\n]')


class _Worksheet(Worksheet):
    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        every_function = self.use_future_functions or expand_future_functions  # a rule's or validation's formula
        if "(" in formula and (every_function or _PREFIXED.search(formula)):
            return super()._prepare_formula(formula, expand_future_functions)
        return formula.removeprefix("{").removeprefix("=").removesuffix("}")

    def _escape_attributes(self, attribute: object) -> object:
        if isinstance(attribute, str) and _ESCAPED.search(attribute):
            return super()._escape_attributes(attribute)
        return attribute


class Workbook(xlsxwriter.Workbook):
    """``xlsxwriter.Workbook``, its worksheets preparing formulas as above."""

    worksheet_class = _Worksheet
