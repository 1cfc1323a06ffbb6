"""Draft Keeper's shared store beside ``restic backup``, both to one real SeaweedFS.

    .venv/bin/python bench/share.py [--rounds N]
    .venv/bin/python bench/share.py --machines 10 --drafts 100

Each round, in fresh prefixes of one bucket: the 11 MB capcut-mate fixture draft is saved
and synced (``draftkeeper save`` then ``draftkeeper sync``, two whole processes) and backed
up by ``restic backup`` (one process, repository made beforehand and not timed); then 20
bytes of its largest JSON file are replaced and both run again. The tools take turns,
the order alternating from round to round. Each tool talks to SeaweedFS through a
forwarder of its own (tests/shared/proxy.py) that counts the bytes sent up: requests,
bodies and headers, as the network sees them. Times are wall-clock of whole processes
(medians), with the CPU seconds of the processes beside them; the load average is
printed, since the machine is shared. ``requests`` is what ``sync --json`` counted.

With ``--machines M --drafts D``: M local stores of D small drafts each (saved in this
process through the Store), then M ``draftkeeper sync`` processes started at once to one
SeaweedFS; the time until the last one ends, and a check that every version of every
machine is on the shared store (``history --shared`` of a sample, ``list --shared``).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.seaweed import Seaweed  # noqa: E402
from tests.shared.proxy import CuttingProxy  # noqa: E402

FIXTURE = REPO / "tests" / "fixtures" / "capcut-mate-draft-2000-captions.tar.gz"
NEVER = 1 << 62


def timed(cmd: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds, stdout) of one whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    p = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        raise RuntimeError(f"{cmd[:3]} failed: {p.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, p.stdout


def edit(folder: Path, rng: random.Random) -> None:
    target = max(folder.rglob("*.json"), key=lambda p: p.stat().st_size)
    data = bytearray(target.read_bytes())
    at = rng.randrange(0, len(data) - 20)
    data[at:at + 20] = bytes(rng.randrange(32, 127) for _ in range(20))
    target.write_bytes(bytes(data))
    st = target.stat()
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns + 60_000_000_000))


def many_machines(machines: int, drafts: int) -> None:
    from draftkeeper.core.store.store import Store

    work = Path(tempfile.mkdtemp(prefix="dk-bench-share-many-"))
    seaweed = Seaweed(work / "seaweed")
    seaweed.start()
    share = seaweed.url("many")
    rng = random.Random(10)
    try:
        for m in range(machines):
            store = Store(work / f"store{m}")
            for d in range(drafts):
                folder = work / f"root{m}" / f"m{m}-draft-{d}"
                folder.mkdir(parents=True)
                (folder / "draft_info.json").write_bytes(rng.randbytes(20_000))
                (folder / "draft_meta_info.json").write_bytes(b"{}")
                store.save(folder.name, folder)
        env = dict(os.environ, **seaweed.env(), DRAFTKEEPER_HOME=str(work / "home"))
        dk = [sys.executable, "-m", "draftkeeper"]
        t = time.perf_counter()
        procs = [subprocess.Popen([*dk, "sync", "--store", str(work / f"store{m}"),
                                   "--share", share, "--machine", f"m{m}", "--json"],
                                  env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True) for m in range(machines)]
        outs = [p.communicate() for p in procs]
        took = time.perf_counter() - t
        codes = [p.returncode for p in procs]
        uploaded = sum(json.loads(out)["uploaded"] for out, _err in outs if out)
        listed = subprocess.run([*dk, "list", "--shared", "--share", share, "--json"],
                                env=env, capture_output=True, text=True, check=True)
        on_share = json.loads(listed.stdout)
        print(f"load average {os.getloadavg()}")
        print(f"{machines} machines x {drafts} drafts synced at once: {took:.1f} s; exit codes "
              f"{sorted(set(codes))}; {uploaded} versions uploaded; {len(on_share)} drafts on "
              f"the shared store, {sum(d['versions'] for d in on_share)} versions "
              f"(expected {machines * drafts})")
    finally:
        seaweed.stop()
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--machines", type=int, default=0)
    parser.add_argument("--drafts", type=int, default=100)
    args = parser.parse_args()
    if args.machines:
        many_machines(args.machines, args.drafts)
        return
    work = Path(tempfile.mkdtemp(prefix="dk-bench-share-"))
    seaweed = Seaweed(work / "seaweed")
    seaweed.start()
    dk_proxy = CuttingProxy(seaweed.ports["s3"], NEVER, lambda: None)
    restic_proxy = CuttingProxy(seaweed.ports["s3"], NEVER, lambda: None)
    rng = random.Random(21)
    results: dict[str, list[tuple[float, float, int, int]]] = {}
    try:
        for n in range(args.rounds):
            root = work / f"root{n}"
            root.mkdir()
            with tarfile.open(FIXTURE) as tar:
                tar.extractall(root, filter="data")
            (draft,) = [p for p in root.iterdir() if p.is_dir()]
            env = dict(os.environ, **seaweed.env(), DRAFTKEEPER_HOME=str(work / f"home{n}"),
                       RESTIC_PASSWORD="bench", RESTIC_CACHE_DIR=str(work / f"cache{n}"),
                       RESTIC_REPOSITORY=f"s3:http://127.0.0.1:{restic_proxy.port}/"
                                         f"{seaweed.bucket}/restic{n}")
            subprocess.run(["restic", "init", "-q"], env=env, check=True, capture_output=True)
            share = f"s3+http://127.0.0.1:{dk_proxy.port}/{seaweed.bucket}/dk{n}"
            dk = [sys.executable, "-m", "draftkeeper"]
            common = ["--root", str(root), "--store", str(work / f"store{n}"), "--share", share]

            def run_dk(step: str, draft: Path = draft, common: list[str] = common,
                       env: dict[str, str] = env, dk: list[str] = dk) -> None:
                sent = dk_proxy.sent_up
                w1, c1, _out = timed([*dk, "save", draft.name, *common], env, REPO)
                w2, c2, out = timed([*dk, "sync", *common, "--json"], env, REPO)
                report = json.loads(out)
                results.setdefault(f"draftkeeper save+sync {step}", []).append(
                    (w1 + w2, c1 + c2, dk_proxy.sent_up - sent, report["requests"]))
                results.setdefault(f"draftkeeper sync alone {step}", []).append(
                    (w2, c2, dk_proxy.sent_up - sent, report["requests"]))

            def run_restic(step: str, draft: Path = draft, env: dict[str, str] = env) -> None:
                sent = restic_proxy.sent_up
                wall, cpu, _out = timed(["restic", "backup", "-q", "."], env, draft)
                results.setdefault(f"restic backup {step}", []).append(
                    (wall, cpu, restic_proxy.sent_up - sent, 0))

            for step in ("first", "20-byte edit"):
                if step != "first":
                    edit(draft, rng)
                order = [run_dk, run_restic] if n % 2 == 0 else [run_restic, run_dk]
                for fn in order:
                    fn(step)
    finally:
        dk_proxy.close()
        restic_proxy.close()
        seaweed.stop()
        shutil.rmtree(work, ignore_errors=True)
    print(f"load average {os.getloadavg()}; {args.rounds} round(s); medians")
    print(f"{'':34} {'wall s':>8} {'cpu s':>7} {'bytes up':>10} {'requests':>9}")
    for name, rows in results.items():
        wall = statistics.median(r[0] for r in rows)
        cpu = statistics.median(r[1] for r in rows)
        sent = int(statistics.median(r[2] for r in rows))
        reqs = int(statistics.median(r[3] for r in rows))
        print(f"{name:34} {wall:8.2f} {cpu:7.2f} {sent:10,d} {reqs or '':>9}")
    for step in ("first", "20-byte edit"):
        dk = statistics.median(r[0] for r in results[f"draftkeeper save+sync {step}"])
        dk_bytes = statistics.median(r[2] for r in results[f"draftkeeper save+sync {step}"])
        rs = statistics.median(r[0] for r in results[f"restic backup {step}"])
        rs_bytes = statistics.median(r[2] for r in results[f"restic backup {step}"])
        print(f"{step}: draftkeeper save+sync / restic backup: time {dk / rs:.2f}x, "
              f"bytes up {dk_bytes / rs_bytes:.3f}x")


if __name__ == "__main__":
    main()
