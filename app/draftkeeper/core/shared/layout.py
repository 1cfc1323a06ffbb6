"""The shared store's objects under its prefix, and what they hold::

    draftkeeper-share.json                    the marker: this prefix is a Draft Keeper
                                              shared store (format 1), its encryption
    chunks/ab/<id>                            a blob's content (a small file, a piece of a
                                              big one, or a piece list), zstd-compressed,
                                              written once (put-if-absent)
    versions/<draft key>/<version>~<machine>.json
                                              a version's manifest (the local manifest's
                                              fields and ``machine``), written after every
                                              chunk it names

Without encryption ``<id>`` is the blob's SHA-256, the draft key the local store's and the
machine its name made key-safe; with it, all three are keyed hashes and every object is
sealed (sealing.py).

Everything is immutable: a chunk is named by its content's hash and a manifest by its
version and machine, so two machines never write the same key with different bytes, and
a rerun after a kill finds what is there and sends only the rest.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from draftkeeper.core.store.manifests import Manifest

MARKER = "draftkeeper-share.json"
MARKER_FORMAT = 1
CHUNKS = "chunks"
VERSIONS = "versions"
_SLUG = re.compile(r"[^A-Za-z0-9._-]+")


def chunk_key(chunk_id: str) -> str:
    return f"{CHUNKS}/{chunk_id[:2]}/{chunk_id}"


def digest_of(key: str) -> str:
    return key.rpartition("/")[2]


def machine_slug(machine: str) -> str:
    """The machine's name as it may appear in a key (the full name is in the manifest)."""
    return _SLUG.sub("_", machine).strip("_.")[:64] or "unnamed"


def draft_prefix(draft_key: str) -> str:
    return f"{VERSIONS}/{draft_key}"


def manifest_key(draft_key: str, version: str, slug: str) -> str:
    return f"{draft_prefix(draft_key)}/{version}~{slug}.json"


@dataclass(frozen=True)
class VersionKey:
    """A manifest key taken apart (no request needed)."""

    key: str
    draft_key: str
    version: str
    machine_slug: str


def parse_manifest_key(key: str) -> VersionKey | None:
    parts = key.split("/")
    if len(parts) != 3 or parts[0] != VERSIONS or not parts[2].endswith(".json"):
        return None
    version, sep, slug = parts[2][:-5].partition("~")
    if not sep or not version:
        return None
    return VersionKey(key, parts[1], version, slug)


@dataclass(frozen=True)
class SharedVersion:
    manifest: Manifest
    machine: str


def encode_manifest(manifest: Manifest, machine: str) -> bytes:
    data = json.loads(manifest.to_bytes())
    data["machine"] = machine
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def decode_manifest(raw: bytes) -> SharedVersion:
    """Raises ValueError naming what is wrong."""
    manifest = Manifest.from_bytes(raw)
    try:
        machine = json.loads(raw).get("machine")
    except ValueError as exc:  # from_bytes parsed it already; for the type checker
        raise ValueError("not JSON") from exc
    if not isinstance(machine, str) or not machine:
        raise ValueError("it names no machine")
    return SharedVersion(manifest, machine)


def blob_refs(manifest: Manifest) -> list[tuple[str, str | None]]:
    """(file hash, piece list) of every kept file: what a version needs."""
    return [(f.hash, f.chunks) for f in manifest.files if f.hash is not None]
