"""The lean helper process (core/platform/workers.py) as a user's machine runs it: the
frozen program's way in (its first argument), no process left once the program exits,
and a helper with nothing to do ends by itself and comes back when asked. Real
processes."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from draftkeeper.core.blobs.hashers import Hasher, walk_and_hash
from draftkeeper.core.drafts.content import parse_facts
from draftkeeper.core.fsutil import TMP_PREFIX
from draftkeeper.core.platform.workers import WORKER_ARG, Worker, WorkerFailed
from tests.conftest import TEMPLATE_ID

REPO = Path(__file__).resolve().parents[2]


def alive(pid: int) -> bool:
    """Whether ``pid`` is a process that has not ended (a zombie has ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_the_frozen_programs_first_argument_makes_it_a_helper(fixture_root: Path) -> None:
    # packaging/launch.py is the frozen program's entry point: there ``sys.executable`` is
    # the program itself, started with WORKER_ARG first
    launch = [sys.executable, str(REPO / "packaging" / "launch.py"), WORKER_ARG]
    hasher = Hasher(Worker(lambda: launch))
    folders = [str(d) for d in sorted(fixture_root.iterdir()) if d.is_dir()]
    future = hasher.walk_and_hash(folders, TMP_PREFIX, 256 * 1024)
    assert future is not None
    assert future.result(timeout=60) == walk_and_hash((folders, TMP_PREFIX, 256 * 1024))
    assert hasher.worker.pid is not None
    hasher.close()


def test_no_helper_process_outlives_the_program(tmp_path: Path, fixture_root: Path) -> None:
    script = (
        "import sys\n"
        "from draftkeeper.core.blobs.hashers import Hasher\n"
        "h = Hasher()\n"
        "h.walk_and_hash([sys.argv[1]], '.dk-tmp-', 262144).result(timeout=60)\n"
        "print(h.worker.pid, flush=True)\n"  # (no close: the program just ends)
    )
    done = subprocess.run([sys.executable, "-c", script, str(fixture_root)],
                          capture_output=True, text=True, timeout=120, check=True)
    pid = int(done.stdout)
    assert not alive(pid)


def test_an_idle_helper_ends_and_another_starts_when_asked(fixture_root: Path) -> None:
    worker = Worker(idle_s=0.05)
    hasher = Hasher(worker)
    work = ([str(fixture_root)], TMP_PREFIX, 256 * 1024)
    first = hasher.walk_and_hash(*work)
    assert first is not None and first.result(timeout=60)
    pid = worker.pid
    assert pid is not None
    deadline = time.monotonic() + 30
    while (worker.pid is not None or alive(pid)) and time.monotonic() < deadline:
        time.sleep(0.01)  # (it ends itself 0.05 s after its last answer)
    assert worker.pid is None and not alive(pid)
    again = hasher.walk_and_hash(*work)
    assert again is not None and again.result(timeout=60) == first.result()
    assert not worker.broken
    hasher.close()
    assert worker.pid is None


def test_a_function_that_fails_fails_its_own_request_only(fixture_root: Path) -> None:
    worker = Worker()
    failed = worker.submit(walk_and_hash, "not a (folders, skip, small) tuple")
    assert failed is not None
    try:
        failed.result(timeout=60)
    except WorkerFailed as exc:
        assert "ValueError" in str(exc)
    else:
        raise AssertionError("a function that raised gave an answer")
    content = str(fixture_root / TEMPLATE_ID / "draft_content.json")
    for fn in (parse_facts, Path):  # an answer that is no marshal data; not our module
        refused = worker.submit(fn, content)
        assert refused is not None
        try:
            refused.result(timeout=60)
        except WorkerFailed:
            pass
        else:
            raise AssertionError(f"{fn.__name__}: an answer came")
    work = ([str(fixture_root)], TMP_PREFIX, 256 * 1024)
    fine = worker.submit(walk_and_hash, work)
    assert fine is not None and fine.result(timeout=60) == walk_and_hash(work)
    assert not worker.broken
    worker.close()
