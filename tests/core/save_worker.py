"""A separate process that saves drafts, for the crash and multi-process tests.

    python -m tests.core.save_worker loop STORE ROOT ID [ID ...]
        print "ready", then save the drafts over and over until killed
    python -m tests.core.save_worker edit-save STORE ROOT TAG N SHARED OWN
        N times: rewrite SHARED/<TAG>.txt and OWN/data.txt, save both; print the results
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from draftkeeper.core.errors import DraftKeeperError
from draftkeeper.core.local.engine import LocalEngine
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.store.store import Store


def main(argv: list[str]) -> None:
    mode, store, root = argv[0], Path(argv[1]), Path(argv[2])
    engine = LocalEngine(Settings(keep_last=10_000), roots=[root], store=Store(store))
    if mode == "loop":
        print("ready", flush=True)
        while True:
            for draft_id in argv[3:]:
                try:
                    engine.save_sync(draft_id)
                except DraftKeeperError as exc:  # a restore is rewriting the draft
                    if not exc.retryable:
                        raise
    tag, count, shared, own = argv[3], int(argv[4]), argv[5], argv[6]
    results = []
    for i in range(count):
        for draft_id, rel in ((shared, f"{tag}.txt"), (own, "data.txt")):
            (root / draft_id / rel).write_text(f"{tag} {i} " + "x" * 5000)
            while True:
                try:
                    r = engine.save_sync(draft_id)
                    break
                except DraftKeeperError as exc:  # the other process is writing the draft
                    if not exc.retryable:
                        raise
                    time.sleep(0.01)
            results.append({"draft": draft_id, "version": r.version, "unchanged": r.unchanged})
    print(json.dumps({"pid": os.getpid(), "results": results}))


if __name__ == "__main__":
    main(sys.argv[1:])
