"""Versions: content-addressed zstd blobs, atomic manifests, staged and journaled restore,
retention, verify. One module per job; ``Store`` ties them together.

A version exists when its manifest exists; manifests are written with the one safe-write
routine (temp, write, flush, fsync, replace, fsync folder) after all of their blobs, so a
crash at any point leaves earlier versions intact and no partial version visible.
"""

from app.core.store.blobs import BlobDamaged, Blobs
from app.core.store.io import CHUNK, StoreIO, safe_write
from app.core.store.manifests import (
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
from app.core.store.restore import RestoreRefused
from app.core.store.retention import DAY, GC_EVERY_S, HOUR, retention_victims
from app.core.store.snapshot import DEFAULT_OPTIONS, RACY_NS, SaveOptions
from app.core.store.store import Store

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
