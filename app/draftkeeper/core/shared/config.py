"""What a shared-store command needs from the settings and the environment: where the
store is, the credentials (``AWS_ACCESS_KEY_ID`` / ``AWS_SECRET_ACCESS_KEY`` win over the
settings), the team passphrase (``DRAFTKEEPER_SHARE_PASSPHRASE`` wins) and this machine's
name. Secrets never appear in ``repr`` or in messages.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field

from draftkeeper.core.errors import BadRequest
from draftkeeper.core.retry import RetryPolicy
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.shared.url import ShareLocation, parse_share_url

MACHINE_MAX = 64


@dataclass(frozen=True)
class ShareConfig:
    location: ShareLocation
    machine: str
    access_key_id: str | None = field(repr=False)
    secret_access_key: str | None = field(repr=False)
    policy: RetryPolicy
    passphrase: str | None = field(default=None, repr=False)
    parallel: int = 8  # requests in flight at once


def machine_of(settings: Settings) -> str:
    name = (settings.machine_name or "").strip() or socket.gethostname() or "unnamed"
    if len(name) > MACHINE_MAX or not name.isprintable():
        raise BadRequest(f"The machine name {name!r} cannot be used: at most {MACHINE_MAX} "
                         "printable characters", reason="machine_name_bad",
                         params={"name": name})
    return name


def share_config(settings: Settings) -> ShareConfig:
    """The shared store these settings name (BadRequest when none is set or the URL is
    bad)."""
    if not settings.share_url:
        raise BadRequest("No shared store is set: give --share URL or set share_url "
                         "(s3://BUCKET/PREFIX or s3+http(s)://HOST:PORT/BUCKET/PREFIX)",
                         reason="share_not_set")
    region = os.environ.get("AWS_REGION") or settings.share_region
    return ShareConfig(
        location=parse_share_url(settings.share_url, region),
        machine=machine_of(settings),
        access_key_id=os.environ.get("AWS_ACCESS_KEY_ID") or settings.share_access_key_id,
        secret_access_key=(os.environ.get("AWS_SECRET_ACCESS_KEY")
                           or settings.share_secret_access_key),
        policy=settings.retry_policy,
        passphrase=os.environ.get("DRAFTKEEPER_SHARE_PASSPHRASE") or settings.share_passphrase,
    )
