"""MS-OVBA compression (section 2.4.1): how a VBA project stores its source text and its dir stream.

A compressed container is a signature byte followed by chunks of at most
4,096 bytes of input, each either compressed (token sequences of literal
bytes and copy tokens) or stored raw when compression would not help.
"""

from __future__ import annotations

CHUNK = 4096
_SIGNATURE = 0x01
_MIN_MATCH = 3


def compress(data: bytes) -> bytes:
    """A CompressedContainer (2.4.1.1.1) holding ``data``."""
    out = bytearray([_SIGNATURE])
    for start in range(0, len(data), CHUNK):
        out += _chunk(data[start:start + CHUNK])
    return bytes(out)


def _chunk(chunk: bytes) -> bytes:
    body = _compress_chunk(chunk)
    if len(body) <= CHUNK:
        header = (len(body) + 2 - 3) | (0b011 << 12) | (1 << 15)  # 2.4.1.1.5: size - 3, signature, compressed
        return header.to_bytes(2, "little") + body
    if len(chunk) < CHUNK:
        raise ValueError(f"a last chunk of {len(chunk):,} bytes that do not compress cannot be stored: a raw chunk "
                         "always holds 4,096 bytes, so the padding would become part of the source")
    header = (CHUNK + 2 - 3) | (0b011 << 12)  # a raw chunk is always exactly 4,096 bytes (2.4.1.3.10)
    return header.to_bytes(2, "little") + chunk


def _compress_chunk(chunk: bytes) -> bytes:
    """Token sequences (2.4.1.1.7): a flag byte, then up to eight literal bytes or two-byte copy tokens."""
    out = bytearray()
    position = 0
    first = {chunk[start:start + _MIN_MATCH]: start for start in range(len(chunk) - _MIN_MATCH, -1, -1)}
    while position < len(chunk):
        flags, tokens = 0, bytearray()
        for bit in range(8):
            if position >= len(chunk):
                break
            bit_count = _BIT_COUNTS[position]
            earliest = first.get(chunk[position:position + _MIN_MATCH], position)
            offset, length = _longest_match(chunk, position, earliest, (0xFFFF >> bit_count) + 3) \
                if earliest < position else (0, 0)
            if length >= _MIN_MATCH:
                token = ((offset - 1) << (16 - bit_count)) | (length - 3)
                tokens += token.to_bytes(2, "little")
                flags |= 1 << bit
                position += length
            else:
                tokens.append(chunk[position])
                position += 1
        out.append(flags)
        out += tokens
    return bytes(out)


def _bit_count(position: int) -> int:
    """How many bits of a copy token hold the offset, from the position in the chunk (2.4.1.3.19.1)."""
    bits = max((position - 1).bit_length(), 4) if position > 1 else 4
    return bits


_BIT_COUNTS = [_bit_count(position) for position in range(CHUNK + 1)]


def _longest_match(chunk: bytes, position: int, earliest: int, maximum: int) -> tuple[int, int]:
    """The longest earlier run matching the bytes at ``position``, exactly as MS-OVBA 2.4.1.3.19.4 searches:
    the nearest of equally long candidates wins, runs may overlap, and the length is cut to what a copy
    token can hold (``maximum``) only after the search (so the bytes match the specification's own example).

    The specification compares every earlier position, nearest first, keeping one only when it matches more
    bytes than the best so far. Only a run of at least three bytes becomes a copy token, so the first worth
    keeping is the nearest earlier occurrence of the three bytes at ``position`` (the first of which in the
    chunk is at ``earliest``), and each next one the nearest occurrence, before the best so far, of one byte
    more than it matches: ``bytes.rfind`` finds each, so only the positions kept are visited, and the search
    does not grow with the square of the chunk."""
    best_offset, best_length = 0, 0
    end = len(chunk)
    needed, before = _MIN_MATCH, position  # a better candidate matches ``needed`` bytes and starts before ``before``
    while position + needed <= end:
        candidate = chunk.rfind(chunk[position:position + needed], earliest, before - 1 + needed)
        if candidate < 0:
            break
        length = needed
        while position + length < end and chunk[candidate + length] == chunk[position + length]:
            length += 1
        best_offset, best_length = position - candidate, length
        needed, before = length + 1, candidate
    return best_offset, min(best_length, maximum)


def decompress(container: bytes) -> bytes:
    """The bytes a CompressedContainer holds (2.4.1.3.1): the inverse of :func:`compress`."""
    if not container or container[0] != _SIGNATURE:
        raise ValueError("not an MS-OVBA compressed container: the first byte must be 0x01")
    out = bytearray()
    index = 1
    while index < len(container):
        header = int.from_bytes(container[index:index + 2], "little")
        size = (header & 0x0FFF) + 3
        body = container[index + 2:index + size]
        index += size
        if not header & 0x8000:
            out += body
            continue
        start = len(out)
        cursor = 0
        while cursor < len(body):
            flags = body[cursor]
            cursor += 1
            for bit in range(8):
                if cursor >= len(body):
                    break
                if not flags & (1 << bit):
                    out.append(body[cursor])
                    cursor += 1
                    continue
                token = int.from_bytes(body[cursor:cursor + 2], "little")
                cursor += 2
                bit_count = _bit_count(len(out) - start)
                length = (token & (0xFFFF >> bit_count)) + 3
                offset = (token >> (16 - bit_count)) + 1
                for _ in range(length):
                    out.append(out[-offset])
    return bytes(out)
