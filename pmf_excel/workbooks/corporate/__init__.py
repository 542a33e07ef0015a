"""The corporate monitoring workbook: one module per sheet kind, assembled by :mod:`.workbook`."""
