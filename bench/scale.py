"""Draft Keeper with many drafts, as whole processes, beside restic on the same root.

    python bench/scale.py [--sizes 100,1000,10000] [--runs 3] [--idle-scan 3] [--json]
                          [--tiny 100000]

For each size N, a root of N real copies (no hard links: saves stat and read them) of the
template fixture draft (tests/fixtures/capcut-mate-template-draft.tar.gz: 6 files, 13.5 KB)
is built once in a temp folder (``$BENCH_DIR`` or the system's) and used by every figure:

(a) ``draftkeeper watch --interval 5`` on a fresh store (default settings): from its first
    ``saving`` line to the line that makes every draft ``clean`` (each line is timed as it
    arrives); CPU of that span from /proc/PID/stat. Then SIGTERM: it must print "stopped;
    everything is saved" and exit 0.
(b) ``draftkeeper list`` with every draft saved: wall time, CPU time and peak RSS of the
    whole process (os.wait4's rusage of that one child: the RUSAGE_CHILDREN delta, with a
    peak RSS that is the child's own); median of ``--runs``.
(c) ``watch`` idle with every draft saved, with ``scan_interval_s`` set to ``--idle-scan``
    in its settings file so that the safety sweep (while file-system events work: every
    EVENTS_SWEEP_FACTOR x scan_interval_s, and at least SWEEP_S_PER_DRAFT per draft apart,
    ``timing.sweep_every``) runs at least twice in the window (two sweep periods plus one
    scan interval, after the "watching" line and 3 s more):
    utime+stime from /proc/PID/stat at the window's start and end, in % of one core; the
    busiest second too (a sweep).
(d) restic (``apt-get install restic``) on the same root: ``restic backup`` into a fresh
    local repository (first), then again with nothing changed (unchanged; median of
    ``--runs``), measured like (b), side by side with (f).
(e) with ``--window``: the window started offscreen through the real entry point
    (bench/window_start.py): its first painted table, the details (cover, duration,
    badges) of the rows in view and of every row, every row's save state known.
(f) ``draftkeeper save --all`` into a fresh store (first), right before restic's first
    backup, then unchanged, alternating with restic's unchanged runs (median of ``--runs``).

Prints a table per size with the ratios against restic, then the growth factors between
sizes (10x more drafts: 10x is linear). ``--tiny N`` then builds N tiny drafts (two files
of a few bytes each) and measures (f), (b), (d) and the start of ``watch`` (to its
"watching" line, with its peak memory) on them: the figures at 100,000 drafts. ``--json`` also writes bench/out/scale.json.
The machine's load average is printed with each size: on a shared machine, read the
figures with it.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "capcut-mate-template-draft.tar.gz"
OUT = REPO / "bench" / "out" / "scale.json"
SWEEP_FACTOR = 12  # draftkeeper.core.saving.timing.EVENTS_SWEEP_FACTOR (read from it below)
TICK = os.sysconf("SC_CLK_TCK")
LINE = re.compile(r"^\d\d:\d\d:\d\d  (?P<name>.+?)  (?P<state>[a-z_]+): (?P<text>.*)$")


def draftkeeper_exe() -> list[str]:
    exe = shutil.which("draftkeeper", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "draftkeeper"]


def sweep_factor() -> int:
    try:
        sys.path.insert(0, str(REPO / "app"))
        from draftkeeper.core.saving.timing import EVENTS_SWEEP_FACTOR
    except ImportError:
        return SWEEP_FACTOR
    return EVENTS_SWEEP_FACTOR


def sweep_period(scan_s: float, factor: int, drafts: int) -> float:
    """Seconds between the safety sweeps of a watch with events (the app's own rule)."""
    try:
        sys.path.insert(0, str(REPO / "app"))
        from draftkeeper.core.saving.timing import sweep_every
    except ImportError:
        return scan_s * factor
    return sweep_every(scan_s, True, drafts)


# --- the drafts -------------------------------------------------------------------------

def build_root(base: Path, count: int) -> tuple[Path, float]:
    """A root of ``count`` real copies of the template draft; the seconds it took."""
    t = time.perf_counter()
    with tarfile.open(FIXTURE) as tar:
        tar.extractall(base / "template", filter="data")
    [template] = list((base / "template").iterdir())
    root = base / "root"
    root.mkdir()
    for i in range(count):
        shutil.copytree(template, root / f"draft{i:05d}")  # copy2: file times kept
    os.sync()
    return root, time.perf_counter() - t


def tree_bytes(root: Path) -> int:
    return sum(e.stat().st_size for d in os.scandir(root) for e in os.scandir(d.path))


# --- measuring processes ----------------------------------------------------------------

def proc_cpu(pid: int) -> float:
    """utime + stime of a running process and of its processes (the ones it reaped, and
    the live ones: a batch save's second process), in seconds."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0  # (a child gone meanwhile: counted by its parent once reaped)
    own = sum(int(fields[i]) for i in (11, 12, 13, 14)) / TICK  # fields 14-17 of stat(5)
    children: set[int] = set()
    with contextlib.suppress(OSError):
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                children.update(int(c) for c in f.read().split())
    return own + sum(proc_cpu(c) for c in children)


def _memory_kib(pid: int) -> tuple[int, int]:
    """(Pss, Rss) of one process from /proc/PID/smaps_rollup, in KiB ((0, 0) when gone)."""
    pss = rss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1])
                    break  # (Rss comes first)
    except OSError:
        pass  # (gone meanwhile)
    return pss, rss


def tree_pids(pid: int, parent_cmdline: bytes = b"") -> list[int]:
    """``pid`` and every process below it (a batch save's helper process and any process
    that one starts). A child still running its parent's program (vforked or forked,
    before its exec) is left out: a vforked child *is* its parent's memory (the same
    pages, which both RSS and PSS would count in full again), and a forked one holds it
    for the moment before its exec."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            cmdline = f.read()
    except OSError:
        return []  # (gone meanwhile)
    if cmdline == parent_cmdline:
        return []
    children: set[int] = set()
    with contextlib.suppress(OSError):
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                children.update(int(c) for c in f.read().split())
    return [pid, *(p for c in sorted(children) for p in tree_pids(c, cmdline))]


