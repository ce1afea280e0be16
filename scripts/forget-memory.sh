#!/usr/bin/env bash
# Constant memory of a consent withdrawal in a shared CSV table: generates an anonymised table
# of the given size (default 1024 MB), then removes one patient's records from it in a child JVM
# with -Xmx32m, as 'forget' does through the CSV provider. CI runs the same test at 200 MB.
# Usage: scripts/forget-memory.sh [megabytes]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp -q -pl anonymiser-csv -am verify -Dtest=SubjectRemovalMemoryTests -Dsurefire.failIfNoSpecifiedTests=false \
  -Dmip.csv.forget.mb="${1:-1024}"
cat anonymiser-csv/target/surefire-reports/eu.hbp.mip.anonymiser.csv.SubjectRemovalMemoryTests-output.txt
