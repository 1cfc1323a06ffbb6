"""When the scheduler acts: its timing decisions, as pure functions of a draft's state and
the clock (unit-tested without a loop, tests/core/test_scheduler_parts.py).

The stat sweep runs every ``scan_interval_s`` (with file-system events only every
``EVENTS_SWEEP_FACTOR`` times that, and at least ``SWEEP_S_PER_DRAFT`` per draft apart: it
is then the safety net, and an idle ``watch`` of 10,000 drafts keeps it below 0.3% of a
core: a sweep costs about 50 us of CPU per draft on a busy 2-core machine, half of it the
stat calls, so 25 ms per draft apart is 0.2%). Autosave saves a draft
``quiet_period_s`` after its last change, at most once per ``min_autosave_gap_s``; a
remote draft (whose changes cannot be seen) is saved on every autosave tick. A draft whose
attempts are used up is tried again at the slow cadence (``RetryPolicy.slow``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from draftkeeper.core.saving.status import FAILED_STATES, State

EVENTS_SWEEP_FACTOR = 12  # with events, the stat sweep runs every 12 x scan_interval_s
SWEEP_S_PER_DRAFT = 0.025  # ... and with events, at least this long per draft apart


def sweep_every(scan_interval_s: float, events: bool, drafts: int = 0) -> float:
    """Seconds between stat sweeps."""
    if not events:
        return scan_interval_s
    return max(scan_interval_s * EVENTS_SWEEP_FACTOR, drafts * SWEEP_S_PER_DRAFT)


def sweep_due(now: float, last: float, scan_interval_s: float, events: bool,
              drafts: int = 0) -> bool:
    """Whether the stat sweep runs now, the last one having run at ``last``."""
    return not events or now - last >= sweep_every(scan_interval_s, events, drafts)


def autosave_wanted(
    state: State, watchable: bool, last_saved_at: float | None, now: float, interval_s: float
) -> bool:
    """Whether an autosave tick at ``now`` starts an autosave of the draft: when it has
    unsaved changes; a draft whose changes cannot be seen (``watchable`` False: remote) on
    every tick, unless saved in the last half interval (a save just after a tick must not
    push the next one to the tick after: the cadence would be twice what it says)."""
    periodic = not watchable and state in (State.CLEAN, State.UNSAVED) and (
        last_saved_at is None or now - last_saved_at >= interval_s / 2
    )
    return state is State.UNSAVED or periodic


def autosave_ready_at(
    last_change: float, last_autosave: float, quiet_period_s: float, min_gap_s: float,
    *, check_only: bool,
) -> float:
    """When an autosave may look at the draft: once quiet for ``quiet_period_s`` after its
    last change, and (unless it only checks the state) ``min_gap_s`` after the last
    autosave."""
    ready_at = last_change + quiet_period_s
    if not check_only:
        ready_at = max(ready_at, last_autosave + min_gap_s)
    return ready_at


SlowRetry = Literal["not_due", "drop", "later", "now"]


def slow_retry(
    retry_at: float | None, now: float, state: State, busy: bool, autosave_enabled: bool
) -> SlowRetry:
    """What becomes of a failed draft's slow retry at ``now``: not due yet; dropped (it is
    saving already, or was saved meanwhile: ``busy`` when a save or autosave of it runs);
    put off by one slow period (autosave is off); or due now."""
    if retry_at is None or retry_at > now:
        return "not_due"
    if state not in FAILED_STATES or busy:
        return "drop"
    if not autosave_enabled:
        return "later"
    return "now"


def next_retry_in(retry_ats: Iterable[float | None], now: float) -> float | None:
    """How long until the first slow retry is due (zero or less: due); None when no draft
    waits for one."""
    due = [t for t in retry_ats if t is not None]
    return min(due) - now if due else None
