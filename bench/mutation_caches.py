"""A pytest plugin for the mutation runs only (``bench/mutation.py`` loads it through ``[tool.mutmut]``).

mutmut forks every mutant's test run from the process that first ran the tests unmutated, so the engine's caches
(values, targets, tolerances, polarities, policies read from cells) arrive in each run full of the unmutated
engine's answers, and a mutant behind a cache would look as if no test noticed it. Each test starts with them empty.
Hypothesis runs derandomised, so a mutant is killed or not the same way on every run, and without shrinking: a
mutant is killed by the first failing example, and shrinking it would cost seconds that say nothing more.
"""

from __future__ import annotations

import sys

from hypothesis import Phase, settings

settings.register_profile("mutation", derandomize=True, database=None, deadline=None,
                          phases=[Phase.explicit, Phase.reuse, Phase.generate])
settings.load_profile("mutation")


def pytest_runtest_setup(item) -> None:
    """Before every test, not once a run: mutmut first runs every test together to learn which tests reach which
    function, and a test whose answers were already cached by an earlier one would not be counted as reaching it."""
    for name, module in list(sys.modules.items()):
        if name.startswith("pmf_excel") and module is not None:
            for attribute in vars(module).values():
                if callable(getattr(attribute, "cache_clear", None)):
                    attribute.cache_clear()
