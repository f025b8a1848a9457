"""gzip compressed in pieces (delivery.pieces.gzip): pieces compressed once, values spliced in.

The page-level behaviour (each visitor's compressed page, BREACH) is tested
through the site in tests/performance/test_page_gzip.py.
"""

from __future__ import annotations

import gzip
import os
import random
import zlib

import pytest

from delivery.pieces.gzip import (
    accepts_gzip,
    compress_piece,
    crc32_combine,
    crc32_shift,
    gzip_from_pieces,
)


@pytest.mark.parametrize(
    ("header", "accepted"),
    [
        ("gzip", True),
        ("gzip, deflate, br, zstd", True),
        ("br;q=1.0, gzip;q=0.8, *;q=0.1", True),
        ("x-gzip", True),
        ("gzip;q=0", False),
        ("gzip; q=0.000", False),
        ("deflate, br", False),
        ("", False),
    ],
)
def test_accept_encoding_is_read_with_its_quality_values(header, accepted):
    assert accepts_gzip(header) is accepted


def test_crc32_of_joined_pieces_is_combined_without_reading_them_again():
    rng = random.Random(6)
    for _ in range(50):
        first, second = os.urandom(rng.randint(0, 3000)), os.urandom(rng.randint(0, 70000))
        combined = crc32_combine(zlib.crc32(first), zlib.crc32(second), crc32_shift(len(second)))
        assert combined == zlib.crc32(first + second)


def test_pieces_and_uncompressed_values_make_one_valid_gzip_stream():
    page = b"<p>The council met.</p>" * 4000
    token = os.urandom(70_000)  # longer than one stored block
    body = gzip_from_pieces(
        [compress_piece(page), token, compress_piece(b""), compress_piece(page)]
    )
    assert gzip.decompress(body) == page + token + page
