#!/usr/bin/env bash
# DICOM codec throughput beside a plain file copy: scripts/bench-codec.sh [files=200] [rounds=5]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp -q -pl anonymiser-dicom -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
cp="anonymiser-dicom/target/test-classes:anonymiser-dicom/target/classes:$(cat anonymiser-dicom/target/bench-classpath.txt)"
cd anonymiser-dicom   # the benchmark reads the committed fixtures relative to the module
exec java -cp "$(echo "$cp" | sed 's#anonymiser-dicom/target#target#g')" \
    eu.hbp.mip.anonymiser.dicom.codec.CodecBenchmark "$@"
