"""The base of the models a consolidation makes by the thousand (definitions, results, History rows): pydantic's
``BaseModel`` less a set per instance.

pydantic gives every instance its own set of the fields it was given
(``model_fields_set``), and a set of twenty names takes 2 kB: with some
100,000 instances alive while a 500-return report is written, 88 MB, more
than the instances' own values. Instances of a class given the same fields
share one set instead; an instance whose field is set later takes its own
copy first (pydantic adds the field's name to the set), so what
``model_fields_set`` says of each instance is as it was.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

#: The shared sets, by class and how many fields they name (a few each), and which sets they are.
_SHARED: dict[tuple[type, int], list[set[str]]] = {}
_SHARED_IDS: set[int] = set()


class Record(BaseModel):
    """A ``BaseModel`` whose instances share their set of given fields (above); nothing else differs."""

    def model_post_init(self, context: Any, /) -> None:
        _share(self)

    def model_copy(self, *, update: dict[str, Any] | None = None, deep: bool = False):
        copied = super().model_copy(update=update, deep=deep)  # pydantic copies the set before it updates it
        _share(copied)
        return copied

    def __setattr__(self, name: str, value: Any) -> None:
        given = self.__pydantic_fields_set__
        if name not in given and id(given) in _SHARED_IDS and not self.model_config.get("frozen"):
            object.__setattr__(self, "__pydantic_fields_set__", set(given))
        super().__setattr__(name, value)


def _share(record: BaseModel) -> None:
    """Give ``record`` the shared set equal to its own, its own becoming the shared one if there is none; found
    by comparing sets (a few microseconds less than hashing each into a key, for every instance made)."""
    given = record.__pydantic_fields_set__
    alike = _SHARED.setdefault((type(record), len(given)), [])
    for shared in alike:
        if shared == given:
            if shared is not given:
                object.__setattr__(record, "__pydantic_fields_set__", shared)
            return
    alike.append(given)
    _SHARED_IDS.add(id(given))
