"""The scheduler's decisions on their own: when a draft is due (timing), what a draft that
joins the list shows (board), and one prober per offline server (servers). No loop, no
backend: plain values and a clock reading."""

from __future__ import annotations

import asyncio

from draftkeeper.core.backend import DraftInfo, DraftScan, SavedState, fingerprint
from draftkeeper.core.errors import DraftLost, SaveFailed, Unavailable
from draftkeeper.core.saving.board import first_status, updated
from draftkeeper.core.saving.server_state import Servers
from draftkeeper.core.saving.status import State
from draftkeeper.core.saving.timing import (
    EVENTS_SWEEP_FACTOR,
    SWEEP_S_PER_DRAFT,
    autosave_ready_at,
    autosave_wanted,
    next_retry_in,
    slow_retry,
    sweep_due,
)
from draftkeeper.core.store.attempts import Attempt

T = 1_000_000.0
FP = fingerprint([("draft_content.json", 10, 1)])
EDITED = fingerprint([("draft_content.json", 11, 2)])


def test_with_events_the_sweep_is_only_the_safety_net() -> None:
    assert sweep_due(T + 5, T, 5, events=False)  # without events: every scan interval
    assert not sweep_due(T + 5, T, 5, events=True)
    assert not sweep_due(T + 5 * EVENTS_SWEEP_FACTOR - 1, T, 5, events=True)
    assert sweep_due(T + 5 * EVENTS_SWEEP_FACTOR, T, 5, events=True)
    # with many drafts the safety net is paced by their number (its cost grows with it)
    many = 10_000
    assert not sweep_due(T + 5 * EVENTS_SWEEP_FACTOR, T, 5, events=True, drafts=many)
    assert sweep_due(T + many * SWEEP_S_PER_DRAFT, T, 5, events=True, drafts=many)
    assert sweep_due(T + 5, T, 5, events=False, drafts=many)  # the only watcher: full pace


def test_an_autosave_tick_saves_changed_drafts_and_remote_ones_on_cadence() -> None:
    # a local draft: only when it has unsaved changes
    assert autosave_wanted(State.UNSAVED, True, T - 1000, T, 30)
    assert not autosave_wanted(State.CLEAN, True, T - 1000, T, 30)
    # a remote draft (changes cannot be seen): every tick, unless saved in the last half
    # interval (a manual save just after a tick does not push the next save a tick later)
    assert autosave_wanted(State.CLEAN, False, None, T, 30)  # never saved
    assert autosave_wanted(State.CLEAN, False, T - 15, T, 30)
    assert not autosave_wanted(State.CLEAN, False, T - 14, T, 30)
    # failed or missing drafts are not autosave's (slow retries and the user are)
    for state in (State.FAILED, State.AT_RISK, State.MISSING, State.LOST, State.SAVING):
        assert not autosave_wanted(state, False, None, T, 30)


def test_autosave_waits_for_quiet_and_the_gap_between_autosaves() -> None:
    # quiet 2 s after the last change
    assert autosave_ready_at(T, float("-inf"), 2, 10, check_only=False) == T + 2
    # autosaved 5 s before the change: the gap of 10 s decides
    assert autosave_ready_at(T, T - 5, 2, 10, check_only=False) == T + 5
    # only checking the state (autosave off): the quiet period alone
    assert autosave_ready_at(T, T - 5, 2, 10, check_only=True) == T + 2


def test_a_failed_drafts_slow_retry_is_due_at_its_time_unless_it_moved_on() -> None:
    assert slow_retry(None, T, State.FAILED, False, True) == "not_due"
    assert slow_retry(T + 1, T, State.FAILED, False, True) == "not_due"
    assert slow_retry(T, T, State.FAILED, False, True) == "now"
    assert slow_retry(T - 9, T, State.AT_RISK, False, True) == "now"
    assert slow_retry(T, T, State.CLEAN, False, True) == "drop"  # saved meanwhile
    assert slow_retry(T, T, State.FAILED, True, True) == "drop"  # saving already
    assert slow_retry(T, T, State.FAILED, False, False) == "later"  # autosave is off
    assert next_retry_in([None, T + 60, T + 5], T) == 5
    assert next_retry_in([None], T) is None


def info(remote: bool = False) -> DraftInfo:
    return DraftInfo(draft_id="d", name="d", root="/r", path="/r/d", size=1, file_count=1,
                     modified=0.0, draft_url="http://s/d" if remote else "d", remote=remote)


