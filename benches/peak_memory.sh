#!/usr/bin/env bash
# Peak memory of every file-reading command on inputs just under 100 MB (issue 14: "peak memory of
# any command on any input file under 100 MB stays under 1 GB"). Generates worst-case files (the
# shortest numbers, so the most values per byte) in a temp dir, runs each command under GNU time
# and prints its maximum resident set size; exits 1 if any exceeds the limit.
#
#   cargo build --release && benches/peak_memory.sh [target/release/photolink]
#
# Not part of CI (it writes about 1 GB of files and takes a few minutes); the fuzz test
# (tests/fuzz.rs) bounds the heap of every parser on small inputs in CI.
set -euo pipefail
BIN=$(realpath "${1:-target/release/photolink}")
LIMIT_KB=$((1024 * 1024))
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
SIZE=$((99 * 1000 * 1000))

python3 - "$DIR" "$SIZE" <<'PY'
import os, sys
d, size = sys.argv[1], int(sys.argv[2])
def fill(name, head, row, tail="", rows=None, max_bytes=size):
    """`rows` rows (default: as many as fit in `max_bytes`) of the shortest text per value."""
    n = (max_bytes - len(head) - len(tail)) // len(row(10**6))
    n = n if rows is None else min(rows, n)
    with open(os.path.join(d, name), "w") as f:
        f.write(head)
        chunk = 100_000
        for start in range(0, n, chunk):
            f.write("".join(row(i) for i in range(start, min(n, start + chunk))))
        f.write(tail)
MI, TOML = 1 << 20, (4 << 20) - 64
s4p_row = lambda i: f"{i + 1} 0 0 .5 0 0 0 0 0\n .5 0 0 0 0 0 0 0\n 0 0 0 0 0 0 .5 0\n 0 0 0 0 .5 0 0 0\n"
# Over the limits (refused early) and at them (the largest accepted input of each reader).
fill("big.s4p", "# Hz S RI R 50\n", s4p_row)
fill("big.s2p", "# Hz S RI R 50\n", lambda i: f"{i + 1} 0 0 1 0 1 0 0 0\n")
fill("max.s4p", "# MHz S RI R 50\n", s4p_row, rows=MI)
fill("max.s2p", "# Hz S RI R 50\n", lambda i: f"{i + 1} 0 0 1 0 1 0 0 0\n", rows=MI)
fill("samples.csv", "", lambda i: "0\n", "1\n")
fill("max-samples.csv", "", lambda i: "0\n" if i != 40 else "1\n", rows=MI)
fill("pulse.csv", "time_s,pulse_v\n", lambda i: f"{i * 1e-12:.9e},{1 if i == 8 else 0}\n")
fill("max-pulse.csv", "time_s,pulse_v\n", lambda i: f"{i * 1e-12:.9e},{1 if i == 40 else 0}\n", rows=8192 * 32)
fill("wave2.csv", "time_s,power_w\n", lambda i: f"{i * 1e-12:.6e},{i // 32 % 4}\n")
fill("wave1.csv", "power_w\n", lambda i: f"{i % 4}\n")
fill("max-wave1.csv", "power_w\n", lambda i: f"{i // 32 % 4}\n", rows=1 << 24)
fill("link.toml", 'name = "x"\npreset = "400GBASE-DR4"\n', lambda i: "[[channel]]\ntype = \"connector\"\nloss_db = 0\n")
fill("max-link.toml", 'name = "x"\npreset = "400GBASE-DR4"\n', lambda i: "[[channel]]\ntype = \"connector\"\nloss_db = 0\n", max_bytes=TOML)
fill("eye.toml", "[driver]\nffe_taps = [1", lambda i: ",0", "]\n")
fill("max-eye.toml", "[driver]\nffe_taps = [1", lambda i: ",0", "]\n", max_bytes=TOML)
fill("power.toml", "", lambda i: "# padding comment line\n")
fill("max-power.toml", "", lambda i: "# padding comment line\n", max_bytes=TOML)
PY

status=0
run() {
  local label=$1; shift
  local rc=0
  /usr/bin/time -v -o "$DIR/time" "$BIN" "$@" >/dev/null 2>"$DIR/err" || rc=$?
  local kb; kb=$(grep 'Maximum resident' "$DIR/time" | grep -o '[0-9]*$')
  local secs; secs=$(grep 'Elapsed (wall' "$DIR/time" | grep -o '[0-9:.]*$')
  printf '%-28s exit %-3s max RSS %5d MB %8s  %s\n' "$label" "$rc" $((kb / 1024)) "$secs" "$(head -c 100 "$DIR/err" | tr '\n' ' ')"
  if (( kb > LIMIT_KB )); then status=1; fi
}
ls -l "$DIR" | awk 'NR > 1 { printf "  %s %d MB\n", $9, $5 / 1e6 }'
run "loss --touchstone big.s4p" loss --touchstone "$DIR/big.s4p"
run "loss --touchstone max.s4p" loss --touchstone "$DIR/max.s4p"
run "loss --touchstone big.s2p" loss --touchstone "$DIR/big.s2p"
run "loss --touchstone max.s2p" loss --touchstone "$DIR/max.s2p"
run "eq --touchstone max.s4p" eq --rate 53.125GBd --touchstone "$DIR/max.s4p"
run "ber --pulse samples.csv" ber --pulse "$DIR/samples.csv" --samples-per-ui 32 --noise-rms 1mV
run "ber --pulse max-samples.csv" ber --pulse "$DIR/max-samples.csv" --samples-per-ui 32 --noise-rms 1mV
run "eq --pulse pulse.csv" eq --rate 31.25GBd --pulse "$DIR/pulse.csv"
run "eq --pulse max-pulse.csv" eq --rate 31.25GBd --pulse "$DIR/max-pulse.csv"
run "eye --waveform wave2.csv" eye --rate 31.25GBd --waveform "$DIR/wave2.csv" --apply-reference-receiver --plot "$DIR/e.png"
run "eye --waveform wave1.csv" eye --rate 26.5625GBd --waveform "$DIR/wave1.csv" --sample-rate 850GHz
run "eye --waveform max-wave1.csv" eye --rate 26.5625GBd --waveform "$DIR/max-wave1.csv" --sample-rate 850GHz --apply-reference-receiver --plot "$DIR/e.png"
run "check link.toml" check "$DIR/link.toml"
run "check max-link.toml" check "$DIR/max-link.toml"
run "eye eye.toml" eye "$DIR/eye.toml"
run "eye max-eye.toml" eye "$DIR/max-eye.toml"
run "power --config power.toml" power --config "$DIR/power.toml"
run "power --config max-power.toml" power --config "$DIR/max-power.toml"
exit $status
