"""Build a ``vbaProject.bin`` from VBA source (``.bas`` modules), for XlsxWriter's ``add_vba_project``.

The project holds source only, with no compiled p-code cache (the
``_VBA_PROJECT`` stream's version 0xFFFF says so, MS-OVBA 2.3.4.1): Excel
compiles the source when it opens the workbook. Every part is built here from
text the project keeps under version control, so no binary of unknown origin
is ever committed. Builds are reproducible: the same sources give the same bytes.
"""

from __future__ import annotations

import re
import uuid

from .compound_file import Storage, write_compound_file
from .compression import compress

CODEPAGE = 1252
#: Excel's class ids for the workbook's and a worksheet's document modules (their VB_Base attribute).
WORKBOOK_BASE = "0{00020819-0000-0000-C000-000000000046}"
WORKSHEET_BASE = "0{00020820-0000-0000-C000-000000000046}"
#: The VB_Base of a class module, which the VBA editor writes into each class module's source.
CLASS_BASE = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"
_NAME = re.compile(r'^Attribute VB_Name = "([^"]+)"', re.MULTILINE)


def build_vba_project(modules: dict[str, str], *, classes: dict[str, str] | None = None,
                      workbook_module: str = "ThisWorkbook", sheet_modules: tuple[str, ...] = (),
                      project_name: str = "VBAProject") -> bytes:
    """The bytes of a vbaProject.bin holding standard ``modules`` and class modules ``classes`` (name →
    source, a class as the VBA editor exports it to a ``.cls`` file) and the document modules Excel expects:
    the workbook's and one per worksheet code name (``set_vba_name``)."""
    documents = {workbook_module: _document_source(workbook_module, WORKBOOK_BASE)}
    documents.update({name: _document_source(name, WORKSHEET_BASE) for name in sheet_modules})
    documents.update({name: _class_source(name, source) for name, source in (classes or {}).items()})
    standard = {name: _standard_source(name, source) for name, source in modules.items()}
    project_id = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"pmf-excel:{project_name}")).upper() + "}"
    vba = Storage("VBA", streams={"_VBA_PROJECT": bytes([0xCC, 0x61, 0xFF, 0xFF, 0x00, 0x00, 0x00]),
                                  "dir": compress(_dir_stream(project_name, documents, standard))})
    for name, source in {**documents, **standard}.items():
        vba.streams[name] = compress(source.encode(f"cp{CODEPAGE}"))
    root = Storage("Root Entry", streams={
        "PROJECT": _project_stream(project_id, project_name, documents, standard, tuple(classes or ())),
        "PROJECTwm": _project_wm(list(documents) + list(standard)),
    }, storages={"VBA": vba})
    return write_compound_file(root)


def _lines(text: str) -> str:
    """VBA keeps source with CR LF line ends and a final line end."""
    return "\r\n".join(text.replace("\r\n", "\n").split("\n")).rstrip("\r\n") + "\r\n"


def _standard_source(name: str, source: str) -> str:
    source = _lines(source)
    return source if _NAME.search(source) else f'Attribute VB_Name = "{name}"\r\n' + source


def _class_source(name: str, source: str) -> str:
    """A class module as the project stores it: the export's ``VERSION``/``BEGIN``…``END`` header is the
    editor's, not the module's; the module names itself and says it is a class (its VB_Base)."""
    lines = _lines(source).split("\r\n")
    if lines and lines[0].startswith("VERSION"):
        lines = lines[lines.index("END") + 1:]
    attributes = [line for line in lines if line.startswith("Attribute VB_")]
    head = [f'Attribute VB_Name = "{name}"'] if not any(a.startswith("Attribute VB_Name") for a in attributes) else []
    if not any(a.startswith("Attribute VB_Base") for a in attributes):
        named = next((i for i, line in enumerate(lines) if line.startswith("Attribute VB_Name")), -1)
        lines.insert(named + 1, f'Attribute VB_Base = "{CLASS_BASE}"')
    return _lines("\n".join(head + lines))


def _document_source(name: str, base: str) -> str:
    return _lines("\n".join([
        f'Attribute VB_Name = "{name}"', f'Attribute VB_Base = "{base}"', "Attribute VB_GlobalNameSpace = False",
        "Attribute VB_Creatable = False", "Attribute VB_PredeclaredId = True", "Attribute VB_Exposed = True",
        "Attribute VB_TemplateDerived = False", "Attribute VB_Customizable = True"]))


def _record(record_id: int, data: bytes) -> bytes:
    return record_id.to_bytes(2, "little") + len(data).to_bytes(4, "little") + data


def _text(value: str) -> bytes:
    return value.encode(f"cp{CODEPAGE}")


