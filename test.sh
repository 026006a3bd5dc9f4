#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite:
# engine tests headless, GUI tests offscreen. Also proves the engine builds
# and passes its tests with the GUI switched off.
set -euo pipefail
cd "$(dirname "$0")"
source packaging/setup.sh
lathe_install_deps
export CTEST_OUTPUT_ON_FAILURE=1
jobs=$(nproc 2>/dev/null || echo 2)

lathe_build build
lathe_say "ctest: everything (build/)"
ctest --test-dir build --output-on-failure -j "$jobs"

# The numeric suites (forwards, quantization, surgery, offload, fixtures) once
# more on 1 and on 3 threads: a result that depends on the thread count shows
# here, not on a user's machine (the first pass used every CPU).
for t in 1 3; do
  lathe_say "ctest: numeric suites with LATHE_THREADS=$t"
  LATHE_THREADS=$t ctest --test-dir build --output-on-failure -j "$jobs" -L numeric
done

lathe_build build-nogui -DLATHE_BUILD_GUI=OFF
lathe_say "ctest: engine with the GUI switched off (build-nogui/)"
ctest --test-dir build-nogui --output-on-failure -j "$jobs" -L engine

lathe_say "fuzz: the torch-free parsers, ${LATHE_FUZZ_SECONDS:-15} s per target (build-fuzz/, clang + libFuzzer)"
tests/fuzz/run.sh "${LATHE_FUZZ_SECONDS:-15}"
lathe_say "all tests passed"
