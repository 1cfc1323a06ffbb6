"""core/plainjson.py writes and reads what ``json`` does, without loading it."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from draftkeeper.core import plainjson
from draftkeeper.core.store.attempts import Attempt
from draftkeeper.core.store.manifests import Manifest

VALUES = [
    {"draft_id": "é 草稿 \u2028\x00\"\\/", "time": 1733400000.123456, "files": [
        {"path": "Resources/a b.mp4", "size": 10**15, "mtime_ns": -1, "hash": None}],
     "nested": {"empty": {}, "list": [], "flags": [True, False, None]}},
    [1, 2.5, -0.0, 1e300, 5e-324, float("inf"), float("-inf"), 10**40, -(2**63)],
    "a lone \ud800 surrogate", "", 0, 1.0, None, True,
    {1: "int key", 2.5: "float key", False: "bool key", None: "null key"},
]


@pytest.mark.parametrize("value", VALUES)
def test_dumps_writes_the_text_json_dumps_writes(value: object) -> None:
    assert plainjson.dumps(value) == json.dumps(value, ensure_ascii=False)
    assert plainjson.dumps(value, compact=True) == json.dumps(
        value, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, str):
        assert plainjson.string(value) == json.dumps(value, ensure_ascii=False)


def test_nan_and_what_json_cannot_write_fail_as_json_dumps_fails() -> None:
    assert plainjson.dumps([float("nan")]) == "[NaN]"
    cyclic: list[object] = []
    cyclic.append(cyclic)
    for bad in (object(), {(1, 2): "tuple key"}, {"a": {1, 2}}, cyclic, b"bytes"):
        with pytest.raises((TypeError, ValueError)) as ours:
            plainjson.dumps(bad)
        with pytest.raises((TypeError, ValueError)) as theirs:
            json.dumps(bad, ensure_ascii=False)
        assert (ours.type, str(ours.value)) == (theirs.type, str(theirs.value))
    assert plainjson.dumps({"after": "errors"}) == '{"after": "errors"}'  # nothing kept


DOCUMENTS = ['{"a": 1}', ' \n\t[1, 2.5, NaN, Infinity, -Infinity, "x\\u00e9\\ud83d\\ude00"]\r\n',
             '"\\ud800"', "1e400", "-0", "-0.0", "123456789012345678901234567890", "null",
             '{"a": 1, "a": 2}', '{"k": {"k": ["k", "k"]}}']


@pytest.mark.parametrize("text", DOCUMENTS)
def test_loads_reads_what_json_loads_reads_in_each_encoding_it_detects(text: str) -> None:
    for raw in (text, text.encode(), bytearray(text.encode()), text.encode("utf-8-sig"),
                text.encode("utf-16"), text.encode("utf-16-le"), text.encode("utf-16-be"),
                text.encode("utf-32"), text.encode("utf-32-le"), text.encode("utf-32-be")):
        assert repr(plainjson.loads(raw)) == repr(json.loads(raw)), raw


BROKEN = ["", "  ", '{"a" 1}', "[1,]", "1 2", '{"a":1}x', "\ufeff{}", '{"a": "\x01"}', "nan",
          "[", '{"a": "\\x"}', "[" * 100_000]


def outcome(load: Callable[[bytes | str], object], raw: bytes | str) -> tuple[object, str]:
    try:
        return "value", repr(load(raw))
    except (ValueError, RecursionError) as e:  # (RecursionError: 100,000 "[")
        return type(e), str(e)


@pytest.mark.parametrize("text", BROKEN)
def test_a_broken_document_fails_with_json_s_own_error(text: str) -> None:
    # (as bytes, "\ufeff{}" is read: json.loads decodes bytes with a BOM as utf-8-sig)
    for raw in (text, text.encode(), b"\xff\xfe\xfd{" + text.encode()):
        assert outcome(plainjson.loads, raw) == outcome(json.loads, raw), raw
        assert outcome(json.loads, raw)[0] != "value" or raw == "\ufeff{}".encode()
    for wrong in (None, 3, memoryview(b"1")):
        with pytest.raises(TypeError, match="must be str, bytes or bytearray"):
            plainjson.loads(wrong)  # type: ignore[arg-type]


def test_a_process_without_json_reads_writes_and_reports_as_json_does(tmp_path: Path) -> None:
    """Without ``json`` (nor ``re``) loaded, as in a changed ``draftkeeper save``: a good
    document loads none of them; a broken one is reported by ``json.loads`` itself, with
    the line and column; a broken manifest is named as before."""
    program = (
        "import sys\n"
        "from draftkeeper.core import plainjson\n"
        "from draftkeeper.core.store.manifests import Manifest\n"
        "assert plainjson.loads(b'{\"a\": [1.5, \"\\xc3\\xa9\"]}') == {'a': [1.5, 'é']}\n"
        "assert plainjson.dumps({'é': [1, None]}, compact=True) == '{\"é\":[1,null]}'\n"
        "assert 'json' not in sys.modules, 'json loaded'\n"
        "try:\n"
        "    plainjson.loads(b'{\"a\": 1,\\n \"b\" 2}')\n"
        "except ValueError as e:\n"
        "    print(type(e).__module__, type(e).__name__, e)\n"
        "try:\n"
        "    Manifest.from_bytes(b'{\"format\": 2')\n"
        "except ValueError as e:\n"
        "    print(e)\n")
    env = {k: v for k, v in os.environ.items() if k != "DK_FS_RULES"}
    proc = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                          env=env, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        "json.decoder JSONDecodeError Expecting ':' delimiter: line 2 column 6 (char 14)",
        "not JSON (Expecting ',' delimiter at byte 12)"]


def test_the_store_s_records_read_back_and_name_what_is_wrong() -> None:
    attempt = Attempt.success("draft é", 1733400000.5, "manual", "20261206T145206.745452Z", False)
    assert Attempt.from_line(attempt.to_line()) is not None
    assert Attempt.from_line(b"{broken") is None
    for raw, problem in ((b"[1]", "not a JSON object"), (b"\xff{}", "not UTF-8 text"),
                         (b'{"format": 2,}', "not JSON (Expecting property name enclosed in "
                                             "double quotes at byte 13)")):
        with pytest.raises(ValueError, match=problem.replace("(", r"\(").replace(")", r"\)")):
            Manifest.from_bytes(raw)
    assert math.isinf(plainjson.loads("[-Infinity]")[0])
