"""VBA projects built from source: MS-OVBA compression, a compound-file writer and the project itself.

The corporate workbook's buttons need a ``vbaProject.bin``; building it here
from the ``.bas`` sources in ``macros/`` and the pinned xlwings' VBA means the
project never commits a binary it did not build.
"""

from .cache import cached_vba_project
from .project import build_vba_project
from .xlwings_vba import XLWINGS_VERSION, XlwingsVersionError, xlwings_vba

__all__ = ["XLWINGS_VERSION", "XlwingsVersionError", "build_vba_project", "cached_vba_project", "xlwings_vba"]
