"""Smoke test of a built Draft Keeper: the window starts, and `save` saves a draft.

    python packaging/smoke.py dist/draftkeeper

Runs the built program offscreen for a few seconds (it must start, show its window with a
draft and close cleanly, saving it), then runs its `save`, `history` and `verify` commands
on a sample draft and checks the results, and that the program serves as its own helper
process (``--draftkeeper-worker``: a batch save's hashing, the content parser) with the same
answers as this checkout's code. Exit code 0 when everything holds.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from draftkeeper.core.blobs.hashers import Hasher, walk_and_hash
from draftkeeper.core.drafts.content import facts_data
from draftkeeper.core.platform.workers import WORKER_ARG, Worker

SAMPLE = (Path(__file__).resolve().parents[1] / "app" / "draftkeeper" / "core" / "drafts"
          / "sample_draft")


def helper_check(exe: Path, draft: Path) -> tuple[str, bool, str]:
    """The frozen program as a helper process (a failing helper would go unnoticed
    otherwise: its callers do the work themselves), asked what this checkout answers."""
    worker = Worker(lambda: [str(exe), WORKER_ARG])
    try:
        work = ([str(draft)], ".dk-tmp-", 256 * 1024)
        hashed = Hasher(worker).walk_and_hash(*work)
        content = str(draft / "draft_content.json")
        parsed = worker.submit(facts_data, content)
        if hashed is None or parsed is None:
            return ("helper process", False, "the program did not start as a helper")
        ok = (hashed.result(timeout=60) == walk_and_hash(work)
              and parsed.result(timeout=60) == facts_data(content))
        return ("helper process (hashing, content parser)", ok and not worker.broken,
                "answers differ from this checkout's")
    except Exception as exc:  # (reported as the check's failure)
        return ("helper process", False, f"{type(exc).__name__}: {exc}")
    finally:
        worker.close()


def main() -> int:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "dist/draftkeeper")
    exe = folder / ("draftkeeper.exe" if sys.platform == "win32" else "draftkeeper")
    if not exe.exists():
        print(f"smoke: no program at {exe}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="dk-smoke-") as tmp:
        home = Path(tmp) / "home"
        root = home / "data" / "drafts"  # the default draft folder
        shutil.copytree(SAMPLE, root / "sample-draft")
        env = dict(os.environ, DRAFTKEEPER_HOME=str(home), QT_QPA_PLATFORM="offscreen")

        def run(*args: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run([str(exe), *args], env=env, capture_output=True, text=True,
                                  timeout=120)

        checks: list[tuple[str, bool, str]] = []
        r = run("--version")
        checks.append(("--version", r.returncode == 0 and "draftkeeper" in r.stdout, r.stdout))
        checks.append(helper_check(exe, root / "sample-draft"))
        r = run("--smoke", "3")
        checks.append(("window opens and closes", r.returncode == 0 and
                       "window open: 1 draft(s)" in r.stdout, r.stdout + r.stderr))
        r = run("history", "sample-draft", "--json")
        ok = r.returncode == 0 and len(json.loads(r.stdout or "[]")) == 1
        checks.append(("closing the window saved the draft", ok, r.stdout + r.stderr))
        (root / "sample-draft" / "draft_content.json").write_text('{"edited": true}')
        r = run("save", "sample-draft", "--json")
        body = json.loads(r.stdout or "{}")
        checks.append(("save", r.returncode == 0 and body.get("code") == 0 and
                       body.get("unchanged") is False, r.stdout + r.stderr))
        r = run("verify")
        checks.append(("verify", r.returncode == 0, r.stdout + r.stderr))
        r = run("save", "no-such-draft")
        checks.append(("missing draft exits 3", r.returncode == 3, r.stderr))
        log = home / "logs" / "draftkeeper.log"
        checks.append(("log file written", log.exists(), str(log)))
    failed = 0
    for name, ok, detail in checks:
        print(f"{'ok  ' if ok else 'FAIL'} {name}")
        if not ok:
            failed += 1
            print("     " + detail.strip().replace("\n", "\n     "))
    print(f"{len(checks) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
