#!/bin/sh
# Benchmark of the crash-safe move (not a test): ms per file beside a plain copy+delete.
# Usage: scripts/bench-move.sh [files=300] [bytes=65536] [work folder]
set -e
cd "$(dirname "$0")/.."
mvn -B -ntp -q -pl anonymiser-core -am test-compile
exec java -cp anonymiser-api/target/classes:anonymiser-core/target/classes:anonymiser-core/target/test-classes \
    eu.hbp.mip.anonymiser.core.move.MoveBenchmark "$@"
