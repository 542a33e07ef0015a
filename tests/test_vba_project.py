"""The VBA project built from source: MS-OVBA compression, the compound file, and an .xlsm that opens."""

import io
import random
import struct
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import olefile
import pytest
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st
from oletools.olevba import VBA_Parser, decompress_stream

from pmf_excel.workbooks.vba.compound_file import Storage, write_compound_file
from pmf_excel.workbooks.vba.compression import CHUNK, compress, decompress
from pmf_excel.workbooks.vba.project import build_vba_project
from tests.excel_reality import libreoffice_convert, soffice

SOURCE = 'Attribute VB_Name = "PMF"\nOption Explicit\n\nSub Consolidate()\n    MsgBox "Consolidate"\nEnd Sub\n'
NO_STREAM = FREE_SECTOR = 0xFFFFFFFF
END_OF_CHAIN = 0xFFFFFFFE
#: The longest last chunk that always compresses: n literals take n + ceil(n / 8) bytes, at most 4,096 (2.4.1.1.5).
ALWAYS_COMPRESSIBLE_TAIL = 3640


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
@given(st.binary(max_size=9000).filter(lambda data: len(data) % CHUNK <= ALWAYS_COMPRESSIBLE_TAIL)
       | st.text(alphabet="ab \r\n", max_size=9000).map(str.encode))
def test_any_bytes_round_trip(data):
    assert bytes(decompress_stream(bytearray(compress(data)))) == data


def _searched_every_earlier_byte(chunk: bytes) -> bytes:
    """A chunk's token sequences as MS-OVBA 2.4.1.3.19.4 describes the search, literally: every earlier position
    compared, the nearest of equally long runs kept (the compressor as it was before issue 18, the reference)."""
    out, position = bytearray(), 0
    while position < len(chunk):
        flags, tokens = 0, bytearray()
        for bit in range(8):
            if position >= len(chunk):
                break
            bit_count = max((position - 1).bit_length(), 4)
            best_offset, best_length = 0, 0
            for candidate in range(position - 1, -1, -1):
                length = 0
                while position + length < len(chunk) and chunk[candidate + length] == chunk[position + length]:
                    length += 1
                if length > best_length:
                    best_offset, best_length = position - candidate, length
            best_length = min(best_length, (0xFFFF >> bit_count) + 3)
            if best_length >= 3:
                tokens += (((best_offset - 1) << (16 - bit_count)) | (best_length - 3)).to_bytes(2, "little")
                flags |= 1 << bit
                position += best_length
            else:
                tokens.append(chunk[position])
                position += 1
        out.append(flags)
        out += tokens
    return bytes(out)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from([b"a", b"b", b"ab ", b"    ", b"End If\r\n", b"\x00"]), max_size=1500).map(b"".join)
       | st.binary(max_size=300).map(lambda data: data * 12))
def test_compression_finds_the_matches_a_search_of_every_earlier_byte_finds(data):
    """Searching only for ever longer matches, from where the first three bytes first occur, gives the same bytes."""
    expected = bytearray([1])
    for start in range(0, len(data), CHUNK):
        body = _searched_every_earlier_byte(data[start:start + CHUNK])
        if len(body) > CHUNK:
            return  # stored raw either way
        expected += ((len(body) - 1) | 0xB000).to_bytes(2, "little") + body
    assert compress(data) == bytes(expected)


def test_an_incompressible_tail_is_refused_rather_than_written_corrupt():
    # No container holds these exactly: a raw chunk always holds 4,096 bytes (MS-OVBA 2.4.1.3.10). VBA source
    # never looks like this, but a corrupt module stream would only show itself when Excel opens the workbook.
    data = random.Random(2).randbytes(3700)
    try:
        container = compress(data)
    except ValueError:
        return
    assert bytes(decompress_stream(bytearray(container))) == data


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


def _fat(data: bytes) -> list[int]:
    """The FAT of a compound file whose header lists all its FAT sectors (MS-CFB 2.2, 2.3)."""
    count = int.from_bytes(data[0x2C:0x30], "little")
    sectors = struct.unpack_from("<109I", data, 0x4C)[:count]
    return [n for sector in sectors for n in struct.unpack_from("<128I", data, 512 * (sector + 1))]


