"""A draft's key as a file name: the store's ``drafts/<key>/`` folder, its restore journal
and its attempt record are all named by it.

SHA-256 comes from CPython's own module when there is one: ``hashlib`` loads OpenSSL, which
costs a command-line start about 3 ms for this one short hash (the digest is the same).
"""

from __future__ import annotations

try:  # CPython 3.12+ (_sha2), 3.11 (_sha256); anything else: hashlib
    from _sha2 import sha256  # type: ignore[import-not-found,unused-ignore]
except ImportError:
    try:
        from _sha256 import sha256  # type: ignore[import-not-found,no-redef,unused-ignore]
    except ImportError:
        from hashlib import sha256  # type: ignore[assignment,unused-ignore]


def draft_key(key: str) -> str:
    """A file name for a draft's id or draft_url: 32 hex digits of its SHA-256."""
    return str(sha256(key.encode("utf-8")).hexdigest()[:32])
