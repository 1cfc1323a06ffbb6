"""verify: re-read every blob of every version and check its hash. A reader: no lock."""

from __future__ import annotations

from app.core.backend import DamagedVersion, VerifyReport
from app.core.errors import DraftNotFound
from app.core.store.blobs import Blobs
from app.core.store.manifests import DamagedManifest, Manifests


def verify(manifests: Manifests, blobs: Blobs) -> VerifyReport:
    checked: dict[str, str | None] = {}  # hash -> problem (None when fine)
    damaged: list[DamagedVersion] = []
    versions = 0
    for path in manifests.all_paths():
        try:
            manifest = manifests.read_path(path)
        except DamagedManifest as exc:
            versions += 1
            damaged.append(DamagedVersion("?", exc.version, [f"manifest unreadable: {exc.reason}"]))
            continue
        except DraftNotFound:
            continue  # removed by a prune meanwhile
        versions += 1
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
    return VerifyReport(versions=versions, blobs=len(checked), damaged=damaged)