def tree_memory_kib(pid: int) -> tuple[int, int]:
    """(PSS, RSS) of ``pid`` and of every process below it (``tree_pids``), each summed
    over the tree, in KiB.

    PSS (proportional set size, /proc/PID/smaps_rollup) counts each page a process maps
    divided by the number of processes mapping it: the interpreter's and libcrypto's pages,
    mapped by the command and its helper alike, are counted once in the sum (half in
    each), as the machine holds them once. It is what the tree costs the machine. RSS
    counts every mapped page in full in each process, so the sum counts the shared pages
    once per process: it overstates the tree (given beside PSS for comparison). PSS also
    splits the pages shared with processes *outside* the tree (the same interpreter run
    by another program): on a machine running other Python programs it is lower than
    the tree alone would hold (``tree_pages_kib`` counts that)."""
    pss = rss = 0
    for p in tree_pids(pid):
        p_pss, p_rss = _memory_kib(p)
        pss, rss = pss + p_pss, rss + p_rss
    return pss, rss


PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024
_PFN = (1 << 55) - 1  # pagemap(5): bits 0-54 the page frame number, bit 63 present


def tree_pages_kib(pid: int) -> int | None:
    """The distinct physical pages the tree of ``pid`` maps, in KiB: each page once however
    many of its processes (or others outside it) map it, i.e. what the tree holds were it
    alone on the machine (/proc/PID/pagemap; the frame numbers need root: None without).
    Slow (every mapped page's entry read): ``TreePeak`` samples it only with ``pages``."""
    frames: set[int] = set()
    for p in tree_pids(pid):
        try:
            with open(f"/proc/{p}/maps") as f:
                ranges = [tuple(int(x, 16) for x in line.split(None, 1)[0].split("-"))
                          for line in f if "[vsyscall]" not in line]
            fd = os.open(f"/proc/{p}/pagemap", os.O_RDONLY)
        except OSError:
            continue  # (gone meanwhile)
        try:
            page = PAGE_KIB * 1024
            for lo, hi in ranges:
                entries = set(memoryview(os.pread(fd, (hi - lo) // page * 8,
                                                  lo // page * 8)).cast("Q"))
                frames.update(e & _PFN for e in entries if e >> 63)
        except OSError:
            continue
        finally:
            os.close(fd)
    frames.discard(0)
    if not frames and os.geteuid() != 0:
        return None
    return len(frames) * PAGE_KIB


class TreePeak:
    """The peaks of ``tree_memory_kib`` of a running process (the peak of the summed PSS,
    and, apart, the peak of the summed RSS), sampled every ~10 ms by a thread until
    ``stop`` (MiB: (PSS, RSS, distinct pages)); with ``pages`` (or ``PAGES``), also the
    peak of ``tree_pages_kib``, every ~50 ms (else 0)."""

    def __init__(self, pid: int, every_s: float = 0.01, pages: bool | None = None) -> None:
        self.pid, self.every_s = pid, every_s
        self.pages = PAGES if pages is None else pages
        self.peak_pss_kib = self.peak_rss_kib = self.peak_pages_kib = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        n = 0
        while not self._done.is_set():
            pss, rss = tree_memory_kib(self.pid)
            self.peak_pss_kib = max(self.peak_pss_kib, pss)
            self.peak_rss_kib = max(self.peak_rss_kib, rss)
            if self.pages and n % 5 == 0:
                self.peak_pages_kib = max(self.peak_pages_kib, tree_pages_kib(self.pid) or 0)
            n += 1
            self._done.wait(self.every_s)

    def stop(self) -> tuple[float, float, float]:
        self._done.set()
        self._thread.join()
        return self.peak_pss_kib / 1024, self.peak_rss_kib / 1024, self.peak_pages_kib / 1024


PAGES = False  # TreePeak also samples the tree's distinct pages (bench/save_all.py --pages)


@dataclass
class Run:
    wall_s: float
    cpu_s: float
    rss_mib: float
    rc: int
    out: str = field(repr=False, default="")
    tree_mib: float = 0.0  # peak PSS of the process and its descendants, summed (TreePeak)
    tree_rss_mib: float = 0.0  # peak RSS of the same, summed (counts shared pages per process)
    tree_pages_mib: float = 0.0  # peak of the tree's distinct pages (TreePeak with pages)


def run_measured(cmd: list[str], env: dict[str, str]) -> Run:
    """Run ``cmd`` to its end: wall time, and CPU time and peak RSS from its own rusage."""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True)
    tree = TreePeak(p.pid)
    assert p.stdout is not None
    out = p.stdout.read()
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    p.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait
    pss, rss, pages = tree.stop()
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, p.returncode,
               out, pss, rss, pages)


def median_run(runs: list[Run]) -> Run:
    return Run(statistics.median(r.wall_s for r in runs),
               statistics.median(r.cpu_s for r in runs),
               max(r.rss_mib for r in runs), max(r.rc for r in runs))


class Watch:
    """A running ``draftkeeper watch``: its stdout lines, each with the time it arrived
    (and, for the lines ``on_line`` asks for, the process's CPU time then)."""

    def __init__(self, cmd: list[str], env: dict[str, str], hooks: tuple = ()) -> None:
        self.hooks = hooks
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, bufsize=1)
        self.tree = TreePeak(self.proc.pid)
        self.lines: list[tuple[float, str]] = []
        self.cond = threading.Condition()
        self.err: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._read_err, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            t = time.perf_counter()
            for hook in self.hooks:
                hook(t, line.rstrip("\n"))
            with self.cond:
                self.lines.append((t, line.rstrip("\n")))
                self.cond.notify_all()
        with self.cond:
            self.lines.append((time.perf_counter(), ""))  # EOF
            self.cond.notify_all()

    def _read_err(self) -> None:
        assert self.proc.stderr is not None
        self.err.extend(self.proc.stderr)

    def wait_line(self, start: int, pred, timeout: float) -> int:
        """Index of the first line from ``start`` on that ``pred`` accepts."""
        deadline = time.perf_counter() + timeout
        i = start
        with self.cond:
            while True:
                while i < len(self.lines):
                    if pred(self.lines[i][1]):
                        return i
                    if self.lines[i][1] == "" and self.proc.poll() is not None:
                        raise RuntimeError(f"watch ended: {''.join(self.err)[-2000:]}")
                    i += 1
                left = deadline - time.perf_counter()
                if left <= 0:
                    raise TimeoutError(f"no such watch line within {timeout:.0f} s")
                self.cond.wait(left)

    def stop(self, timeout: float = 120) -> Run:
        """SIGTERM; the exit and the whole process's rusage."""
        t = time.perf_counter()
        self.proc.send_signal(signal.SIGTERM)
        deadline = time.time() + timeout
        while True:
            pid, status, usage = os.wait4(self.proc.pid, os.WNOHANG)
            if pid:
                break
            if time.time() > deadline:
                self.proc.kill()
                pid, status, usage = os.wait4(self.proc.pid, 0)
                break
            time.sleep(0.05)
        wall = time.perf_counter() - t
        self.proc.returncode = os.waitstatus_to_exitcode(status)
        pss, rss, pages = self.tree.stop()
        time.sleep(0.2)  # the reader threads drain the pipes
        tail = "\n".join(line for _, line in self.lines[-3:])
        return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024,
                   self.proc.returncode, tail, pss, rss, pages)


