#!/usr/bin/env bash
# PACS pull benchmark: starts a throwaway Orthanc (Debian's orthanc + orthanc-dicomweb) on
# 127.0.0.1, loads a generated corpus (DCMTK dump2dcm), and prints instances/s pulled and
# anonymised beside a plain WADO-RS download of the same studies in the same run.
# Usage: scripts/bench-pacs.sh [patients=5] [pixels=128] [threads=2]
set -euo pipefail
cd "$(dirname "$0")/.."
# exec:java would run in every reactor module with -am: build the class path, then plain java.
mvn -B -ntp -q -pl examples -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
exec java -cp "examples/target/test-classes:examples/target/classes:$(cat examples/target/bench-classpath.txt)" \
  eu.hbp.mip.anonymiser.examples.pacs.PacsBenchmark "${1:-5}" "${2:-128}" "${3:-2}"
