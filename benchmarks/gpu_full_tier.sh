#!/usr/bin/env bash
# The full tiers still missing from the archive on one CUDA GPU, as one prepared run.
#
# Runs from the repository root of a plain checkout on a machine whose python3 already holds
# PyTorch with CUDA, numpy, scipy, sympy, numba, matplotlib and tqdm (nothing is installed; a
# missing package can be carried as wheels in ./.whl, which are then put on PYTHONPATH).  Writes
# the result cache and the report under $OUT:
#
#   $OUT/report.md, $OUT/report.html   the theory-versus-experiment report of the run
#   $OUT/geneft-results.tar.gz         the whole output folder: figures, data, result cache
#   $OUT/gpu_full_tier.log             everything the run printed, with timings and GPU facts
#
# The run stops itself after GENEFT_TIME_LIMIT seconds (default 540, inside a 10-minute
# command): the cache keeps every finished chunk and the report lists what is pending, so a
# second run with the same $OUT contents resumes.  GENEFT_ONLY picks the tasks (registry keys,
# default fig5-gd,fig5,univ-dynamics,univ-statics,fig8,fig3,fig7,fig6b: the full tiers that
# `geneft archive list` does not show yet, the longest on a CPU first); GENEFT_TIER and GENEFT_DEVICE (default full, cuda) exist for
# a smoke test of the script itself on a CPU (GENEFT_TIER=quick GENEFT_DEVICE=cpu).
#
# The command line is `python -m verification.cli reproduce --full --device cuda ...` (the CLI
# module is verification/cli.py).
#
# Usage:  OUT=/some/folder bash benchmarks/gpu_full_tier.sh
set -uo pipefail

cd "$(dirname "$0")/.."
: "${OUT:?set OUT to the folder that receives the report}"
ONLY="${GENEFT_ONLY:-fig5-gd,fig5,univ-dynamics,univ-statics,fig8,fig3,fig7,fig6b}"
LIMIT="${GENEFT_TIME_LIMIT:-540}"
TIER="${GENEFT_TIER:-full}"
DEVICE="${GENEFT_DEVICE:-cuda}"
RESULTS="$OUT/geneft-results"
LOG="$OUT/gpu_full_tier.log"
mkdir -p "$RESULTS"
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}" PYTHONUNBUFFERED=1

if [ -d .whl ] && ls .whl/*.whl >/dev/null 2>&1; then
    python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
        --target /tmp/geneft-site .whl/*.whl || exit 1
    export PYTHONPATH="$PYTHONPATH:/tmp/geneft-site"
fi

{
    echo "== $(date -u +%FT%TZ) gpu_full_tier: $TIER tier of $ONLY on $DEVICE, limit ${LIMIT}s"
    nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>&1 || true
    DEVICE="$DEVICE" python3 - <<'EOF'
import os
import sys

import torch

print(f"python {sys.version.split()[0]}, torch {torch.__version__}, cuda available {torch.cuda.is_available()}")
if os.environ["DEVICE"] == "cuda":
    if not torch.cuda.is_available():
        sys.exit("no CUDA device: this script is for a GPU machine")
    print(f"device {torch.cuda.get_device_name(0)}")
EOF
} 2>&1 | tee "$LOG"
[ "${PIPESTATUS[0]}" -eq 0 ] || exit 1

start=$(date +%s)
timeout -s INT -k 30 "$LIMIT" \
    python3 -m verification.cli reproduce "--$TIER" --device "$DEVICE" --out "$RESULTS" --no-progress --only "$ONLY" \
    2>&1 | tee -a "$LOG"
rc=${PIPESTATUS[0]}
echo "== reproduce exited with $rc after $(( $(date +%s) - start )) s (124 or 130: stopped at the limit)" | tee -a "$LOG"

# $OUT returns at most 8 files: the report beside the log, everything else in one archive
for f in report.md report.html; do
    [ -f "$RESULTS/$f" ] && cp "$RESULTS/$f" "$OUT/$f"
done
tar -czf "$OUT/geneft-results.tar.gz" -C "$OUT" geneft-results && rm -rf "$RESULTS"
ls -l "$OUT" | tee -a "$LOG"
exit "$rc"
