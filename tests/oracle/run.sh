#!/bin/sh
# run.sh GEN OUTDIR: write the oracle's pcap with our encoders, then have
# tshark check it (check.py). The floor-control ports are gen.c's.
set -eu
gen=$1
out=$2
mkdir -p "$out"
"$gen" "$out/oracle.pcap" "$out/oracle.expect"
exec "$(dirname "$0")/check.py" "$out/oracle.pcap" "$out/oracle.expect" \
	40002 40012
