"""The attempt record: append-only, durable, readable after a crash mid-append."""

from __future__ import annotations

import json
from pathlib import Path

from draftkeeper.core.errors import DraftNotFound, Unavailable
from draftkeeper.core.store.attempts import Attempt, AttemptLog
from draftkeeper.core.store.keys import draft_key


def test_appends_read_back_and_a_torn_last_line_is_skipped(tmp_path: Path) -> None:
    log = AttemptLog(tmp_path / "attempts")
    key = "http://127.0.0.1:1/openapi/capcut-mate/v1/get_draft?draft_id=草稿"
    log.append(Attempt.success(key, 100.0, "manual", None, False))
    log.append(Attempt.failure(key, 200.0, "autosave",
                               Unavailable("Cannot reach the server", offline=True)))
    with open(log.path(key), "ab") as f:
        f.write(b'{"time": 300.0, "outcome": "sav')  # a crash while appending
    attempts = log.read(key)
    assert [(a.time, a.outcome) for a in attempts] == [(100.0, "saved"), (200.0, "failed")]
    last = log.last(key)
    assert last is not None and last.failed and last.message == "Cannot reach the server"
    error = last.as_error()
    assert isinstance(error, Unavailable) and error.offline and error.retryable
    assert log.last_many([key, "never-tried"]) == [last, None]


def test_permanent_errors_come_back_as_themselves(tmp_path: Path) -> None:
    log = AttemptLog(tmp_path)
    log.append(Attempt.failure("d", 1.0, "manual",
                               DraftNotFound("Draft does not exist on the server")))
    error = log.read("d")[0].as_error()
    assert isinstance(error, DraftNotFound) and not error.retryable and error.code == 2001


def test_records_of_older_versions_are_still_read(tmp_path: Path) -> None:
    legacy = tmp_path / "remote"
    legacy.mkdir()
    url = "http://h/openapi/capcut-mate/v1/get_draft?draft_id=x"
    (legacy / f"{draft_key(url)}.jsonl").write_text(
        json.dumps({"time": 5.0, "outcome": "failed", "message": "HTTP 503", "draft_url": url})
        + "\n")
    log = AttemptLog(tmp_path / "attempts", legacy=legacy)
    last = log.last(url)
    assert last is not None and last.failed and last.message == "HTTP 503"
    log.append(Attempt.success(url, 9.0, "autosave", None, False))
    assert [a.outcome for a in log.read(url)] == ["failed", "saved"]


def test_a_batch_of_first_saves_is_read_back_as_each_drafts_own_attempts(
        tmp_path: Path) -> None:
    """A batch's successes of drafts with no record yet share a few files (a first
    `save --all` of 10,000 drafts creates at most 256 of them, not 10,000); each draft's
    attempts still read back as its own, and once a draft fails, its last attempt is
    that failure until a later success supersedes it."""
    folder = tmp_path / "attempts"
    log = AttemptLog(folder)
    keys = [f"draft{i:04d}" for i in range(1000)]
    log.append_many([Attempt.success(k, 10.0, "manual", f"v1-{k}", False) for k in keys])
    assert len(list(folder.rglob("*.jsonl"))) <= 256
    for k in keys[:50]:
        [attempt] = log.read(k)
        assert attempt == Attempt.success(k, 10.0, "manual", f"v1-{k}", False)
    lasts = log.last_many([*keys, "never-tried"])
    assert [a.version if a else None for a in lasts] == [f"v1-{k}" for k in keys] + [None]

    failed = Unavailable("The version store is busy")
    log.append_many([Attempt.failure("draft0001", 20.0, "autosave", failed),
                     Attempt.success("draft0002", 20.0, "autosave", "v2", False)])
    last = log.last("draft0001")
    assert last is not None and last.failed
    assert log.last_many(["draft0001", "draft0002"]) == [last, log.last("draft0002")]
    assert [a.version for a in log.read("draft0002")] == ["v1-draft0002", "v2"]
    # a later batch: an unchanged answer supersedes the failure; a new version follows it
    log.append_many([Attempt.success("draft0001", 30.0, "autosave", "v1-draft0001", True)])
    log.append_many([Attempt.success("draft0001", 40.0, "autosave", "v3", False)])
    assert [(a.time, a.outcome) for a in log.read("draft0001")] == [
        (10.0, "saved"), (20.0, "failed"), (30.0, "saved"), (40.0, "saved")]
    last = AttemptLog(folder).last("draft0001")  # (a restart)
    assert last is not None and not last.failed and last.version == "v3"
