"""verify: re-read every blob of every version and check its hash. A reader: no lock."""

from __future__ import annotations

from pathlib import Path

from app.core.backend import DamagedVersion, VerifyReport
from app.core.errors import DraftNotFound
from app.core.store.blobs import Blobs
from app.core.store.manifests import DamagedManifest, Manifests


def verify(manifests: Manifests, blobs: Blobs) -> VerifyReport:
    checked: dict[str, str | None] = {}  # hash -> problem (None when fine)
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
            if entry.hash not in checked:
                checked[entry.hash] = blobs.problem(entry.hash)
            problem = checked[entry.hash]
            if problem:
                problems.append(f"{entry.path}: {problem}")
        if problems:
            damaged.append(DamagedVersion(manifest.draft_id, manifest.version, problems))
    for path, bad in unreadable:
        damaged.append(DamagedVersion(
            owner.get(path.parent, "?"), bad.version,
            [f"manifest unreadable: {bad.reason}"]))
    damaged.sort(key=lambda d: (d.draft_id, d.version))
    return VerifyReport(versions=versions, blobs=len(checked), damaged=damaged)
