#!/usr/bin/env bash
# Constant memory of the CSV anonymiser: generates a CSV of the given size (default 1024 MB),
# streaming, and anonymises it in a child JVM with -Xmx64m. CI runs the same test at 64 MB.
# Usage: scripts/csv-memory.sh [megabytes]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp -q -pl anonymiser-csv -am verify -Dtest=CsvMemoryTests -Dsurefire.failIfNoSpecifiedTests=false \
  -Dmip.csv.memory.mb="${1:-1024}"
cat anonymiser-csv/target/surefire-reports/eu.hbp.mip.anonymiser.csv.CsvMemoryTests-output.txt
