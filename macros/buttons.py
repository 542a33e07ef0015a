"""The corporate workbook's buttons: each a line that hands over to pmf_excel.

Desktop Excel calls these through RunPython (macros/PMF.bas) with no
arguments, so the workbook is the caller; xlwings Lite and xlwings Server
call them as scripts and pass the workbook in.
"""

import xlwings as xw

from pmf_excel.pipelines.consolidate.open_book import consolidate_into_book, new_quarter_returns_from_book


@xw.script
def consolidate(book: xw.Book = None):
    """Validate every return in the Settings' folder and write the report sheets of this workbook."""
    consolidate_into_book(book or xw.Book.caller())


@xw.script
def new_quarter_returns(book: xw.Book = None):
    """Write the next quarter's returns, last quarter's and last year's figures filled in from History."""
    new_quarter_returns_from_book(book or xw.Book.caller())
