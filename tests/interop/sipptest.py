"""sipptest: sipp scenarios against a real mcxd, for the interop tests.

sipp (Debian package sip-tester) is an independent SIP implementation:
what it sends is what the RFCs say, not what our own client library
happens to send.  Each test runs sipp with scenario files from this
folder, on loopback, on free ports, inside an mcxtest World:

    with InteropWorld("register") as w:
        a = w.system()
        s = w.sipp("reg", "register.xml", a, [["alice", a.domain]],
                   auth=("alice@a.mcx.test", "alice-secret"))
        s.wait()                        # exit 0: every step passed

Values that change per run (ports, the access token) go to sipp in an
inject file (-inf), one line of fields [field0];[field1];...  sipp's
own logs (messages, unexpected messages, <log> lines, its screen) stay in
the World's directory and are printed when a test fails.

Without sipp the test exits 77, which ctest counts as skipped.
"""
import math
import os
import shutil
import signal
import struct
import subprocess
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
from mcxtest import World, Fail, deadline_wait, free_port  # noqa: E402

SIPP = os.environ.get("MCX_SIPP") or shutil.which("sipp")
SKIP = 77               # ctest SKIP_RETURN_CODE
SIPP_TIMEOUT = 60       # seconds: sipp's own -timeout, then it fails
IP = "127.0.0.1"        # loopback only

# How sipp ends (sipp(1), "Exit codes")
SIPP_EXIT = {
    0: "all calls succeeded",
    1: "at least one call failed",
    97: "exit on an internal command",
    99: "normal exit without calls processed",
    255: "fatal error",
    254: "fatal error binding a socket",
}


def need_sipp():
    """Exit 77 (skipped) when sipp is not installed."""
    if not SIPP or not os.access(SIPP, os.X_OK):
        print("sipp not found (Debian: apt-get install sip-tester): "
              "skipped")
        sys.exit(SKIP)


def check(cond, what):
    if not cond:
        raise Fail(what)


class Sipp:
    """One sipp process running one scenario file, one call (-m 1).

    system: the mcxd whose SIP port sipp sends to; with uas=True none,
    sipp waits for the first request.  fields: the inject file's lines.
    port: sipp's SIP port (free if not given); media_port: its RTP port
    (it binds that one and the one two above).  extra: more arguments.
    """

    def __init__(self, world, name, scenario, system, fields, port=None,
                 auth=None, media_port=None, uas=False, extra=None):
        self.world = world
        self.name = name
        self.port = port or free_port(IP)
        self.media_port = media_port
        base = os.path.join(world.dir, name)
        self.files = {k: "%s.%s" % (base, k) for k in
                      ("messages", "errors", "logs", "screen", "csv")}
        with open(self.files["csv"], "w") as f:
            f.write("SEQUENTIAL\n")
            for row in fields:
                f.write(";".join(str(v) for v in row) + "\n")
        argv = [SIPP]
        if not uas:
            argv.append(system.sip_addr())
        argv += ["-sf", os.path.join(HERE, scenario),
                 "-inf", self.files["csv"],
                 "-i", IP, "-p", str(self.port), "-bind_local",
                 "-t", "u1",            # UDP, one socket
                 "-m", "1", "-nostdin",
                 "-timeout", "%ds" % SIPP_TIMEOUT, "-timeout_error",
                 "-trace_msg", "-message_file", self.files["messages"],
                 "-trace_err", "-error_file", self.files["errors"],
                 "-trace_logs", "-log_file", self.files["logs"]]
        argv += ["-mi", IP]
        if media_port:
            argv += ["-mp", str(media_port)]
        if auth:
            # digest uri: sipp writes sip:<remote_ip>:<remote_port> unless
            # told (-auth_uri, in extra); mcxd does not compare it with the
            # Request-URI (docs/interop.md)
            argv += ["-au", auth[0], "-ap", auth[1]]
        argv += list(extra or [])
        self.argv = argv
        self.screen = open(self.files["screen"], "wb")
        self.p = subprocess.Popen(argv, cwd=world.dir,
                                  stdin=subprocess.DEVNULL,
                                  stdout=self.screen,
                                  stderr=subprocess.STDOUT)
        self.t0 = time.monotonic()

    def read(self, kind):
        try:
            with open(self.files[kind], "rb") as f:
                return f.read().decode(errors="replace")
        except OSError:
            return ""

    def tail(self, kind, n=60):
        return "\n".join(self.read(kind).splitlines()[-n:])

    def running(self):
        return self.p.poll() is None

    def wait(self, timeout=SIPP_TIMEOUT + 10):
        """Wait for sipp to end; fail unless it says every call passed."""
        try:
            deadline_wait(lambda: self.p.poll() is not None, timeout,
                          "sipp %s to end" % self.name, poll=0.02)
        except Fail:
            self.stop()
            raise
        rc = self.p.returncode
        if rc != 0:
            raise Fail("sipp %s exited %d (%s):\n%s" %
                       (self.name, rc, SIPP_EXIT.get(rc & 0xff, "?"),
                        self.tail("errors", 12)))
        return time.monotonic() - self.t0

    def report(self):
        return ("--- sipp %s: %s\n--- errors\n%s\n--- logs\n%s\n"
                "--- messages\n%s" %
                (self.name, " ".join(self.argv), self.tail("errors"),
                 self.tail("logs"), self.tail("messages", 120)))

    def stop(self):
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGTERM)
            try:
                self.p.wait(5)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()
        self.screen.close()


