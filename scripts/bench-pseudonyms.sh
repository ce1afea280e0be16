#!/usr/bin/env bash
# Pseudonyms per second of the store (repeated values from the cache, new values
# on SQLite and on an embedded PostgreSQL), each beside the raw HMAC rate of the
# generator alone, measured in the same run. See docs/pseudonyms.md.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp -q -pl anonymiser-core -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
CP="anonymiser-core/target/test-classes:anonymiser-core/target/classes:anonymiser-api/target/classes"
CP="$CP:$(cat anonymiser-core/target/bench-classpath.txt)"
exec java -Xmx1g -cp "$CP" eu.hbp.mip.anonymiser.core.pseudonym.PseudonymBenchmark "$@"
