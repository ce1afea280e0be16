#!/usr/bin/env bash
# Runs a main class from anonymiser-dicom's test sources (generators, benchmarks) on the
# module's test class path: scripts/dicom-main.sh <main class> [args...]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp -q -pl anonymiser-dicom -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
cp="anonymiser-dicom/target/test-classes:anonymiser-dicom/target/classes:$(cat anonymiser-dicom/target/test-classpath.txt)"
main="$1"; shift
exec java ${JAVA_OPTS:-} -cp "$cp" "$main" "$@"
