"""The national commercial cryptography the platform uses (GB/T 39786; DESIGN.md "Choices"):
SM3 for hashes (backup manifests, the audit chain), SM4 for personal data at rest and
HMAC-SM3 for its blind index. Provided by ``cryptography`` on OpenSSL, no code of our own
for the algorithms."""

from __future__ import annotations

import base64
import functools
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

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


# --- Personal data at rest: SM4-GCM with a key id, and an HMAC-SM3 blind index ---------------
#
# A keyring is JSON: {"current": "k2", "keys": {"k1": "<32 hex>", "k2": "<32 hex>"},
# "index": "<64 hex>"}. Data keys are 128-bit SM4 keys named by short ids; the one named
# "current" encrypts, every one listed decrypts (so that a rotation can run while the
# application serves). The index key is separate: it keys the HMAC-SM3 blind index that
# lets the database find a value without holding it.

CIPHER_PREFIX = "sm4"
NONCE_BYTES = 12
TAG_BYTES = 16
SM4_KEY_BYTES = 16
INDEX_KEY_BYTES = 32
_KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,16}$")


class DataKeyError(Exception):
    """A keyring that cannot be used, or a value that does not decrypt with it (a wrong or
    missing key, or a changed ciphertext). Always names the key id, never a key."""


@dataclass(frozen=True)
class DataKeys:
    """The data keys by id, the id of the one that encrypts, and the blind-index key."""

    current: str
    keys: Mapping[str, bytes]
    index_key: bytes

    def key(self, key_id: str) -> bytes:
        try:
            return self.keys[key_id]
        except KeyError:
            raise DataKeyError(f"未配置数据密钥 {key_id!r}（GONGJIAN_DATA_KEYS / GONGJIAN_DATA_KEY_FILE）") from None


def _hex_key(value: Any, size: int, what: str) -> bytes:
    try:
        key = bytes.fromhex(str(value))
    except ValueError:
        raise DataKeyError(f"{what} 不是十六进制") from None
    if len(key) != size:
        raise DataKeyError(f"{what} 应为 {size} 字节（{size * 2} 个十六进制字符）")
    return key


def parse_data_keys(text: str) -> DataKeys:
    """Read a JSON keyring; every fault is named (without echoing key material)."""
    try:
        data = json.loads(text)
    except ValueError:
        raise DataKeyError("数据密钥配置不是合法的 JSON") from None
    if not isinstance(data, dict) or not isinstance(data.get("keys"), dict) or not data["keys"]:
        raise DataKeyError("数据密钥配置应包含 keys（密钥编号 → 密钥）")
    keys: dict[str, bytes] = {}
    for key_id, value in data["keys"].items():
        if not _KEY_ID.match(key_id):
            raise DataKeyError(f"密钥编号 {key_id!r} 只能由 1–16 个字母、数字、-、_ 组成")
        keys[key_id] = _hex_key(value, SM4_KEY_BYTES, f"SM4 密钥 {key_id}")
    current = data.get("current")
    if current not in keys:
        raise DataKeyError(f"current 应为 keys 中的一个密钥编号，而不是 {current!r}")
    index_key = _hex_key(data.get("index", ""), INDEX_KEY_BYTES, "盲索引密钥 index")
    if index_key in keys.values():
        raise DataKeyError("盲索引密钥不能与数据密钥相同")
    return DataKeys(current=current, keys=keys, index_key=index_key)


def dump_data_keys(keys: DataKeys) -> str:
    """The keyring as JSON (for ``rotate_data_keys --new-key``)."""
    return json.dumps(
        {"current": keys.current, "keys": {k: v.hex() for k, v in keys.keys.items()}, "index": keys.index_key.hex()},
        indent=2,
    )


def new_key_id(keys: DataKeys) -> str:
    """The next free id of the form ``k<n>``."""
    numbers = [int(k[1:]) for k in keys.keys if k[:1] == "k" and k[1:].isdigit()]
    return f"k{max(numbers, default=0) + 1}"


def with_new_key(keys: DataKeys) -> DataKeys:
    """``keys`` plus a fresh random SM4 key made current (the old ones still decrypt)."""
    key_id = new_key_id(keys)
    return DataKeys(current=key_id, keys={**keys.keys, key_id: os.urandom(SM4_KEY_BYTES)}, index_key=keys.index_key)


