"""Draft Keeper beside restic, borg and git: whole processes, the same work, one run.

    .venv/bin/python bench/peers.py [--runs N] [--edits N] [--big] [--only DRAFT] [--json]
                                    [--install]

Each tool keeps its own copy of the same draft and gets the same edits (20 bytes replaced
at a random offset of the draft's largest JSON file, the same offset and bytes for every
tool). Every figure is one whole process as a user runs it (``draftkeeper save DRAFT``,
``restic backup .``, ``borg create ::vN .``, ``git add -A && git commit -q``), started from
here, timed wall-clock, with its peak resident memory as ``/usr/bin/time`` reports it (the
process and the children it waited for). The tools take turns: each round runs one measure
for every tool, in an order that rotates from round to round, so a busy moment of the
shared machine falls on all of them. Measures, medians of ``--runs`` rounds:

- changed save: after one edit;
- unchanged save: at once after that save (restic and borg write a new snapshot/archive);
- restore (in rounds of their own, after all the saves' rounds: restic and borg write every
  file anew, so a save after their restore re-reads the whole draft): after one more edit,
  left unsaved, bring the latest saved version back into the draft folder (``draftkeeper
  restore DRAFT VERSION``, which first saves the current state; ``restic restore latest
  --target DRAFT``; ``borg extract ::vN`` in the draft folder; ``git checkout -- .``); the
  edited file's hash is checked afterwards. Only the edited file differs: this is the
  restore of a draft that is mostly as saved;
- full restore (same rounds): the draft folder emptied (every file and folder in it
  deleted), then the same command brings every file back; every file's hash is checked.
  Beside it, the floor: ``cp -r`` of the same draft to a new folder, then ``sync``.

Each measure is given as wall time and as CPU time (user + system of the process and
the children it waited for, as ``/usr/bin/time`` reports them).

Store size, once, in fresh stores: the draft saved, then ``--edits`` (100) edits each
saved; the store's bytes (apparent size, and disk blocks as ``du -B1`` counts them) against
the raw draft. Caches outside the store (restic's cache, borg's cache and security folders)
are shown on their own line. Mtimes follow a clock of their own, as in ``bench/storage.py``:
the draft's files start ten days back and each edit is a minute after the one before, the
same stamp for every tool. So no tool sees a file written during its save (racy
timestamps), and git, which compares whole seconds, sees every edit.

Settings: Draft Keeper as installed, with keep_last 10000 (manual saves are never thinned
anyway) and, for the 1 GB draft, include_media; restic with its defaults (repository v2:
compressed, and always encrypted); borg ``--compression zstd`` with encryption none (Draft
Keeper's store is not encrypted either); git with core.autocrlf false and gc.auto 0 (no gc
runs), its repository outside the draft folder (GIT_DIR, GIT_WORK_TREE).

Drafts: the 11 MB capcut-mate fixture; a 52 MB synthetic draft (the fixture, 38 MiB of
JSON-like text from ``bench/save.py``'s ``synthetic_draft`` and a 1 MiB random cover
image); with ``--big``, a 1 GB draft (the fixture and four 250 MB random media files under
``assets/``). All files are in the page cache (the machine's memory is far larger): these
are CPU and fsync figures more than disk reads. The load average is printed with them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from save import synthetic_draft  # bench/save.py

from draftkeeper.core.settings import table as settings_table

BENCH = Path(__file__).resolve().parent
FIXTURE = BENCH.parent / "tests" / "fixtures" / "capcut-mate-draft-2000-captions.tar.gz"
PACKAGES = {"restic": "restic", "borg": "borgbackup", "git": "git", "/usr/bin/time": "time"}
TIME = "/usr/bin/time"
MEASURES = ("changed", "unchanged", "restore", "full_restore")
MB = 1e6
CLOCK = time.time() - 10 * 86400  # the mtime of the draft's files; each edit adds a minute


def run(cmd: list[str], cwd: Path, env: dict[str, str], ok: tuple[int, ...] = (0,)) -> tuple[float, float, int, str, float]:
    """(seconds, peak RSS in MiB, exit code, stdout, CPU seconds) of one whole process.

    Started through /usr/bin/time, which reports its child's peak: a process forked from
    this one would carry this one's resident size as its own peak (Linux keeps the high
    water mark across exec)."""
    with tempfile.NamedTemporaryFile() as rss, tempfile.TemporaryFile() as out, \
            tempfile.TemporaryFile() as err:
        t = time.perf_counter()
        p = subprocess.run([TIME, "-q", "-f", "%M %U %S", "-o", rss.name, *cmd], cwd=cwd, env=env,
                           stdout=out, stderr=err)
        took = time.perf_counter() - t
        out.seek(0)
        err.seek(0)
        text = out.read().decode(errors="replace")
        if p.returncode not in ok:
            sys.exit(f"{' '.join(cmd)} exited {p.returncode}:\n{text}{err.read().decode(errors='replace')}")
        peak_kib, user, system = Path(rss.name).read_text().split()[-3:]
    return took, int(peak_kib) / 1024, p.returncode, text, float(user) + float(system)


def sizes(*folders: Path) -> tuple[int, int]:
    """(apparent bytes, disk bytes) of every file below the folders, hard links once."""
    seen, apparent, disk = set(), 0, 0
    for folder in folders:
        for base, _dirs, files in os.walk(folder):
            for name in files:
                st = os.lstat(os.path.join(base, name))
                if (st.st_dev, st.st_ino) not in seen:
                    seen.add((st.st_dev, st.st_ino))
                    apparent += st.st_size
                    disk += st.st_blocks * 512
    return apparent, disk


def age(folder: Path, stamp: float) -> None:
    for p in folder.rglob("*"):
        if p.is_file():
            os.utime(p, (stamp, stamp))


def edit(path: Path, seed: str, step: int) -> None:
    """20 bytes replaced at a random offset, in place; the mtime ``step`` minutes on."""
    rng = random.Random(seed)
    at = rng.randrange(path.stat().st_size - 20)
    with open(path, "r+b") as f:
        f.seek(at)
        f.write(bytes(rng.choice(b"abcdefghij") for _ in range(20)))
    stamp = CLOCK + 60 * step
    os.utime(path, (stamp, stamp))


def digest(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): digest(p) for p in sorted(folder.rglob("*"))
            if p.is_file()}


def empty(folder: Path) -> None:
    for p in folder.iterdir():
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p)
        else:
            p.unlink()


def copy_floor(source: Path, work: Path) -> tuple[float, float, float]:
    """``cp -r`` of the draft to a new folder, then ``sync``: (seconds, RSS, CPU seconds)."""
    target = work / "cp-floor"
    if target.exists():
        shutil.rmtree(target)
    subprocess.run(["sync"], check=True)  # the removal's writes are not the copy's
    took, rss, _rc, _out, cpu = run(["sh", "-c", f"cp -r '{source}' '{target}' && sync"],
                                    work, dict(os.environ))
    return took, rss, cpu


class Tool:
    name = ""
    note = ""

    def __init__(self, work: Path, folder: Path, big: bool) -> None:
        self.work, self.folder, self.big = work, folder, big
        self.env = dict(os.environ)
        self.saves = 0
        self.first = (0.0, 0.0, 0.0)  # the first save: (seconds, peak RSS MiB, CPU seconds)

    def cmd(self, cmd: list[str], ok: tuple[int, ...] = (0,)) -> tuple[float, float, int, str, float]:
        return run(cmd, self.folder, self.env, ok)

    def setup(self) -> None: ...
    def save(self, changed: bool) -> tuple[float, float, float]: ...
    def restore(self) -> tuple[float, float, float]: ...
    def store(self) -> list[Path]: ...
    def caches(self) -> list[Path]:
        return []


class DraftKeeper(Tool):
    name = "draftkeeper"

    def setup(self) -> None:
        home = self.work / "dk-home"
        settings = settings_table.Settings(keep_last=10_000, include_media=self.big)
        settings_table.save(settings, home / "config" / "settings.json")
        self.env["DRAFTKEEPER_HOME"] = str(home)
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: bytecode is cached
        exe = shutil.which("draftkeeper", path=str(Path(sys.executable).parent))
        self.exe = [exe] if exe else [sys.executable, "-m", "draftkeeper"]
        self.opts = ["--root", str(self.folder.parent), "--store", str(self.work / "dk-store"), "--json"]
        self.note = f"keep_last 10000, include_media {'on' if self.big else 'off'}"

    def save(self, changed: bool) -> tuple[float, float, float]:
        took, rss, _rc, out, cpu = self.cmd([*self.exe, "save", self.folder.name, *self.opts])
        answer = json.loads(out)
        assert answer["unchanged"] is not changed, answer
        self.version = answer["version"]
        return took, rss, cpu

    def restore(self) -> tuple[float, float, float]:
        took, rss, _rc, out, cpu = self.cmd([*self.exe, "restore", self.folder.name, self.version, *self.opts])
        answer = json.loads(out)
        assert not answer["not_kept"], answer  # with --big, media are kept (include_media)
        self.note = self.note.split("; restore wrote")[0] + f"; restore wrote {len(answer['written'])} file(s)"
        return took, rss, cpu

    def store(self) -> list[Path]:
        return [self.work / "dk-store"]


class Restic(Tool):
    name = "restic"
    note = "defaults: repository v2 (zstd auto), encrypted (it cannot be turned off)"

    def setup(self) -> None:
        self.env.update(RESTIC_REPOSITORY=str(self.work / "restic-repo"), RESTIC_PASSWORD="bench",
                        RESTIC_CACHE_DIR=str(self.work / "restic-cache"))
        self.cmd(["restic", "init", "-q"])

    def save(self, changed: bool) -> tuple[float, float, float]:
        return pick(self.cmd(["restic", "backup", "-q", "."]))

    def restore(self) -> tuple[float, float, float]:
        return pick(self.cmd(["restic", "restore", "latest", "--target", str(self.folder)]))

    def store(self) -> list[Path]:
        return [self.work / "restic-repo"]

    def caches(self) -> list[Path]:
        return [self.work / "restic-cache"]


class Borg(Tool):
    name = "borg"
    note = "--compression zstd (level 3), encryption none"

    def setup(self) -> None:
        self.env.update(BORG_REPO=str(self.work / "borg-repo"), BORG_PASSPHRASE="bench",
                        BORG_BASE_DIR=str(self.work / "borg-base"),
                        BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK="yes")
        self.cmd(["borg", "init", "--encryption", "none"])

    def save(self, changed: bool) -> tuple[float, float, float]:
        self.saves += 1
        return pick(self.cmd(["borg", "create", "--compression", "zstd", f"::v{self.saves}", "."]))

    def restore(self) -> tuple[float, float, float]:
        return pick(self.cmd(["borg", "extract", f"::v{self.saves}"]))

    def store(self) -> list[Path]:
        return [self.work / "borg-repo"]

    def caches(self) -> list[Path]:
        return [self.work / "borg-base"]


class Git(Tool):
    name = "git"
    note = "core.autocrlf false, gc.auto 0 (no gc), GIT_DIR outside the draft"

    def setup(self) -> None:
        who = {"GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@draftkeeper.invalid"}
        self.env.update(who, GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="bench@draftkeeper.invalid",
                        GIT_DIR=str(self.work / "git"), GIT_WORK_TREE=str(self.folder),
                        GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull)
        self.cmd(["git", "init", "-q"])
        self.cmd(["git", "config", "core.autocrlf", "false"])
        self.cmd(["git", "config", "gc.auto", "0"])

    def save(self, changed: bool) -> tuple[float, float, float]:
        took, rss, rc, out, cpu = self.cmd(["sh", "-c", "git add -A && git commit -q -m save"], ok=(0, 1))
        assert rc == 0 if changed else rc == 1 and "nothing to commit" in out, out
        return took, rss, cpu

    def restore(self) -> tuple[float, float, float]:
        return pick(self.cmd(["git", "checkout", "--", "."]))

    def store(self) -> list[Path]:
        return [self.work / "git"]


TOOLS = (DraftKeeper, Restic, Borg, Git)


def pick(r: tuple[float, float, int, str, float]) -> tuple[float, float, float]:
    return r[0], r[1], r[4]


def largest_json(folder: Path) -> Path:
    files = [p for p in folder.rglob("*.json") if p.is_file()]
    return max(files, key=lambda p: (p.stat().st_size, p.name == "draft_content.json"))


def start(work: Path, source: Path, big: bool) -> list[Tool]:
    """Each tool's copy of the draft, its store set up, the draft saved once."""
    tools = []
    for cls in TOOLS:
        folder = work / cls.name / "drafts" / source.name
        shutil.copytree(source, folder)
        age(folder, CLOCK)
        tool = cls(work / cls.name, folder, big)
        tool.setup()
        tool.first = tool.save(changed=True)
        tools.append(tool)
    return tools


