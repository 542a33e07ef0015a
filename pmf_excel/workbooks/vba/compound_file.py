"""A writer of Compound File Binary files (MS-CFB), the container a ``vbaProject.bin`` is.

olefile and the other compound-file packages on PyPI read these files but do
not write new ones, so the small subset a VBA project needs is written here:
version 3 (512-byte sectors), one level of storages under the root, streams
under 4,096 bytes in the mini stream, a FAT of at most 109 sectors (files up
to about 7 MB, far beyond any VBA project).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
FREE, END_OF_CHAIN, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
_HEADER_DIFAT = 109
_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
_STORAGE, _STREAM, _ROOT = 1, 2, 5
_RED, _BLACK = 0, 1
#: An unused directory entry (2.6.3): empty name, type 0, and its three links NOSTREAM.
_UNUSED_ENTRY = bytes(68) + NO_STREAM.to_bytes(4, "little") * 3 + bytes(128 - 80)


@dataclass
class Storage:
    """A storage: named streams (bytes) and storages, as a folder holds files and folders."""

    name: str
    streams: dict[str, bytes] = field(default_factory=dict)
    storages: dict[str, "Storage"] = field(default_factory=dict)


@dataclass
class _Entry:
    name: str
    kind: int
    data: bytes = b""
    children: list["_Entry"] = field(default_factory=list)
    left: int = NO_STREAM
    right: int = NO_STREAM
    child: int = NO_STREAM
    colour: int = _BLACK
    start: int = END_OF_CHAIN
    index: int = 0


def write_compound_file(root: Storage) -> bytes:
    """The bytes of a compound file holding ``root``'s streams and storages."""
    entries = _flatten(_entry(root, _ROOT))
    small = [e for e in entries if e.kind == _STREAM and len(e.data) < MINI_CUTOFF]
    large = [e for e in entries if e.kind == _STREAM and len(e.data) >= MINI_CUTOFF]

    mini_stream, mini_fat = bytearray(), []
    for entry in small:
        if not entry.data:
            entry.start = END_OF_CHAIN
            continue
        count = math.ceil(len(entry.data) / MINI_SECTOR)
        entry.start = len(mini_fat)
        mini_fat += [entry.start + i + 1 for i in range(count - 1)] + [END_OF_CHAIN]
        mini_stream += entry.data.ljust(count * MINI_SECTOR, b"\0")
    root_entry = entries[0]
    root_entry.data = bytes(mini_stream)

    fat: list[int] = []

    def allocate(size: int) -> int:
        count = math.ceil(size / SECTOR)
        if count == 0:
            return END_OF_CHAIN
        start = len(fat)
        fat.extend(start + i + 1 for i in range(count - 1))
        fat.append(END_OF_CHAIN)
        return start

    root_entry.start = allocate(len(mini_stream))
    directory_start = allocate(len(entries) * 128)
    mini_fat += [FREE] * (-len(mini_fat) % (SECTOR // 4))
    mini_fat_bytes = b"".join(n.to_bytes(4, "little") for n in mini_fat)
    mini_fat_start = allocate(len(mini_fat_bytes))
    for entry in large:
        entry.start = allocate(len(entry.data))
    fat_sectors = 1
    while (len(fat) + fat_sectors) > fat_sectors * (SECTOR // 4):
        fat_sectors += 1
    if fat_sectors > _HEADER_DIFAT:
        raise ValueError("a VBA project this large needs DIFAT sectors, which this writer does not write")
    fat_start = len(fat)
    fat.extend([FAT_SECTOR] * fat_sectors)
    fat.extend([FREE] * (fat_sectors * (SECTOR // 4) - len(fat)))

    body = bytearray()
    body += _padded(bytes(mini_stream))
    body += b"".join(_directory_entry(e) for e in entries) + _UNUSED_ENTRY * (-len(entries) % (SECTOR // 128))
    body += _padded(mini_fat_bytes)
    for entry in large:
        body += _padded(entry.data)
    body += b"".join(n.to_bytes(4, "little") for n in fat)
    header = _header(fat_sectors, fat_start, directory_start, mini_fat_start if mini_fat else END_OF_CHAIN,
                     math.ceil(len(mini_fat_bytes) / SECTOR))
    return header + bytes(body)


def _padded(data: bytes) -> bytes:
    return data.ljust(math.ceil(len(data) / SECTOR) * SECTOR, b"\0")


def _entry(storage: Storage, kind: int) -> _Entry:
    children = [_Entry(name, _STREAM, data) for name, data in storage.streams.items()]
    children += [_entry(child, _STORAGE) for child in storage.storages.values()]
    return _Entry(storage.name, kind, children=children)


def _flatten(root: _Entry) -> list[_Entry]:
    """Directory entries in file order, each storage's children linked as a red-black tree (2.6.4)."""
    order = [root]
    queue = [root]
    while queue:
        parent = queue.pop(0)
        for child in parent.children:
            child.index = len(order)
            order.append(child)
            queue.append(child)
        if parent.children:
            parent.child = _tree(sorted(parent.children, key=_collation), 0, _full_depth(len(parent.children)))
    return order


def _collation(entry: _Entry) -> tuple[int, str]:
    """Directory order: shorter names first, then by upper-cased name (2.6.4)."""
    return len(entry.name), entry.name.upper()


def _full_depth(count: int) -> int:
    return int(math.log2(count + 1))


def _tree(entries: list[_Entry], depth: int, black_depth: int) -> int:
    """A balanced tree of ``entries``; nodes below the last full level are red, so every path has the same
    number of black nodes, as a red-black tree requires."""
    if not entries:
        return NO_STREAM
    middle = len(entries) // 2
    node = entries[middle]
    node.colour = _BLACK if depth < black_depth else _RED
    node.left = _tree(entries[:middle], depth + 1, black_depth)
    node.right = _tree(entries[middle + 1:], depth + 1, black_depth)
    return node.index


def _directory_entry(entry: _Entry) -> bytes:
    name = entry.name.encode("utf-16-le")
    if len(name) > 62:
        raise ValueError(f"a compound-file name has at most 31 characters: {entry.name!r}")
    out = bytearray(name.ljust(64, b"\0"))
    out += (len(name) + 2).to_bytes(2, "little")
    out += bytes([entry.kind, entry.colour])
    for link in (entry.left, entry.right, entry.child):
        out += link.to_bytes(4, "little")
    out += bytes(16 + 4 + 8 + 8)  # CLSID, state bits, creation and modification times
    out += (0 if entry.kind == _STORAGE else entry.start).to_bytes(4, "little")
    out += len(entry.data).to_bytes(8, "little") if entry.kind != _STORAGE else bytes(8)
    return bytes(out)


def _header(fat_sectors: int, fat_start: int, directory_start: int, mini_fat_start: int,
            mini_fat_sectors: int) -> bytes:
    out = bytearray(_SIGNATURE)
    out += bytes(16)  # header CLSID
    out += (0x003E).to_bytes(2, "little") + (0x0003).to_bytes(2, "little")  # minor, major version 3
    out += (0xFFFE).to_bytes(2, "little")  # byte order: little-endian
    out += (9).to_bytes(2, "little") + (6).to_bytes(2, "little")  # 512-byte sectors, 64-byte mini sectors
    out += bytes(6)
    out += (0).to_bytes(4, "little")  # directory sectors: always 0 in version 3
    out += fat_sectors.to_bytes(4, "little")
    out += directory_start.to_bytes(4, "little")
    out += (0).to_bytes(4, "little")  # transaction signature
    out += MINI_CUTOFF.to_bytes(4, "little")
    out += mini_fat_start.to_bytes(4, "little") + mini_fat_sectors.to_bytes(4, "little")
    out += END_OF_CHAIN.to_bytes(4, "little") + (0).to_bytes(4, "little")  # no DIFAT sectors
    difat = [fat_start + i for i in range(fat_sectors)] + [FREE] * (_HEADER_DIFAT - fat_sectors)
    out += b"".join(n.to_bytes(4, "little") for n in difat)
    return bytes(out)