def _header(key_id: str) -> str:
    return f"{CIPHER_PREFIX}:{key_id}:"


def sm4_encrypt(keys: DataKeys, plaintext: str) -> str:
    """``sm4:<key id>:<base64(nonce | ciphertext | tag)>`` under the current key: SM4 in GCM
    mode (authenticated, a random 96-bit nonce per value), the header as associated data so
    that the key id cannot be changed either."""
    header = _header(keys.current)
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(keys.key(keys.current)), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(header.encode("ascii"))
    body = encryptor.update(plaintext.encode("utf-8")) + encryptor.finalize()
    return header + base64.b64encode(nonce + body + encryptor.tag).decode("ascii")


def key_id_of(stored: str) -> str:
    """The key id of a stored ciphertext (``DataKeyError`` when it is not one)."""
    prefix, _sep, rest = stored.partition(":")
    key_id, sep, _body = rest.partition(":")
    if prefix != CIPHER_PREFIX or not sep or not _KEY_ID.match(key_id):
        raise DataKeyError("该值不是 SM4 密文（应以 sm4:<密钥编号>: 开头）")
    return key_id


def sm4_decrypt(keys: DataKeys, stored: str) -> str:
    """The plaintext of a value made by :func:`sm4_encrypt` under any key of the ring."""
    key_id = key_id_of(stored)
    header = _header(key_id)
    try:
        raw = base64.b64decode(stored[len(header) :], validate=True)
    except ValueError:
        raise DataKeyError(f"密钥 {key_id} 的密文已损坏（不是 base64）") from None
    if len(raw) < NONCE_BYTES + TAG_BYTES:
        raise DataKeyError(f"密钥 {key_id} 的密文已损坏（长度不足）")
    nonce, body, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(keys.key(key_id)), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(header.encode("ascii"))
    try:
        return (decryptor.update(body) + decryptor.finalize()).decode("utf-8")
    except InvalidTag:
        raise DataKeyError(
            f"SM4 解密失败：密钥 {key_id} 与加密时所用的不同，或密文被改动（请核对 GONGJIAN_DATA_KEYS）"
        ) from None


def blind_index(keys: DataKeys, kind: str, normalised: str) -> str:
    """HMAC-SM3 of the normalised value under the index key, separated by ``kind`` (a phone
    and an ID number with the same digits do not share an index), as 64 hex digits."""
    mac = hmac.HMAC(keys.index_key, hashes.SM3())
    mac.update(kind.encode("utf-8") + b"\x00" + normalised.encode("utf-8"))
    return mac.finalize().hex()


# Outside production, when no keyring is configured: fixed and public like the development
# SECRET_KEY (a development database survives restarts; nothing it holds is real).
DEVELOPMENT_KEYS = DataKeys(
    current="dev1",
    keys={"dev1": bytes.fromhex(sm3_hex(b"gongjian development data key dev1")[:32])},
    index_key=bytes.fromhex(sm3_hex(b"gongjian development blind index key")),
)


def load_data_keys(*, inline: str, file: str, production: bool) -> DataKeys:
    """The keyring from the environment (``inline``) or a key file outside the database;
    the development keyring outside production; refused in production without one."""
    if inline:
        return parse_data_keys(inline)
    if file:
        try:
            with open(file, encoding="utf-8") as handle:
                return parse_data_keys(handle.read())
        except OSError as exc:
            raise DataKeyError(f"无法读取数据密钥文件 {file}：{exc.strerror}") from None
    if production:
        raise DataKeyError("生产环境必须配置个人信息加密密钥：GONGJIAN_DATA_KEYS 或 GONGJIAN_DATA_KEY_FILE")
    return DEVELOPMENT_KEYS


@functools.cache
def data_keys() -> DataKeys:
    """The configured keyring (read once; :func:`reset_data_keys` after a settings change)."""
    from django.conf import settings

    return load_data_keys(
        inline=getattr(settings, "GONGJIAN_DATA_KEYS", ""),
        file=getattr(settings, "GONGJIAN_DATA_KEY_FILE", ""),
        production=getattr(settings, "PRODUCTION", False),
    )


def reset_data_keys() -> None:
    data_keys.cache_clear()
