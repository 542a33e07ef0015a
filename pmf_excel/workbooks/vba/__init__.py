"""VBA projects built from source: MS-OVBA compression, a compound-file writer and the project itself.

The corporate workbook's buttons need a ``vbaProject.bin``; building it here
from the ``.bas`` sources in ``macros/`` means the project never commits a
binary it did not build.
"""

from .project import build_vba_project

__all__ = ["build_vba_project"]
