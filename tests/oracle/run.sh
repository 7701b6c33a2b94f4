#!/bin/sh
# run.sh [--self-test] GEN OUTDIR: the tshark oracle (ctest oracle.*).
#
#   run.sh GEN OUTDIR              GEN writes OUTDIR/oracle.pcap with our
#                                  encoders and OUTDIR/oracle.expect; then
#                                  check.py has tshark decode and compare.
#   run.sh --self-test GEN OUTDIR  proves check.py fails when it must: on a
#                                  changed value, a missing field and a
#                                  packet tshark flags (GEN --corrupt).
#
# Exit 0 pass, 1 fail, 77 skip (tshark not installed).
set -eu

selftest=no
if [ "${1:-}" = "--self-test" ]; then
	selftest=yes
	shift
fi
if [ $# -ne 2 ]; then
	echo "usage: $0 [--self-test] GEN OUTDIR" >&2
	exit 2
fi
gen=$1
out=$2
check="$(dirname "$0")/check.py"

if ! command -v tshark >/dev/null 2>&1; then
	echo "oracle: tshark is not installed: test skipped"
	exit 77
fi

mkdir -p "$out"
"$gen" "$out/oracle.pcap" "$out/oracle.expect"
if [ $selftest = no ]; then
	exec "$check" "$out/oracle.pcap" "$out/oracle.expect"
fi

# must_fail NAME PATTERN PCAP EXPECT: check.py exits 1 and says PATTERN
must_fail() {
	rc=0
	"$check" "$3" "$4" >"$out/$1.log" 2>&1 || rc=$?
	if [ $rc -ne 1 ] || ! grep -q -- "$2" "$out/$1.log"; then
		echo "self-test $1: check.py exited $rc, expected 1 and \"$2\":"
		cat "$out/$1.log"
		exit 1
	fi
	echo "self-test $1: failed as it must"
}

# (oracle.tshark checks that the good capture passes)

# one value changed: the first Floor Priority we expect
awk 'BEGIN { FS = OFS = "\t" }
     !done && $2 == "rtcp.app_data.mcptt.priority" { $3 = $3 + 1; done = 1 }
     { print }' "$out/oracle.expect" >"$out/changed.expect"
must_fail changed "rtcp.app_data.mcptt.priority: tshark shows" \
	"$out/oracle.pcap" "$out/changed.expect"

# a field the frame does not have: an RTCP name in the INVITE (frame 1)
cp "$out/oracle.expect" "$out/missing.expect"
printf '1\trtcp.app.name\tMCPT\n' >>"$out/missing.expect"
must_fail missing "frame 1 rtcp.app.name: tshark shows nothing" \
	"$out/oracle.pcap" "$out/missing.expect"

# a packet tshark must flag: non-zero MBCP padding
"$gen" --corrupt "$out/corrupt.pcap" "$out/corrupt.expect"
must_fail corrupt "flagged by tshark" "$out/corrupt.pcap" \
	"$out/corrupt.expect"

echo "oracle self-test: check.py failed all 3 bad inputs, for the right reason"
