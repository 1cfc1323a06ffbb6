"""Opening a shared store: the marker says the prefix is a Draft Keeper shared store of a
format this release reads. A prefix that holds anything else is another tool's and is
never written to; an empty one gets the marker when a command is about to write.
"""

from __future__ import annotations

import json

from draftkeeper.core.shared.client import ObjectMissing, ShareClient, ShareError
from draftkeeper.core.shared.config import ShareConfig
from draftkeeper.core.shared.layout import MARKER, MARKER_BODY


def _foreign(cfg: ShareConfig, detail: str) -> ShareError:
    where = cfg.location.describe()
    return ShareError(f"{where} is not a Draft Keeper shared store ({detail}); nothing was "
                      "written there: choose an empty bucket or prefix", status=409,
                      reason="share_foreign", params={"where": where, "detail": detail})


async def open_share(cfg: ShareConfig, *, create: bool) -> tuple[ShareClient, bool]:
    """A client on the store and whether the store exists yet (``create``: make it, when
    the prefix is empty). Refused credentials, a missing bucket and another tool's data
    raise before anything is written."""
    client = ShareClient(cfg)
    try:
        raw = await client.get(MARKER)
    except ObjectMissing:
        other = await client.first_key("")
        if other is not None:
            raise _foreign(cfg, f"it holds other data, e.g. {other!r}") from None
        if not create:
            return client, False
        await client.put_if_absent(MARKER, json.dumps(MARKER_BODY).encode())
        raw = await client.get(MARKER)
    try:
        marker = json.loads(raw)
    except ValueError:
        raise _foreign(cfg, f"its {MARKER} is not one of ours") from None
    if not isinstance(marker, dict) or marker.get("tool") != "draftkeeper":
        raise _foreign(cfg, f"its {MARKER} is not one of ours")
    if marker.get("format") != MARKER_BODY["format"] or marker.get("encryption"):
        raise ShareError(f"{cfg.location.describe()} was made by a newer Draft Keeper "
                         f"(format {marker.get('format')!r}, encryption "
                         f"{marker.get('encryption')!r}): update this one", status=409,
                         reason="share_format", params={"format": marker.get("format")})
    return client, True
