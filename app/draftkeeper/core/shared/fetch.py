"""Reading the shared store: its drafts, a draft's versions from every machine, and
bringing one version into the local store (its missing blobs, each checked against its
hash, then its manifest), so that restore and pull work on it as on any local version.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import zstandard

from draftkeeper.core.blobs.blobs import LEVELS_MAX, BlobDamaged, Blobs
from draftkeeper.core.blobs.hashing import hexdigest
from draftkeeper.core.errors import BadRequest, DraftNotFound, SaveFailed
from draftkeeper.core.shared.client import ShareClient
from draftkeeper.core.shared.layout import (
    VERSIONS,
    SharedVersion,
    VersionKey,
    chunk_key,
    decode_manifest,
    draft_prefix,
    parse_manifest_key,
)
from draftkeeper.core.shared.opening import Share
from draftkeeper.core.store.manifests import Manifest
from draftkeeper.core.store.store import Store

MAX_CHUNK = 256 * 1024 * 1024  # no blob of ours is larger once decompressed


@dataclass(frozen=True)
class SharedDraft:
    draft_id: str
    versions: int
    latest: SharedVersion


async def _keys(client: ShareClient, prefix: str) -> list[VersionKey]:
    out = [parse_manifest_key(key) for key, _size in await client.list(prefix)]
    return sorted((k for k in out if k is not None), key=lambda k: (k.version, k.key))


async def read_version(share: Share, key: str) -> SharedVersion:
    raw = await share.client.get(key)
    try:
        return decode_manifest(share.sealer.open(key, raw))
    except ValueError as exc:
        raise SaveFailed(f"The shared version {key} is damaged: {exc}",
                         reason="share_version_damaged", params={"key": key}) from exc


async def shared_drafts(share: Share) -> list[SharedDraft]:
    """Every draft on the shared store, with its newest version (one list, one read per
    draft)."""
    by_draft: dict[str, list[VersionKey]] = {}
    for k in await _keys(share.client, VERSIONS):
        by_draft.setdefault(k.draft_key, []).append(k)
    out = []
    for keys in by_draft.values():
        latest = await read_version(share, keys[-1].key)
        out.append(SharedDraft(latest.manifest.draft_id, len(keys), latest))
    return sorted(out, key=lambda d: d.draft_id)


async def shared_history(share: Share, draft_id: str) -> list[SharedVersion]:
    """A draft's versions on the shared store, from every machine, newest first."""
    keys = await _keys(share.client, draft_prefix(share.sealer.draft_key(draft_id)))
    versions = await asyncio.gather(*(read_version(share, k.key) for k in keys))
    return sorted(versions, key=lambda v: v.manifest.version, reverse=True)


def pick(versions: list[SharedVersion], draft_id: str, wanted: str | None) -> SharedVersion:
    """The version ``wanted`` names (an id, a unique prefix, None or 'latest')."""
    if not versions:
        raise DraftNotFound(f"{draft_id} is not on the shared store", reason="share_no_draft",
                            params={"draft_id": draft_id})
    if wanted in (None, "latest"):
        return versions[0]
    matches = [v for v in versions if v.manifest.version.startswith(wanted or "")]
    exact = [v for v in matches if v.manifest.version == wanted]
    if exact:
        return exact[0]
    if len(matches) > 1:
        raise BadRequest(f"Version {wanted!r} is ambiguous: {len(matches)} versions match")
    if not matches:
        raise DraftNotFound(f"Version {wanted} of {draft_id} is not on the shared store",
                            reason="version_not_found",
                            params={"draft_id": draft_id, "version": wanted})
    return matches[0]


def _decompress(digest: str, raw: bytes) -> bytes:
    try:
        data = zstandard.ZstdDecompressor().decompress(raw, max_output_size=MAX_CHUNK)
    except zstandard.ZstdError as exc:
        raise BlobDamaged(digest, f"shared copy is corrupt ({exc})") from exc
    if hexdigest(data) != digest:
        raise BlobDamaged(digest, "shared copy is damaged (hash mismatch)")
    return data


async def fetch_blob(share: Share, digest: str) -> bytes:
    """A blob's content from the shared store, checked against its hash (BlobDamaged when
    it is corrupt or does not open; ObjectMissing when it is not there)."""
    key = chunk_key(share.sealer.chunk_id(digest))
    raw = await share.client.get(key)
    try:
        raw = share.sealer.open(key, raw)
    except ValueError as exc:
        raise BlobDamaged(digest, f"shared copy is damaged ({exc})") from exc
    return await asyncio.to_thread(_decompress, digest, raw)


async def _bring(share: Share, blobs: Blobs, digest: str,
                 slots: asyncio.Semaphore) -> bytes:
    async with slots:
        data = await fetch_blob(share, digest)
        await asyncio.to_thread(blobs.put_content, digest, data)
        return data


def _needed(blobs: Blobs, manifest: Manifest) -> tuple[list[str], list[str]]:
    """(piece lists missing here, other blobs missing here) of a version; the pieces of a
    missing piece list are known once it is here."""
    lists: list[str] = []
    missing: dict[str, None] = {}
    for f in manifest.files:
        if f.hash is None:
            continue
        if f.chunks is None:
            if not blobs.exists(f.hash):
                missing[f.hash] = None
        elif not blobs.exists(f.chunks):
            lists.append(f.chunks)
        else:
            try:
                pieces = blobs.chunk_list(f.chunks)
            except BlobDamaged as exc:
                if blobs.exists(exc.digest):
                    raise  # damaged here, not missing
                lists.append(exc.digest)  # a list a long one is made of: brought first
                continue
            missing.update((p, None) for p, _size in pieces if not blobs.exists(p))
    return lists, list(missing)


async def import_version(store: Store, share: Share, shared: SharedVersion) -> Manifest:
    """Make ``shared`` a version of the local store (nothing is fetched that is here).

    The manifest is written under the store's lock once every blob it needs is there (a
    local garbage collection may drop blobs that no manifest names yet: they are brought
    again)."""
    manifest = shared.manifest.replace(folder=None)  # a folder of another machine
    blobs = store.blobs
    slots = asyncio.Semaphore(share.client.cfg.parallel)

    def write_if_complete() -> bool:
        with store.locked():
            if manifest.version in store.version_ids(manifest.draft_id):
                return True
            if any(_needed(blobs, manifest)):
                return False
            store.commit([manifest])
            return True

    try:
        for _round in range(3):
            lists, missing = await asyncio.to_thread(_needed, blobs, manifest)
            for _level in range(LEVELS_MAX):  # a list of lists: a level at a time
                if not lists:
                    break
                await asyncio.gather(*(_bring(share, blobs, d, slots) for d in lists))
                await asyncio.to_thread(blobs.sync)
                lists, missing = await asyncio.to_thread(_needed, blobs, manifest)
            await asyncio.gather(*(_bring(share, blobs, d, slots) for d in missing))
            await asyncio.to_thread(blobs.sync)
            if await asyncio.to_thread(write_if_complete):
                return store.manifest(manifest.draft_id, manifest.version)
    except BlobDamaged as exc:
        raise SaveFailed(f"Version {manifest.version} of {manifest.draft_id} cannot be "
                         f"brought from the shared store: {exc.reason}",
                         reason="share_version_damaged",
                         params={"draft_id": manifest.draft_id,
                                 "version": manifest.version}) from exc
    raise SaveFailed(f"Version {manifest.version} of {manifest.draft_id} could not be kept "
                     "here: the local store kept removing its contents (try again)",
                     reason="store_busy", retryable=True)
