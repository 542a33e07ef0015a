"""``python -m pmf_excel``: the ``pmf`` command where the scripts folder is not on PATH (often on Windows)."""

import sys

from .cli import main

sys.exit(main())
