"""UI responsiveness benchmark: how late does a 5 ms QTimer heartbeat fire?

    python bench/ui_stall.py

(a) the window idle, (b) while it autosaves 100 drafts of 1 MB each, (c) while 20 remote
drafts retry against a local server answering 503, (d) while the window's Local API answers
50 save_draft requests per second (unchanged saves of the 2,000-caption fixture draft) from
another process, (e) while the list computes covers, durations, badges and content
summaries of 100 drafts of 5.5 MB JSON each (the drafts' JSON parsed in the process pool),
beside (e') the same 100 parses done with json.loads in a worker thread of the window's
process (what the process pool avoids), (f) with 10,000 saved drafts (copies of the
template fixture, built and saved as bench/window_start.py does) while the table scrolls
through every row (3 pages at a time) and while a filter is typed a key at a time and cleared.
Prints p50, p99 and max lateness.
Targets: p99 within one frame (16 ms) and max under 50 ms in (b), (c), (d) and (e);
p99 within one frame in (f).
``python bench/ui_stall.py summaries`` runs only (e) and (e'); ``python bench/ui_stall.py
many`` only (f) (``--keep DIR``: the drafts saved by ``bench/window_start.py --keep DIR``,
built there when missing).
Runs offscreen unless QT_QPA_PLATFORM is set.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import qasync
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from draftkeeper.core.saving.status import State
from draftkeeper.core.session.session import Session
from draftkeeper.core.settings.table import Settings
from draftkeeper.ui.app import keep_ui_thread_responsive
from draftkeeper.ui.window.window import MainWindow

BEAT_MS = 5


class Heartbeat:
    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(BEAT_MS)
        self.timer.timeout.connect(self._beat)
        self.samples: list[float] = []
        self._last = 0.0

    def _beat(self) -> None:
        now = time.perf_counter()
        if self._last:
            self.samples.append(max(0.0, (now - self._last) * 1000 - BEAT_MS))
        self._last = now

    def start(self) -> None:
        self.samples, self._last = [], 0.0
        self.timer.start()

    def stop(self) -> list[float]:
        self.timer.stop()
        return self.samples


def report(label: str, samples: list[float], targeted: bool) -> None:
    ordered = sorted(samples)
    p50 = statistics.median(ordered)
    p99 = ordered[int(len(ordered) * 0.99) - 1]
    worst = ordered[-1]
    verdict = ""
    if targeted:
        ok = p99 <= 16 and worst < 50
        verdict = "  target met" if ok else "  target NOT met"
    print(f"{label:<44} beats {len(ordered):5d}  p50 {p50:5.1f} ms  p99 {p99:5.1f} ms  "
          f"max {worst:5.1f} ms{verdict}")


def make_drafts(root: Path, count: int, size: int) -> None:
    rng = random.Random(1)
    words = [f'"k{i}": "{rng.random():.10f}"' for i in range(2000)]
    for i in range(count):
        folder = root / f"draft{i:03d}"
        folder.mkdir(parents=True)
        parts, n = [], 0
        while n < size:
            w = rng.choice(words)
            parts.append(w)
            n += len(w) + 2
        (folder / "draft_content.json").write_text("{" + ", ".join(parts) + "}")
        (folder / "draft_meta_info.json").write_text('{"draft_name": "bench"}')


async def run(tmp: Path) -> None:
    root = tmp / "drafts"
    make_drafts(root, 100, 1024 * 1024)
    settings = Settings(
        roots=[str(root)], store_dir=str(tmp / "store"), autosave_enabled=False,
        autosave_interval_s=5.0, quiet_period_s=0.0, min_autosave_gap_s=0.0,
        scan_interval_s=1.0, backoff_base_s=0.2, backoff_cap_s=1.0, max_attempts=100,
    )
    session = Session(settings, settings_path=tmp / "settings.json")
    await session.start()
    window = MainWindow(session)
    window.show()
    beat = Heartbeat()

    beat.start()
    await asyncio.sleep(3)
    report("(a) idle window", beat.stop(), targeted=False)

    beat.start()
    t = time.perf_counter()
    session.scheduler.set_autosave(True, 5.0)
    while not all(s.versions for s in session.scheduler.statuses()):
        await asyncio.sleep(0.05)
    took = time.perf_counter() - t
    report(f"(b) autosave of 100 x 1 MB drafts ({took:.1f} s)", beat.stop(), targeted=True)
    session.scheduler.set_autosave(False)

    # the server runs in another process, so that its threads do not compete with the
    # window for this process's GIL: what is measured is the app alone
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER_503], stdout=subprocess.PIPE, text=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    try:
        assert server.stdout is not None
        base = server.stdout.readline().strip()
        urls = [f"{base}/openapi/capcut-mate/v1/get_draft?draft_id=remote{i:02d}"
                for i in range(20)]
        for url in urls:
            await session.add_remote(url)
        beat.start()
        for url in urls:
            window.spawn(session.scheduler.save(url), report=False)
        t = time.perf_counter()
        while time.perf_counter() - t < 6:
            await asyncio.sleep(0.1)
        retrying = sum(session.scheduler.status(u).state is State.RETRYING for u in urls)
        report("(c) 20 remote drafts retrying on 503", beat.stop(), targeted=True)
        assert retrying == 20, retrying
    finally:
        server.terminate()
        server.wait()
    await local_api_under_load(tmp, session, window, beat)
    window._quit_ready = True
    window.close()
    await session.stop()


SERVER_503 = """
import time
from tests.capcut_server import CapcutServer, Fault
server = CapcutServer().start()
server.fail("save_draft", *[Fault(status=503, headers={"Retry-After": "0"})] * 100_000)
print(server.base, flush=True)
time.sleep(3600)
"""


LOAD = """
import sys, time, httpx
url, draft_url, seconds, rate = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
ok = n = 0
with httpx.Client(timeout=30) as client:
    start = time.perf_counter()
    while n < seconds * rate:
        due = start + n / rate
        if due > time.perf_counter():
            time.sleep(due - time.perf_counter())
        ok += client.post(url, json={"draft_url": draft_url}).status_code == 200
        n += 1
    print(ok, n, n / (time.perf_counter() - start), flush=True)
