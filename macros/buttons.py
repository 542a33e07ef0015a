"""The corporate workbook's buttons: each a line that hands over to pmf_excel.

Desktop Excel calls these through RunPython (macros/PMF.bas) with no
arguments, so the workbook is the caller; xlwings Lite and xlwings Server
call them as scripts and pass the workbook in.
"""

import xlwings as xw

from pmf_excel.consolidate.open_book import consolidate_into_book


@xw.script
def consolidate(book: xw.Book = None):
    """Validate every return in the Settings' folder and write the report sheets of this workbook."""
    consolidate_into_book(book or xw.Book.caller())
