"""The local save_draft API, in process on plain asyncio: real Session, real store, real
HTTP on 127.0.0.1 (httpx as the client)."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from draftkeeper.core.errors import BadRequest
from draftkeeper.core.remote.engine import RemoteEngine
from draftkeeper.core.saving.status import State, StatusEvent
from draftkeeper.core.serve.server import MAX_BODY, ApiOptions, ApiServer
from draftkeeper.core.serve.texts import language
from draftkeeper.core.session.session import Session
from draftkeeper.core.settings.table import Settings
from draftkeeper.core.store.store import Store
from tests.conftest import CAPTIONS_ID, TEMPLATE_ID
from tests.helpers import bump, read_tree

SAVE = "/openapi/capcut-mate/v1/save_draft"
GET = "/openapi/capcut-mate/v1/get_draft"


def spec_url(draft_id: str) -> str:
    return f"https://capcut-mate.jcaigc.cn/openapi/capcut-mate/v1/get_draft?draft_id={draft_id}"


@contextlib.asynccontextmanager
async def served(tmp_path: Path, root: Path, options: ApiOptions | None = None,
                 **settings: Any) -> AsyncIterator[tuple[Session, ApiServer, httpx.AsyncClient]]:
    s = Settings(roots=[str(root)], store_dir=str(tmp_path / "store"), autosave_enabled=False,
                 **settings)
    session = Session(s, settings_path=tmp_path / "settings.json")
    await session.start()
    server = ApiServer(session, options or ApiOptions(port=0))
    url = await server.start()
    try:
        async with httpx.AsyncClient(base_url=url, timeout=60) as client:
            yield session, server, client
    finally:
        await server.stop()
        await session.stop()


def run(scenario: Callable[[], Awaitable[None]]) -> None:
    asyncio.run(asyncio.wait_for(scenario(), 120))


def check_error(response: httpx.Response, status: int, detail: str, code: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["detail"] == detail and body["message"] == detail, body
    assert body["code"] == code, body
    assert "Traceback" not in response.text
    return body


def test_save_draft_answers_the_spec_body_and_unchanged(tmp_path: Path, draft_root: Path) -> None:
    async def scenario() -> None:
        async with served(tmp_path, draft_root) as (session, _server, client):
            url = spec_url(CAPTIONS_ID)
            first = await client.post(SAVE, json={"draft_url": url})
            assert first.status_code == 200, first.text
            body = first.json()
            assert body["draft_url"] == url  # as sent, as the spec says
            assert body["code"] == 0 and body["message"] == "Success"
            assert body["unchanged"] is False and body["saved_at"].endswith("Z")
            assert session.local.store.version_ids(CAPTIONS_ID) == [body["version"]]
            again = (await client.post(SAVE, json={"draft_url": url})).json()
            assert again["unchanged"] is True and again["version"] == body["version"]
            # a bare draft_id is a draft_url too
            bare = await client.post(SAVE, json={"draft_url": TEMPLATE_ID})
            assert bare.status_code == 200 and bare.json()["draft_url"] == TEMPLATE_ID
            # the window's row (the scheduler's status) shows the save
            assert session.scheduler.status(CAPTIONS_ID).state is State.CLEAN
            assert session.scheduler.status(CAPTIONS_ID).last_version == body["version"]

    run(scenario)


def test_every_error_row_of_the_spec(tmp_path: Path, draft_root: Path) -> None:
    async def scenario() -> None:
        async with served(tmp_path, draft_root, lock_timeout_s=0.2) as (session, _s, client):
            check_error(await client.post(SAVE, json={}), 400, "draft_url is required", 1001)
            check_error(await client.post(SAVE, json={"draft_url": " "}), 400,
                        "draft_url is required", 1001)
            body = check_error(
                await client.post(SAVE, json={"draft_url": "https://h/openapi/capcut-mate/v1/"
                                                            "get_draft?id=1"}),
                400, "Invalid draft_url format", 1001)
            assert "no draft_id" in body["reason"]
            check_error(await client.post(SAVE, json={"draft_url": spec_url("nope")}), 404,
                        "Draft does not exist", 2001)
            zh = await client.post(SAVE, json={"draft_url": spec_url("nope")},
                                   headers={"Accept-Language": "zh-CN,zh;q=0.9"})
            check_error(zh, 404, "草稿不存在", 2001)

            # 500: the disk fails while the version is written; earlier versions stay
            v1 = (await client.post(SAVE, json={"draft_url": CAPTIONS_ID})).json()["version"]
            draft_file = draft_root / CAPTIONS_ID / "draft_info.json"
            bump(draft_file, draft_file.read_bytes() + b" ")

            def full(op: str, path: Path) -> None:
                if op == "write":
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

            session.local.store.io.hook = full
            body = check_error(await client.post(SAVE, json={"draft_url": CAPTIONS_ID}), 500,
                               "Save failed", 9998)
            assert "no space left on device" in body["reason"]
            session.local.store.io.hook = None
            assert session.local.store.version_ids(CAPTIONS_ID) == [v1]

            # 503 with Retry-After while another writer holds the store past its timeout;
            # the client's retry after that succeeds
            with Store(tmp_path / "store").locked():
                busy = await client.post(SAVE, json={"draft_url": CAPTIONS_ID})
                body = check_error(busy, 503, "Service unavailable", 2042)
                assert int(busy.headers["Retry-After"]) >= 1
                assert "busy" in body["reason"]
                assert session.scheduler.status(CAPTIONS_ID).state is State.RETRYING
            done = await client.post(SAVE, json={"draft_url": CAPTIONS_ID})
            assert done.status_code == 200, done.text
            assert len(session.local.store.version_ids(CAPTIONS_ID)) == 2

    run(scenario)


def test_bad_bodies_get_a_400_and_nothing_is_written(tmp_path: Path, draft_root: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"not for the API")

    async def scenario() -> None:
        async with served(tmp_path, draft_root) as (_session, server, client):
            before = read_tree(tmp_path)
            json_type = {"Content-Type": "application/json"}
            cases: list[tuple[dict[str, Any], int, str]] = [
                ({"content": b"", "headers": json_type}, 400, "draft_url is required"),
                ({"content": b"{not json", "headers": json_type}, 400, "Invalid request body"),
                ({"content": b"\xff\xfe", "headers": json_type}, 400, "Invalid request body"),
                ({"content": b"[" * 50_000, "headers": json_type}, 400, "Invalid request body"),
                ({"content": b'["draft_url"]', "headers": json_type}, 400,
                 "Invalid request body"),
                ({"content": b'{"draft_url": "x"}', "headers": {"Content-Type": "text/plain"}},
                 400, "Invalid request body"),
                ({"content": b'{"draft_url": "x"}'}, 400, "Invalid request body"),
                ({"json": {"draft_url": 123}}, 400, "Invalid draft_url format"),
                ({"json": {"draft_url": ["a"]}}, 400, "Invalid draft_url format"),
                ({"json": {"draft_url": {"draft_id": "a"}}}, 400, "Invalid draft_url format"),
                ({"content": b'{"draft_url": "' + b"a" * (10 * 1024 * 1024) + b'"}',
                  "headers": json_type}, 400, "Invalid request body"),
                ({"json": {"draft_url": spec_url("..")}}, 400, "Invalid draft_url format"),
                ({"json": {"draft_url": spec_url("../../secret.txt")}}, 400,
                 "Invalid draft_url format"),
                ({"json": {"draft_url": spec_url("..%2F..%2Fescape")}}, 400,
                 "Invalid draft_url format"),
                ({"json": {"draft_url": "../outside"}}, 400, "Invalid draft_url format"),
            ]
            for kwargs, status, detail in cases:
                response = await client.post(SAVE, **kwargs)
                check_error(response, status, detail, 1001)
            big = await client.post(SAVE, content=b"{" + b" " * (MAX_BODY + 10) + b"}",
                                    headers=json_type)
            assert "larger than" in big.json()["reason"]

            async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: read, then cut
                yield b'{"draft_url": "'
                for _ in range(200):
                    yield b"a" * 65536
                yield b'"}'

            chunked = await client.post(SAVE, content=chunks(), headers=json_type)
            body = check_error(chunked, 400, "Invalid request body", 1001)
            assert "larger than" in body["reason"]
            for host in ("[::1]:1", "localhost", "127.0.0.1"):
                assert (await client.get("/health", headers={"Host": host})).status_code == 200
            status, _raw = await raw_get(server.port, "/health", http10=True)
            assert status == 200  # HTTP/1.0 without a Host header
            for query in ("../secret.txt", "..", "", ".hidden"):
                check_error(await client.get(GET, params={"draft_id": query}), 400,
                            "Invalid draft_url format", 1001)
            # the files route serves only files get_draft lists: raw paths, so no client
            # normalises the dots away
            for path in (f"/output/draft/{CAPTIONS_ID}/..%2F..%2Fsecret.txt",
                         f"/output/draft/{CAPTIONS_ID}/../../secret.txt",
                         "/output/draft/..%2F..%2F/secret.txt",
                         "/output/draft/%2E%2E/secret.txt",
                         f"/output/draft/{CAPTIONS_ID}/%2E%2E/%2E%2E/secret.txt"):
                status, raw = await raw_get(server.port, path)
                assert status in (400, 404), (path, status)
                assert b"not for the API" not in raw
            assert read_tree(tmp_path) == before  # nothing written anywhere

    run(scenario)


async def raw_get(port: int, path: str, http10: bool = False) -> tuple[int, bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = (f"GET {path} HTTP/1.0\r\n\r\n" if http10 else
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    writer.write(head.encode())
    await writer.drain()
    raw = await reader.read()
    writer.close()
    return int(raw.split(b" ", 2)[1]), raw


def test_100_concurrent_posts_give_100_answers_and_at_most_2_saves(
        tmp_path: Path, draft_root: Path) -> None:
    async def scenario() -> None:
        async with served(tmp_path, draft_root, lock_timeout_s=60) as (session, _s, client):
            scheduler = session.scheduler
            runs: list[StatusEvent] = []
            scheduler.subscribe(lambda e: runs.append(e) if (
                e.key == CAPTIONS_ID and e.new is not None and e.new.state is State.SAVING
                and (e.old is None or e.old.state is not State.SAVING)) else None)
            arrived = 0
            real_save = scheduler.save

            async def counting_save(key: str, reason: str = "manual") -> Any:
                nonlocal arrived
                arrived += 1
                return await real_save(key, reason)

            scheduler.save = counting_save  # type: ignore[method-assign]
            url = spec_url(CAPTIONS_ID)
            # another writer holds the store until all 100 requests have arrived
            with Store(tmp_path / "store").locked():
                posts = [asyncio.ensure_future(client.post(SAVE, json={"draft_url": url}))
                         for _ in range(100)]
                while arrived < 100:
                    await asyncio.sleep(0.01)
            answers = await asyncio.gather(*posts)
            assert [a.status_code for a in answers] == [200] * 100
            bodies = [a.json() for a in answers]
            print(f"{len(runs)} save run(s) for 100 requests")
            assert 1 <= len(runs) <= 2  # one save, and one follow-up for all who came meanwhile
            versions = session.local.store.version_ids(CAPTIONS_ID)
            assert len(versions) == 1
            assert {b["version"] for b in bodies} == set(versions)
            assert sum(not b["unchanged"] for b in bodies) == 1

    run(scenario)


def test_token_required_off_loopback_and_checked(tmp_path: Path, draft_root: Path) -> None:
    for host in ("0.0.0.0", "::", "192.168.1.20", "example.com"):
        with pytest.raises(BadRequest, match="token"):
            ApiOptions(host=host, port=0).check()
    ApiOptions(host="0.0.0.0", port=0, token="s3cret-token").check()  # allowed with a token
    with pytest.raises(BadRequest, match="Port"):
        ApiOptions(port=70000).check()

    async def scenario() -> None:
        session = Session(Settings(roots=[str(draft_root)], store_dir=str(tmp_path / "s")),
                          settings_path=tmp_path / "settings.json")
        with pytest.raises(BadRequest, match="token"):
            ApiServer(session, ApiOptions(host="0.0.0.0", port=0))  # refused before binding
        options = ApiOptions(port=0, token="s3cret-token")
        async with served(tmp_path, draft_root, options) as (_session, _server, client):
            body = {"draft_url": TEMPLATE_ID}
            none = await client.post(SAVE, json=body)
            check_error(none, 401, "Authentication failed", 1004)
            assert none.headers["WWW-Authenticate"] == "Bearer"
            wrong = await client.post(SAVE, json=body, headers={"Authorization": "Bearer nope"})
            assert wrong.status_code == 401
            assert (await client.get("/health")).status_code == 401
            ok = await client.post(SAVE, json=body,
                                   headers={"Authorization": "Bearer s3cret-token"})
            assert ok.status_code == 200, ok.text

    run(scenario)


def test_host_header_and_cors(tmp_path: Path, draft_root: Path) -> None:
    async def scenario() -> None:
        async with served(tmp_path, draft_root) as (_session, _server, client):
            rebound = await client.get("/health", headers={"Host": "evil.example"})
            check_error(rebound, 403, "Permission denied", 1003)
            page = {"Origin": "http://localhost:5173"}
            plain = await client.get("/health", headers=page)
            assert plain.status_code == 200
            assert "Access-Control-Allow-Origin" not in plain.headers  # no CORS by default
            assert (await client.options(SAVE, headers=page)).status_code == 405
        options = ApiOptions(port=0, cors_origin="http://localhost:5173/")
        async with served(tmp_path, draft_root, options) as (_session, _server, client):
            pre = await client.options(SAVE, headers={
                "Origin": "http://localhost:5173", "Access-Control-Request-Method": "POST"})
            assert pre.status_code == 204
            assert pre.headers["Access-Control-Allow-Origin"] == "http://localhost:5173"
            assert "POST" in pre.headers["Access-Control-Allow-Methods"]
            post = await client.post(SAVE, json={"draft_url": TEMPLATE_ID},
                                     headers={"Origin": "http://localhost:5173"})
            assert post.headers["Access-Control-Allow-Origin"] == "http://localhost:5173"
            other = await client.post(SAVE, json={"draft_url": TEMPLATE_ID},
                                      headers={"Origin": "http://evil.example"})
            assert "Access-Control-Allow-Origin" not in other.headers

    run(scenario)


def test_remote_mode_round_trip_against_a_served_draft_keeper(
        tmp_path: Path, draft_root: Path) -> None:
    """Draft Keeper's own RemoteEngine saves through the API; get_draft lists files whose
    downloads equal the draft's bytes."""
    async def scenario() -> None:
        async with served(tmp_path / "server", draft_root) as (session, server, _client):
            client_settings = Settings(store_dir=str(tmp_path / "client-store"))
            remote = RemoteEngine(client_settings, base=server.url)
            try:
                url = f"{server.url}/openapi/capcut-mate/v1/get_draft?draft_id={CAPTIONS_ID}"
                result = await remote.save(url)
                assert result.draft_url == url and not result.insecure
                versions = session.local.store.version_ids(CAPTIONS_ID)
                assert len(versions) == 1
                files = await remote.get_draft(url)
                working = read_tree(draft_root / CAPTIONS_ID)
                assert len(files) == len(working)
                prefix = f"{server.url}/output/draft/{CAPTIONS_ID}/"
                async with httpx.AsyncClient() as http:
                    for file_url in files:
                        assert file_url.startswith(prefix)
                        got = await http.get(file_url)
                        assert got.status_code == 200
                        rel = httpx.URL(file_url).path[len(f"/output/draft/{CAPTIONS_ID}/"):]
                        assert got.content == working[rel]
                # an unknown draft is the permanent "does not exist" for the remote client
                with pytest.raises(Exception, match="does not exist"):
                    await remote.save(url.replace(CAPTIONS_ID, "missing-draft"))
            finally:
                await remote.aclose()

    (tmp_path / "server").mkdir()
    run(scenario)


