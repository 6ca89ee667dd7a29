"""The national commercial cryptography the platform uses (GB/T 39786; DESIGN.md "Choices"):
SM3 for hashes (backup manifests, the audit chain). Provided by ``cryptography`` on
OpenSSL, no code of our own for the algorithms."""

from __future__ import annotations

from collections.abc import Iterable
from typing import BinaryIO

from cryptography.hazmat.primitives import hashes

CHUNK = 1 << 20


def sm3_hex(data: bytes) -> str:
    """The SM3 digest of ``data`` as 64 hex digits."""
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def sm3_chunks(chunks: Iterable[bytes]) -> str:
    """The SM3 digest of the concatenated ``chunks`` (a file read piece by piece)."""
    digest = hashes.Hash(hashes.SM3())
    for chunk in chunks:
        digest.update(chunk)
    return digest.finalize().hex()


def sm3_stream(stream: BinaryIO) -> str:
    """The SM3 digest of everything left in ``stream``, read 1 MiB at a time."""
    return sm3_chunks(iter(lambda: stream.read(CHUNK), b""))
