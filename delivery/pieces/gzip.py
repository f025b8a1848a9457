"""A gzip body compressed once, in pieces that can be laid end to end.

Cached pages are the same for every reader. Most are stored compressed as a
single piece; a page holding a shared fragment (:mod:`delivery.registry`, the
"Latest News Articles" box) is assembled on every response from parts
compressed separately, with the fragment spliced in uncompressed.
Compressing the whole page on every request (``GZipMiddleware``) costs far
more than serving it; compressing it once is impossible if those values must
be inside. So the page is compressed *in pieces*:

- each literal piece between two spliced values is compressed once, when
  the page is stored, as raw deflate blocks ending on a byte boundary
  (``Z_SYNC_FLUSH``), by its own compressor: it refers to nothing outside
  itself, so the pieces can be laid end to end;
- each spliced value (a shared fragment) is written, per request, as a deflate *stored* block
  (its bytes as they are, uncompressed);
- the gzip trailer's CRC-32 of the whole page is combined from each literal
  piece's CRC, computed once, and the value's CRC (``crc32_combine``, as in
  zlib), so serving never reads the 345 KB page again.

BREACH (guessing a secret from how well a page compresses with text the
attacker controls) has nothing to work on: a cached page holds no secret and
no text from the request, and a value spliced in is never compressed (a
stored block has the same length whatever it holds).
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

_POLY = 0xEDB88320
# gzip header: magic, deflate, no flags, no time, no extra flags, unknown OS.
GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
# An empty final block (fixed Huffman, end of block): ends the deflate stream.
_FINAL_BLOCK = b"\x03\x00"


def _multiply_mod_p(a: int, b: int) -> int:
    """a(x) * b(x) modulo the CRC-32 polynomial (bit-reflected), as zlib's multmodp."""
    m = 1 << 31
    product = 0
    while True:
        if a & m:
            product ^= b
            if (a & (m - 1)) == 0:
                break
        m >>= 1
        b = (b >> 1) ^ _POLY if b & 1 else b >> 1
    return product


def _x_to_2_to_n_table() -> list[int]:
    table = [1 << 30]  # x^1
    for _ in range(31):
        table.append(_multiply_mod_p(table[-1], table[-1]))
    return table


_X2N = _x_to_2_to_n_table()


def crc32_shift(length: int) -> int:
    """x^(8 * length) modulo the polynomial: what crc32_combine multiplies by."""
    product = 1 << 31  # x^0
    k = 3
    while length:
        if length & 1:
            product = _multiply_mod_p(_X2N[k & 31], product)
        length >>= 1
        k += 1
    return product


def crc32_combine(crc1: int, crc2: int, shift: int) -> int:
    """CRC-32 of A + B from crc32(A), crc32(B) and crc32_shift(len(B))."""
    return _multiply_mod_p(shift, crc1) ^ crc2


def stored_block(data: bytes) -> bytes:
    """``data`` as non-final deflate stored blocks (the stream is byte-aligned here)."""
    blocks = []
    for start in range(0, len(data), 0xFFFF):
        chunk = data[start : start + 0xFFFF]
        size = len(chunk)
        blocks.append(b"\x00" + struct.pack("<HH", size, size ^ 0xFFFF) + chunk)
    return b"".join(blocks)


@dataclass(frozen=True)
class CompressedPiece:
    deflated: bytes
    crc: int
    length: int
    shift: int


def compress_piece(data: bytes, level: int = 6) -> CompressedPiece:
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    deflated = compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)
    return CompressedPiece(
        deflated=deflated,
        crc=zlib.crc32(data),
        length=len(data),
        shift=crc32_shift(len(data)),
    )


def gzip_from_pieces(pieces: list[CompressedPiece | bytes]) -> bytes:
    """A gzip body: compressed pieces as stored, ``bytes`` (spliced values) uncompressed."""
    parts = [GZIP_HEADER]
    crc = 0
    size = 0
    for piece in pieces:
        if isinstance(piece, CompressedPiece):
            if piece.length:
                parts.append(piece.deflated)
                crc = crc32_combine(crc, piece.crc, piece.shift)
                size += piece.length
        elif piece:
            parts.append(stored_block(piece))
            crc = zlib.crc32(piece, crc)
            size += len(piece)
    parts.append(_FINAL_BLOCK)
    parts.append(struct.pack("<II", crc, size & 0xFFFFFFFF))
    return b"".join(parts)


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an ``Accept-Encoding`` header allows gzip (``q=0`` refuses it)."""
    if "gzip" not in accept_encoding:
        return False
    for item in accept_encoding.split(","):
        name, _, parameters = item.strip().partition(";")
        if name.strip().lower() not in ("gzip", "x-gzip"):
            continue
        parameters = parameters.replace(" ", "").lower()
        if parameters.startswith("q="):
            try:
                return float(parameters[2:]) > 0
            except ValueError:
                return False
        return True
    return False
