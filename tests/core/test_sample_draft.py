"""The sample draft ("Create a sample draft" on the empty page) is named so that people
recognise it in the list: its folder, which is its draft id and the name the list shows."""

from __future__ import annotations

import json
from pathlib import Path

from draftkeeper.core.drafts.folders import SAMPLE_NAME, create_sample_draft, list_drafts
from draftkeeper.core.urls import parse_draft_id, validate_draft_id


def test_the_sample_is_named_and_numbered(tmp_path: Path) -> None:
    root = tmp_path / "drafts"
    first = create_sample_draft(root)
    assert first == SAMPLE_NAME == "Draft Keeper sample"
    validate_draft_id(first)  # spaces are fine in a draft id (a folder name)
    assert parse_draft_id(first) == first
    # "Draft Keeper sample 2" has versions in the store (say): the next is 3
    third = create_sample_draft(root, taken={"Draft Keeper sample 2"})
    assert third == "Draft Keeper sample 3"
    assert create_sample_draft(root) == "Draft Keeper sample 2"
    infos = {d.draft_id: d for d in list_drafts(root)}
    assert sorted(infos) == ["Draft Keeper sample", "Draft Keeper sample 2",
                             "Draft Keeper sample 3"]
    sample = infos[first]
    assert sample.name == "Draft Keeper sample" and sample.draft_url == first
    meta = json.loads((root / first / "draft_meta_info.json").read_bytes())
    assert meta["draft_name"] == first  # the editor shows it by the same name
    assert meta["draft_fold_path"].endswith("/Draft Keeper sample")
