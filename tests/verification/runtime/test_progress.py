"""Progress that fits where it goes: a bar on a terminal, plain lines (elapsed time, ETA) in a log."""

import io

from tqdm.std import tqdm

from verification.runtime.progress import LineProgress, duration, progress


class Terminal(io.StringIO):
    def isatty(self):
        return True


class Clock:
    """A clock the test moves by hand."""

    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_a_terminal_gets_a_bar_a_log_gets_lines():
    bar = progress(3, desc="sweep", unit="chunk", file=Terminal())
    assert isinstance(bar, tqdm)
    bar.close()
    assert isinstance(progress(3, desc="sweep", unit="chunk", file=io.StringIO()), LineProgress)


def test_one_line_per_chunk_with_elapsed_time_and_eta_no_carriage_returns():
    log, clock = io.StringIO(), Clock()
    bar = LineProgress(4, desc="figure 7 runs", unit="chunk", initial=1, file=log, clock=clock)
    for _ in range(3):
        clock.now += 60.0  # each chunk a minute
        bar.update(1)
    lines = log.getvalue().splitlines()
    assert "\r" not in log.getvalue() and len(lines) == 3
    # the chunk loaded from the cache (initial) counts but is not timed: 2 minutes left after one
    assert lines[0] == "figure 7 runs: 2/4 chunks (50%), 1 min 00 s elapsed, ETA 2 min 00 s"
    assert lines[2] == "figure 7 runs: 4/4 chunks (100%), 3 min 00 s elapsed, ETA 0.0 s"


def test_every_throttles_fine_units_and_keeps_the_last_line():
    log, clock = io.StringIO(), Clock()
    bar = LineProgress(1000, desc="training", unit="step", every=60.0, file=log, clock=clock)
    for _ in range(1000):
        clock.now += 0.25  # 250 s in all: a line at 60, 120, 180, 240 s and the last
        bar.update(1)
    lines = log.getvalue().splitlines()
    assert len(lines) == 5 and lines[-1].startswith("training: 1000/1000 steps (100%), 4 min 10 s elapsed")
    assert lines[0] == "training: 240/1000 steps (24%), 1 min 00 s elapsed, ETA 3 min 10 s"


def test_duration_reads_as_a_log_does():
    shown = [duration(s) for s in (0.04, 59.6, 61, 7200)]
    assert shown == ["0.0 s", "1 min 00 s", "1 min 01 s", "2 h 00 min"]
