"""Minimal PNG encoder and decoder (8-bit RGBA), so the icons need no imaging dependency.

Only what the app package needs: write an RGBA image, and read back a PNG for the tests'
checks (size, colours, transparency). The reader accepts any non-interlaced 8-bit PNG of
colour type 2 (RGB) or 6 (RGBA) and undoes all five row filters.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

Pixel = tuple[int, int, int, int]


@dataclass(frozen=True)
class Image:
    """An RGBA image; ``pixels`` holds rows top to bottom, each a list of (r, g, b, a)."""

    width: int
    height: int
    pixels: list[list[Pixel]]

    def pixel(self, x: int, y: int) -> Pixel:
        return self.pixels[y][x]


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def encode_png(image: Image) -> bytes:
    """Encode an RGBA image as PNG bytes (filter type 0 on every row)."""
    raw = bytearray()
    for row in image.pixels:
        if len(row) != image.width:
            raise ValueError("row length does not match image width")
        raw.append(0)
        for r, g, b, a in row:
            raw += bytes((r, g, b, a))
    if len(image.pixels) != image.height:
        raise ValueError("row count does not match image height")
    header = struct.pack(">IIBBBBB", image.width, image.height, 8, 6, 0, 0, 0)
    return (
        PNG_SIGNATURE
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(bytes(raw), 9))
        + _chunk(b"IEND", b"")
    )


def write_png(image: Image, path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(encode_png(image))
    return path


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def decode_png(data: bytes) -> Image:
    """Decode a non-interlaced 8-bit RGB or RGBA PNG into an RGBA :class:`Image`."""
    if not data.startswith(PNG_SIGNATURE):
        raise ValueError("not a PNG file")
    pos = len(PNG_SIGNATURE)
    header = None
    idat = bytearray()
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        if zlib.crc32(kind + body) & 0xFFFFFFFF != crc:
            raise ValueError(f"bad CRC in {kind!r} chunk")
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
        pos += 12 + length
    if header is None:
        raise ValueError("PNG has no IHDR chunk")
    width, height, depth, colour_type, _compression, _filter, interlace = header
    if depth != 8 or colour_type not in (2, 6) or interlace != 0:
        raise ValueError(
            f"unsupported PNG (bit depth {depth}, colour type {colour_type}, interlace {interlace})"
        )
    channels = 4 if colour_type == 6 else 3
    stride = width * channels
    raw = zlib.decompress(bytes(idat))
    if len(raw) != height * (stride + 1):
        raise ValueError("PNG image data has the wrong length")
    previous = bytearray(stride)
    pixels: list[list[Pixel]] = []
    for y in range(height):
        offset = y * (stride + 1)
        filter_type = raw[offset]
        line = bytearray(raw[offset + 1 : offset + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            up_left = previous[i - channels] if i >= channels else 0
            if filter_type == 1:
                line[i] = (line[i] + left) & 0xFF
            elif filter_type == 2:
                line[i] = (line[i] + up) & 0xFF
            elif filter_type == 3:
                line[i] = (line[i] + ((left + up) >> 1)) & 0xFF
            elif filter_type == 4:
                line[i] = (line[i] + _paeth(left, up, up_left)) & 0xFF
            elif filter_type != 0:
                raise ValueError(f"unknown PNG filter type {filter_type}")
        row: list[Pixel] = []
        for x in range(width):
            px = line[x * channels : (x + 1) * channels]
            row.append((px[0], px[1], px[2], px[3] if channels == 4 else 255))
        pixels.append(row)
        previous = line
    return Image(width, height, pixels)


def read_png(path: Path) -> Image:
    return decode_png(Path(path).read_bytes())