def _dir_stream(project_name: str, documents: dict[str, str], standard: dict[str, str]) -> bytes:
    """The dir stream (MS-OVBA 2.3.4.2): project information, no references, then each module's record (a
    document or class module's type is 0x0022, a standard module's 0x0021)."""
    out = bytearray()
    out += _record(0x0001, (1).to_bytes(4, "little"))  # PROJECTSYSKIND: 32-bit Windows
    out += _record(0x0002, (0x0409).to_bytes(4, "little"))  # PROJECTLCID
    out += _record(0x0014, (0x0409).to_bytes(4, "little"))  # PROJECTLCIDINVOKE
    out += _record(0x0003, CODEPAGE.to_bytes(2, "little"))  # PROJECTCODEPAGE
    out += _record(0x0004, _text(project_name))  # PROJECTNAME
    out += _record(0x0005, b"") + _record(0x0040, b"")  # PROJECTDOCSTRING and its Unicode form
    out += _record(0x0006, b"") + _record(0x003D, b"")  # PROJECTHELPFILEPATH, twice by the spec
    out += _record(0x0007, (0).to_bytes(4, "little"))  # PROJECTHELPCONTEXT
    out += _record(0x0008, (0).to_bytes(4, "little"))  # PROJECTLIBFLAGS
    out += (0x0009).to_bytes(2, "little") + (4).to_bytes(4, "little") + (1).to_bytes(4, "little") \
        + (0).to_bytes(2, "little")  # PROJECTVERSION: major 1, minor 0
    out += _record(0x000C, b"") + _record(0x003C, b"")  # PROJECTCONSTANTS and its Unicode form
    modules = [(name, 0x0022) for name in documents] + [(name, 0x0021) for name in standard]
    out += _record(0x000F, len(modules).to_bytes(2, "little"))  # PROJECTMODULES count
    out += _record(0x0013, (0xFFFF).to_bytes(2, "little"))  # PROJECTCOOKIE
    for name, module_type in modules:
        out += _record(0x0019, _text(name)) + _record(0x0047, name.encode("utf-16-le"))  # MODULENAME (+Unicode)
        out += _record(0x001A, _text(name)) + _record(0x0032, name.encode("utf-16-le"))  # MODULESTREAMNAME
        out += _record(0x001C, b"") + _record(0x0048, b"")  # MODULEDOCSTRING
        out += _record(0x0031, (0).to_bytes(4, "little"))  # MODULEOFFSET: source starts the stream
        out += _record(0x001E, (0).to_bytes(4, "little"))  # MODULEHELPCONTEXT
        out += _record(0x002C, (0xFFFF).to_bytes(2, "little"))  # MODULECOOKIE
        out += module_type.to_bytes(2, "little") + (0).to_bytes(4, "little")  # MODULETYPE: document or procedural
        out += (0x002B).to_bytes(2, "little") + (0).to_bytes(4, "little")  # module terminator
    out += (0x0010).to_bytes(2, "little") + (0).to_bytes(4, "little")  # dir terminator
    return bytes(out)


def _project_stream(project_id: str, project_name: str, documents: dict[str, str],
                    standard: dict[str, str], classes: tuple[str, ...] = ()) -> bytes:
    """The PROJECT stream (MS-OVBA 2.3.1): the project's properties as text, with the protection state
    (CMG), password (DPB) and visibility (GC) encrypted as 2.4.3 requires: unprotected, no password, visible."""
    lines = [f'ID="{project_id}"']
    lines += [f"Document={name}/&H00000000" for name in documents if name not in classes]
    lines += [f"Class={name}" for name in classes]
    lines += [f"Module={name}" for name in standard]
    lines += [f'Name="{project_name}"', 'HelpContextID="0"', 'VersionCompatible32="393222000"',
              f'CMG="{_encrypt(project_id, (0).to_bytes(4, "little"), seed=0x51)}"',
              f'DPB="{_encrypt(project_id, bytes([0]), seed=0x5A)}"',
              f'GC="{_encrypt(project_id, bytes([0xFF]), seed=0x63)}"',
              "", "[Host Extender Info]", "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000",
              "", "[Workspace]"]
    lines += [f"{name}=0, 0, 0, 0, C" for name in [*documents, *standard]]
    return _text("\r\n".join(lines) + "\r\n")


def _encrypt(project_id: str, data: bytes, seed: int) -> str:
    """MS-OVBA 2.4.3.2 data encryption, with a fixed seed so that builds are reproducible."""
    version, project_key = 2, sum(project_id.encode("ascii")) & 0xFF
    out = [seed, seed ^ version, seed ^ project_key]
    unencrypted, encrypted_1, encrypted_2 = project_key, out[2], out[1]
    plain = bytes(((seed & 6) // 2)) + len(data).to_bytes(4, "little") + data  # ignored bytes are zeros
    for byte in plain:
        encrypted = byte ^ ((encrypted_2 + unencrypted) & 0xFF)
        out.append(encrypted)
        encrypted_2, encrypted_1, unencrypted = encrypted_1, encrypted, byte
    return bytes(out).hex().upper()


def _project_wm(names: list[str]) -> bytes:
    """PROJECTwm (MS-OVBA 2.3.3): each module name in the code page and in UTF-16, then a terminator."""
    return b"".join(_text(name) + b"\0" + name.encode("utf-16-le") + b"\0\0" for name in names) + b"\0\0"
