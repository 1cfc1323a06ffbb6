"""verify: re-read every kept file of every version (format 1: its one blob; format 2:
its chunk list and every piece) and check each piece's and the whole file's hash. A reader:
no lock."""

from __future__ import annotations

from draftkeeper.core.backend import DamagedVersion, VerifyReport
from draftkeeper.core.blobs.blobs import Blobs
from draftkeeper.core.errors import DraftNotFound
from draftkeeper.core.store.manifests import DamagedManifest, Manifest
from draftkeeper.core.store.versions import Manifests


def version_blobs(manifest: Manifest, blobs: Blobs) -> list[str]:
    """Every blob a version needs, each once: its files' blobs, chunk lists (and their
    sub-lists) and pieces (what a copy of the version elsewhere must hold; BlobDamaged
    when a chunk list cannot be read). ``Blobs.stored`` gives each one's bytes."""
    out: dict[str, None] = {}
    for entry in manifest.files:
        if entry.hash is not None:
            out.update(dict.fromkeys(blobs.file_blobs(entry.hash, entry.chunks)))
    return list(out)


def verify(manifests: Manifests, blobs: Blobs) -> VerifyReport:
    # (file hash, chunk list) -> problem (None when fine): every piece of every chunked
    # file is checked, and so is each file's whole hash
    checked: dict[tuple[str, str | None], str | None] = {}
    damaged: list[DamagedVersion] = []
    versions = 0
    owner: dict[str, str] = {}  # draft key -> its draft's id, from a readable manifest
    unreadable: list[tuple[str, DamagedManifest]] = []
    for key, version in manifests.all_ids():
        try:
            manifest = manifests.read_key(key, version)
        except DamagedManifest as exc:
            versions += 1
            unreadable.append((key, exc))
            continue
        except DraftNotFound:
            continue  # removed by a prune meanwhile
        versions += 1
        owner[key] = manifest.draft_id
        problems = []
        for entry in manifest.files:
            if entry.hash is None:
                continue
            pair = (entry.hash, entry.chunks)
            if pair not in checked:
                checked[pair] = blobs.problem(entry.hash, entry.chunks)
            problem = checked[pair]
            if problem:
                problems.append(f"{entry.path}: {problem}")
        if problems:
            damaged.append(DamagedVersion(manifest.draft_id, manifest.version, problems))
    for key, bad in unreadable:
        damaged.append(DamagedVersion(
            owner.get(key, "?"), bad.version,
            [f"manifest unreadable: {bad.damage}"]))
    damaged.sort(key=lambda d: (d.draft_id, d.version))
    return VerifyReport(versions=versions, blobs=len(checked), damaged=damaged)