def _chain(data: bytes, start: int) -> bytes:
    """The sectors of a chain, as MS-CFB 2.3 links them, read straight from the bytes rather than through olefile."""
    fat, out, sector = _fat(data), bytearray(), start
    while sector != END_OF_CHAIN:
        out += data[512 * (sector + 1):512 * (sector + 2)]
        sector = fat[sector]
    return bytes(out)


def _directory(data: bytes) -> list[bytes]:
    """The 128-byte directory entries (MS-CFB 2.6), unused ones included."""
    directory = _chain(data, int.from_bytes(data[0x30:0x34], "little"))
    return [directory[i:i + 128] for i in range(0, len(directory), 128)]


def test_the_project_has_the_streams_ms_ovba_names():
    data = build_vba_project({"PMF": SOURCE}, sheet_modules=("Sheet1",))
    ole = olefile.OleFileIO(io.BytesIO(data))
    assert sorted("/".join(path) for path in ole.listdir()) == [
        "PROJECT", "PROJECTwm", "VBA/PMF", "VBA/Sheet1", "VBA/ThisWorkbook", "VBA/_VBA_PROJECT", "VBA/dir"]
    assert ole.openstream("VBA/_VBA_PROJECT").read() == bytes.fromhex("CC61FFFF000000")  # no p-code cache (2.3.4.1)
    names = ("ThisWorkbook", "Sheet1", "PMF")
    assert ole.openstream("PROJECTwm").read() == b"".join(  # 2.3.3: each name in the code page and in UTF-16
        name.encode() + b"\0" + name.encode("utf-16-le") + b"\0\0" for name in names) + b"\0\0"


def test_directory_entries_are_as_ms_cfb_requires():
    entries = _directory(build_vba_project({"PMF": SOURCE}, sheet_modules=("Sheet1",)))
    unused = [entry for entry in entries if entry[66] == 0]
    assert unused, "nine entries leave three of the last sector's four unused"
    assert all(entry == bytes(68) + NO_STREAM.to_bytes(4, "little") * 3 + bytes(48) for entry in unused)
    assert [entry[116:120] for entry in entries if entry[66] == 1] == [bytes(4)]  # the VBA storage