# --- the figures ------------------------------------------------------------------------

def watching_line(line: str) -> bool:
    return line.startswith("watching ")


def watch_save_all(dk: list[str], root: Path, store: Path, env: dict[str, str],
                   count: int) -> dict:
    """(a): every draft saved by a fresh ``watch``."""
    first: dict[str, float] = {}
    clean: set[str] = set()
    states: dict[str, int] = {}
    done = threading.Event()
    last = {"t": 0.0, "cpu": 0.0}
    w: Watch

    def on_line(t: float, line: str) -> None:
        m = LINE.match(line)
        if not m:
            return
        state = m["state"]
        states[state] = states.get(state, 0) + 1
        if state == "saving" and "t" not in first:
            first["t"], first["cpu"] = t, proc_cpu(w.proc.pid)
        if state == "clean":
            clean.add(m["name"])
        else:
            clean.discard(m["name"])
        if len(clean) == count and not done.is_set():
            last["t"], last["cpu"] = t, proc_cpu(w.proc.pid)
            done.set()

    cmd = [*dk, "watch", "--interval", "5", "--root", str(root), "--store", str(store)]
    w = Watch(cmd, env, hooks=(on_line,))
    i = w.wait_line(0, watching_line, 600)
    t_watching = w.lines[i][0]
    announced = int(w.lines[i][1].split()[1])
    cpu_watching = proc_cpu(w.proc.pid)
    if not done.wait(max(600, count * 0.1)):
        w.stop()
        raise TimeoutError(f"{len(clean)} of {count} drafts clean")
    end = w.stop()
    if end.rc != 0 or "everything is saved" not in end.out:
        raise RuntimeError(f"watch stopped with {end.rc}: {end.out}")
    return {
        "announced": announced,
        "start_to_watching_s": t_watching - w.started,
        "start_cpu_s": cpu_watching,
        "watching_to_first_saving_s": first["t"] - t_watching,
        "save_all_s": last["t"] - first["t"],
        "save_all_cpu_s": last["cpu"] - first["cpu"],
        "drafts_per_s": count / (last["t"] - first["t"]),
        "stop_s": end.wall_s,
        "total_cpu_s": end.cpu_s,
        "peak_rss_mib": end.rss_mib,
        "tree_pss_mib": end.tree_mib,
        "tree_rss_mib": end.tree_rss_mib,
        "tree_pages_mib": end.tree_pages_mib,
        "lines_by_state": states,
    }


