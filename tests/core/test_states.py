"""A draft's ``State``: a str, one object per value (it replaced an enum, tests/ relied on
what an enum gives: members in order, lookup by value, identity)."""

from __future__ import annotations

import copy
import pickle

import pytest

from draftkeeper.core.saving.status import NOT_SAVED, PENDING, State


def test_members_in_order_with_their_values() -> None:
    assert [s.value for s in State] == ["clean", "unsaved", "queued", "saving", "retrying",
                                         "failed", "at_risk", "missing", "lost"]
    assert State.AT_RISK == "at_risk" and f"{State.AT_RISK}" == "at_risk"
    assert type(State.LOST.value) is str
    assert repr(State.MISSING) == "State.MISSING"


def test_one_object_per_value() -> None:
    for state in State:
        assert State(state.value) is state
        assert pickle.loads(pickle.dumps(state)) is state
        assert copy.deepcopy(state) is state
    with pytest.raises(ValueError, match="'cleaned' is not a State"):
        State("cleaned")


def test_sets_of_states() -> None:
    assert State.SAVING in PENDING and "saving" in PENDING
    assert State.CLEAN not in NOT_SAVED and State.AT_RISK in NOT_SAVED
