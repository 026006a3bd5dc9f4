#!/usr/bin/env bash
# Builds the libFuzzer targets into build-fuzz/ (beside build/) with clang and
# runs each for SECONDS (default 20), seeded from the HF reference fixtures.
#
#   tests/fuzz/run.sh [SECONDS]
#
# Prints the executions per target (libFuzzer's final stats) and exits non-zero
# on any crash, sanitizer report, leak, timeout (-timeout=5), out-of-memory
# (-rss_limit_mb=2048) or exception other than lathe::Error. Reproducers are
# kept in build-fuzz/artifacts/; replay one with
#   build-fuzz/fuzz_pickle build-fuzz/artifacts/fuzz_pickle-crash-...
# The corpora in build-fuzz/corpus/ grow across runs (LATHE_FUZZ_FRESH=1 wipes them).
# Environment: LATHE_FIXTURES_DIR (default tests/data/hf-reference),
# CXX (default clang++), LATHE_FUZZ_TARGETS (default: all of them).
set -euo pipefail

seconds=${1:-20}
if ! [[ $seconds =~ ^[0-9]+$ ]] || (( seconds < 1 )); then
  echo "usage: tests/fuzz/run.sh [SECONDS]" >&2
  exit 2
fi
src=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$src/../.." && pwd)
build="$root/build-fuzz"
fixtures=${LATHE_FIXTURES_DIR:-$root/tests/data/hf-reference}
targets=${LATHE_FUZZ_TARGETS:-"fuzz_safetensors_header fuzz_pickle fuzz_zip fuzz_config fuzz_hub_request fuzz_tokenizer"}

if [[ ! -d $fixtures ]]; then
  echo "fuzz: fixtures not found at $fixtures (set LATHE_FIXTURES_DIR)" >&2
  exit 1
fi

echo "fuzz: configuring and building $build"
cmake -S "$src" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER="${CXX:-clang++}" >/dev/null
cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)"

if [[ ${LATHE_FUZZ_FRESH:-0} == 1 ]]; then rm -rf "$build/corpus"; fi
rm -rf "$build/seeds"
"$build/make_seeds" "$fixtures" "$build/seeds"
mkdir -p "$build/artifacts" "$build/logs"

# Largest input libFuzzer may create per target (seeds larger than this are
# truncated): headers and pickles stay small; zips must hold a whole fixture .bin.
max_len() {
  case $1 in
    fuzz_safetensors_header) echo 65536 ;;
    fuzz_pickle) echo 65536 ;;
    fuzz_zip) echo 262144 ;;
    fuzz_config) echo 16384 ;;
    fuzz_hub_request) echo 65536 ;;
    fuzz_tokenizer) echo 65536 ;;  # seeds: tokenizer.json files of <= 64 KiB
  esac
}

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=()
summary=()
for t in $targets; do
  mkdir -p "$build/corpus/$t"
  log="$build/logs/$t.log"
  echo "fuzz: $t for ${seconds}s (log: $log)"
  rc=0
  seeds="$build/seeds/$t"
  if [[ -d $src/seeds/$t ]]; then seeds="$src/seeds/$t"; fi  # hand-written seed files
  "$build/$t" "$build/corpus/$t" "$seeds" \
    -max_total_time="$seconds" -max_len="$(max_len "$t")" -timeout=5 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$build/artifacts/$t-" >"$log" 2>&1 || rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  cov=$(grep -Eo 'cov: [0-9]+' "$log" | tail -n 1 || true)
  corpus=$(find "$build/corpus/$t" -type f | wc -l)
  line="$t: ${execs:-?} executions, ${cov:-cov: ?}, corpus $corpus files, exit $rc"
  summary+=("$line")
  echo "fuzz: $line"
  if (( rc != 0 )); then
    failed+=("$t")
    echo "fuzz: $t FAILED; the end of its log:" >&2
    tail -n 40 "$log" >&2
  fi
done

echo "fuzz: summary"
printf '  %s\n' "${summary[@]}"
if (( ${#failed[@]} > 0 )); then
  echo "fuzz: crashes in: ${failed[*]} (reproducers in $build/artifacts/)" >&2
  exit 1
fi
echo "fuzz: no crashes"