def rotated(tools: list[Tool], i: int) -> list[Tool]:
    return tools[i % len(tools):] + tools[:i % len(tools)]


def bench_draft(label: str, source: Path, work: Path, runs: int, edits: int, big: bool) -> dict:
    raw, _ = sizes(source)
    rel = largest_json(source).relative_to(source)
    result: dict = {"draft": label, "raw_bytes": raw, "files": sum(1 for p in source.rglob("*") if p.is_file()),
                    "edited_file": str(rel), "load_before": os.getloadavg(), "load_rounds": []}
    print(f"\n{label}: {raw / MB:.1f} MB in {result['files']} files; edits in {rel}", flush=True)

    tools = start(work / "timed", source, big)
    samples = {t.name: {m: [] for m in MEASURES} for t in tools}
    floor: list[tuple[float, float, float]] = []
    # the saves' rounds first, then the restores': restic and borg extract every file anew
    # (new inodes and ctimes), so a save after one of their restores re-reads the whole draft
    for i in range(2 * runs):
        for t in rotated(tools, i):
            if i < runs:
                edit(t.folder / rel, f"{label}/{i}/save", i + 1)
                samples[t.name]["changed"].append(t.save(changed=True))
                samples[t.name]["unchanged"].append(t.save(changed=False))
            else:
                saved = tree_digest(t.folder)
                edit(t.folder / rel, f"{label}/{i}/restore", i + 1)
                samples[t.name]["restore"].append(t.restore())
                assert tree_digest(t.folder) == saved, f"{t.name}: restore did not bring the version back"
                empty(t.folder)
                subprocess.run(["sync"], check=True)  # the deletions' writes are not the restore's
                samples[t.name]["full_restore"].append(t.restore())
                assert tree_digest(t.folder) == saved, f"{t.name}: full restore did not bring the version back"
        if i >= runs:
            floor.append(copy_floor(source, work))
        result["load_rounds"].append(os.getloadavg())
        kind = "save" if i < runs else "restore"
        print(f"  {kind} round {i % runs + 1}/{runs} done, load {os.getloadavg()[0]:.2f}", flush=True)
    firsts = {t.name: t.first for t in tools}
    notes = {t.name: t.note for t in tools}
    shutil.rmtree(work / "timed")

    stores = start(work / "store", source, big)
    for e in range(edits):
        for t in rotated(stores, e):
            edit(t.folder / rel, f"{label}/store/{e}", e + 1)
            t.save(changed=True)
    print(f"  {edits} edits saved by each tool", flush=True)
    tools_out = {}
    for t in stores:
        s = samples[t.name]
        apparent, disk = sizes(*t.store())
        cache = sizes(*t.caches())[0] if t.caches() else 0
        tools_out[t.name] = {
            "note": notes[t.name],
            **{f"{m}_ms": statistics.median(x[0] for x in s[m]) * 1000 for m in MEASURES},
            **{f"{m}_cpu_ms": statistics.median(x[2] for x in s[m]) * 1000 for m in MEASURES},
            **{f"{m}_rss_mib": statistics.median(x[1] for x in s[m]) for m in MEASURES},
            "peak_rss_mib": max(x[1] for m in MEASURES for x in s[m]),
            "first_save_ms": firsts[t.name][0] * 1000, "first_save_rss_mib": firsts[t.name][1],
            "store_apparent_bytes": apparent, "store_disk_bytes": disk, "cache_bytes": cache,
            "samples": {m: [[round(a * 1000, 2), round(b, 1), round(c * 1000, 1)] for a, b, c in s[m]]
                        for m in MEASURES},
        }
    shutil.rmtree(work / "store")
    result["tools"] = tools_out
    result["copy_floor"] = {"ms": statistics.median(x[0] for x in floor) * 1000,
                            "cpu_ms": statistics.median(x[2] for x in floor) * 1000,
                            "samples": [[round(a * 1000, 2), round(c * 1000, 1)] for a, _b, c in floor]}
    result["load_after"] = os.getloadavg()
    dk = tools_out["draftkeeper"]
    keys = ("changed_ms", "unchanged_ms", "restore_ms", "full_restore_ms", "full_restore_cpu_ms",
            "store_apparent_bytes", "store_disk_bytes", "peak_rss_mib")
    result["ratios"] = {name: {k: dk[k] / r[k] for k in keys} for name, r in tools_out.items() if name != "draftkeeper"}
    report(result, runs, edits)
    return result


