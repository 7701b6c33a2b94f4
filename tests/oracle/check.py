#!/usr/bin/env python3
"""check.py: have tshark decode the oracle's pcap and compare.

    check.py FILE.pcap FILE.expect PORT...

tshark (with -d udp.port==PORT,rtcp for each floor-control PORT) must find
no malformed packet and no expert item of severity Warning or worse, and
every "frame<TAB>field<TAB>value" line of FILE.expect must come back as
that value (tshark joins repeated fields with commas). Exit 77 (skip) when
tshark is not installed; 1 on any difference.
"""
import shutil
import subprocess
import sys


def tshark(pcap, ports, *args):
    cmd = ["tshark", "-n", "-r", pcap]
    for p in ports:
        cmd += ["-d", "udp.port==%s,rtcp" % p]
    res = subprocess.run(cmd + list(args), capture_output=True, text=True)
    if res.returncode:
        sys.exit("oracle: tshark failed: %s" % res.stderr.strip())
    return res.stdout


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: check.py FILE.pcap FILE.expect PORT...")
    pcap, expect_file, ports = sys.argv[1], sys.argv[2], sys.argv[3:]
    if not shutil.which("tshark"):
        print("oracle: tshark not installed: skipped")
        return 77

    expect = []
    with open(expect_file) as f:
        for line in f:
            frame, field, value = line.rstrip("\n").split("\t", 2)
            expect.append((int(frame), field, value))

    frames = len(tshark(pcap, ports, "-T", "fields", "-e",
                        "frame.number").split())

    # 1. nothing malformed, no warning or worse, every RTCP length right
    bad = tshark(pcap, ports, "-Y", '_ws.malformed || '
                 '_ws.expert.severity >= "Warning" || rtcp.length_check == 0',
                 "-T", "fields", "-e", "frame.number", "-e",
                 "_ws.expert.message").strip()
    errors = []
    if bad:
        errors.append("flagged by tshark:\n" + bad)

    # 2. each value we set comes back
    fields = sorted({f for _, f, _ in expect})
    args = ["-T", "fields", "-E", "separator=\t", "-E", "aggregator=,",
            "-E", "occurrence=a", "-e", "frame.number"]
    for f in fields:
        args += ["-e", f]
    got = {}
    for line in tshark(pcap, ports, *args).splitlines():
        cols = line.split("\t")
        got[int(cols[0])] = dict(zip(fields, cols[1:]))

    for frame, field, value in expect:
        have = got.get(frame, {}).get(field)
        if have != value:
            errors.append("frame %d %s: tshark has %r, we set %r" %
                          (frame, field, have, value))

    print("oracle: %d frames, %d values checked, %d malformed or flagged, "
          "%d differences" % (frames, len(expect), 1 if bad else 0,
                              len(errors) - (1 if bad else 0)))
    for e in errors:
        print("  " + e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
