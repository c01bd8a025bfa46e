"""Ctrl-C stops training within seconds, whatever the number of worker threads."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from verification.runtime.interrupt import check_stop, clear_stop, request_stop, stop_requested

ROOT = Path(__file__).resolve().parents[2]

PROBE = textwrap.dedent(
    """
    import sys
    from verification.training import train_ensemble
    from verification.train_config import Schedule, TrainConfig
    cfgs = [TrainConfig(n=24, eta_enc=1e-3, eta_dec=1e-3, seed=s) for s in range(16)]
    print("start", flush=True)
    try:  # 8 batches on 2 threads, far more steps than the test waits for
        train_ensemble(cfgs, Schedule(steps=10**6, early_stop=False), device="cpu", chunk_size=2, workers=2)
    except KeyboardInterrupt:
        print("interrupted", flush=True)
        sys.exit(130)
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_sigint_stops_a_threaded_ensemble_within_seconds():
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-c", PROBE],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
        # a shell's background job starts with SIGINT ignored, and Python then keeps it ignored
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        assert proc.stdout.readline().strip() == "start"
        time.sleep(1.5)  # the batches are training
        t0 = time.perf_counter()
        proc.send_signal(signal.SIGINT)
        rc = proc.wait(timeout=30)
        delay = time.perf_counter() - t0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        out = proc.stdout.read().strip()
        proc.stdout.close()
    assert rc == 130 and out == "interrupted"
    assert delay < 5, f"{delay:.1f} s from SIGINT to exit"


def test_a_stop_request_is_raised_between_steps_and_cleared():
    assert not stop_requested()
    assert request_stop() and not request_stop()  # the first caller owns the request
    with pytest.raises(KeyboardInterrupt):
        check_stop()
    clear_stop()
    check_stop()
    assert not stop_requested()
