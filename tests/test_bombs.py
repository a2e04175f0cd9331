"""Each bomb from the probe, given to the command line in a child process: refused with its Vietnamese message,
exit 1, within a bounded peak memory (the child's own maximum resident size, from wait4).

benchmarks/bombs.py prints the same measurements (and, with --code, those of another checkout).
"""

from __future__ import annotations

import bombs
import pytest

# What reading any input may take, at most: README's "Limits" gives the measured worst cases under it.
PEAK_BOUND_MB = 400


@pytest.mark.slow
@pytest.mark.parametrize("bomb", bombs.BOMBS, ids=lambda b: b.name)
def test_bomb_is_refused_within_the_memory_bound(bomb, tmp_path):
    path, run = bombs.run_bomb(bomb, tmp_path, timeout=300)
    print(f"{bomb.name}: {path.stat().st_size / bombs.MB:.1f} MB file, peak {run.peak_mb:.0f} MB, {run.seconds:.1f} s")
    assert run.returncode == 1, run.stderr[-2000:]
    # the stable code, for programs: a check's problems as JSON (--json); an import's own sentence on stderr
    assert bomb.code in run.stdout + run.stderr and "Traceback" not in run.stderr, run.stderr[-2000:]
    assert run.peak_mb < PEAK_BOUND_MB, f"peak {run.peak_mb:.0f} MB"
