#!/usr/bin/env bash
# PACS pull benchmark: starts a throwaway Orthanc (Debian's orthanc + orthanc-dicomweb) on
# 127.0.0.1, loads a generated corpus (DCMTK dump2dcm), and prints instances/s pulled and
# anonymised beside a plain WADO-RS download of the same studies in the same run.
# Usage: scripts/bench-pacs.sh [patients=5] [pixels=128] [threads=2]
set -euo pipefail
cd "$(dirname "$0")/.."
args="${1:-5} ${2:-128} ${3:-2}"
exec mvn -B -ntp -q -pl examples -am test-compile exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=eu.hbp.mip.anonymiser.examples.pacs.PacsBenchmark -Dexec.args="$args"
