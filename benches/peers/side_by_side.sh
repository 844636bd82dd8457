#!/usr/bin/env bash
# photolink's eye pipeline and OptiCommPy's equivalent, timed back to back in one run on one core.
# Needs a Python with OptiCommPy (`pip install opticommpy`): PYTHON=/path/to/venv/bin/python.
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo bench --bench eye -- --warm-up-time 1 --measurement-time 5 2>&1 | grep -E "^eye/|time:"
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 NUMBA_NUM_THREADS=1 \
    "${PYTHON:-python3}" benches/peers/opticommpy_eye.py
