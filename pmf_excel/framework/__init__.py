"""The Performance Management Framework's concepts: the basket of measures and actions, quarters, the
lines of a return, the Improvement Plan, the risk register, evidence, comparators, the results of a
consolidation and the History kept across quarters.

Models and the logic over them, judged by :mod:`pmf_excel.rules`; no
workbook is read or written here.
"""
