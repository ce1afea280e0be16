#!/usr/bin/env bash
# Throughput of the CSV anonymiser beside a plain Commons CSV read-and-write copy of the
# same file, in the same JVM (three pseudonymised and two date columns).
# Usage: scripts/bench-csv.sh [megabytes]   (default 200)
set -euo pipefail
cd "$(dirname "$0")/.."
cp_file="$PWD/anonymiser-csv/target/bench-classpath.txt"
# exec:java would run in every module of the -am reactor, so build the class path and use plain java
mvn -B -ntp -q -pl anonymiser-csv -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file"
java -cp "anonymiser-csv/target/test-classes:anonymiser-csv/target/classes:$(cat "$cp_file")" \
  eu.hbp.mip.anonymiser.csv.CsvBenchmark "${1:-200}"
