"""The rules engine: reading values as people type them, and judging them by the council's rules.

Pure functions over typed models, with no files and no sheets: everything
else in the package stands on this layer, and it imports nothing above it.
The public surface is re-exported by :mod:`pmf_excel`.
"""