"""


async def local_api_under_load(tmp: Path, session: Session, window: MainWindow,
                               beat: Heartbeat) -> None:
    import socket
    import tarfile

    for key in list(session.settings.remote_drafts):  # (c)'s drafts: retrying no more
        await session.remove(key)
    fixtures = tmp / "fixture-drafts"
    fixtures.mkdir()
    with tarfile.open(Path(__file__).resolve().parents[1] / "tests" / "fixtures"
                      / "capcut-mate-draft-2000-captions.tar.gz") as tar:
        tar.extractall(fixtures, filter="data")
    await session.add_root(str(fixtures))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    await session.apply_settings({"api_enabled": True, "api_port": port})
    await window.apply_api()
    assert window.api is not None
    draft = "202611270045458a37b708"
    await session.scheduler.save(draft)  # the first (real) save; then they are unchanged
    load = subprocess.Popen(
        [sys.executable, "-c", LOAD, f"{window.api.url}/openapi/capcut-mate/v1/save_draft",
         draft, "6", "50"], stdout=subprocess.PIPE, text=True)
    beat.start()
    while load.poll() is None:
        await asyncio.sleep(0.1)
    samples = beat.stop()
    assert load.stdout is not None
    ok, sent, rate = load.stdout.read().split()
    report(f"(d) Local API, {float(rate):.0f} saves/s ({ok}/{sent} ok)", samples, targeted=True)
    await window.stop_api()


def big_drafts(root: Path, count: int) -> int:
    """``count`` drafts whose draft_content.json is the 5.5 MB caption fixture's (hard
    links where the file system allows: each path is parsed on its own all the same)."""
    import shutil
    import tarfile

    source = root.parent / "fixture-source"
    with tarfile.open(Path(__file__).resolve().parents[1] / "tests" / "fixtures"
                      / "capcut-mate-draft-2000-captions.tar.gz") as tar:
        tar.extractall(source, filter="data")
    content = source / "202611270045458a37b708" / "draft_content.json"
    from PySide6.QtGui import QColor, QImage

    cover = source / "cover.jpg"  # an editor-sized cover, decoded for every row
    image = QImage(1280, 720, QImage.Format.Format_RGB32)
    image.fill(QColor("#1e88e5"))
    image.save(str(cover), "JPG")
    for i in range(count):
        folder = root / f"film{i:03d}"
        folder.mkdir(parents=True)
        try:
            os.link(content, folder / "draft_content.json")
        except OSError:
            shutil.copyfile(content, folder / "draft_content.json")
        (folder / "draft_meta_info.json").write_text('{"draft_name": "bench"}')
        shutil.copyfile(cover, folder / "draft_cover.jpg")
    return content.stat().st_size


async def summaries(tmp: Path) -> None:
    import json

    root = tmp / "big"
    size = big_drafts(root, 100)
    settings = Settings(roots=[str(root)], store_dir=str(tmp / "store-big"),
                        autosave_enabled=False)
    session = Session(settings, settings_path=tmp / "settings-big.json")
    await session.start()
    beat = Heartbeat()
    t = time.perf_counter()
    window = MainWindow(session)  # lists the drafts, then asks for their details
    window.show()
    beat.start()  # from here on the details, covers and summaries come in
    while len(window.model.details) < 100 or len(window.model.thumbs) < 100:
        await asyncio.sleep(0.02)
    took = time.perf_counter() - t
    samples = beat.stop()
    parsed = session.local.parser.parsed
    report(f"(e) list of 100 x {size / 1e6:.1f} MB JSON, summaries and covers "
           f"({took:.1f} s, {parsed} parsed)", samples, targeted=True)
    assert all(d.summary is not None for d in window.model.details.values())

    files = sorted(root.glob("*/draft_content.json"))
    beat.start()
    t = time.perf_counter()
    await asyncio.to_thread(lambda: [json.loads(f.read_bytes()) for f in files])
    took = time.perf_counter() - t
    report(f"(e') the same parses in a thread ({took:.1f} s)", beat.stop(), targeted=False)
    window._quit_ready = True
    window.close()
    await session.stop()


async def many_rows(tmp: Path, count: int = 10_000, keep: Path | None = None) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from window_start import prepare  # bench/ is not a package

    base = keep / str(count) if keep is not None else tmp / "many"
    root, store = await asyncio.to_thread(prepare, base, count)
    settings = Settings(roots=[str(root)], store_dir=str(store), autosave_enabled=False)
    session = Session(settings, settings_path=tmp / "settings-many.json")
    await session.start()
    window = MainWindow(session)
    window.show()
    while len(window.model.details) < count:  # the start is bench/window_start.py's
        await asyncio.sleep(0.05)
    await asyncio.sleep(1)
    beat = Heartbeat()
    beat.start()
    await asyncio.sleep(3)
    report(f"(f) idle window, {count:,} rows (the machine's floor)", beat.stop(),
           targeted=False)
    bar = window.table.verticalScrollBar()
    beat.start()
    t = time.perf_counter()
    while bar.value() < bar.maximum():  # 3 pages every 50 ms, to the end and back up
        bar.setValue(bar.value() + 3 * bar.pageStep())
        await asyncio.sleep(0.05)
    while bar.value() > 0:
        bar.setValue(bar.value() - 10 * bar.pageStep())
        await asyncio.sleep(0.05)
    took = time.perf_counter() - t
    report(f"(f) scrolling {count:,} rows ({took:.1f} s)", beat.stop(), targeted=True)
    beat.start()
    t = time.perf_counter()
    for _ in range(3):
        for text in ("d", "dr", "dra", "draft", "draft0", "draft01", "draft012"):
            window.filter.setText(text)  # as typed: one key at a time
            await asyncio.sleep(0.15)
        window.filter.clear()
        await asyncio.sleep(0.3)
    took = time.perf_counter() - t
    report(f"(f) filtering {count:,} rows ({took:.1f} s)", beat.stop(), targeted=True)
    window._quit_ready = True
    window.close()
    await session.stop()


def main() -> None:
    keep_ui_thread_responsive()  # as the app does
    app = QApplication(sys.argv)
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    args = sys.argv[1:]
    keep = None
    if "--keep" in args:  # the saved drafts of bench/window_start.py --keep DIR
        at = args.index("--keep")
        keep = Path(args[at + 1])
        del args[at:at + 2]
    only = args[0] if args else ""
    with tempfile.TemporaryDirectory(prefix="dk-ui-") as tmp, loop:
        if not only:
            loop.run_until_complete(run(Path(tmp)))
        if only in ("", "summaries"):
            loop.run_until_complete(summaries(Path(tmp)))
        if only in ("", "many"):
            loop.run_until_complete(many_rows(Path(tmp), keep=keep))


if __name__ == "__main__":
    main()
