"""photolink eye (MZM, filters and noise off) vs OptiCommPy mzm on the same held drive, 8..64 samples/UI.

OptiCommPy's mzm is ideal (infinite extinction); photolink's MZM has a static ER (25 dB by default,
which lifts P0 by 0.066 dB at this drive, by design), so the comparison sets mzm.extinction_ratio_db
= 60. Exits 1 if any level, OMA or ER differs by more than 0.05 dB (issue 14).
"""
import json, subprocess, sys
import numpy as np
from optic.models.devices import mzm
from optic.utils import parameters

PL = sys.argv[1]
p = parameters(); p.Vpi = 3.0; p.Vb = -1.5
laser_w, il = 1e-3 * 10 ** (10 / 10), 10 ** (-4 / 10)
levels_u = np.array([-1, -1 / 3, 1 / 3, 1]) * 0.75
worst = 0.0
for spui in range(8, 65):
    u = np.repeat(levels_u, spui)  # held drive, no filter: every sample of a UI is its level
    ao = mzm(np.full(u.size, np.sqrt(laser_w * il)), u, p)
    ocp_mw = 1e3 * np.abs(ao.reshape(4, spui)[:, spui // 2]) ** 2
    out = subprocess.run([PL, "eye", "--modulator", "mzm", "--samples-per-ui", str(spui), "--no-tdecq", "--format", "json",
        "--set", "driver.filter=none", "--set", "receiver.filter=none", "--set", "mzm.bandwidth_hz=1e13",
        "--set", "mzm.extinction_ratio_db=60", "--set", "laser.rin_db_per_hz=-200", "--set", "receiver.tia_noise_a_per_rthz=0",
        "--set", "receiver.dark_current_a=0", "--set", "driver.rj_rms_ui=0", "--set", "driver.dj_pp_ui=0"],
        capture_output=True, text=True, check=True)
    d = json.loads(out.stdout)
    pl = np.array(d["center_levels_mw"]); outer = np.array(d["outer_levels_mw"])
    oma_ocp = 10 * np.log10(ocp_mw[3] - ocp_mw[0]); er_ocp = 10 * np.log10(ocp_mw[3] / ocp_mw[0])
    dl = np.max(np.abs(10 * np.log10(pl / ocp_mw)))
    d_oma = d["oma_outer_dbm"] - oma_ocp; d_er = d["extinction_ratio_db"] - er_ocp
    worst = max(worst, dl, abs(d_oma), abs(d_er))
    print(f"{spui:3d}  levels max|d| {dl:.4f} dB  OMA {d['oma_outer_dbm']:.4f} vs {oma_ocp:.4f}  ER {d['extinction_ratio_db']:.4f} vs {er_ocp:.4f}")
print(f"worst difference {worst:.4f} dB")
sys.exit(1 if worst > 0.05 else 0)
