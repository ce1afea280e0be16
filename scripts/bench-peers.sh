#!/usr/bin/env bash
# The runner beside its peers, on one generated corpus (not a test):
#   cp -r (+ sync), DCMTK dcmodify (copy, then edit in place, + sync), GDCM gdcmanon
#   (PS3.15 basic profile, + sync), and the runner at 1 and 2 threads; files/s and the
#   ratio to cp; then the fsync/fdatasync calls per file of the runner (strace -c -f).
#
#   bash scripts/bench-peers.sh [--files N] [--jar PATH] [--before PATH] [--keep]
#
# --files     DICOM files to make (default 300): MR and CT, 256x256x16 bit, four transfer
#             syntaxes (explicit little, implicit little, explicit big, deflated), every
#             third one DERIVED\SECONDARY (the runner quarantines those by default)
# --jar       the runner jar (default examples/target/mip-anonymiser.jar, built if missing)
# --before    another runner jar (for example built from main) measured the same way
# --keep      keep the work folder
#
# Needs Java 17+, DCMTK (dump2dcm, dcmodify), GDCM (gdcmanon), strace, openssl; installs the
# missing Debian packages with apt-get when run as root. Timings include each tool's start
# (the JVM's for the runner). Speed is measured only here, never asserted in a test.
set -euo pipefail
cd "$(dirname "$0")/.."

FILES=300; JAR=examples/target/mip-anonymiser.jar; BEFORE=""; KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --files) FILES=$2; shift 2;;
    --jar) JAR=$2; shift 2;;
    --before) BEFORE=$2; shift 2;;
    --keep) KEEP=1; shift;;
    *) echo "bench-peers.sh: unknown option $1" >&2; exit 2;;
  esac
done

need() { # command package
  if ! command -v "$1" >/dev/null; then
    if [ "$(id -u)" = 0 ]; then
      apt-get install -y -q "$2" >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q "$2" >/dev/null; }
    fi
    command -v "$1" >/dev/null || { echo "bench-peers.sh: $1 missing: apt-get install $2" >&2; exit 2; }
  fi
}
need dump2dcm dcmtk; need dcmodify dcmtk; need gdcmanon libgdcm-tools; need strace strace; need openssl openssl

if [ ! -f "$JAR" ]; then
  mvn -B -ntp -q -pl examples -am package -DskipTests
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/mip-peers.XXXXXX")
[ "$KEEP" = 1 ] || trap 'rm -rf "$WORK"' EXIT
CORPUS="$WORK/corpus"
mkdir -p "$CORPUS"

echo "making the corpus: $FILES DICOM files in $WORK"
head -c $((256 * 256 * 2)) /dev/urandom > "$WORK/pixels.raw"
SYNTAXES=(+te +ti +tb +td)
for i in $(seq 1 "$FILES"); do
  s=$(( (i - 1) / 50 + 1 ))
  if [ $((i % 2)) = 0 ]; then modality=CT; class=CTImageStorage; else modality=MR; class=MRImageStorage; fi
  if [ $((i % 3)) = 0 ]; then type='DERIVED\SECONDARY'; else type='ORIGINAL\PRIMARY\AXIAL'; fi
  cat > "$WORK/dump.txt" <<DUMP
(0008,0008) CS [$type]
(0008,0016) UI =$class
(0008,0018) UI [1.2.826.0.1.3680043.2.1125.9.$s.$i]
(0008,0020) DA [20240315]
(0008,0030) TM [101500]
(0008,0050) SH [ACC$s$i]
(0008,0060) CS [$modality]
(0008,0070) LO [SIEMENS]
(0008,0080) LO [Faketown Hospital]
(0008,0090) PN [Who^Doctor]
(0008,1090) LO [Prisma]
(0010,0010) PN [Doe^Jane$s]
(0010,0020) LO [HOSP-$s]
(0010,0030) DA [19700101]
(0010,0040) CS [F]
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
  mkdir -p "$CORPUS/s$s"
  dump2dcm -q "${SYNTAXES[$((i % 4))]}" "$WORK/dump.txt" "$CORPUS/s$s/IM$(printf %05d "$i")"
done
N=$(find "$CORPUS" -type f | wc -l)
BYTES=$(du -sb "$CORPUS" | cut -f1)

now() { date +%s.%N; }
RESULTS="$WORK/results.txt"; : > "$RESULTS"
record() { # name seconds
  echo "$1 $2" >> "$RESULTS"
}

# cp -r + sync: the baseline
sync; t0=$(now); cp -r "$CORPUS" "$WORK/copy"; sync; t1=$(now)
record "cp-r" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')"
rm -rf "$WORK/copy"

