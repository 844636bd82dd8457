"""OptiCommPy's equivalent of photolink's `eye` bench pipeline (benches/eye.rs), timed.

65 535 PAM4 symbols at 32 samples/UI, 53.125 GBd: held drive through a Gaussian driver low-pass (FIR),
`mzm` at quadrature, `linearFiberChannel` (2 km, D = -1.23 ps/nm/km at 1311 nm, 0.4 dB/km),
`photodiode` (shot and thermal noise, 26.6 GHz Gaussian bandwidth), then optionally a 2-UI eye
histogram. Random symbols stand in for SSPRQ: the work does not depend on the pattern.
One thread (BLAS threads pinned by side_by_side.sh). Peer code is only timed, never used for results.
"""
import time

import numpy as np
from optic.dsp.core import firFilter, lowPassFIR
from optic.models.channels import linearFiberChannel
from optic.models.devices import mzm, photodiode
from optic.utils import parameters

RS, SPS, NSYM = 53.125e9, 32, 65535
FS = RS * SPS
SYMBOLS = np.random.default_rng(1).integers(0, 4, NSYM)
LEVELS = np.array([-1, -1 / 3, 1 / 3, 1])


def pipeline(with_eye):
    u = np.repeat(LEVELS[SYMBOLS], SPS) * 0.75  # 1.5 Vpp drive
    u = firFilter(lowPassFIR(45e9, FS, 255, "gauss"), u)
    pm = parameters()
    pm.Vpi, pm.Vb, pm.ER = 3.0, -1.5, 25
    field = mzm(np.sqrt(10e-3) * np.ones(u.size), u, pm)
    pf = parameters()
    pf.L, pf.alpha, pf.D, pf.Fc, pf.Fs = 2, 0.4, -1.23, 299792458 / 1311e-9, FS
    field = linearFiberChannel(field, pf)
    pd = parameters()
    pd.R, pd.B, pd.Fs, pd.seed, pd.N, pd.fType = 0.9, 26.5625e9, FS, 1, 255, "gauss"
    current = photodiode(field, pd)
    if with_eye:
        t = np.tile(np.arange(2 * SPS), current.size // (2 * SPS) + 1)[: current.size]
        np.histogram2d(t, current, bins=[2 * SPS, 220])
    return current


for label, with_eye in (("chain_only", False), ("chain_eye", True)):
    pipeline(with_eye)
    runs = []
    for _ in range(10):
        t0 = time.perf_counter()
        pipeline(with_eye)
        runs.append(time.perf_counter() - t0)
    print(f"opticommpy/{label}: median {np.median(runs) * 1e3:.1f} ms (min {min(runs) * 1e3:.1f} ms, 10 runs)")
