"""A process that writes new states of a draft, saves each (small objects go to the object
database) and prunes now and then (deleting rows, giving pages back), until killed.

    python -m tests.core.pack_worker STORE ROOT DRAFT_ID START

State ``i`` of the draft is ``state_files(i)``: the parent knows every state by its number
(``state.txt``) and checks each version that survived against it.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from draftkeeper.core.errors import DraftKeeperError
from draftkeeper.core.local.engine import LocalEngine
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.store.store import Store

BIG = random.Random(7).randbytes(300_000).hex().encode()  # 600 KB of text: chunked


def state_files(i: int) -> dict[str, bytes]:
    rng = random.Random(i)
    big = bytearray(BIG)
    at = rng.randrange(len(big) - 20)
    big[at:at + 20] = f"{i:020d}".encode()
    return {
        "state.txt": str(i).encode(),
        "draft_content.json": bytes(big),
        "small.bin": rng.randbytes(rng.randrange(100, 9000)),  # incompressible: raw
    }


def write_state(folder: Path, i: int) -> None:
    for rel, data in state_files(i).items():
        (folder / rel).write_bytes(data)


def main(argv: list[str]) -> None:
    store, root, draft_id, start = Path(argv[0]), Path(argv[1]), argv[2], int(argv[3])
    engine = LocalEngine(Settings(keep_last=10_000), roots=[root], store=Store(store))
    print("ready", flush=True)
    i = start
    while True:
        write_state(root / draft_id, i)
        try:
            engine.save_sync(draft_id, reason="autosave" if i % 2 else "manual")
        except DraftKeeperError as exc:
            if not exc.retryable:
                raise
        if i % 4 == 3:  # thin the autosaves (far in the future: all but the newest go)
            engine.store.prune(keep_last=2, now=4_000_000_000.0)
        print(i, flush=True)
        i += 1


if __name__ == "__main__":
    main(sys.argv[1:])
