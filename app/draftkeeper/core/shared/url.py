"""Share URLs: where the shared store is.

``s3://BUCKET/PREFIX`` is AWS S3 (the region from ``AWS_REGION`` or the ``share_region``
setting); ``s3+http://HOST:PORT/BUCKET/PREFIX`` and ``s3+https://HOST:PORT/BUCKET/PREFIX``
are any S3-compatible endpoint (SeaweedFS, MinIO, Ceph RGW, OSS, COS, TOS, R2), addressed
path-style. The prefix may be empty (the whole bucket).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from draftkeeper.core.errors import BadRequest

# S3's bucket naming rules (3-63 characters, lower-case letters, digits, dots, hyphens)
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
DEFAULT_REGION = "us-east-1"


@dataclass(frozen=True)
class ShareLocation:
    bucket: str
    prefix: str  # "" or "a/b" (no leading or trailing slash)
    endpoint: str | None  # None: AWS S3
    region: str

    @property
    def allow_http(self) -> bool:
        return bool(self.endpoint and self.endpoint.startswith("http://"))

    def describe(self) -> str:
        """Where, for messages (no credentials are ever part of it)."""
        where = f"{self.bucket}/{self.prefix}" if self.prefix else self.bucket
        return f"{where} at {self.endpoint}" if self.endpoint else f"s3://{where}"


def _redacted(text: str) -> str:
    """The URL without anything before an ``@`` in its host part (never echo a secret)."""
    scheme, sep, rest = text.partition("://")
    host, slash, path = rest.partition("/")
    if sep and "@" in host:
        return f"{scheme}://***@{host.rpartition('@')[2]}{slash}{path}"
    return text


def bad_url(text: str, why: str) -> BadRequest:
    text = _redacted(text)
    return BadRequest(f"The share URL {text!r} cannot be used: {why}. Use s3://BUCKET/PREFIX "
                      "or s3+http(s)://HOST:PORT/BUCKET/PREFIX",
                      reason="share_url_bad", params={"url": text, "detail": why})


def parse_share_url(text: str, region: str | None = None) -> ShareLocation:
    """The location a share URL names (BadRequest saying what is wrong otherwise)."""
    text = text.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise bad_url(text, str(exc) or "it cannot be parsed") from None
    if parts.username or parts.password:
        raise bad_url(text, "credentials do not belong in it (use the access key settings "
                      "or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)")
    if parts.query or parts.fragment:
        raise bad_url(text, "it has a query or fragment")
    if parts.scheme == "s3":
        bucket, prefix = parts.netloc, parts.path
        endpoint = None
    elif parts.scheme in ("s3+http", "s3+https"):
        host = parts.hostname or ""
        if not host:
            raise bad_url(text, "it names no host")
        bucket, _sep, prefix = parts.path.lstrip("/").partition("/")
        netloc = f"[{host}]" if ":" in host else host
        scheme = parts.scheme.removeprefix("s3+")
        endpoint = f"{scheme}://{netloc}" + (f":{port}" if port else "")
    else:
        raise bad_url(text, "it must start with s3://, s3+http:// or s3+https://")
    if not bucket:
        raise bad_url(text, "it names no bucket")
    if not _BUCKET.match(bucket):
        raise bad_url(text, f"{bucket!r} is not a bucket name (3 to 63 lower-case letters, "
                      "digits, dots and hyphens)")
    prefix = prefix.strip("/")
    if any(part in ("", ".", "..") for part in prefix.split("/")) and prefix:
        raise bad_url(text, "its prefix has an empty, '.' or '..' part")
    return ShareLocation(bucket, prefix, endpoint, region or DEFAULT_REGION)