def watch_idle(dk: list[str], root: Path, store: Path, env: dict[str, str],
               scan_s: float, factor: int, count: int) -> dict:
    """(c): CPU of an idle ``watch`` over two safety sweeps."""
    config = Path(env["DRAFTKEEPER_HOME"]) / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "settings.json").write_text(json.dumps({"version": 1, "scan_interval_s": scan_s}))
    cmd = [*dk, "watch", "--interval", "5", "--root", str(root), "--store", str(store)]
    w = Watch(cmd, env)
    try:
        i = w.wait_line(0, watching_line, 600)
        start_s = w.lines[i][0] - w.started
        time.sleep(3)
        sweep = sweep_period(scan_s, factor, count)
        window = 2 * sweep + scan_s
        n_lines = len(w.lines)
        c0, t0 = proc_cpu(w.proc.pid), time.perf_counter()
        samples = []
        prev_c, prev_t = c0, t0
        while time.perf_counter() - t0 < window:
            time.sleep(1)
            c, t = proc_cpu(w.proc.pid), time.perf_counter()
            samples.append((c - prev_c) / (t - prev_t) * 100)
            prev_c, prev_t = c, t
        c1, t1 = proc_cpu(w.proc.pid), time.perf_counter()
        status_lines = len(w.lines) - n_lines
    finally:
        end = w.stop()
        (config / "settings.json").unlink()
    if end.rc != 0 or "everything is saved" not in end.out:
        raise RuntimeError(f"watch stopped with {end.rc}: {end.out}")
    busy = sorted(samples, reverse=True)
    return {
        "scan_interval_s": scan_s,
        "sweep_every_s": sweep,
        "window_s": t1 - t0,
        "cpu_s": c1 - c0,
        "cpu_pct": (c1 - c0) / (t1 - t0) * 100,
        "busiest_1s_pct": busy[0],
        "seconds_over_20pct": sum(s > 20 for s in samples),
        "quiet_median_pct": statistics.median(samples),
        "status_lines_in_window": status_lines,
        "start_to_watching_s": start_s,
        "peak_rss_mib": end.rss_mib,
    }


