"""Make docs/main-window.png, the README's screenshot: a CapCut-like draft root with a few
drafts in mixed states, and remote drafts on a local capcut-mate-like server.

    .venv/bin/python packaging/screenshot.py
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import qasync
from PySide6.QtWidgets import QApplication

from draftkeeper.core.saving.status import State
from draftkeeper.core.session.session import Session
from draftkeeper.core.settings.table import Settings
from draftkeeper.ui.window.window import MainWindow
from tests.capcut_server import CapcutServer, Fault

NAMES = {"0611-travel": "我的旅行 vlog", "0612-recipe": "Pasta in 10 minutes",
         "0613-review": "Camera review (draft 3)", "0614-intro": "Channel intro"}


async def main(tmp: Path) -> None:
    os.environ["DRAFTKEEPER_HOME"] = str(tmp / "home")
    root = tmp / "Movies" / "CapCut" / "User Data" / "Projects" / "com.lveditor.draft"
    sample = REPO / "app" / "draftkeeper" / "core" / "drafts" / "sample_draft"
    for folder in NAMES:
        shutil.copytree(sample, root / folder)
    (root / "root_meta_info.json").write_text(json.dumps({"all_draft_store": [
        {"draft_fold_path": str(root / k), "draft_name": v} for k, v in NAMES.items()]}),
        encoding="utf-8")
    with CapcutServer() as server:
        ok, gone, busy = server.create(), server.draft_url("2025092811473036584258"), \
            server.create()
        settings = Settings(roots=[str(root)], autosave_enabled=True, backoff_base_s=4)
        session = Session(settings, settings_path=tmp / "settings.json")
        await session.start()
        window = MainWindow(session)
        window.resize(int(os.environ.get("SHOT_WIDTH", "1180")), 600)
        window.show()
        sched = session.scheduler
        for key in ("0611-travel", "0612-recipe", "0613-review"):
            await sched.save(key)
        (root / "0612-recipe" / "draft_content.json").write_text('{"edited": 1}')
        for url in (ok, gone, busy):
            await session.add_remote(url)
        await sched.save(ok)
        window.spawn(sched.save(gone), report=False)
        await asyncio.sleep(0.3)
        server.fail("save_draft", *[Fault(status=503, headers={"Retry-After": "4"})] * 5)
        window.spawn(sched.save(busy), report=False)
        while sched.status(busy).state is not State.RETRYING:
            await asyncio.sleep(0.05)
        await sched.refresh()
        window.select_key("0611-travel")
        await asyncio.sleep(1.2)
        out = Path(os.environ.get("SHOT_OUT", REPO / "docs" / "main-window.png"))
        out.parent.mkdir(exist_ok=True)
        window.grab().save(str(out))
        print(out)
        window._quit_ready = True
        window.close()
        await session.stop()


if __name__ == "__main__":
    app = QApplication(sys.argv)
    app.setQuitOnLastWindowClosed(False)
    from draftkeeper.ui.words.i18n import Translations

    translations = Translations()  # kept: its translators live as long as it does
    translations.install(os.environ.get("SHOT_LANGUAGE", "en"))  # zh: the window in Chinese
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with tempfile.TemporaryDirectory(prefix="dk-shot-") as tmp, loop:
        loop.run_until_complete(main(Path(tmp)))
