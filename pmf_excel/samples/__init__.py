"""This council's published reports made into the samples: the catalogue built from its Corporate
Performance Report, the returns filled as it published them, and the report re-judged row by row.

Specific to the council whose reports are in ``samples/reports``; nothing
below this layer depends on it.
"""
