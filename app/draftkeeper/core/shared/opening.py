"""Opening a shared store: the marker says the prefix is a Draft Keeper shared store of a
format this release reads, and whether (and how) it is encrypted. A prefix that holds
anything else is another tool's and is never written to; an empty one gets the marker
when a command is about to write (encrypted when a passphrase is set).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from draftkeeper.core.errors import DraftKeeperError
from draftkeeper.core.shared.client import ObjectMissing, ShareClient, ShareError
from draftkeeper.core.shared.config import ShareConfig
from draftkeeper.core.shared.layout import MARKER, MARKER_FORMAT
from draftkeeper.core.shared.sealing import Plain, Sealed, new_encryption, sealer_for


@dataclass
class Share:
    client: ShareClient
    sealer: Plain | Sealed
    exists: bool  # False: nothing is there yet (a reader found an empty prefix)


def _foreign(cfg: ShareConfig, detail: str) -> ShareError:
    where = cfg.location.describe()
    return ShareError(f"{where} is not a Draft Keeper shared store ({detail}); nothing was "
                      "written there: choose an empty bucket or prefix", status=409,
                      reason="share_foreign", params={"where": where, "detail": detail})


async def _create(client: ShareClient, cfg: ShareConfig) -> None:
    encryption: dict[str, Any] | None = None
    if cfg.passphrase:
        encryption, _sealer = new_encryption(cfg.passphrase)
    body = {"tool": "draftkeeper", "format": MARKER_FORMAT, "encryption": encryption}
    await client.put_if_absent(MARKER, json.dumps(body).encode())  # the first one wins


async def open_share(cfg: ShareConfig, *, create: bool,
                     on_request: Callable[[DraftKeeperError | None], None] | None = None,
                     ) -> Share:
    """The store (``create``: made when the prefix is empty). Refused credentials, a
    missing bucket, another tool's data and a wrong passphrase raise before anything is
    written. ``on_request`` is told of every request's outcome (``ShareClient``)."""
    client = ShareClient(cfg)
    client.on_request = on_request
    try:
        raw = await client.get(MARKER)
    except ObjectMissing:
        other = await client.first_key("")
        if other is not None:
            # another machine may have made the store between the two requests (its
            # marker first, then its pieces): only a prefix still without one is foreign
            try:
                raw = await client.get(MARKER)
            except ObjectMissing:
                raise _foreign(cfg, f"it holds other data, e.g. {other!r}") from None
        elif not create:
            return Share(client, Plain(), False)
        else:
            await _create(client, cfg)
            raw = await client.get(MARKER)
    try:
        marker = json.loads(raw)
    except ValueError:
        raise _foreign(cfg, f"its {MARKER} is not one of ours") from None
    if not isinstance(marker, dict) or marker.get("tool") != "draftkeeper":
        raise _foreign(cfg, f"its {MARKER} is not one of ours")
    if marker.get("format") != MARKER_FORMAT:
        raise ShareError(f"{cfg.location.describe()} was made by a newer Draft Keeper "
                         f"(format {marker.get('format')!r}): update this one", status=409,
                         reason="share_format", params={"format": marker.get("format")})
    sealer = sealer_for(marker.get("encryption"), cfg.passphrase, cfg.location.describe())
    return Share(client, sealer, True)