def test_mini_fat_entries_past_the_mini_stream_are_free():
    data = build_vba_project({"PMF": SOURCE})
    mini_fat = _chain(data, int.from_bytes(data[0x3C:0x40], "little"))
    used = -(-int.from_bytes(_directory(data)[0][120:128], "little") // 64)  # the root entry's size: the mini stream
    entries = struct.unpack(f"<{len(mini_fat) // 4}I", mini_fat)
    assert used < len(entries) and set(entries[used:]) == {FREE_SECTOR}


def test_project_source_reads_back_with_olevba():
    data = build_vba_project({"PMF": SOURCE}, sheet_modules=("Sheet1",))
    parsed = {name: code for _, _, name, code in VBA_Parser("vbaProject.bin", data=data).extract_macros()}
    assert parsed["PMF.bas"] == SOURCE.replace("\n", "\r\n")
    assert 'Attribute VB_Name = "ThisWorkbook"' in parsed["ThisWorkbook.cls"]
    assert 'Attribute VB_Base = "0{00020820-0000-0000-C000-000000000046}"' in parsed["Sheet1.cls"]
    project = olefile.OleFileIO(io.BytesIO(data)).openstream("PROJECT").read().decode("cp1252")
    assert "Module=PMF" in project and "Document=ThisWorkbook/&H00000000" in project


#: A class module as the VBA editor exports it to a .cls file.
CLASS = ('VERSION 1.0 CLASS\nBEGIN\n  MultiUse = -1  \'True\nEND\nAttribute VB_Name = "Counter"\n'
         'Attribute VB_GlobalNameSpace = False\nAttribute VB_Creatable = False\nAttribute VB_PredeclaredId = False\n'
         'Attribute VB_Exposed = True\nOption Explicit\nPublic Count As Long\n')


def test_a_class_module_is_stored_as_a_class():
    """The export's VERSION/BEGIN/END header is left out, the class's VB_Base is added, and the PROJECT stream
    and the dir stream's module type say it is a class."""
    data = build_vba_project({"PMF": SOURCE}, classes={"Counter": CLASS})
    parsed = {name: code for _, _, name, code in VBA_Parser("vbaProject.bin", data=data).extract_macros()}
    assert parsed["Counter.cls"].split("\r\n")[:3] == [
        'Attribute VB_Name = "Counter"', 'Attribute VB_Base = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"',
        "Attribute VB_GlobalNameSpace = False"]
    assert "VERSION" not in parsed["Counter.cls"] and "Public Count As Long" in parsed["Counter.cls"]
    project = olefile.OleFileIO(io.BytesIO(data)).openstream("PROJECT").read().decode("cp1252")
    assert "Class=Counter" in project and "Document=Counter" not in project and "Module=PMF" in project


def test_a_module_without_its_name_attribute_gets_one():
    data = build_vba_project({"Helpers": "Function Twice(x)\r\n    Twice = 2 * x\r\nEnd Function"})
    parsed = {name: code for _, _, name, code in VBA_Parser("vbaProject.bin", data=data).extract_macros()}
    assert parsed["Helpers.bas"] == (
        'Attribute VB_Name = "Helpers"\r\nFunction Twice(x)\r\n    Twice = 2 * x\r\nEnd Function\r\n')


def test_builds_are_reproducible():
    assert build_vba_project({"PMF": SOURCE}) == build_vba_project({"PMF": SOURCE})


def test_an_xlsm_with_the_project_opens_and_carries_the_source(tmp_path, lo_profile):
    path = tmp_path / "with macros.xlsm"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    sheet.write("A1", "A workbook whose VBA project was built from source")
    sheet.set_vba_name("Sheet1")
    workbook.set_vba_name("ThisWorkbook")
    workbook.add_vba_project(io.BytesIO(build_vba_project({"PMF": SOURCE}, classes={"Counter": CLASS},
                                                          sheet_modules=("Sheet1",))), is_stream=True)
    sheet.insert_button("C3", {"macro": "Consolidate", "caption": "Consolidate", "width": 120, "height": 30})
    workbook.close()
    assert "xl/vbaProject.bin" in zipfile.ZipFile(path).namelist()
    parsed = {name: code for _, _, name, code in VBA_Parser(str(path)).extract_macros()}
    assert "Sub Consolidate()" in parsed["PMF.bas"]
    [pdf] = libreoffice_convert([path], tmp_path / "pdf", "pdf", lo_profile)
    assert pdf.exists(), "LibreOffice could not open the .xlsm"
    modules, macros = _libreoffice_vba_import(path, tmp_path / "ods", lo_profile)
    assert "Sub Consolidate()" in modules["PMF"] and set(modules) == {"PMF", "ThisWorkbook", "Sheet1", "Counter"}
    assert "Public Count As Long" in modules["Counter"]
    assert "vnd.sun.star.script:VBAProject.PMF.Consolidate?language=Basic&location=document" in macros


def _libreoffice_vba_import(path: Path, out: Path, profile: Path) -> tuple[dict[str, str], set[str]]:
    """What LibreOffice's own reader, a second compound-file and MS-OVBA implementation after olefile's, made of
    the project: the modules of the Basic library it imports it as, and the macros the buttons call, read from
    the .ods it saves the workbook as."""
    subprocess.run([soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "ods",
                    "--outdir", str(out), str(path)], capture_output=True, timeout=300, check=False)
    with zipfile.ZipFile(out / f"{path.stem}.ods") as ods:
        modules = {Path(name).stem: ElementTree.fromstring(ods.read(name)).text or ""
                   for name in ods.namelist()
                   if name.startswith("Basic/VBAProject/") and not name.endswith("script-lb.xml")}
        content = ElementTree.fromstring(ods.read("content.xml"))
    macros = {value for element in content.iter() for key, value in element.attrib.items() if key.endswith("href")}
    return modules, macros


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
