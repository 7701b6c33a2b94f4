#!/usr/bin/env python3
"""check.py: have tshark decode the oracle's pcap and compare.

    check.py FILE.pcap FILE.expect

FILE.expect is oracle_gen's: "FRAME<TAB>FIELD<TAB>VALUE" lines (several
for one frame and field are its occurrences, in order), "#rtcp-port N"
lines (decode UDP port N as RTCP), other "#" lines are comments.

Fails (exit 1) when
  1. tshark flags a frame: malformed, an expert item of severity Warning
     or worse, a wrong RTCP length, a bad IPv4 or UDP checksum, or bytes
     no dissector took ("data"; "media" for a multipart part of unknown
     type). A whole SIP body of unknown type is neither: tshark 4.0.17
     shows it as text lines, so FILE.expect names the dissectors each
     frame must pass through (frame.protocols);
  2. the file does not hold exactly the frames FILE.expect describes;
  3. a field differs from FILE.expect, or is missing, or occurs more or
     fewer times.
Exits 77 (skip) when tshark is not installed, 2 on bad usage.

tshark runs with an empty configuration folder, so a user's preferences
cannot change what it decodes; name resolution is off (-n).
"""
import os
import shutil
import subprocess
import sys
import tempfile

SEP = "\x1f"    # between occurrences of a field; never in an expectation

# 1. What must match no frame. The first three terms are the gate of
# research mbcp-tc.md 6.2. Checksum experts need the two -o below.
GATE = ('_ws.malformed || _ws.expert.severity >= "Warning" || '
        'rtcp.length_check == 0 || data || media')
PREFS = ["-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE"]


def tshark(pcap, ports, cfg, *args):
    cmd = ["tshark", "-n", "-r", pcap] + PREFS
    for p in ports:
        cmd += ["-d", "udp.port==%s,rtcp" % p]
    cmd += list(args)
    env = dict(os.environ, WIRESHARK_CONFIG_DIR=cfg)
    res = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if res.returncode:
        sys.exit("oracle: tshark failed (%d): %s\n  %s" %
                 (res.returncode, " ".join(cmd), res.stderr.strip()))
    return res.stdout


def read_expect(path):
    ports, expect = [], {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if line.startswith("#rtcp-port "):
                ports.append(int(line.split()[1]))
                continue
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) != 3 or not cols[0].isdigit():
                sys.exit("oracle: %s:%d: not FRAME<TAB>FIELD<TAB>VALUE"
                         % (path, n))
            key = (int(cols[0]), cols[1])
            expect.setdefault(key, []).append(cols[2])
    return ports, expect


def main():
    if len(sys.argv) != 3:
        print("usage: check.py FILE.pcap FILE.expect", file=sys.stderr)
        return 2
    pcap, expect_file = sys.argv[1], sys.argv[2]
    if not shutil.which("tshark"):
        print("oracle: tshark is not installed: test skipped")
        return 77

    ports, expect = read_expect(expect_file)
    frames = sorted({fr for fr, _ in expect})
    fields = sorted({fi for _, fi in expect})
    errors = []

    with tempfile.TemporaryDirectory(prefix="oracle-ws-") as cfg:
        flagged = tshark(pcap, ports, cfg, "-Y", GATE, "-T", "fields",
                         "-E", "occurrence=a", "-E", "aggregator=|",
                         "-e", "frame.number", "-e", "frame.protocols",
                         "-e", "_ws.expert.message").splitlines()

        args = ["-T", "fields", "-E", "separator=\t", "-E",
                "occurrence=a", "-E", "aggregator=" + SEP,
                "-e", "frame.number"]
        for f in fields:
            args += ["-e", f]
        got = {}
        for line in tshark(pcap, ports, cfg, *args).splitlines():
            cols = line.split("\t")
            got[int(cols[0])] = dict(zip(fields, cols[1:]))

    for line in flagged:
        errors.append("frame %s flagged by tshark: %s" %
                      tuple(line.split("\t", 1)))

    if frames != list(range(1, len(frames) + 1)) or frames != sorted(got):
        errors.append("frames: tshark read %s, %s describes %s" %
                      (sorted(got), expect_file, frames))

    for (frame, field), want in sorted(expect.items()):
        raw = got.get(frame, {}).get(field, "")
        have = raw.split(SEP) if raw else []
        if have != want:
            errors.append("frame %d %s: tshark shows %s, expected %s" %
                          (frame, field, have or "nothing", want))

    print("oracle: %d frames, %d fields checked (%d values), "
          "%d flagged by tshark, %d differences" %
          (len(got), len(expect), sum(len(v) for v in expect.values()),
           len(flagged), len(errors) - len(flagged)))
    for e in errors:
        print("  " + e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