# DCMTK dcmodify: copy, then edit every file in place (no backup), + sync
sync; t0=$(now)
cp -r "$CORPUS" "$WORK/dcmodify"
find "$WORK/dcmodify" -type f -print0 | xargs -0 dcmodify -q -nb -ie \
  -ma "(0010,0010)=ANON" -ma "(0010,0020)=ANONID" -ma "(0010,0030)=19700101" \
  -ea "(0008,0050)" -ea "(0008,0080)" -ea "(0008,0090)" -ea "(0010,0040)" >/dev/null 2>&1 || true
sync; t1=$(now)
record "dcmodify" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')"
rm -rf "$WORK/dcmodify"

# GDCM gdcmanon: PS3.15 E.1 basic profile, directory in, directory out, + sync
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=bench -keyout "$WORK/key.pem" \
  -out "$WORK/cert.pem" >/dev/null 2>&1
mkdir -p "$WORK/gdcm-out"
sync; t0=$(now)
gdcmanon -e -c "$WORK/cert.pem" --continue -r -i "$CORPUS" -o "$WORK/gdcm-out" >/dev/null 2>&1 || true
sync; t1=$(now)
record "gdcmanon" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')"
GDCM_OUT=$(find "$WORK/gdcm-out" -type f | wc -l)
rm -rf "$WORK/gdcm-out"

# the runner: a fresh site per run, the corpus copied into in/ beforehand (not timed)
site() { # name jar -> prints the site folder
  local dir="$WORK/site-$1"
  rm -rf "$dir"
  java -jar "$2" init --data "$dir" >/dev/null
  cp -r "$CORPUS"/. "$dir/in/"
  sync
  echo "$dir"
}
runner() { # label jar threads
  local dir; dir=$(site "$1" "$2")
  local t0 t1 code
  t0=$(now)
  set +e
  java -jar "$2" run --data "$dir" --threads "$3" --quiet-period 0 --progress none >"$WORK/$1.out" 2>"$WORK/$1.err"
  code=$?
  set -e
  sync; t1=$(now)
  record "$1" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')"
  # the runner's own time for the files, without the JVM's start and the site's opening
  record "$1-run-only" "$(sed -n 's/^files: .* in \([0-9.]*\) s,.*/\1/p' "$WORK/$1.out" | head -1)"
  echo "  $1: exit code $code, $(find "$dir/out" -path '*/.anonymiser' -prune -o -type f -print | wc -l) output(s), $(find "$dir/quarantine" -type f -name '*.reason.txt' | wc -l) quarantined, $(find "$dir/in" -path '*/.anonymiser' -prune -o -type f -print | wc -l) left in in/"
  rm -rf "$dir"
}
syncs() { # label jar threads -> fsync+fdatasync calls per file
  local dir; dir=$(site "$1" "$2")
  strace -f -c -e trace=fsync,fdatasync -o "$WORK/$1.strace" \
    java -jar "$2" run --data "$dir" --threads "$3" --quiet-period 0 --progress none >/dev/null 2>&1 || true
  local calls
  calls=$(awk '$NF == "fsync" || $NF == "fdatasync" { n += $4 } END { print n + 0 }' "$WORK/$1.strace")
  echo "$1 $calls" >> "$WORK/syncs.txt"
  rm -rf "$dir"
}

echo "runs:"
: > "$WORK/syncs.txt"
if [ -n "$BEFORE" ]; then
  runner "before-1-thread" "$BEFORE" 1
  runner "before-2-threads" "$BEFORE" 2
fi
runner "runner-1-thread" "$JAR" 1
runner "runner-2-threads" "$JAR" 2
if [ -n "$BEFORE" ]; then
  syncs "before" "$BEFORE" 2
fi
syncs "runner" "$JAR" 2

echo
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores; corpus: $N files," \
  "$(awk -v b="$BYTES" 'BEGIN { printf "%.1f", b / 1e6 }') MB; gdcmanon wrote $GDCM_OUT file(s)"
CP=$(awk '$1 == "cp-r" { print $2 }' "$RESULTS")
printf '%-26s %10s %10s %10s\n' "tool" "seconds" "files/s" "x cp -r"
while read -r name secs; do
  awk -v n="$name" -v s="$secs" -v f="$N" -v c="$CP" \
    'BEGIN { printf "%-26s %10.2f %10.1f %10.3f\n", n, s, f / s, c / s }'
done < "$RESULTS"
echo
echo "fsync + fdatasync calls per input file (strace -f -c, 2 threads):"
while read -r name calls; do
  awk -v n="$name" -v c="$calls" -v f="$N" 'BEGIN { printf "  %-8s %6d calls, %.2f per file\n", n, c, c / f }'
done < "$WORK/syncs.txt"
