#!/usr/bin/env bash
# Benchmarks the Spark job in local[2] against the folder pipeline at 2 threads on one corpus
# (DICOM made by DCMTK's dump2dcm, two CSV exports), over an embedded PostgreSQL; prints the ratio.
# Usage: scripts/bench-spark.sh [patients] [instances-per-patient]   (default 10 30)
set -euo pipefail
cd "$(dirname "$0")/.."
cp_file="$(mktemp)"
trap 'rm -f "$cp_file"' EXIT
mvn -B -ntp -q test-compile dependency:build-classpath -pl anonymiser-spark -am \
    -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test
m=anonymiser-spark/target
exec java -Xmx1g \
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED \
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED \
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false \
  -cp "$m/test-classes:$m/classes:$(cat "$cp_file")" eu.hbp.mip.anonymiser.spark.SparkBenchmark "$@" \
  2> >(grep -v -E '^(WARN|INFO)|^[0-9/: ]+ (WARN|INFO)' >&2)
