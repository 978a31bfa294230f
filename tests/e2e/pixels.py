"""Is a screenshot blank? A small PNG reader (zlib and the standard library only; Pillow is not a dependency) and
a measure of how much of an image is drawn.

Chromium writes 8-bit, non-interlaced PNGs (RGB or RGBA), which is all this reader accepts.
"""

import struct
import zlib
from collections import Counter
from dataclasses import dataclass

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}  # PNG colour type → samples per pixel (grey, RGB, grey+alpha, RGBA)


@dataclass(frozen=True)
class Image:
    width: int
    height: int
    pixels: list[tuple[int, int, int]]  # row by row, RGB (alpha dropped: Chromium's screenshots are opaque)


def read_png(data: bytes) -> Image:
    if not data.startswith(PNG_SIGNATURE):
        raise ValueError("not a PNG file")
    position, header, compressed = len(PNG_SIGNATURE), None, bytearray()
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        position += 12 + length  # length, type, body, CRC
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            compressed += body
        elif kind == b"IEND":
            break
    if header is None:
        raise ValueError("PNG without a header")
    width, height, depth, colour, _compression, _filter, interlace = header
    if depth != 8 or colour not in CHANNELS or interlace:
        raise ValueError(f"unsupported PNG: depth {depth}, colour type {colour}, interlace {interlace}")
    channels = CHANNELS[colour]
    rows = _unfilter(zlib.decompress(bytes(compressed)), width * channels, height, channels)
    pixels = []
    for row in rows:
        if channels >= 3:
            pixels.extend(zip(row[0::channels], row[1::channels], row[2::channels], strict=True))
        else:
            pixels.extend((grey, grey, grey) for grey in row[0::channels])
    return Image(width, height, pixels)


def _unfilter(raw: bytes, stride: int, height: int, step: int) -> list[bytes]:
    """Undo PNG's per-row filters (None, Sub, Up, Average, Paeth)."""
    rows, previous = [], bytes(stride)
    for index in range(height):
        start = index * (stride + 1)
        kind, row = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        if kind == 1:
            for i in range(step, stride):
                row[i] = (row[i] + row[i - step]) & 0xFF
        elif kind == 2:
            row = bytearray((a + b) & 0xFF for a, b in zip(row, previous, strict=True))
        elif kind == 3:
            for i in range(stride):
                left = row[i - step] if i >= step else 0
                row[i] = (row[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                left = row[i - step] if i >= step else 0
                up, corner = previous[i], previous[i - step] if i >= step else 0
                estimate = left + up - corner
                near_left, near_up, near_corner = abs(estimate - left), abs(estimate - up), abs(estimate - corner)
                if near_left <= near_up and near_left <= near_corner:
                    predictor = left
                elif near_up <= near_corner:
                    predictor = up
                else:
                    predictor = corner
                row[i] = (row[i] + predictor) & 0xFF
        elif kind != 0:
            raise ValueError(f"unknown PNG filter {kind} in row {index}")
        previous = bytes(row)
        rows.append(previous)
    return rows


@dataclass(frozen=True)
class Coverage:
    """How much of an image differs from its background (its most common colour)."""

    background: tuple[int, int, int]
    drawn: float  # share of pixels that differ from the background by more than the tolerance, 0–1
    colours: int  # distinct colours among the drawn pixels, each channel rounded to 16 levels

    def __str__(self):
        return f"{self.drawn:.1%} of the pixels drawn, {self.colours} distinct colours, background {self.background}"


def coverage(image: Image, tolerance: int = 12) -> Coverage:
    counts = Counter(image.pixels)
    background = counts.most_common(1)[0][0] if counts else (255, 255, 255)
    drawn = 0
    colours = set()
    for colour, count in counts.items():
        if max(abs(channel - base) for channel, base in zip(colour, background, strict=True)) > tolerance:
            drawn += count
            colours.add(tuple(channel >> 4 for channel in colour))
    total = max(1, image.width * image.height)
    return Coverage(background, drawn / total, len(colours))
