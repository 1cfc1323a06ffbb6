"""verify: re-read every kept file of every version (format 1: its one blob; format 2:
its chunk list and every piece) and check each piece's and the whole file's hash. A reader:
no lock."""

from __future__ import annotations

from pathlib import Path

from draftkeeper.core.backend import DamagedVersion, VerifyReport
from draftkeeper.core.blobs.blobs import Blobs
from draftkeeper.core.errors import DraftNotFound
from draftkeeper.core.store.manifests import DamagedManifest, Manifest, Manifests


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
    owner: dict[Path, str] = {}  # versions folder -> its draft's id, from a readable manifest
    unreadable: list[tuple[Path, DamagedManifest]] = []
    for path in manifests.all_paths():
        try:
            manifest = manifests.read_path(path)
        except DamagedManifest as exc:
            versions += 1
            unreadable.append((path, exc))
            continue
        except DraftNotFound:
            continue  # removed by a prune meanwhile
        versions += 1
        owner[path.parent] = manifest.draft_id
        problems = []
        for entry in manifest.files:
            if entry.hash is None:
                continue
            key = (entry.hash, entry.chunks)
            if key not in checked:
                checked[key] = blobs.problem(entry.hash, entry.chunks)
            problem = checked[key]
            if problem:
                problems.append(f"{entry.path}: {problem}")
        if problems:
            damaged.append(DamagedVersion(manifest.draft_id, manifest.version, problems))
    for path, bad in unreadable:
        damaged.append(DamagedVersion(
            owner.get(path.parent, "?"), bad.version,
            [f"manifest unreadable: {bad.damage}"]))
    damaged.sort(key=lambda d: (d.draft_id, d.version))
    return VerifyReport(versions=versions, blobs=len(checked), damaged=damaged)
