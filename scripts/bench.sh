#!/usr/bin/env bash
# Benchmark of the folder runner: makes a corpus of DICOM files (DCMTK dump2dcm) and CSV
# exports (the ehr-visits sample schema), copies it once (the baseline: cp + sync), then
# runs 'init' and 'run' over it, and prints files/s and MB/s of both, and their ratio.
#
#   bash scripts/bench.sh [--dicom N] [--csv N] [--rows N] [--threads N] [--keep]
#
# Needs Java 17+, Maven and DCMTK (apt-get install dcmtk). Builds the jar when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

DICOM=400; CSV=100; ROWS=2000; THREADS=$(nproc); KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --dicom) DICOM=$2; shift 2;;
    --csv) CSV=$2; shift 2;;
    --rows) ROWS=$2; shift 2;;
    --threads) THREADS=$2; shift 2;;
    --keep) KEEP=1; shift;;
    *) echo "bench.sh: unknown option $1" >&2; exit 2;;
  esac
done
command -v dump2dcm >/dev/null || { echo "bench.sh: dump2dcm missing: apt-get install dcmtk" >&2; exit 2; }

JAR=examples/target/mip-anonymiser.jar
if [ ! -f "$JAR" ]; then
  mvn -B -ntp -q -pl examples -am package -DskipTests
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/mip-bench.XXXXXX")
[ "$KEEP" = 1 ] || trap 'rm -rf "$WORK"' EXIT
CORPUS="$WORK/corpus"
mkdir -p "$CORPUS/dicom" "$CORPUS/csv"

echo "making the corpus: $DICOM DICOM files (256x256x16 bit), $CSV CSV files of $ROWS rows, in $WORK"
head -c $((256 * 256 * 2)) /dev/urandom > "$WORK/pixels.raw"
for i in $(seq 1 "$DICOM"); do
  s=$(( (i - 1) / 50 + 1 ))
  cat > "$WORK/dump.txt" <<DUMP
(0002,0010) UI =LittleEndianExplicit
(0008,0008) CS [ORIGINAL\\PRIMARY\\M\\ND]
(0008,0016) UI =MRImageStorage
(0008,0018) UI [1.2.826.0.1.3680043.2.1125.9.$s.$i]
(0008,0020) DA [20240315]
(0008,0060) CS [MR]
(0008,0070) LO [SIEMENS]
(0008,1090) LO [Prisma]
(0010,0010) PN [Doe^Jane$s]
(0010,0020) LO [HOSP-$s]
(0010,0030) DA [19700101]
(0020,000d) UI [1.2.826.0.1.3680043.2.1125.9.$s]
(0020,000e) UI [1.2.826.0.1.3680043.2.1125.9.$s.1]
(0020,0013) IS [$i]
(0028,0002) US 1
(0028,0004) CS [MONOCHROME2]
(0028,0010) US 256
(0028,0011) US 256
(0028,0100) US 16
(0028,0101) US 12
(0028,0102) US 11
(0028,0103) US 0
(7fe0,0010) OW =$WORK/pixels.raw
DUMP
  dump2dcm -q "$WORK/dump.txt" "$CORPUS/dicom/IM$(printf %05d "$i")"
done
for i in $(seq 1 "$CSV"); do
  {
    echo "subject_id,visit_id,visit_date,admission,department,physician,mmse,weight_kg,notes"
    for r in $(seq 1 "$ROWS"); do
      printf 'HOSP-%d,VIS-%d-%d,2024-03-%02d,%02d/03/2024 10:30,neuro,Dr Who,%d,%d,routine\n' \
        $(( (i * 7 + r) % 500 )) "$i" "$r" $(( r % 28 + 1 )) $(( r % 28 + 1 )) $(( r % 30 )) $(( 50 + r % 40 ))
    done
  } > "$CORPUS/csv/visits_$i.csv"
done
FILES=$(find "$CORPUS" -type f | wc -l)
BYTES=$(du -sb "$CORPUS" | cut -f1)

now() { date +%s.%N; }
rate() { awk -v n="$1" -v b="$2" -v t="$3" 'BEGIN { printf "%8.1f files/s %8.1f MB/s (%.2f s)", n / t, b / 1e6 / t, t }'; }

sync
t0=$(now); cp -r "$CORPUS" "$WORK/copy"; sync; t1=$(now)
COPY=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
rm -rf "$WORK/copy"

java -jar "$JAR" init --data "$WORK/site" > /dev/null
mv "$CORPUS"/* "$WORK/site/in/"
t0=$(now)
set +e
java -jar "$JAR" run --data "$WORK/site" --threads "$THREADS" --quiet-period 0 --progress none > "$WORK/run.out" 2> "$WORK/run.err"
code=$?
set -e
t1=$(now)
RUN=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo "corpus: $FILES files, $(awk -v b="$BYTES" 'BEGIN { printf "%.1f", b / 1e6 }') MB; runner exit code $code, $THREADS threads"
sed 's/^/  runner: /' "$WORK/run.out"
echo "copy (cp -r + sync):        $(rate "$FILES" "$BYTES" "$COPY")"
echo "runner (java -jar ... run): $(rate "$FILES" "$BYTES" "$RUN")   incl. JVM start"
awk -v c="$COPY" -v r="$RUN" 'BEGIN { printf "ratio runner/copy throughput: %.3f (the runner takes %.1fx the time of a copy)\n", c / r, r / c }'