def test_a_draft_created_after_start_is_found_and_a_removed_one_is_not(
        tmp_path: Path, draft_root: Path) -> None:
    async def scenario() -> None:
        async with served(tmp_path, draft_root) as (session, _server, client):
            shutil.copytree(draft_root / TEMPLATE_ID, draft_root / "made-by-a-script")
            assert "made-by-a-script" not in session.scheduler
            ok = await client.post(SAVE, json={"draft_url": spec_url("made-by-a-script")})
            assert ok.status_code == 200, ok.text
            await session.remove(TEMPLATE_ID)  # "Remove from list" in the window
            gone = await client.post(SAVE, json={"draft_url": TEMPLATE_ID})
            check_error(gone, 404, "Draft does not exist", 2001)
            check_error(await client.get(GET, params={"draft_id": TEMPLATE_ID}), 404,
                        "Draft does not exist", 2001)

    run(scenario)


def test_port_in_use_is_a_clear_error(tmp_path: Path, draft_root: Path) -> None:
    async def scenario() -> None:
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            port = taken.getsockname()[1]
            session = Session(Settings(roots=[str(draft_root)], store_dir=str(tmp_path / "s")),
                              settings_path=tmp_path / "settings.json")
            with pytest.raises(Exception, match=f"Cannot listen on 127.0.0.1:{port}"):
                await ApiServer(session, ApiOptions(port=port)).start()

    run(scenario)


def test_language_follows_accept_language() -> None:
    assert language(None) == "en"
    assert language("") == "en"
    assert language("zh-CN,zh;q=0.9") == "zh"
    assert language("en-US,en;q=0.9,zh;q=0.8") == "en"
    assert language("en;q=0.5, zh-TW;q=0.9") == "zh"
    assert language("fr") == "en"


def test_aiohttp_is_imported_only_when_the_api_is_wanted(tmp_path: Path) -> None:
    """The CLI's local commands and the window without the API never load aiohttp."""
    repo = Path(__file__).resolve().parents[2]
    code = (
        "import sys\n"
        "from draftkeeper.cli import main as cli\n"
        "assert cli.main(['list', '--root', sys.argv[1], '--json']) == 0\n"
        "import draftkeeper.ui.window.window, draftkeeper.ui.app\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'aiohttp'))\n"
    )
    env = dict(os.environ, DRAFTKEEPER_HOME=str(tmp_path / "home"), QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], cwd=repo, env=env,
                         capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"
