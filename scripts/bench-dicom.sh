#!/usr/bin/env bash
# DICOM anonymiser throughput (mip-default, 512x512 16-bit images) beside a plain copy of
# the same corpus: scripts/bench-dicom.sh [files=400] [threads=2]. Needs DCMTK (dump2dcm).
set -euo pipefail
cd "$(dirname "$0")/.."
exec scripts/dicom-main.sh eu.hbp.mip.anonymiser.dicom.DicomAnonymiserBenchmark "$@"
