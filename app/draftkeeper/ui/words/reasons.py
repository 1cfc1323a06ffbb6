"""Words for an error, in the user's language, made from its ``reason`` and ``params``
(the core's errors carry both beside their English message). An unknown reason, or the
generic one, is worded by the English message: nothing is ever left unsaid. In English the
message is the words (the same as the CLI's, with every detail); the English texts here
are the translators' sources."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale

from draftkeeper.core.errors import DraftKeeperError
from draftkeeper.core.saving.status import DraftStatus
from draftkeeper.ui.words.basic import plural
from draftkeeper.ui.words.i18n import CATALOGUES

Params = Mapping[str, Any]


class _Params(dict[str, str]):
    """Params as text for ``str.format_map``; a missing one shows as its name."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _fill(text: str, params: Params) -> str:
    return text.format_map(_Params({k: _plain(v) for k, v in params.items()}))


def _plain(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _disk(params: Params, cause: str) -> str:
    actions = {
        "save": QCoreApplication.translate("Reason", "Save failed"),
        "restore": QCoreApplication.translate("Reason", "Restore failed"),
        "pull": QCoreApplication.translate("Reason", "Pull failed"),
        "pin": QCoreApplication.translate("Reason", "Pin failed"),
    }
    action = actions.get(str(params.get("action", "save")), actions["save"])
    text = QCoreApplication.translate("Reason", "{action}: {cause}").format(
        action=action, cause=cause)
    if params.get("path"):
        text = QCoreApplication.translate("Reason", "{text} ({path})").format(
            text=text, path=params["path"])
    return text


def _invalid(p: Params) -> str:
    problem = str(p.get("problem", ""))
    words = {
        "required": lambda: QCoreApplication.translate("Reason", "A draft_url is required"),
        "bad_encoding": lambda: QCoreApplication.translate(
            "Reason", "Invalid draft_url: bad percent-encoding"),
        "no_draft_id": lambda: QCoreApplication.translate(
            "Reason", "Invalid draft_url: it has no draft_id parameter"),
        "many_draft_ids": lambda: QCoreApplication.translate(
            "Reason", "Invalid draft_url: more than one draft_id parameter"),
        "empty": lambda: QCoreApplication.translate(
            "Reason", "Invalid draft_url: the draft_id is empty"),
        "slash": lambda: QCoreApplication.translate(
            "Reason", "Invalid draft_id {draft_id}: it must not contain '/' or '\\'"),
        "dots": lambda: QCoreApplication.translate(
            "Reason", "Invalid draft_id {draft_id}: '.' and '..' are not drafts"),
        "dot_start": lambda: QCoreApplication.translate(
            "Reason", "Invalid draft_id {draft_id}: it must not start with a dot"),
        "too_long": lambda: QCoreApplication.translate(
            "Reason", "Invalid draft_id: longer than {limit} bytes in UTF-8"),
        "control_char": lambda: QCoreApplication.translate(
            "Reason", "Invalid draft_id {draft_id}: it contains a control character"),
        "outside_root": lambda: QCoreApplication.translate(
            "Reason", "Invalid draft_id {draft_id}: it leads outside its drafts folder"),
        "not_http": lambda: QCoreApplication.translate(
            "Reason", "Not an http(s) draft_url: {draft_url}"),
    }
    word = words.get(problem)
    return _fill(word(), p) if word else ""


def _server_refused(p: Params) -> str:
    if "code" in p:
        return _fill(QCoreApplication.translate(
            "Reason", "The server refused the save (code {code})"), p)
    return _fill(QCoreApplication.translate(
        "Reason", "The server refused the save (HTTP {http_status})"), p)


def _draft_busy(p: Params) -> str:
    if p.get("path"):
        return _fill(QCoreApplication.translate(
            "Reason", "The draft is being written ({path} changed while saving)"), p)
    return QCoreApplication.translate("Reason", "The draft is being written (files vanished)")


def _bad_name(p: Params) -> str:
    problems = {
        "reserved": QCoreApplication.translate("Reason", "a name Windows keeps for devices"),
        "characters": QCoreApplication.translate(
            "Reason", "a character Windows does not allow in names"),
        "trailing": QCoreApplication.translate(
            "Reason", "a name ending in a dot or a space, which Windows drops"),
    }
    problem = problems.get(str(p.get("problem")), str(p.get("problem", "")))
    return QCoreApplication.translate(
        "Reason", "Restore refused: version {version} has {path}: {name} is {problem}").format(
        version=_plain(p.get("version")), path=_plain(p.get("path")),
        name=_plain(p.get("name")), problem=problem)


def _draft_lost(p: Params) -> str:
    n = p.get("versions", 0)
    n = n if isinstance(n, int) else 0
    if n == 1:
        return QCoreApplication.translate(
            "Status", "The server no longer has this draft; 1 version is kept here")
    return plural("Status", "The server no longer has this draft; %n version(s) are kept "
                  "here", n)


# reason -> its words (params filled in); the English message words any other reason
WORDS: dict[str, Callable[[Params], str]] = {
    # the network
    "connection_refused": lambda p: QCoreApplication.translate(
        "Reason", "Cannot reach the server: connection refused"),
    "connection_reset": lambda p: QCoreApplication.translate(
        "Reason", "Cannot reach the server: connection reset"),
    "host_not_found": lambda p: QCoreApplication.translate(
        "Reason", "Cannot reach the server: host name not found (DNS)"),
    "cannot_connect": lambda p: _fill(QCoreApplication.translate(
        "Reason", "Cannot reach the server: {detail}"), p),
    "connection_dropped": lambda p: QCoreApplication.translate(
        "Reason", "The connection to the server was dropped"),
    "network_error": lambda p: _fill(QCoreApplication.translate(
        "Reason", "Network error: {detail}"), p),
    "connect_timeout": lambda p: _fill(QCoreApplication.translate(
        "Reason", "Could not connect to the server within {seconds} s"), p),
    "timeout": lambda p: _fill(QCoreApplication.translate(
        "Reason", "The server did not answer within {seconds} s"), p),
    "redirected": lambda p: _fill(QCoreApplication.translate(
        "Reason", "The server redirected the request (HTTP {http_status}) to {location}: "
        "set the remote base to the new address"), p),
    "too_many_redirects": lambda p: _fill(QCoreApplication.translate(
        "Reason", "Too many redirects (more than {limit})"), p),
    "answer_too_large": lambda p: QCoreApplication.translate(
        "Reason", "The server is not capcut-mate-compatible: its answer is larger than 1 MiB"),
    "answer_not_object": lambda p: QCoreApplication.translate(
        "Reason", "The server is not capcut-mate-compatible: its answer is not a JSON object"),
    "answer_no_draft_url": lambda p: QCoreApplication.translate(
        "Reason", "The server is not capcut-mate-compatible: its answer has no draft_url"),
    "answer_no_file_list": lambda p: QCoreApplication.translate(
        "Reason", "The server is not capcut-mate-compatible: get_draft returned no file list"),
    "not_http_url": lambda p: _fill(QCoreApplication.translate(
        "Reason", "Not an http(s) URL: {url}"), p),
    "needs_remote_base": lambda p: _fill(QCoreApplication.translate(
        "Reason", "{draft_id} is a bare draft_id and needs a server: give the full draft_url, "
        "or set a remote base URL in Settings"), p),
    "token_refused": lambda p: _fill(QCoreApplication.translate(
        "Reason", "The server refused the token (HTTP {http_status}): check the remote "
        "server token in Settings"), p),
    "token_needed": lambda p: _fill(QCoreApplication.translate(
        "Reason", "The server needs a token (HTTP {http_status}): set the remote server "
        "token and the remote base URL in Settings"), p),
    "bad_token": lambda p: QCoreApplication.translate(
        "Reason", "The remote server token cannot be used: it must be printable ASCII text "
        "without spaces"),
    "remote_restore": lambda p: QCoreApplication.translate(
        "Reason", "A remote draft cannot be restored on its server: pull it into a local "
        "drafts folder instead"),
    # what the server answered
    "draft_not_on_server": lambda p: QCoreApplication.translate(
        "Reason", "The draft does not exist on the server"),
    "server_bad_request": lambda p: QCoreApplication.translate(
        "Reason", "The server refused the request (bad request)"),
    "server_busy": lambda p: QCoreApplication.translate(
        "Reason", "The draft is locked on the server (lock timeout)"),
    "server_error": lambda p: QCoreApplication.translate(
        "Reason", "The server had an internal error"),
    "server_unavailable": lambda p: _fill(QCoreApplication.translate(
        "Reason", "The server cannot save now (HTTP {http_status})"), p),
    "server_refused": _server_refused,
    "draft_lost": _draft_lost,
    # the disk
    "disk_full": lambda p: _disk(p, QCoreApplication.translate(
        "Reason", "no space left on the disk")),
    "read_only": lambda p: _disk(p, QCoreApplication.translate(
        "Reason", "the file system is read-only")),
    "permission_denied": lambda p: _disk(p, QCoreApplication.translate(
        "Reason", "permission denied")),
    "io_error": lambda p: _disk(p, QCoreApplication.translate(
        "Reason", "input/output error (the disk may be failing)")),
    "quota_exceeded": lambda p: _disk(p, QCoreApplication.translate(
        "Reason", "disk quota exceeded")),
    "disk_error": lambda p: _disk(p, _fill(QCoreApplication.translate(
        "Reason", "disk error: {strerror}"), p)),
    # the version store and the drafts
    "store_locked": lambda p: _fill(QCoreApplication.translate(
        "Reason", "The version store is busy (locked by another save for more than "
        "{seconds} s)"), p),
    "store_unusable": lambda p: _fill(QCoreApplication.translate(
        "Reason", "The version store cannot be used: {detail}"), p),
    "draft_busy": _draft_busy,
    "draft_not_found": lambda p: _fill(QCoreApplication.translate(
        "Reason", "The draft does not exist: {draft_id}"), p),
    "draft_folder_gone": lambda p: QCoreApplication.translate(
        "Reason", "The draft folder is gone: restore the whole version to bring it back"),
    "no_versions": lambda p: _fill(QCoreApplication.translate(
        "Reason", "No version of {draft_id} is kept here"), p),
    "version_not_found": lambda p: _fill(QCoreApplication.translate(
        "Reason", "Version {version} does not exist"), p),
    "version_has_no_file": lambda p: _fill(QCoreApplication.translate(
        "Reason", "Version {version} has no file {path}"), p),
    "version_damaged": lambda p: _fill(QCoreApplication.translate(
        "Reason", "Version {version} is damaged"), p),
    "restore_outside": lambda p: _fill(QCoreApplication.translate(
        "Reason", "Restore refused: version {version} names {path}, which is outside the "
        "draft folder"), p),
    "restore_name_too_long": lambda p: _fill(QCoreApplication.translate(
        "Reason", "Restore refused: a name in {path} is {bytes} bytes, more than this file "
        "system allows ({limit})"), p),
    "restore_folder_in_way": lambda p: _fill(QCoreApplication.translate(
        "Reason", "Restore refused: {path} is a folder in the working copy but a file in the "
        "version; move that folder away and restore again"), p),
    "restore_bad_name": _bad_name,
    "restore_same_name": lambda p: _fill(QCoreApplication.translate(
        "Reason", "Restore refused: version {version} has files whose names this system "
        "cannot tell apart ({paths})"), p),
    "file_in_use": lambda p: _disk(p, QCoreApplication.translate(
        "Reason", "the file is in use by another program (close CapCut / JianYing, or the "
        "program using it, and try again)")),
    "restore_damaged_copy": lambda p: _fill(QCoreApplication.translate(
        "Reason", "Restore refused: the stored copy of {path} is damaged"), p),
    "restore_media_not_kept": lambda p: _fill(QCoreApplication.translate(
        "Reason", "Restore refused: {path} is media that this version did not keep"), p),
    "restore_not_a_folder": lambda p: _fill(QCoreApplication.translate(
        "Reason", "Restore stopped: {path} is no longer a folder"), p),
    "folder_exists": lambda p: _fill(QCoreApplication.translate(
        "Reason", "A folder named {name} exists already in {path}"), p),
    "folder_not_found": lambda p: _fill(QCoreApplication.translate(
        "Reason", "The folder does not exist: {path}"), p),
    "not_a_folder": lambda p: _fill(QCoreApplication.translate(
        "Reason", "Not a folder: {path}"), p),
    "folder_unreadable": lambda p: _fill(QCoreApplication.translate(
        "Reason", "The folder cannot be read (permission denied): {path}"), p),
    "folder_is_a_draft": lambda p: _fill(QCoreApplication.translate(
        "Reason", "This folder is a draft itself, not a folder of drafts: choose the folder "
        "that holds it ({parent})"), p),
    "invalid_draft_url": _invalid,
    # pulling media
    "download_cut_short": lambda p: _fill(QCoreApplication.translate(
        "Reason", "The download of {url} was cut short ({bytes} of {expected} bytes)"), p),
    "download_failed": lambda p: _fill(QCoreApplication.translate(
        "Reason", "The download of {url} failed: {detail}"), p),
    "file_not_on_server": lambda p: _fill(QCoreApplication.translate(
        "Reason", "The server no longer has {url}"), p),
    "download_unavailable": lambda p: _fill(QCoreApplication.translate(
        "Reason", "The server cannot send {url} now (HTTP {http_status})"), p),
    "download_refused": lambda p: _fill(QCoreApplication.translate(
        "Reason", "The server refused to send {url} (HTTP {http_status})"), p),
    "unexpected": lambda p: _fill(QCoreApplication.translate(
        "Reason", "Save failed: unexpected error: {detail}"), p),
}

SERVER_SAID = frozenset({"draft_not_on_server", "server_bad_request", "server_busy",
                         "server_error", "server_unavailable", "server_refused"})


def error_words(error: DraftKeeperError) -> str:
    """The error in the user's language (its English message for an unknown reason)."""
    if QLocale().language() not in CATALOGUES:
        return error.message  # English
    word = WORDS.get(error.reason)
    text = word(error.params) if word is not None else ""
    if not text:
        return error.message
    said = error.params.get("server_message")
    if error.reason in SERVER_SAID and isinstance(said, str) and said:
        text = QCoreApplication.translate("Reason", "{text}: {said}").format(
            text=text, said=said)
    kept = error.params.get("kept")
    if kept == "unchanged":
        text = QCoreApplication.translate(
            "Reason", "{text}; the working copy was not changed").format(text=text)
    elif kept == "put_back":
        text = QCoreApplication.translate(
            "Reason", "{text}; every file was put back as it was").format(text=text)
    return text


def status_error(status: DraftStatus) -> str:
    """Why a draft is not saved, in words: its error's, else its detail's ("" for none)."""
    if status.error is not None:
        return error_words(status.error)
    if status.error_message:
        return status.error_message
    return detail_words(status.detail_kind)


def detail_words(kind: str) -> str:
    words = {
        "never_saved": lambda: QCoreApplication.translate("Status", "Never saved"),
        "waiting": lambda: QCoreApplication.translate("Status", "Waiting for other saves"),
        "folder_gone": lambda: QCoreApplication.translate("Status", "The draft folder is gone"),
        "server_offline": lambda: QCoreApplication.translate("Status", "Server offline"),
    }
    word = words.get(kind)
    return word() if word is not None else ""
