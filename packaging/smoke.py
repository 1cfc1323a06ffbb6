"""Smoke test of a built Draft Keeper: the window starts, and `save` saves a draft.

    python packaging/smoke.py dist/draftkeeper

Runs the built program offscreen for a few seconds (it must start, show its window with a
draft and close cleanly, saving it), then runs its `save`, `history` and `verify` commands
on a sample draft and checks the results. Exit code 0 when everything holds.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SAMPLE = (Path(__file__).resolve().parents[1] / "app" / "draftkeeper" / "core" / "drafts"
          / "sample_draft")


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
