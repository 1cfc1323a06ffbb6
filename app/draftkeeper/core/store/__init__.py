"""Versions: content-addressed zstd blobs, atomic manifests, staged and journaled restore,
retention, verify. One module per job; ``Store`` ties them together.

A version exists when its manifest exists; manifests are written with the one safe-write
routine (temp, write, flush, fsync, replace, fsync folder) after all of their blobs, so a
crash at any point leaves earlier versions intact and no partial version visible.

The package imports its modules lazily (PEP 562): ``from draftkeeper.core.store import Store``
loads what it needs on first use, so that the light ``quick`` module (the command line's
quick save) comes without the rest.
"""

from __future__ import annotations

import importlib

TYPE_CHECKING = False
if TYPE_CHECKING:
    from draftkeeper.core.blobs.blobs import BlobDamaged, Blobs
    from draftkeeper.core.blobs.io import CHUNK, StoreIO, safe_write
    from draftkeeper.core.store.manifests import (
        FORMAT,
        PROTECTED_REASONS,
        REASONS,
        Damage,
        DamagedManifest,
        FileEntry,
        Manifest,
        draft_key,
        iso,
        new_version_id,
    )
    from draftkeeper.core.store.restore import RestoreRefused
    from draftkeeper.core.store.retention import DAY, GC_EVERY_S, HOUR, retention_victims
    from draftkeeper.core.store.snapshot import DEFAULT_OPTIONS, RACY_NS, SaveOptions
    from draftkeeper.core.store.store import Store

_WHERE = {
    "BlobDamaged": "draftkeeper.core.blobs.blobs",
    "Blobs": "draftkeeper.core.blobs.blobs",
    "CHUNK": "draftkeeper.core.blobs.io",
    "DAY": "retention",
    "DEFAULT_OPTIONS": "snapshot",
    "Damage": "manifests",
    "DamagedManifest": "manifests",
    "FORMAT": "manifests",
    "FileEntry": "manifests",
    "GC_EVERY_S": "retention",
    "HOUR": "retention",
    "Manifest": "manifests",
    "PROTECTED_REASONS": "manifests",
    "RACY_NS": "snapshot",
    "REASONS": "manifests",
    "RestoreRefused": "restore",
    "SaveOptions": "snapshot",
    "Store": "store",
    "StoreIO": "draftkeeper.core.blobs.io",
    "draft_key": "manifests",
    "iso": "manifests",
    "new_version_id": "manifests",
    "retention_victims": "retention",
    "safe_write": "draftkeeper.core.blobs.io",
}


def __getattr__(name: str) -> object:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module if "." in module else f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "CHUNK",
    "DAY",
    "DEFAULT_OPTIONS",
    "FORMAT",
    "GC_EVERY_S",
    "HOUR",
    "PROTECTED_REASONS",
    "RACY_NS",
    "REASONS",
    "BlobDamaged",
    "Blobs",
    "Damage",
    "DamagedManifest",
    "FileEntry",
    "Manifest",
    "RestoreRefused",
    "SaveOptions",
    "Store",
    "StoreIO",
    "draft_key",
    "iso",
    "new_version_id",
    "retention_victims",
    "safe_write",
]
