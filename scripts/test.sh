#!/usr/bin/env bash
# The project's test command: installs what the tests need on a Debian machine
# (DCMTK, dicom3tools, Tesseract with its English data, Orthanc with its DICOMweb plugin,
# Chromium for the run report page, util-linux's script for a terminal, dcm2niix and nibabel
# for the NIfTI format), then runs the whole
# Maven build with every test. Idempotent: installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v dcmdump   >/dev/null 2>&1 || missing+=(dcmtk)
command -v dciodvfy  >/dev/null 2>&1 || missing+=(dicom3tools)
command -v Orthanc   >/dev/null 2>&1 || missing+=(orthanc)
[ -e /usr/share/orthanc/plugins/libOrthancDicomWeb.so ] || missing+=(orthanc-dicomweb)
command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr)
[ -e /usr/share/tesseract-ocr/5/tessdata/eng.traineddata ] || missing+=(tesseract-ocr-eng)
command -v mvn       >/dev/null 2>&1 || missing+=(maven)
command -v chromium  >/dev/null 2>&1 || missing+=(chromium)
command -v dcm2niix  >/dev/null 2>&1 || missing+=(dcm2niix)
/usr/bin/python3 -c 'import nibabel' >/dev/null 2>&1 || missing+=(python3-nibabel)
command -v script    >/dev/null 2>&1 || missing+=(bsdutils)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
    echo "test.sh: missing Debian packages: ${missing[*]}; install them as root (apt-get install ${missing[*]})" >&2
    exit 1
  fi
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  echo "test.sh: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

exec mvn -B -ntp verify "$@"
