"""The files of one save stored at once by a command's own threads
(``snapshot._together``: the lean path of ``draftkeeper save``, which runs in its own
process, tests/cli/test_cli_imports.py): every file is tried, and the save fails with the
first file's error in order, once none is still being stored."""

from __future__ import annotations

import _thread
import threading

import pytest

from draftkeeper.core.store.snapshot import _together


def test_every_job_runs_on_at_most_the_workers_asked() -> None:
    seen: list[tuple[int, int]] = []
    gate = threading.Barrier(2, timeout=10)  # two run at once, or this times out

    def job(i: int) -> None:
        if i < 2:
            gate.wait()
        seen.append((i, _thread.get_ident()))

    _together([lambda i=i: job(i) for i in range(7)], 2)
    assert sorted(i for i, _t in seen) == list(range(7))
    assert len({t for _i, t in seen}) == 2
    assert _thread.get_ident() in {t for _i, t in seen}  # the caller takes its share


def test_the_first_error_in_order_is_raised_after_every_job_ended() -> None:
    ended: list[int] = []
    second_may_end = threading.Event()

    def job(i: int) -> None:
        if i == 1:
            second_may_end.wait(10)
        ended.append(i)
        if i in (1, 3):
            raise OSError(f"file {i}")
        if i == 2:
            second_may_end.set()

    with pytest.raises(OSError, match="file 1"):
        _together([lambda i=i: job(i) for i in range(5)], 2)
    assert sorted(ended) == [0, 1, 2, 3, 4]


def test_without_a_thread_to_be_had_the_caller_runs_every_job(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def no_thread(*_args: object) -> int:
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(_thread, "start_new_thread", no_thread)
    ran: list[int] = []
    _together([lambda i=i: ran.append(i) for i in range(4)], 4)
    assert ran == [0, 1, 2, 3]