def report(r: dict, runs: int, edits: int) -> None:
    raw = r["raw_bytes"]
    print(f"\n{r['draft']} ({raw / MB:.1f} MB, {r['files']} files): medians of {runs} runs; "
          f"store after {edits} edits, once")
    print(f"load average (1/5/15 min): before {fmt_load(r['load_before'])}, after {fmt_load(r['load_after'])}, "
          f"{os.cpu_count()} cores")
    print("times: wall ms (CPU ms, user + system); store: apparent MB / disk-block MB (x raw: "
          "apparent / disk)")
    print(f"| tool | changed save | unchanged save | restore (one file edited) | full restore "
          f"(emptied folder) | store after {edits} edits | peak RSS MB | first save ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, t in r["tools"].items():
        cells = " | ".join(f"{t[m + '_ms']:.0f} ({t[m + '_cpu_ms']:.0f})" for m in MEASURES)
        print(f"| {name} | {cells} | "
              f"{t['store_apparent_bytes'] / MB:.2f} / {t['store_disk_bytes'] / MB:.2f} "
              f"({t['store_apparent_bytes'] / raw:.3f} / {t['store_disk_bytes'] / raw:.3f}) | "
              f"{t['peak_rss_mib']:.0f} | {t['first_save_ms']:.0f} |")
    floor = r["copy_floor"]
    print(f"| cp -r + sync (floor) | | | | {floor['ms']:.0f} ({floor['cpu_ms']:.0f}) | | | |")
    dk = r["tools"]["draftkeeper"]
    print(f"Draft Keeper's full restore: {dk['full_restore_ms'] / floor['ms']:.2f}x cp -r + sync "
          f"(wall)")
    print("\n| Draft Keeper / peer | changed save | unchanged save | restore | full restore | "
          "full restore CPU | store apparent | store disk | peak RSS |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, q in r["ratios"].items():
        print(f"| / {name} | " + " | ".join(f"{v:.2f}x" for v in q.values()) + " |")
    for name, t in r["tools"].items():
        extra = f"; cache outside the store {t['cache_bytes'] / MB:.2f} MB" if t["cache_bytes"] else ""
        print(f"  {name}: {t['note']}{extra}")


def fmt_load(load: tuple[float, float, float]) -> str:
    return " ".join(f"{x:.2f}" for x in load)


def version(cmd: list[str]) -> str:
    return subprocess.run(cmd, capture_output=True, text=True).stdout.strip().splitlines()[0]


def need_tools(install: bool) -> None:
    missing = [PACKAGES[t] for t in PACKAGES if not shutil.which(t)]
    if not missing:
        return
    command = f"apt-get install -y {' '.join(missing)}"
    if not install:
        sys.exit(f"missing: {', '.join(missing)}. Install with:\n  apt-get update && {command}\n"
                 "or run this with --install (as root).")
    subprocess.run(["apt-get", "update"], check=True)
    subprocess.run(command.split(), check=True, env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))


def make_drafts(work: Path, names: list[str]) -> list[tuple[str, Path]]:
    with tarfile.open(FIXTURE) as tar:
        tar.extractall(work / "fixture", filter="data")
    [fixture] = (work / "fixture").iterdir()
    drafts = [("capcut-mate fixture draft (11 MB)", fixture)] if "fixture" in names else []
    if "synthetic" in names:
        synth = work / "synthetic" / "synthetic-52mb"
        shutil.copytree(fixture, synth)
        synthetic_draft(synth / "extra", 38)  # 10 files of JSON-like text, 38 MiB
        (synth / "draft_cover.jpg").write_bytes(random.Random(52).randbytes(1 << 20))
        drafts.append(("synthetic 52 MB draft", synth))
    if "big" in names:
        huge = work / "big" / "big-1gb"
        shutil.copytree(fixture, huge)
        (huge / "assets").mkdir()
        for n in range(4):
            rng = random.Random(f"media{n}")
            with open(huge / "assets" / f"video_{n}.mp4", "wb") as f:
                for _ in range(250):
                    f.write(rng.randbytes(1_000_000))
        drafts.append(("1 GB draft (media kept)", huge))
    return drafts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--edits", type=int, default=100, help="edits saved before the store is measured")
    parser.add_argument("--big", action="store_true", help="also the 1 GB draft (writes several GB)")
    parser.add_argument("--only", action="append", choices=("fixture", "synthetic", "big"),
                        help="only these drafts (repeatable); default: fixture and synthetic")
    parser.add_argument("--json", action="store_true", help="also write bench/out/peers.json (peers-DRAFTS.json with --only)")
    parser.add_argument("--install", action="store_true", help="apt-get install restic and borg if missing")
    args = parser.parse_args()
    need_tools(args.install)
    dk = [shutil.which("draftkeeper", path=str(Path(sys.executable).parent)) or "draftkeeper", "--version"]
    versions = {"draftkeeper": version(dk), "restic": version(["restic", "version"]),
                "borg": version(["borg", "--version"]), "git": version(["git", "--version"])}
    print("; ".join(versions.values()), f"; {os.cpu_count()} cores; load {fmt_load(os.getloadavg())}")
    out: dict = {"versions": versions, "runs": args.runs, "edits": args.edits, "cores": os.cpu_count(),
                 "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "drafts": []}
    with tempfile.TemporaryDirectory(prefix="dk-peers-", dir=os.environ.get("BENCH_DIR")) as t:
        work = Path(t)
        names = args.only or ["fixture", "synthetic", *(["big"] if args.big else [])]
        for label, source in make_drafts(work, names):
            big = "1 GB" in label
            out["drafts"].append(bench_draft(label, source, work / "w", args.runs, args.edits, big))
    if args.json:
        path = BENCH / "out" / ("peers.json" if not args.only else f"peers-{'-'.join(args.only)}.json")
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps(out, indent=2) + "\n")
        print(f"\nwrote {path}")


if __name__ == "__main__":
    main()