class InteropWorld(World):
    """A World that also owns sipp processes (stopped first, at the end;
    their logs printed when the test failed)."""

    def __init__(self, name):
        World.__init__(self, name)
        self.sipps = []

    def sipp(self, name, scenario, system, fields, **kw):
        s = Sipp(self, name, scenario, system, fields, **kw)
        self.sipps.append(s)
        return s

    def __exit__(self, et, ev, tb):
        for s in self.sipps:
            s.stop()
        if et is not None:
            for s in self.sipps:
                sys.stderr.write(s.report() + "\n")
        return World.__exit__(self, et, ev, tb)


def run_one(test):
    """Run one test function; exit 0, 1, or 77 when sipp is missing."""
    need_sipp()
    t0 = time.monotonic()
    try:
        test()
    except Fail as e:
        frames = traceback.extract_tb(sys.exc_info()[2])
        where = ([f for f in frames if os.path.basename(f.filename)
                  .startswith("test_")] or frames)[-1]
        print("FAIL %-40s %s:%d: %s" % (test.__name__,
                                        os.path.basename(where.filename),
                                        where.lineno, e))
        return 1
    except Exception:                   # noqa: BLE001 (a bug in the test)
        print("FAIL %-40s\n%s" % (test.__name__, traceback.format_exc()))
        return 1
    print("ok   %-40s %6.2f s" % (test.__name__, time.monotonic() - t0))
    return 0


# ---- RTP for sipp to play (play_pcap_audio) ----


def ulaw(sample):
    """One 16-bit linear sample as G.711 mu-law (ITU-T G.711 table 2)"""
    bias, clip = 0x84, 32635
    sign = 0x80 if sample < 0 else 0
    sample = min(abs(sample), clip) + bias
    exp = max(0, (sample >> 7).bit_length() - 1)       # segment 0..7
    mant = (sample >> (exp + 3)) & 0x0f
    return ~(sign | exp << 4 | mant) & 0xff


def pcmu_pcap(path, ms=500, hz=440):
    """A pcap file (Ethernet, IPv4, UDP) of RTP packets: PCMU (payload type
    0), 20 ms (160 samples) each, a tone.  sipp replays them with their
    timing, from its media port to the audio port of the peer's SDP; it
    rewrites addresses and ports, so those here are placeholders."""
    out = [struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)]
    ssrc = 0x5eed0001
    for n in range(ms // 20):
        payload = bytes(ulaw(int(8000 * math.sin(2 * math.pi * hz *
                                                 (n * 160 + i) / 8000)))
                        for i in range(160))
        rtp = struct.pack("!BBHII", 0x80, 0x80 if n == 0 else 0, n,
                          n * 160, ssrc) + payload
        udp = struct.pack("!HHHH", 6000, 40000, 8 + len(rtp), 0) + rtp
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), n, 0,
                         64, 17, 0, bytes([127, 0, 0, 1]),
                         bytes([127, 0, 0, 1]))
        csum = sum(struct.unpack("!10H", ip))
        csum = (csum & 0xffff) + (csum >> 16)
        csum = ~((csum & 0xffff) + (csum >> 16)) & 0xffff
        ip = ip[:10] + struct.pack("!H", csum) + ip[12:]
        frame = b"\x00" * 12 + b"\x08\x00" + ip + udp
        t_us = n * 20000
        out.append(struct.pack("<IIII", t_us // 1000000, t_us % 1000000,
                               len(frame), len(frame)) + frame)
    with open(path, "wb") as f:
        f.write(b"".join(out))
