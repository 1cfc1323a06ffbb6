"""Content-defined chunker candidates, measured side by side in one run.

    python bench/chunkers.py [--runs N] [--wheels]

For each candidate installed in this environment: the time to import it (a fresh
interpreter, ``-X importtime``'s cumulative figure for the package), the time to cut the
5.5 MB ``draft_content.json`` of the capcut-mate fixture at an average of 64 KiB (median
of ``--runs``; ``cut`` only, no hashing), the chunk count, and how many chunks of the file
survive a 20-byte edit in its middle (fewer new chunks = less to store per edit).
``--wheels`` also asks pip which binary wheels each candidate has for Linux (x86_64,
aarch64), Windows (amd64) and macOS (arm64, x86_64) on CPython 3.11 to 3.13 (this needs the
package index; without it the table is skipped).

Candidates: pyfastcdc (Cython, FastCDC 2020), fastcdc (iscc; Cython extension where built,
else pure Python), tilecdc (AMX/AVX-512/scalar), pith-cdc (Rust cdylib via ctypes). A
candidate that is not installed is reported as such.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / (
    "capcut-mate-draft-2000-captions.tar.gz"
)
AVG = 64 * 1024
MIN = 16 * 1024
MAX = 256 * 1024
PLATFORMS = [
    "manylinux_2_17_x86_64", "manylinux_2_17_aarch64", "win_amd64",
    "macosx_11_0_arm64", "macosx_10_9_x86_64",
]
PYTHONS = ["311", "312", "313"]

Cutter = Callable[[bytes], list[int]]  # data -> chunk lengths


def _pyfastcdc() -> Cutter:
    import pyfastcdc

    cdc = pyfastcdc.FastCDC(AVG, min_size=MIN, max_size=MAX)
    return lambda data: [c.length for c in cdc.cut_buf(data)]


def _fastcdc() -> Cutter:
    import fastcdc

    return lambda data: [
        c.length for c in fastcdc.fastcdc(data, min_size=MIN, avg_size=AVG, max_size=MAX)
    ]


def _fastcdc_py() -> Cutter:
    from fastcdc import fastcdc_py

    return lambda data: [
        c.length
        for c in fastcdc_py.fastcdc_py(data, min_size=MIN, avg_size=AVG, max_size=MAX)
    ]


def _tilecdc() -> Cutter:
    import tilecdc

    # its average is capped at MAX_AVG_SIZE (32 KiB): it cannot make 64 KiB chunks
    avg = min(AVG, tilecdc.MAX_AVG_SIZE)
    chunker = tilecdc.Chunker(min_size=min(MIN, avg // 4), avg_size=avg, max_size=MAX)
    return lambda data: list(chunker.chunk(data))


def _pith_cdc() -> Cutter:
    import pith_cdc  # type: ignore[import-not-found]

    return lambda data: [len(c) for c in pith_cdc.chunk(data)]


CANDIDATES: dict[str, tuple[str, str, Callable[[], Cutter]]] = {
    # name: (pip name, import name, cutter factory)
    "pyfastcdc": ("pyfastcdc", "pyfastcdc", _pyfastcdc),
    "fastcdc": ("fastcdc", "fastcdc", _fastcdc),
    "fastcdc (pure Python path)": ("fastcdc", "fastcdc", _fastcdc_py),
    "tilecdc": ("tilecdc", "tilecdc", _tilecdc),
    "pith-cdc": ("pith-cdc", "pith_cdc", _pith_cdc),
}


def import_ms(module: str) -> float | None:
    """Cumulative import time of ``module`` in a fresh interpreter (median of 3)."""
    samples = []
    for _ in range(3):
        proc = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", f"import {module}"],
            capture_output=True, text=True, check=False,
        )
        if proc.returncode != 0:
            return None
        for line in proc.stderr.splitlines():
            parts = [p.strip() for p in line.split("|")]
            if len(parts) == 3 and parts[2] == module:
                samples.append(int(parts[1]) / 1000)
    return statistics.median(samples) if samples else None


def wheels(pip_name: str) -> str:
    """Which of the platform x CPython combinations have a binary wheel."""
    have = []
    with tempfile.TemporaryDirectory() as tmp:
        for plat in PLATFORMS:
            ok = []
            for py in PYTHONS:
                dest = Path(tmp) / f"{plat}-{py}"
                proc = subprocess.run(
                    [sys.executable, "-m", "pip", "download", "-q", "--no-deps",
                     "--only-binary=:all:", "--platform", plat, "--python-version", py,
                     "--implementation", "cp", "-d", str(dest), pip_name],
                    capture_output=True, text=True, check=False, timeout=120,
                )
                names = [p.name for p in dest.glob("*.whl")] if proc.returncode == 0 else []
                if names and "none-any" not in names[0]:
                    ok.append(py)
                elif names:
                    ok.append(f"{py}(pure)")
            have.append(f"{plat.split('_', 1)[-1] if plat.startswith('many') else plat}:"
                        f"{','.join(ok) or '-'}")
    return "  ".join(have)


def survivors(cut: Cutter, data: bytes) -> tuple[int, int]:
    """(chunks of the edited file, how many of them are new) for a 20-byte edit."""
    mid = len(data) // 2
    edited = data[:mid] + b"X" * 20 + data[mid + 20:]

    def pieces(buf: bytes) -> list[bytes]:
        out, pos = [], 0
        for n in cut(buf):
            out.append(buf[pos:pos + n])
            pos += n
        assert pos == len(buf), "lengths do not cover the input"
        return out

    before = set(pieces(data))
    after = pieces(edited)
    return len(after), sum(1 for p in after if p not in before)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--wheels", action="store_true")
    args = parser.parse_args()
    with tarfile.open(FIXTURE) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith("draft_content.json"))
        f = tar.extractfile(member)
        assert f is not None
        data = f.read()
    print(f"input: draft_content.json, {len(data) / 1e6:.2f} MB; min/avg/max = "
          f"{MIN // 1024}/{AVG // 1024}/{MAX // 1024} KiB; {args.runs} runs, medians")
    print(f"{'candidate':28} {'import ms':>9} {'cut ms':>8} {'MB/s':>7} {'chunks':>6} "
          f"{'new after edit':>14}")
    for name, (pip_name, module, factory) in CANDIDATES.items():
        try:
            cut = factory()
        except Exception as exc:
            print(f"{name:28} not usable here ({type(exc).__name__}: {exc})")
            continue
        runs = 1 if "pure" in name else args.runs
        samples = []
        for _ in range(runs):
            t = time.perf_counter()
            lengths = cut(data)
            samples.append(time.perf_counter() - t)
        ms = statistics.median(samples) * 1000
        total, new = survivors(cut, data)
        imp = import_ms(module)
        imp_text = f"{imp:9.1f}" if imp is not None else f"{'-':>9}"
        print(f"{name:28} {imp_text} {ms:8.1f} {len(data) / 1e6 / (ms / 1000):7.0f} "
              f"{len(lengths):6d} {new:>8d} of {total}")
        if args.wheels and "pure" not in name:
            print(f"{'':28} wheels: {wheels(pip_name)}")


if __name__ == "__main__":
    main()
