#!/usr/bin/env bash
# The main job: build the runner, lay out a site (site key, SQLite pseudonym store, sample
# profiles) and anonymise everything in its in/ folder; then show the status and run the
# leak check. With an empty in/, a few demo files are put there first (CSV always; DICOM
# when DCMTK's dump2dcm is installed).
#
#   bash scripts/run-example.sh [DIR]          (default /tmp/mip-anonymiser)
#
# The same as the two commands:
#   java -jar examples/target/mip-anonymiser.jar init --data DIR
#   java -jar examples/target/mip-anonymiser.jar run  --data DIR
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${1:-/tmp/mip-anonymiser}
JAR=examples/target/mip-anonymiser.jar

if [ ! -f "$JAR" ] || [ -n "$(find . -path ./examples/target -prune -o -name '*.java' -newer "$JAR" -print -quit)" ]; then
  echo "== building the runner (mvn -pl examples -am package)"
  mvn -B -ntp -q -pl examples -am package -DskipTests
fi

echo "== init --data $DATA"
java -jar "$JAR" init --data "$DATA"

if [ -z "$(find "$DATA/in" -type f -not -path '*/.*' -print -quit)" ]; then
  echo "== in/ is empty: adding demo files"
  mkdir -p "$DATA/in/ehr" "$DATA/in/study1"
  cat > "$DATA/in/ehr/visits.csv" <<'CSV'
subject_id,visit_id,visit_date,admission,department,physician,mmse,weight_kg,notes
HOSP-000123,V-1,2024-03-15,15/03/2024 10:30,neurology,Dr House,27,71,first visit
HOSP-000124,V-2,2024-03-16,16/03/2024 11:00,neurology,Dr House,22,64,IPP 12345 follow-up
CSV
  printf '%%PDF-1.4\n%% not a data file\n' > "$DATA/in/ehr/letter.pdf"
  if command -v dump2dcm >/dev/null; then
    head -c $((64 * 64 * 2)) /dev/zero > "$DATA/pixels.tmp"
    for i in 1 2 3; do
      cat > "$DATA/dump.tmp" <<DUMP
(0002,0010) UI =LittleEndianExplicit
(0008,0008) CS [ORIGINAL\\PRIMARY]
(0008,0016) UI =MRImageStorage
(0008,0018) UI [1.2.826.0.1.3680043.2.1125.7.1.$i]
(0008,0020) DA [20240315]
(0008,0060) CS [MR]
(0008,0070) LO [SIEMENS]
(0010,0010) PN [Doe^Jane]
(0010,0020) LO [HOSP-000123]
(0010,0030) DA [19700101]
(0020,000d) UI [1.2.826.0.1.3680043.2.1125.7.1]
(0020,000e) UI [1.2.826.0.1.3680043.2.1125.7.1.100]
(0020,0013) IS [$i]
(0028,0002) US 1
(0028,0004) CS [MONOCHROME2]
(0028,0010) US 64
(0028,0011) US 64
(0028,0100) US 16
(0028,0101) US 12
(0028,0102) US 11
(0028,0103) US 0
(7fe0,0010) OW =$DATA/pixels.tmp
DUMP
      dump2dcm -q "$DATA/dump.tmp" "$DATA/in/study1/IM000$i"
    done
    rm -f "$DATA/dump.tmp" "$DATA/pixels.tmp"
  fi
  touch -d '1 minute ago' $(find "$DATA/in" -type f -not -path '*/.*')
fi

echo "== run --data $DATA"
set +e
java -jar "$JAR" run --data "$DATA"
code=$?
set -e
echo "== status --data $DATA"
java -jar "$JAR" status --data "$DATA"
echo "== verify --data $DATA"
java -jar "$JAR" verify --data "$DATA"
echo "run exit code: $code (0: all anonymised, 1: some files quarantined, see status above)"
[ "$code" -le 1 ]
