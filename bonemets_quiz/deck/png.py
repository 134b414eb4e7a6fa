"""A tiny PNG writer (zlib + struct, no imaging library) and the starter deck's diagram."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence

Pixel = tuple[int, int, int]


def encode_png(rows: Sequence[Sequence[Pixel]]) -> bytes:
    """An 8-bit RGB PNG of ``rows`` (each a row of (r, g, b) pixels, all rows equally long)."""
    height, width = len(rows), len(rows[0])
    raw = b"".join(b"\0" + bytes(c for pixel in row for c in pixel) for row in rows)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(raw, 9))
        + _chunk(b"IEND", b"")
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def long_bone_diagram(width: int = 120, height: int = 48) -> bytes:
    """A schematic long bone: two wide ends (epiphyses) joined by a narrow shaft (diaphysis)."""
    white, bone, end = (255, 255, 255), (120, 110, 90), (70, 60, 45)
    rows = []
    for y in range(height):
        row: list[Pixel] = []
        for x in range(width):
            in_end = (x < width // 5 or x >= width - width // 5) and 4 <= y < height - 4
            in_shaft = height // 3 <= y < height - height // 3 and 4 <= x < width - 4
            row.append(end if in_end else bone if in_shaft else white)
        rows.append(row)
    return encode_png(rows)
