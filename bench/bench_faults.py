"""How long refusing what no return should hold takes: figures far too long, and returns far too big.

Goals (issue 15): a figure is refused in time linear in its length (it was
quadratic: 64 s for 40,000 digits); a return past the limits is refused
before python-calamine reads a sheet, in well under a second, and in bounded
memory (a value in XFD1048576 made calamine ask for 512 GB; a 3 MB zip bomb
took 49 s and 4.2 GB). Run ``python bench/bench_faults.py``; the numbers go
into docs/faults-and-limits.md by hand, with the machine they came from.
"""

from __future__ import annotations

import platform
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pmf_excel import PMFValueError, rag  # noqa: E402
from pmf_excel.workbooks.return_reader import read_return  # noqa: E402
from tests.test_faults_returns import CASES  # noqa: E402
from tests.faults import BAD, sample_return  # noqa: E402


def refusing(text: str) -> float:
    start = time.perf_counter()
    try:
        rag(text, "80%", "5%", "Bigger is better")
    except PMFValueError:
        pass
    return time.perf_counter() - start


def main() -> None:
    print(f"{platform.python_implementation()} {platform.python_version()} on {platform.machine()}, "
          f"{platform.system()}")
    for pattern in ("9", "0", "1-", "1 min "):
        times = [(n, min(refusing(pattern * (n // len(pattern)) + "x") for _ in range(3)))
                 for n in (10_000, 40_000, 160_000)]
        print(f"figure of repeated {pattern!r}: " + ", ".join(f"{n:,} chars {t * 1000:.1f} ms" for n, t in times)
              + f" (x16 length: x{times[-1][1] / times[0][1]:.1f} time)")
    folder = Path(tempfile.mkdtemp())
    try:
        for case in ("a value typed in Measures!XFD1048576", "a zip bomb (150 MB of XML)",
                     "a part unpacking past what it declares", "10,001 parts"):
            path = folder / f"{case}.xlsx"
            shutil.copy(sample_return(BAD), path)
            CASES[case][0](path)
            start = time.perf_counter()
            read_return(path)
            print(f"{case}: {path.stat().st_size / 1e3:,.0f} kB file refused in "
                  f"{(time.perf_counter() - start) * 1000:.0f} ms")
        good = sample_return(BAD)
        start = time.perf_counter()
        read_return(good)
        elapsed = time.perf_counter() - start
        print(f"a real return ({good.stat().st_size / 1e3:,.0f} kB) read in {elapsed * 1000:.0f} ms")
    finally:
        shutil.rmtree(folder)
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")


if __name__ == "__main__":
    main()
