"""The local API's answers to failures: the spec's error table, in English or Chinese.

Every error answer carries the spec's ``detail`` (the table's message), capcut-mate's
``code`` and ``message`` (the same words), and ``reason``: what exactly was wrong, in
English, for the person debugging a script. The language follows ``Accept-Language``.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from draftkeeper.core.errors import DraftKeeperError

# kind: (HTTP status, capcut-mate code, English, Chinese). The first five rows are the
# spec's table (the Chinese words are capcut-mate's own translation of that table).
ROWS: dict[str, tuple[int, int, str, str]] = {
    "required": (400, 1001, "draft_url is required", "draft_url是必填项"),
    "invalid": (400, 1001, "Invalid draft_url format", "draft_url格式无效"),
    "not_found": (404, 2001, "Draft does not exist", "草稿不存在"),
    "failed": (500, 9998, "Save failed", "保存失败"),
    "unavailable": (503, 2042, "Service unavailable", "服务不可用"),
    "bad_body": (400, 1001, "Invalid request body", "请求体无效"),
    "unauthorized": (401, 1004, "Authentication failed", "认证失败"),
    "forbidden": (403, 1003, "Permission denied", "权限不足"),
    "no_route": (404, 1002, "Resource not found", "资源不存在"),
    "method": (405, 1001, "Method not allowed", "不支持的请求方法"),
}
SUCCESS = ("Success", "成功")


def language(accept_language: str | None) -> str:
    """'zh' when the client prefers Chinese, else 'en' (also without the header)."""
    best, best_q = "en", -1.0
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                q = float(params[2:])
            except ValueError:
                q = 0.0
        tag = tag.strip().lower()
        if tag and q > best_q:
            best, best_q = ("zh" if tag.startswith("zh") else "en"), q
    return best


def localized(kind: str, lang: str) -> str:
    if kind == "success":
        return SUCCESS[lang == "zh"]
    _status, _code, english, chinese = ROWS[kind]
    return chinese if lang == "zh" else english


class ApiError(Exception):
    """One error answer: a row of the table, the exact reason, optional headers."""

    def __init__(self, kind: str, reason: str = "", *, status: int | None = None,
                 retry_after: int | None = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(reason or kind)
        self.kind = kind
        self.reason = reason
        self.status = status or ROWS[kind][0]
        self.headers = dict(headers or {})
        if retry_after is not None:
            self.headers["Retry-After"] = str(retry_after)

    def body(self, lang: str) -> dict[str, Any]:
        words = localized(self.kind, lang)
        return {"detail": words, "code": ROWS[self.kind][1], "message": words,
                "reason": self.reason}

    def response(self, lang: str) -> web.Response:
        return web.Response(
            status=self.status,
            text=json.dumps(self.body(lang), ensure_ascii=False),
            content_type="application/json",
            headers=self.headers,
        )


def error_for(exc: DraftKeeperError, retry_after: int | None = None) -> ApiError:
    """The table's row for an error of the core."""
    if exc.status == 404:
        return ApiError("not_found", exc.message)
    if 400 <= exc.status < 500 and exc.status not in (408, 429):
        required = exc.message.startswith("draft_url is required")
        return ApiError("required" if required else "invalid", exc.message)
    if exc.retryable or exc.status == 503:
        return ApiError("unavailable", exc.message, retry_after=retry_after or 1)
    return ApiError("failed", exc.message)
