"""Where and when a result was made: the code commit, the date and the host.

A stored training chunk keeps these beside its result (:meth:`ResultCache.record
<verification.runtime.result_cache.ResultCache.record>`), and the archive of runs
(:mod:`verification.archive`) keeps them per chunk, so a number can be traced to the code and the
machine that produced it.  The *host class* -- CPU model and vector instruction set, torch version,
device -- is what decides whether two machines do the same float32 arithmetic: the trainer's
numbers are bit-identical within a class (:mod:`verification.training`), and may differ in the
last bits across classes (other reduction orders, another vector width, other torch kernels).

Nothing here imports torch: its version is read from the installed package's metadata, and a GPU
is named only when torch is already imported and CUDA is available.

Examples
--------
>>> host = host_info()
>>> sorted(host)
['cores', 'cpu', 'gpu', 'numpy', 'simd', 'torch']
>>> len(host_class(host, "cpu"))
4
"""

from __future__ import annotations

import functools
import importlib.metadata
import os
import subprocess
import sys
import time
from pathlib import Path

__all__ = ["UNKNOWN", "host_info", "host_class", "code_commit", "utc_now", "chunk_meta"]

#: the value of a provenance field that could not be found out
UNKNOWN = "unknown"

#: vector instruction sets, widest first: the first one the CPU has names its class
_SIMD = ("avx512f", "avx2", "avx", "sse4_2", "neon", "asimd")


def _cpuinfo() -> dict:
    """The first processor's fields of ``/proc/cpuinfo`` (empty where there is none)."""
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return {}
    out: dict = {}
    for line in text.splitlines():
        if not line.strip():
            if out:
                break  # the first processor's block is enough
            continue
        key, _, value = line.partition(":")
        out.setdefault(key.strip(), value.strip())
    return out


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return UNKNOWN


def _gpu() -> str | None:
    torch = sys.modules.get("torch")  # never imported here: 1.1 s (measured)
    try:
        if torch is not None and torch.cuda.is_available():
            return str(torch.cuda.get_device_name(0))
    except Exception:  # a broken CUDA set-up: no GPU to name
        return None
    return None


@functools.lru_cache(maxsize=1)
def _cpu() -> tuple[str, str]:
    info = _cpuinfo()
    model = info.get("model name") or info.get("Model") or info.get("Hardware") or UNKNOWN
    family = info.get("cpu family")
    if family is not None:
        model = f"{model} (family {family}, model {info.get('model', '?')})"
    flags = set((info.get("flags") or info.get("Features") or "").split())
    simd = next((s for s in _SIMD if s in flags), UNKNOWN)
    return model, simd


def host_info() -> dict:
    """This machine: CPU model (with family and model number), widest vector instruction set,
    core count, torch and numpy versions, and the GPU when torch has CUDA (else ``None``).

    Examples
    --------
    >>> host_info()["cores"] == (os.cpu_count() or 0)
    True
    """
    model, simd = _cpu()
    return {
        "cpu": model,
        "simd": simd,
        "cores": int(os.cpu_count() or 0),
        "torch": _version("torch"),
        "numpy": _version("numpy"),
        "gpu": _gpu(),
    }


def host_class(host: dict, device: str) -> tuple:
    """What decides the float32 arithmetic of a run on ``host`` and ``device``: the CPU model and
    vector instruction set, the torch version, and the device (the GPU's name on CUDA).

    Examples
    --------
    >>> h = {"cpu": "X", "simd": "avx2", "cores": 2, "torch": "2.3", "numpy": "2.0", "gpu": None}
    >>> host_class(h, "cpu") == host_class({**h, "cores": 64, "numpy": "1.26"}, "cpu")
    True
    >>> host_class(h, "cpu") == host_class({**h, "simd": "avx512f"}, "cpu")
    False
    """
    device = str(device)
    where = f"{device}:{host.get('gpu')}" if device.startswith("cuda") else device
    return (host.get("cpu"), host.get("simd"), host.get("torch"), where)


@functools.lru_cache(maxsize=1)
def code_commit() -> str:
    """The git commit of the checked-out code (``git rev-parse HEAD`` in the package's folder), or
    :data:`UNKNOWN` when the code is not a git checkout (an installed package)."""
    root = Path(__file__).resolve().parents[2]
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return UNKNOWN
    sha = out.stdout.strip()
    return sha if len(sha) == 40 else UNKNOWN


def utc_now() -> str:
    """The date and time now, UTC, ISO 8601 to the second (``2026-12-07T04:52:01Z``)."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def chunk_meta(*, on_this_host: bool) -> dict:
    """What a stored chunk keeps beside its result: when it was stored, the code commit, and the
    host when the chunk was computed on this machine (``None`` when a remote worker computed it:
    the host that stores it is not the host that computed it)."""
    return {"stored_at": utc_now(), "commit": code_commit(), "host": host_info() if on_this_host else None}