def window_start(root: Path, base: Path, count: int) -> dict:
    """(e), with --window: bench/window_start.py's measure, one run: the window started
    offscreen through the real entry point (the root and store in its settings file),
    timed to its first painted table, the details of the rows in view, of every row, and
    every row's save state known."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from window_start import one_run  # bench/ is not a package

    return one_run(root, base / "store", base / "window-home", count, 120 + count * 0.05)


def dk_list(dk: list[str], root: Path, store: Path, env: dict[str, str], count: int,
            runs: int) -> Run:
    """(b)"""
    out = []
    for _ in range(runs):
        r = run_measured([*dk, "list", "--root", str(root), "--store", str(store)], env)
        head = r.out.splitlines()[0] if r.out else ""
        saved = r.out.count("  Saved ")
        if r.rc != 0 or not head.startswith(f"{count} draft(s)") or saved != count:
            raise RuntimeError(f"list: rc {r.rc}, {head!r}, {saved} saved of {count}")
        out.append(r)
    return median_run(out)


def save_all_and_restic(dk: list[str], root: Path, base: Path, env: dict[str, str],
                        count: int, runs: int) -> tuple[Run, Run, Run, Run]:
    """(f) and (d), side by side: ``save --all`` into a fresh store, then restic's first
    backup into a fresh repository; then unchanged runs of each, alternating. Returns
    (save-all first, save-all unchanged, restic first, restic unchanged), medians."""
    renv = dict(os.environ, RESTIC_PASSWORD="bench", RESTIC_REPOSITORY=str(base / "restic"),
                RESTIC_CACHE_DIR=str(base / "restic-cache"))
    subprocess.run(["restic", "init", "--quiet"], env=renv, check=True,
                   stdout=subprocess.DEVNULL)
    backup = ["restic", "backup", "--quiet", "--host", "bench", str(root)]
    save_all = [*dk, "save", "--all", "--root", str(root), "--store", str(base / "store-f")]

    def checked_save(r: Run, new: int) -> Run:
        last = r.out.strip().splitlines()[-1] if r.out.strip() else ""
        if r.rc != 0 or not last.startswith(f"{count} draft(s)") or f": {new} saved" not in last:
            raise RuntimeError(f"save --all: rc {r.rc}: {r.out[-2000:]}")
        return r

    dk_first = checked_save(run_measured(save_all, env), count)
    r_first = run_measured(backup, renv)
    dk_again, r_again = [], []
    for _ in range(runs):
        dk_again.append(checked_save(run_measured(save_all, env), 0))
        r_again.append(run_measured(backup, renv))
    for r in (r_first, *r_again):
        if r.rc != 0:
            raise RuntimeError(f"restic backup: rc {r.rc}: {r.out[-2000:]}")
    return dk_first, median_run(dk_again), r_first, median_run(r_again)


def measure(count: int, runs: int, idle_scan: float, factor: int, window: bool) -> dict:
    dk = draftkeeper_exe()
    with tempfile.TemporaryDirectory(prefix=f"dk-scale-{count}-",
                                     dir=os.environ.get("BENCH_DIR")) as tmp:
        base = Path(tmp)
        root, built = build_root(base, count)
        size = tree_bytes(root)
        env = dict(os.environ, DRAFTKEEPER_HOME=str(base / "home"))
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: bytecode cached
        load0 = os.getloadavg()
        print(f"\n{count:,} drafts ({size / 1e6:.1f} MB) built in {built:.1f} s; "
              f"load {load0[0]:.2f} {load0[1]:.2f} {load0[2]:.2f}", flush=True)
        store = base / "store"
        save = watch_save_all(dk, root, store, env, count)
        print(f"  (a) watch saved all in {save['save_all_s']:.1f} s", flush=True)
        lst = dk_list(dk, root, store, env, count, runs)
        print(f"  (b) list {lst.wall_s:.2f} s", flush=True)
        idle = watch_idle(dk, root, store, env, idle_scan, factor, count)
        print(f"  (c) watch idle {idle['cpu_pct']:.2f}% of a core", flush=True)
        sa_first, sa_again, first, again = save_all_and_restic(dk, root, base, env, count, runs)
        print(f"  (f) save --all first {sa_first.wall_s:.2f} s, unchanged "
              f"{sa_again.wall_s:.2f} s; (d) restic first {first.wall_s:.2f} s, unchanged "
              f"{again.wall_s:.2f} s", flush=True)
        if window:
            win = window_start(root, base, count)
            print(f"  (e) window: table painted in {win['first_paint_s']:.2f} s, details of "
                  f"every row in {win['all_details_s']:.2f} s", flush=True)
        load1 = os.getloadavg()
    res = {
        "drafts": count, "bytes": size, "build_s": built,
        "loadavg_before": load0, "loadavg_after": load1,
        "watch_save_all": save,
        "list": asdict(lst), "watch_idle": idle,
        "restic_first": asdict(first), "restic_unchanged": asdict(again),
        "save_all_first": asdict(sa_first), "save_all_unchanged": asdict(sa_again),
    }
    if window:
        res["window"] = win
    for k in ("list", "restic_first", "restic_unchanged", "save_all_first",
              "save_all_unchanged"):
        del res[k]["out"]
    return res


def build_tiny(base: Path, count: int) -> tuple[Path, float]:
    """``count`` tiny drafts (a content file and a meta file of a few bytes each)."""
    t = time.perf_counter()
    root = base / "root"
    root.mkdir()
    for i in range(count):
        d = root / f"tiny{i:06d}"
        d.mkdir()
        (d / "draft_content.json").write_bytes(b'{"tracks": [], "duration": %d}' % i)
        (d / "draft_meta_info.json").write_bytes(b'{"draft_name": "tiny %d"}' % i)
    os.sync()
    return root, time.perf_counter() - t


def measure_tiny(count: int, runs: int) -> dict:
    """--tiny: save --all, list, restic and the start of watch on ``count`` tiny drafts."""
    dk = draftkeeper_exe()
    with tempfile.TemporaryDirectory(prefix=f"dk-tiny-{count}-",
                                     dir=os.environ.get("BENCH_DIR")) as tmp:
        base = Path(tmp)
        root, built = build_tiny(base, count)
        env = dict(os.environ, DRAFTKEEPER_HOME=str(base / "home"))
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        load0 = os.getloadavg()
        print(f"\n{count:,} tiny drafts built in {built:.1f} s; load {load0[0]:.2f} "
              f"{load0[1]:.2f} {load0[2]:.2f}", flush=True)
        sa_first, sa_again, first, again = save_all_and_restic(dk, root, base, env, count, runs)
        print(f"  (f) save --all first {sa_first.wall_s:.2f} s, unchanged "
              f"{sa_again.wall_s:.2f} s; (d) restic first {first.wall_s:.2f} s, unchanged "
              f"{again.wall_s:.2f} s", flush=True)
        lst = dk_list(dk, root, base / "store-f", env, count, 1)
        print(f"  (b) list {lst.wall_s:.2f} s", flush=True)
        w = Watch([*dk, "watch", "--interval", "5", "--root", str(root), "--store",
                   str(base / "store-f")], env)
        i = w.wait_line(0, watching_line, 1800)
        started = w.lines[i][0] - w.started
        end = w.stop()
        load1 = os.getloadavg()
    print(f"\n== {count:,} tiny drafts; load average {load0[0]:.2f}/{load0[1]:.2f}/"
          f"{load0[2]:.2f} before, {load1[0]:.2f}/{load1[1]:.2f}/{load1[2]:.2f} after")
    print(f"  {'figure':<44}{'wall s':>9}{'CPU s':>9}{'RSS MiB':>9}   vs restic (wall, CPU)")
    for name, r, base_run in (("(f) save --all, first (fresh store)", sa_first, first),
                              ("(f) save --all, unchanged", sa_again, again),
                              ("(b) list, all saved", lst, again),
                              ("(d) restic backup, first", first, None),
                              ("(d) restic backup, unchanged", again, None)):
        vs = (f"   {r.wall_s / base_run.wall_s:6.2f}x {r.cpu_s / base_run.cpu_s:6.2f}x"
              if base_run else "")
        print(f"  {name:<44}{r.wall_s:9.2f}{r.cpu_s:9.2f}{r.rss_mib:9.0f}{vs}")
    print(f"  watch: start -> 'watching' line {started:.1f} s, peak RSS {end.rss_mib:.0f} MiB, "
          f"exit {end.rc}")
    out = {name: asdict(r) for name, r in (("save_all_first", sa_first),
                                           ("save_all_unchanged", sa_again), ("list", lst),
                                           ("restic_first", first), ("restic_unchanged", again))}
    for r in out.values():
        del r["out"]
    return {"drafts": count, "tiny": True, "loadavg_before": load0, "loadavg_after": load1,
            **out, "watch_start_s": started, "watch_peak_rss_mib": end.rss_mib}


# --- output -----------------------------------------------------------------------------

def figures(r: dict) -> dict[str, float]:
    """The figures compared between sizes."""
    a, b, c = r["watch_save_all"], r["list"], r["watch_idle"]
    out = {
        "watch start -> 'watching' (s)": a["start_to_watching_s"],
        "watch save-all wall (s)": a["save_all_s"],
        "watch save-all CPU (s)": a["save_all_cpu_s"],
        "watch peak RSS (MiB)": a["peak_rss_mib"],
        "list wall (s)": b["wall_s"],
        "list CPU (s)": b["cpu_s"],
        "list peak RSS (MiB)": b["rss_mib"],
        "watch idle CPU (% core)": c["cpu_pct"],
        "save --all first wall (s)": r["save_all_first"]["wall_s"],
        "save --all first CPU (s)": r["save_all_first"]["cpu_s"],
        "save --all unchanged wall (s)": r["save_all_unchanged"]["wall_s"],
        "save --all peak RSS (MiB)": max(r["save_all_first"]["rss_mib"],
                                        r["save_all_unchanged"]["rss_mib"]),
        "restic first wall (s)": r["restic_first"]["wall_s"],
        "restic first CPU (s)": r["restic_first"]["cpu_s"],
        "restic unchanged wall (s)": r["restic_unchanged"]["wall_s"],
        "restic unchanged CPU (s)": r["restic_unchanged"]["cpu_s"],
    }
    if "window" in r:
        out["window: first painted table (s)"] = r["window"]["first_paint_s"]
        out["window: every row's details (s)"] = r["window"]["all_details_s"]
    return out


def show(r: dict) -> None:
    a, b, c = r["watch_save_all"], r["list"], r["watch_idle"]
    rf, ru = r["restic_first"], r["restic_unchanged"]
    la, lb = r["loadavg_before"], r["loadavg_after"]
    print(f"\n== {r['drafts']:,} drafts, {r['bytes'] / 1e6:.1f} MB; load average "
          f"{la[0]:.2f}/{la[1]:.2f}/{la[2]:.2f} before, {lb[0]:.2f}/{lb[1]:.2f}/{lb[2]:.2f} "
          f"after")
    print(f"  {'figure':<44}{'wall s':>9}{'CPU s':>9}{'RSS MiB':>9}   vs restic (wall, CPU)")

    def row(name: str, wall: float, cpu: float, rss: float | None, base: dict | None) -> None:
        vs = (f"   {wall / base['wall_s']:6.1f}x {cpu / base['cpu_s']:6.1f}x"
              if base else "")
        rss_s = f"{rss:9.0f}" if rss is not None else f"{'':9}"
        print(f"  {name:<44}{wall:9.2f}{cpu:9.2f}{rss_s}{vs}")

    row("(a) watch: start -> 'watching' line", a["start_to_watching_s"], a["start_cpu_s"],
        None, None)
    row("(a) watch: first saving -> all clean", a["save_all_s"], a["save_all_cpu_s"],
        a["peak_rss_mib"], rf)
    row("(f) save --all, first (fresh store)", r["save_all_first"]["wall_s"],
        r["save_all_first"]["cpu_s"], r["save_all_first"]["rss_mib"], rf)
    row("(f) save --all, unchanged", r["save_all_unchanged"]["wall_s"],
        r["save_all_unchanged"]["cpu_s"], r["save_all_unchanged"]["rss_mib"], ru)
    row("(b) list, all saved", b["wall_s"], b["cpu_s"], b["rss_mib"], ru)
    row("(d) restic backup, first", rf["wall_s"], rf["cpu_s"], rf["rss_mib"], None)
    row("(d) restic backup, unchanged", ru["wall_s"], ru["cpu_s"], ru["rss_mib"], None)
    if "window" in r:
        e = r["window"]
        print(f"  {'(e) window: start -> first painted table':<44}{e['first_paint_s']:9.2f}")
        print(f"  {'(e) window: start -> details, rows in view':<44}"
              f"{e['visible_details_s']:9.2f}")
        row("(e) window: start -> details, every row", e["all_details_s"], e["cpu_s"],
            None, ru)
        print(f"  {'(e) window: start -> every state known':<44}{e['states_known_s']:9.2f}")
    print(f"  (a) {a['drafts_per_s']:.0f} drafts/s saved; {a['save_all_cpu_s'] / r['drafts'] * 1000:.1f}"
          f" ms CPU per draft; lines by state {a['lines_by_state']}")
    per_min = c["cpu_s"] / c["window_s"] * 60
    print(f"  (c) watch idle: {c['cpu_pct']:.2f}% of a core over {c['window_s']:.0f} s "
          f"(scan_interval_s {c['scan_interval_s']:g}: sweep every {c['sweep_every_s']:g} s); "
          f"busiest second {c['busiest_1s_pct']:.0f}%, {c['seconds_over_20pct']} s over 20%, "
          f"median second {c['quiet_median_pct']:.2f}%; {per_min:.2f} CPU s per minute = "
          f"{per_min / ru['cpu_s']:.2f}x one unchanged restic backup")


def show_growth(results: list[dict]) -> None:
    if len(results) < 2:
        return
    figs = [figures(r) for r in results]
    steps = [f"{a['drafts']:,}->{b['drafts']:,}" for a, b in itertools.pairwise(results)]
    print(f"\n== growth factors (x{results[1]['drafts'] // results[0]['drafts']} drafts "
          "per step: linear = that factor)")
    print(f"  {'figure':<34}" + "".join(f"{s:>18}" for s in steps))
    for name in figs[-1]:
        if not all(name in f for f in figs):
            continue
        cells = []
        for f0, f1 in itertools.pairwise(figs):
            cells.append(f"{f1[name] / f0[name]:17.1f}x" if f0[name] > 0 else f"{'-':>18}")
        print(f"  {name:<34}" + "".join(cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--runs", type=int, default=3, help="runs of list and of restic "
                        "unchanged (median)")
    parser.add_argument("--idle-scan", type=float, default=3.0,
                        help="scan_interval_s of the idle watch (sweep every 12x that)")
    parser.add_argument("--window", action="store_true",
                        help="also time the window's start (offscreen) to every row")
    parser.add_argument("--json", action="store_true", help=f"also write {OUT}")
    parser.add_argument("--tiny", type=int, metavar="N", default=0,
                        help="then N tiny drafts (e.g. 100000): save --all, list, restic, "
                        "watch start")
    args = parser.parse_args()
    if not shutil.which("restic"):
        sys.exit("restic is needed: apt-get install -y restic")
    sizes = [int(s) for s in args.sizes.split(",") if s]
    factor = sweep_factor()
    print(f"Draft Keeper at scale: {os.cpu_count()} CPUs, load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"{subprocess.run(['restic', 'version'], capture_output=True, text=True).stdout.strip()}")
    results = []
    for n in sizes:
        results.append(measure(n, args.runs, args.idle_scan, factor, args.window))
        show(results[-1])
    show_growth(results)
    if args.tiny:
        results.append(measure_tiny(args.tiny, args.runs))
    if args.json:
        OUT.parent.mkdir(parents=True, exist_ok=True)
        OUT.write_text(json.dumps({"cpus": os.cpu_count(), "sizes": results}, indent=2))
        print(f"\nwritten {OUT}")


if __name__ == "__main__":
    main()
