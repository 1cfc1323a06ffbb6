"""JSON of plain data, read and written by CPython's own C accelerator, without ``json``.

The store's manifests, attempt records and journal, the settings file and the quick
answer's index are read and written on every save. ``json`` compiles regular expressions
when it is imported (its decoder's and encoder's patterns), so it loads ``re`` and the
``enum`` under it: with its own modules ~4-5 ms (``-X importtime``) of a changed
``draftkeeper save``, for text that ``json`` hands to ``_json`` (its C scanner and encoder)
anyway (pathlib's ``re`` goes too: cli/leanpath.py). This module calls ``_json`` the way
``json.loads`` and ``json.dumps(ensure_ascii=False)`` do (one line, no indent): the same
text out, the same values in (floats, ints, NaN and Infinity as ``json`` makes them; bytes
decoded as ``json.loads`` decodes them). What ``_json`` would report badly without ``json``
loaded (every error: a broken document, text after it, a bad byte, a wrong type) is read
again by ``json.loads``, which raises its own error (``json.JSONDecodeError``, a
``ValueError``, with the line and column of the problem): only a bad file pays for ``json``.
An indented document (``--json`` output, the settings file) is written by ``json`` itself.
"""

from __future__ import annotations

import _json

TYPE_CHECKING = False  # (typing itself is not loaded for it)
if TYPE_CHECKING:
    from typing import Any

_WHITESPACE = " \t\n\r"  # json.decoder.WHITESPACE's characters
_CONSTANTS = {"-Infinity": float("-inf"), "Infinity": float("inf"), "NaN": float("nan")}


class _Context:
    """What ``json.JSONDecoder()`` gives its scanner: every option at its default."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int
    parse_constant = _CONSTANTS.__getitem__


# (typeshed types the context as a scanner: any object with these attributes is one)
_scan = _json.make_scanner(_Context())  # type: ignore[arg-type]


def _encoding(b: bytes) -> str:
    """The encoding ``json.loads`` reads ``b`` in (json.detect_encoding)."""
    if b.startswith((b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00")):
        return "utf-32"
    if b.startswith((b"\xfe\xff", b"\xff\xfe")):
        return "utf-16"
    if b.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if len(b) >= 4:
        if not b[0]:
            return "utf-16-be" if b[1] else "utf-32-be"
        if not b[1]:
            return "utf-16-le" if b[2] or b[3] else "utf-32-le"
    elif len(b) == 2:
        if not b[0]:
            return "utf-16-be"
        if not b[1]:
            return "utf-16-le"
    return "utf-8"


def _skip(text: str, at: int) -> int:
    """The index of the first character at or after ``at`` that is not JSON whitespace."""
    while at < len(text) and text[at] in _WHITESPACE:
        at += 1
    return at


def loads(raw: bytes | str) -> Any:
    """``json.loads(raw)``: the value of the one JSON document ``raw`` holds;
    ``json.JSONDecodeError`` (a ValueError) naming the problem when it is not one."""
    try:
        text = raw if isinstance(raw, str) else raw.decode(_encoding(raw), "surrogatepass")
        if not text.startswith("\ufeff"):  # (json.loads refuses a str with a BOM)
            value, end = _scan(text, _skip(text, 0))
            if _skip(text, end) == len(text):
                return value
    except Exception:  # (json.loads reads it again, to say what is wrong)
        pass
    import json  # its own error, in its own words

    return json.loads(raw)


def _not_plain(value: object) -> Any:
    """``json.JSONEncoder.default``: a value JSON has no form for."""
    raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")


string = _json.encode_basestring  # a str as a JSON string: json.dumps(s, ensure_ascii=False)


def dumps(value: object, *, compact: bool = False) -> str:
    """``json.dumps(value, ensure_ascii=False)`` (``compact``: with
    ``separators=(",", ":")`` too): one line, non-ASCII characters as they are."""
    if isinstance(value, str):
        return str(string(value))
    # (a fresh encoder, and memo of the containers being written, each time, as
    # json.dumps makes: after an error the C encoder's memo may keep entries)
    encode = _json.make_encoder({}, _not_plain, _json.encode_basestring, None,
                                ":" if compact else ": ", "," if compact else ", ",
                                False, False, True)
    return "".join(encode(value, 0))
