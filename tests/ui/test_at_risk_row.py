"""A draft whose last save failed before this start shows at risk in the window's table."""

from __future__ import annotations

import errno
import time
from pathlib import Path
from typing import Any

from draftkeeper.core.errors import SaveFailed
from draftkeeper.core.saving.status import State
from draftkeeper.core.store.attempts import Attempt, AttemptLog
from draftkeeper.ui.style import colour
from draftkeeper.ui.table.model import STATUS
from tests.helpers import make_draft
from tests.ui.conftest import until
from tests.ui.test_dialogs import shoot


def test_the_at_risk_row(drive: Any, make_window: Any, tmp_path: Path) -> None:
    root = tmp_path / "drafts"
    make_draft(root, "ok-draft")
    make_draft(root, "risky-draft")
    # a failed attempt recorded by an earlier run (the record lives beside the store)
    log = AttemptLog(tmp_path / "store" / "attempts")
    error = SaveFailed(f"Save failed: no space left on device (errno {errno.ENOSPC})")
    log.append(Attempt.failure("risky-draft", time.time() - 180, "autosave", error))

    async def scenario() -> None:
        window = await make_window(root, autosave_enabled=False)
        window.resize(1180, 360)
        await until(lambda: window.model.rowCount() == 2)
        sched = window.session.scheduler
        await sched.save("ok-draft")
        assert sched.status("risky-draft").state is State.AT_RISK
        text = window.status_text("risky-draft")
        assert text.startswith("At risk: last save failed 3 minutes ago")
        assert text.endswith(": Save failed: no space left on device (errno 28)")
        row = window.model.row_of("risky-draft")
        assert row is not None
        index = window.model.index(row, STATUS)
        assert window.model.data(index, 9).color() == colour(State.AT_RISK)  # ForegroundRole
        window.select_key("ok-draft")
        await until(lambda: window.counts_label.text().startswith("2 drafts · 1 at risk"))
        shoot(window, "at-risk-row")

    drive(scenario)
