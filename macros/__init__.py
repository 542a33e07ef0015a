"""The corporate workbook's buttons: their VBA (PMF.bas) and the Python each calls (buttons)."""
