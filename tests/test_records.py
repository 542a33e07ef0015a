"""The models made by the thousand share their sets of given fields (pmf_excel/framework/records.py), and what
``model_fields_set`` says of each instance is what pydantic alone would say: given at validation, added to by a
field set later or by a copy's update, never by another instance's."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ConfigDict, ValidationError

from pmf_excel.framework.records import Record


class Row(Record):
    ref: str
    rag: str = ""
    note: str = ""


class FrozenRow(Record):
    model_config = ConfigDict(frozen=True)

    ref: str
    rag: str = ""


class PlainRow(BaseModel):
    """The same model on pydantic's own base, to compare with."""

    ref: str
    rag: str = ""
    note: str = ""


def test_instances_given_the_same_fields_share_one_set():
    first, second = Row(ref="H1"), Row.model_validate_json('{"ref": "H2"}')
    assert first.model_fields_set is second.model_fields_set
    assert Row(ref="H3", rag="Red").model_fields_set is not first.model_fields_set


def test_a_field_set_later_is_added_to_that_instance_alone():
    first, second, plain = Row(ref="H1"), Row(ref="H2"), PlainRow(ref="H1")
    first.rag = plain.rag = "Red"
    assert first.model_fields_set == plain.model_fields_set == {"ref", "rag"}
    assert second.model_fields_set == {"ref"}
    assert Row(ref="H3").model_fields_set == {"ref"}
    first.note = "late"
    assert first.model_fields_set == {"ref", "rag", "note"}
    assert Row(ref="H4", rag="Red").model_fields_set == {"ref", "rag"}


def test_a_copy_updated_adds_to_its_own_set():
    original = Row(ref="H1")
    copied = original.model_copy(update={"note": "copied"})
    assert copied.model_fields_set == PlainRow(ref="H1").model_copy(update={"note": "x"}).model_fields_set
    assert original.model_fields_set == {"ref"}
    assert Row(ref="H2").model_fields_set == {"ref"}
    assert original.model_copy().model_fields_set is original.model_fields_set


def test_a_frozen_record_stays_frozen_and_its_shared_set_unchanged():
    row = FrozenRow(ref="R1")
    with pytest.raises(ValidationError):
        row.rag = "Red"
    assert row.model_fields_set == {"ref"} and FrozenRow(ref="R2").model_fields_set is row.model_fields_set


def test_dumping_the_unset_fields_is_as_pydantic_does():
    row, plain = Row(ref="H1", note="n"), PlainRow(ref="H1", note="n")
    row.rag = plain.rag = "Red"
    assert row.model_dump(exclude_unset=True) == plain.model_dump(exclude_unset=True)
    assert Row(ref="H2").model_dump(exclude_unset=True) == {"ref": "H2"}
