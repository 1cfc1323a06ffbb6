"""Addresses and language for remote mode: the draft_url to send, whether a server is this
machine (plain http is then not a risk), and the Accept-Language header to ask in."""

from __future__ import annotations

import ipaddress
import locale
import os
from urllib.parse import urlsplit

from draftkeeper.core.errors import BadRequest
from draftkeeper.core.urls import base_of, make_draft_url, parse_draft_id

LANGUAGES = {"en": "en-US,en;q=0.9", "zh": "zh-CN,zh;q=0.9"}


def system_language() -> str:
    """"zh" when the system locale is Chinese, else "en" (no Qt here: the environment's
    locale, as LC_ALL / LC_MESSAGES / LANG give it)."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    code = locale.getlocale()[0] or ""
    return "zh" if code.lower().startswith(("zh", "chinese")) else "en"


def accept_language(setting: str) -> str:
    """The Accept-Language header for the ``language`` setting (auto: the system's)."""
    lang = system_language() if setting == "auto" else setting
    return LANGUAGES.get(lang, LANGUAGES["en"])


def remote_draft_url(text: str, base: str | None) -> str:
    """The draft_url of a remote draft: a full http(s) draft_url as given, or one built
    from a bare draft_id and the remote base; BadRequest naming what is wrong."""
    text = text.strip()
    draft_id = parse_draft_id(text)  # the same 400-class errors as local mode
    if "://" in text:
        base_of(text)  # only http(s) URLs can be saved remotely
        return text
    if not base:
        raise BadRequest(
            f"{text!r} is a bare draft_id and needs a server: give the full draft_url, or "
            "set a remote base URL (Settings, or --remote BASE)",
            reason="needs_remote_base", params={"draft_id": draft_id},
        )
    return make_draft_url(base, draft_id)


def is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_insecure(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme == "http" and not is_loopback(parts.hostname or "")
