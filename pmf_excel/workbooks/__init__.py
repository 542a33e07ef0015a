"""Every workbook file read or written: the directorate return, the corporate workbook and its sheets, the
functions' examples, the VBA project, and writing files without losing the previous version.

Writers lay out the models of :mod:`pmf_excel.framework`; they never judge.
"""
