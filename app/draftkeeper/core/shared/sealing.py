"""End-to-end encryption of the shared store, with a team passphrase.

The marker holds the key derivation's parameters (scrypt, a random salt) and a check
value: a known text sealed with the key, so that a wrong passphrase is told at once,
before anything is written. From the passphrase come two keys: one seals every object
(AES-256-GCM, a random 96-bit nonce per object, the object's key as associated data, so
an object moved to another key does not open), the other names objects (HMAC-SHA256 of
a chunk's hash, of a draft's id, of a machine's name), so the bucket learns nothing from
the keys but version times. Without a passphrase, ``Plain`` leaves everything as it is.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from typing import Any

from draftkeeper.core.shared.client import ShareError
from draftkeeper.core.shared.layout import machine_slug
from draftkeeper.core.store.keys import draft_key

SCRYPT = {"n": 2**17, "r": 8, "p": 1}  # OWASP's minimum for scrypt; about 0.6 s here
CHECK_TEXT = b"draftkeeper shared store"
MAGIC = b"DKS1"
NONCE = 12


class Plain:
    """No encryption: chunks named by their SHA-256, drafts by their store key."""

    encrypted = False

    def chunk_id(self, digest: str) -> str:
        return digest

    def draft_key(self, draft_id: str) -> str:
        return draft_key(draft_id)

    def machine_slug(self, machine: str) -> str:
        return machine_slug(machine)

    def seal(self, key: str, data: bytes) -> bytes:
        return data

    def open(self, key: str, data: bytes) -> bytes:
        return data


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _derive(passphrase: str, params: dict[str, Any]) -> tuple[bytes, bytes]:
    n, r, p = int(params["n"]), int(params["r"]), int(params["p"])
    salt = base64.b64decode(params["salt"])
    raw = hashlib.scrypt(passphrase.encode("utf-8"), salt=salt, n=n, r=r, p=p,
                         maxmem=256 * n * r + 16 * 1024 * 1024, dklen=64)
    return raw[:32], raw[32:]


class Sealed:
    """AES-256-GCM objects and HMAC-named keys, from the passphrase."""

    encrypted = True

    def __init__(self, seal_key: bytes, name_key: bytes) -> None:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self._aead = AESGCM(seal_key)
        self._name_key = name_key

    def _name(self, kind: bytes, text: str) -> str:
        return hmac.new(self._name_key, kind + text.encode("utf-8"), "sha256").hexdigest()

    def chunk_id(self, digest: str) -> str:
        return self._name(b"chunk:", digest)

    def draft_key(self, draft_id: str) -> str:
        return self._name(b"draft:", draft_id)[:32]

    def machine_slug(self, machine: str) -> str:
        return self._name(b"machine:", machine)[:16]

    def seal(self, key: str, data: bytes) -> bytes:
        nonce = os.urandom(NONCE)
        return MAGIC + nonce + self._aead.encrypt(nonce, data, key.encode("utf-8"))

    def open(self, key: str, data: bytes) -> bytes:
        from cryptography.exceptions import InvalidTag

        if not data.startswith(MAGIC):
            raise ValueError("not sealed by Draft Keeper")
        nonce = data[len(MAGIC):len(MAGIC) + NONCE]
        try:
            return self._aead.decrypt(nonce, data[len(MAGIC) + NONCE:], key.encode("utf-8"))
        except InvalidTag:
            raise ValueError("it does not open with this passphrase (damaged or moved)") from None


def new_encryption(passphrase: str) -> tuple[dict[str, Any], Sealed]:
    """The marker's ``encryption`` field for a new store, and its sealer."""
    params: dict[str, Any] = {"kdf": "scrypt", **SCRYPT, "salt": _b64(os.urandom(16)),
                              "cipher": "AES-256-GCM", "names": "HMAC-SHA256"}
    sealer = Sealed(*_derive(passphrase, params))
    params["check"] = _b64(sealer.seal("check", CHECK_TEXT))
    return params, sealer


def sealer_for(encryption: Any, passphrase: str | None, where: str) -> Plain | Sealed:
    """The sealer of a store whose marker says ``encryption`` (ShareError when the
    passphrase is missing, not wanted or wrong)."""
    if not encryption:
        if passphrase:
            raise ShareError(f"The shared store {where} is not encrypted, but a passphrase "
                             "is set: remove share_passphrase, or use another bucket or "
                             "prefix for an encrypted store", status=409,
                             reason="share_not_encrypted", params={"where": where})
        return Plain()
    if not passphrase:
        raise ShareError(f"The shared store {where} is encrypted: set its passphrase "
                         "(share_passphrase, or $DRAFTKEEPER_SHARE_PASSPHRASE)", status=401,
                         reason="share_passphrase_needed", params={"where": where})
    try:
        if encryption.get("kdf") != "scrypt" or encryption.get("cipher") != "AES-256-GCM":
            raise ValueError("unknown encryption")
        sealer = Sealed(*_derive(passphrase, encryption))
        check = base64.b64decode(encryption["check"])
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ShareError(f"The shared store {where} uses an encryption this version does not "
                         f"know ({exc}): update Draft Keeper", status=409,
                         reason="share_format", params={"where": where}) from exc
    try:
        ok = sealer.open("check", check) == CHECK_TEXT
    except ValueError:
        ok = False
    if not ok:
        raise ShareError(f"The passphrase is wrong for the shared store {where} (nothing was "
                         "written)", status=401, reason="share_passphrase_wrong",
                         params={"where": where})
    return sealer
