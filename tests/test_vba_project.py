"""The VBA project built from source: MS-OVBA compression, the compound file, and an .xlsm that opens."""

import io
import random
import zipfile

import olefile
import pytest
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st
from oletools.olevba import VBA_Parser, decompress_stream

from pmf_excel.vba.compound_file import Storage, write_compound_file
from pmf_excel.vba.compression import compress, decompress
from pmf_excel.vba.project import build_vba_project
from tests.conftest import libreoffice_convert

SOURCE = 'Attribute VB_Name = "PMF"\nOption Explicit\n\nSub Consolidate()\n    MsgBox "Consolidate"\nEnd Sub\n'


def test_the_specifications_no_compression_example():
    # MS-OVBA 3.2.1: "abcdefghijklmnopqrstuv." has nothing to copy, so only flag bytes are added.
    assert compress(b"abcdefghijklmnopqrstuv.").hex(" ").upper() == (
        "01 19 B0 00 61 62 63 64 65 66 67 68 00 69 6A 6B 6C 6D 6E 6F 70 00 71 72 73 74 75 76 2E")


@pytest.mark.parametrize("data", [
    b"", b"a", b"#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa", b"a" * 10_000,
    (SOURCE * 400).encode(), bytes(random.Random(1).randrange(256) for _ in range(6000)),
])
def test_compression_round_trips_through_our_decompressor_and_oletools(data):
    container = compress(data)
    assert decompress(container) == data
    assert bytes(decompress_stream(bytearray(container))) == data


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=9000) | st.text(alphabet="ab \r\n", max_size=9000).map(str.encode))
def test_any_bytes_round_trip(data):
    assert bytes(decompress_stream(bytearray(compress(data)))) == data


def test_compound_file_holds_every_stream_big_and_small():
    big = bytes(range(256)) * 40
    root = Storage("Root Entry", streams={"PROJECT": b"x" * 100, "Big": big, "Empty": b""},
                   storages={"VBA": Storage("VBA", streams={f"Module{i}": bytes([i]) * (i * 300)
                                                            for i in range(1, 12)})})
    ole = olefile.OleFileIO(io.BytesIO(write_compound_file(root)))
    assert ole.openstream("Big").read() == big
    assert ole.openstream("PROJECT").read() == b"x" * 100
    for i in range(1, 12):
        assert ole.openstream(f"VBA/Module{i}").read() == bytes([i]) * (i * 300)
    assert ole.get_size("Empty") == 0


def test_project_source_reads_back_with_olevba():
    data = build_vba_project({"PMF": SOURCE}, sheet_modules=("Sheet1",))
    parsed = {name: code for _, _, name, code in VBA_Parser("vbaProject.bin", data=data).extract_macros()}
    assert parsed["PMF.bas"] == SOURCE.replace("\n", "\r\n")
    assert 'Attribute VB_Name = "ThisWorkbook"' in parsed["ThisWorkbook.cls"]
    assert 'Attribute VB_Base = "0{00020820-0000-0000-C000-000000000046}"' in parsed["Sheet1.cls"]
    project = olefile.OleFileIO(io.BytesIO(data)).openstream("PROJECT").read().decode("cp1252")
    assert "Module=PMF" in project and "Document=ThisWorkbook/&H00000000" in project


def test_builds_are_reproducible():
    assert build_vba_project({"PMF": SOURCE}) == build_vba_project({"PMF": SOURCE})


def test_an_xlsm_with_the_project_opens_and_carries_the_source(tmp_path, lo_profile):
    path = tmp_path / "with macros.xlsm"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    sheet.write("A1", "A workbook whose VBA project was built from source")
    sheet.set_vba_name("Sheet1")
    workbook.set_vba_name("ThisWorkbook")
    workbook.add_vba_project(io.BytesIO(build_vba_project({"PMF": SOURCE}, sheet_modules=("Sheet1",))),
                             is_stream=True)
    sheet.insert_button("C3", {"macro": "Consolidate", "caption": "Consolidate", "width": 120, "height": 30})
    workbook.close()
    assert "xl/vbaProject.bin" in zipfile.ZipFile(path).namelist()
    parsed = {name: code for _, _, name, code in VBA_Parser(str(path)).extract_macros()}
    assert "Sub Consolidate()" in parsed["PMF.bas"]
    [pdf] = libreoffice_convert([path], tmp_path / "pdf", "pdf", lo_profile)
    assert pdf.exists(), "LibreOffice could not open the .xlsm"


def _decrypt(hex_text: str, project_id: str) -> bytes:
    """MS-OVBA 2.4.3.3 decryption, written from the specification independently of the encryption code."""
    data = bytes.fromhex(hex_text)
    seed, version_enc, key_enc = data[0], data[1], data[2]
    assert seed ^ version_enc == 2
    assert seed ^ key_enc == sum(project_id.encode("ascii")) & 0xFF
    plain, unencrypted, enc1, enc2 = [], seed ^ key_enc, key_enc, version_enc
    for byte in data[3:]:
        value = byte ^ ((enc2 + unencrypted) & 0xFF)
        plain.append(value)
        enc2, enc1, unencrypted = enc1, byte, value
    plain = plain[(seed & 6) // 2:]
    length = int.from_bytes(bytes(plain[:4]), "little")
    return bytes(plain[4:4 + length])


def test_protection_state_password_and_visibility_decrypt_to_unprotected_visible():
    project = olefile.OleFileIO(io.BytesIO(build_vba_project({"PMF": SOURCE}))).openstream("PROJECT").read()
    fields = dict(line.split("=", 1) for line in project.decode("cp1252").splitlines() if "=" in line and
                  not line.startswith("&H"))
    project_id = fields["ID"].strip('"')
    assert _decrypt(fields["CMG"].strip('"'), project_id) == bytes(4)  # not protected
    assert _decrypt(fields["DPB"].strip('"'), project_id) == b"\0"  # no password
    assert _decrypt(fields["GC"].strip('"'), project_id) == b"\xff"  # visible