def test_a_draft_joins_the_list_clean_unsaved_or_never_saved() -> None:
    clean, retry = first_status(DraftScan(info(), FP), SavedState(FP, T - 60, 3), None, T)
    assert (clean.state, clean.versions, retry) == (State.CLEAN, 3, None)
    edited, _ = first_status(DraftScan(info(), EDITED), SavedState(FP, T - 60, 3), None, T)
    assert (edited.state, edited.detail_kind) == (State.UNSAVED, "")
    new, _ = first_status(DraftScan(info(), FP), SavedState(None, None, 0), None, T)
    assert (new.state, new.detail_kind) == (State.UNSAVED, "never_saved")
    remote, _ = first_status(DraftScan(info(True), None), SavedState(None, T - 60, 2), None, T)
    assert remote.state is State.CLEAN  # saved before: the server holds the state


def test_a_draft_whose_last_attempt_failed_after_its_last_save_joins_at_risk() -> None:
    failed = Attempt.failure("d", T - 10, "autosave", SaveFailed("Save failed: disk full"))
    status, retry = first_status(DraftScan(info(), EDITED), SavedState(FP, T - 60, 3), failed, T)
    assert status.state is State.AT_RISK and retry == T  # tried again at once
    assert (status.failed_at, status.error_kind, status.next_attempt_at) == (
        T - 10, "SaveFailed", T)
    assert status.error_message == "Save failed: disk full"
    # saved after that failure: not at risk
    later, retry = first_status(DraftScan(info(), EDITED), SavedState(FP, T - 5, 3), failed, T)
    assert later.state is State.UNSAVED and retry is None
    # the working copy is the saved version: nothing on disk is unsaved
    same, _ = first_status(DraftScan(info(), FP), SavedState(FP, T - 60, 3), failed, T)
    assert same.state is State.CLEAN


def test_a_remote_draft_the_server_lost_joins_lost_and_is_not_retried() -> None:
    lost = Attempt.failure("http://s/d", T - 10, "autosave",
                           DraftLost("Draft does not exist on the server", versions=2))
    status, retry = first_status(DraftScan(info(True), None), SavedState(None, T - 60, 2),
                                 lost, T)
    assert status.state is State.LOST and retry is None and status.next_attempt_at is None


def test_a_status_leaving_failed_drops_its_failure_and_retry_time() -> None:
    status, _ = first_status(
        DraftScan(info(), EDITED), SavedState(FP, T - 60, 3),
        Attempt.failure("d", T - 10, "autosave", SaveFailed("Save failed: disk")), T)
    assert status.state is State.AT_RISK
    retrying = updated(status, state=State.RETRYING, next_attempt_at=T + 4)
    assert retrying.next_attempt_at == T + 4 and retrying.failed_at is None
    assert retrying.error_kind == ""
    clean = updated(retrying, state=State.CLEAN)
    assert clean.next_attempt_at is None


def test_an_offline_server_has_one_prober_and_its_waiters_go_when_it_answers() -> None:
    async def main() -> None:
        servers = Servers()
        down = Unavailable("Cannot reach the server", offline=True)
        first = servers.offline("http://s", "a", down, T + 2)
        assert servers.offline("http://s", "b", down, T + 9) is first
        assert (first.prober, first.next_at) == ("a", T + 2)  # b waits for a's probe
        servers.gave_up("http://s", "b", down)  # not the prober: the episode goes on
        assert servers.episode("http://s") is first and not first.done.is_set()
        servers.back("http://s")
        assert first.done.is_set() and first.failed is None
        assert servers.episode("http://s") is None
        again = servers.offline("http://s", "b", down, T + 20)
        servers.gave_up("http://s", "b", down)  # the prober gave up: so do its waiters
        assert again.done.is_set() and again.failed is down
        # failed drafts: one slow retry of a server at a time
        assert servers.claim_probe("http://s", "a")
        assert not servers.claim_probe("http://s", "b")
        servers.release_probe("http://s", "a")
        assert servers.claim_probe("http://s", "b")

    asyncio.run(main())


def test_a_new_request_limit_gives_the_server_new_slots() -> None:
    servers = Servers()
    one = servers.slots("http://s", 1)
    assert servers.slots("http://s", 1) is one
    two = servers.slots("http://s", 2)
    assert two is not one and servers.slots("http://other", 1) is not one
