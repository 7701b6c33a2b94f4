"""mcxtest: run real mcxd systems and mcx clients on loopback, for tests.

Each test gets a World: a temporary directory, free ports, processes it
starts and stops.  Nothing sleeps to wait: every wait polls a condition
against a deadline and fails with what it saw instead.

    with World("register") as w:
        a = w.system("a.mcx.test")
        alice = w.client(a, "alice")
        alice.up()                      # login, profile, register
        assert a.ctl("registrations")["registrations"]

Binaries come from MCX_BUILD (the CMake build directory).
"""
import hashlib
import json
import os
import queue
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

BUILD = os.environ.get("MCX_BUILD", os.path.join(os.path.dirname(
    os.path.abspath(__file__)), "..", "..", "build"))
BUILD = os.path.abspath(BUILD)
MCXD = os.environ.get("MCX_MCXD") or os.path.join(BUILD, "daemons", "mcxd",
                                                  "mcxd")
MCX = os.environ.get("MCX_CLI") or os.path.join(BUILD, "tools", "mcx", "mcx")
SRC = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

DEFAULT_WAIT = 10.0


class Fail(Exception):
    pass


def deadline_wait(cond, timeout, what, poll=0.005):
    """Poll cond() until it returns a true value; return that value."""
    end = time.monotonic() + timeout
    while True:
        v = cond()
        if v:
            return v
        if time.monotonic() >= end:
            raise Fail("timed out after %.1f s waiting for %s" %
                       (timeout, what))
        time.sleep(poll)


def free_port(ip, count=1, step=1):
    """A port free for UDP and TCP on ip (and the count-1 after it),
    even, below the kernel's ephemeral range (32768 up), so that the
    ports clients and connections get by chance do not take it between
    this check and the server's bind (System.start retries if they do)."""
    rnd = random.Random()
    for _ in range(500):
        base = rnd.randrange(10000, 32000 - count * step) & ~1
        socks = []
        try:
            for i in range(count):
                for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
                    t = socket.socket(socket.AF_INET, kind)
                    socks.append(t)
                    t.bind((ip, base + i * step))
            return base
        except OSError:
            continue
        finally:
            for t in socks:
                t.close()
    raise Fail("no free port on %s" % ip)


PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<mcptt-user-profile xmlns="urn:3gpp:mcptt:user-profile:1.0"
    xmlns:cp="urn:ietf:params:xml:ns:common-policy"
    XUI-URI="{id}" user-profile-index="0">
  <Common index="1">
    <MCPTTUserID><uri-entry>{id}</uri-entry></MCPTTUserID>
    <PrivateCall><PrivateCallList>{calls}</PrivateCallList></PrivateCall>
  </Common>
  <cp:ruleset><cp:rule id="r"><cp:actions>
{allows}
  </cp:actions></cp:rule></cp:ruleset>
</mcptt-user-profile>
"""


class Proc:
    """A child process whose output goes to a log file."""

    def __init__(self, world, name, argv, stdin=False, cwd=None):
        self.name = name
        self.log_path = os.path.join(world.dir, name + ".log")
        self.log = open(self.log_path, "wb")
        self.p = subprocess.Popen(
            argv, cwd=cwd or world.dir,
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=self.log)

    def stop(self, sig=signal.SIGTERM, timeout=10.0):
        if self.p.poll() is None:
            self.p.send_signal(sig)
            try:
                self.p.wait(timeout)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()
                raise Fail("%s did not stop within %.0f s of signal %d" %
                           (self.name, timeout, sig))
        self.log.close()
        return self.p.returncode

    def tail(self, n=30):
        try:
            with open(self.log_path, "rb") as f:
                lines = f.read().decode(errors="replace").splitlines()
            return "\n".join(lines[-n:])
        except OSError:
            return ""


class System:
    """One mcxd: a domain, its users, its ports."""

    def __init__(self, world, domain, ip, users, opts):
        self.world = world
        self.domain = domain
        self.ip = ip
        self.dir = os.path.join(world.dir, domain)
        imp = os.path.join(self.dir, "import")
        os.makedirs(os.path.join(imp, "profiles"))
        self.users = dict(users)
        with open(os.path.join(imp, "users.conf"), "w") as f:
            for name, pw in users:
                f.write("%s sip:%s@%s %s %s\n" % (name, name, domain, pw,
                                                  name.capitalize()))
        allow = opts.pop("allow", ["private-call", "automatic-commencement",
                                   "manual-commencement",
                                   "private-call-to-any-user"])
        for name, _ in users:
            if opts.get("no_profile_for") == name:
                continue
            ident = "sip:%s@%s" % (name, domain)
            allows = "\n".join("<allow-%s>true</allow-%s>" % (a, a)
                               for a in allow)
            with open(os.path.join(imp, "profiles",
                                   "%s-mcptt-0.xml" % name), "w") as f:
                f.write(PROFILE.format(id=ident, calls="", allows=allows))
        opts.pop("no_profile_for", None)
        self.imp = imp
        self.opts = opts
        self.proc = None
        for attempt in range(5):
            self._configure()
            try:
                self.start()
                return
            except Fail as f:
                if "Address already in use" not in str(f) or attempt == 4:
                    raise
                self.proc.stop()

    def _configure(self):
        """Pick ports, write mcxd.conf"""
        ip, imp = self.ip, self.imp
        self.sip_port = free_port(ip)
        self.http_port = free_port(ip)
        self.ctl_port = free_port("127.0.0.1")
        self.rtp_min = free_port(ip, count=400)
        self.rtp_max = self.rtp_min + 399
        conf = {
            "domain": self.domain, "listen_ip": ip,
            "sip_port": self.sip_port, "http_port": self.http_port,
            "ctl_port": self.ctl_port, "data_dir": self.dir + "/data",
            "import_dir": imp, "rtp_port_min": self.rtp_min,
            "rtp_port_max": self.rtp_max, "log_level": "debug",
        }
        conf.update(self.opts)
        self.conf_path = os.path.join(self.dir, "mcxd.conf")
        with open(self.conf_path, "w") as f:
            for k, v in conf.items():
                f.write("%s %s\n" % (k, v))

    def start(self):
        self.proc = Proc(self.world, "mcxd-" + self.domain,
                         [MCXD, "-c", self.conf_path])
        deadline_wait(self._ready, DEFAULT_WAIT, "mcxd %s to answer on its "
                      "control socket\n%s" % (self.domain,
                                              self.proc.tail()))

    def _ready(self):
        if self.proc.p.poll() is not None:
            raise Fail("mcxd %s exited with %s:\n%s" %
                       (self.domain, self.proc.p.returncode,
                        self.proc.tail()))
        try:
            return self.ctl("status")["ok"]
        except OSError:
            return False

    def ctl(self, cmd):
        with socket.create_connection(("127.0.0.1", self.ctl_port),
                                      timeout=5) as s:
            s.sendall((cmd + "\n").encode())
            buf = b""
            while not buf.endswith(b"\n"):
                chunk = s.recv(65536)
                if not chunk:
                    break
                buf += chunk
        return json.loads(buf.decode())

    def sip_addr(self):
        return "%s:%d" % (self.ip, self.sip_port)

    def http_addr(self):
        return "%s:%d" % (self.ip, self.http_port)

    def stop(self):
        rc = self.proc.stop()
        if rc != 0:
            raise Fail("mcxd %s exited with %d:\n%s" %
                       (self.domain, rc, self.proc.tail()))

    def export_key(self, path):
        """The IdMS public key, as a partner is given it"""
        p = subprocess.run([MCXD, "-c", self.conf_path, "--export-key",
                            path], capture_output=True, text=True,
                           timeout=10)
        if p.returncode:
            raise Fail("mcxd %s --export-key: %s" % (self.domain,
                                                     p.stderr.strip()))

    def add_partner(self, other, key_path, secret=None):
        """An agreement with other (docs/store.md), read at the next
        start"""
        d = os.path.join(self.imp, "partners")
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "%s.conf" % other.domain), "w") as f:
            f.write("domain %s\nsip %s\nhttp %s\nidms_key %s\n" %
                    (other.domain, other.sip_addr(), other.http_addr(),
                     key_path))
            if secret:
                f.write("secret %s\n" % secret)

    def restart(self):
        self.stop()
        self.start()


def read_conf(path):
    """name -> value of a `name value` configuration file"""
    conf = {}
    with open(path) as f:
        for line in f:
            words = line.split("#", 1)[0].split(None, 1)
            if len(words) == 2:
                conf[words[0]] = words[1].strip().strip('"')
    return conf


class ConfSystem(System):
    """One mcxd from a configuration file as it is (etc/a.conf), with -o
    overrides: for the demo, which runs on the documented addresses."""

    def __init__(self, world, conf_path, overrides=None, cwd=None):
        self.world = world
        self.conf_path = os.path.abspath(conf_path)
        self.cwd = cwd
        conf = read_conf(conf_path)
        conf.update(overrides or {})
        self.overrides = overrides or {}
        self.domain = conf["domain"]
        self.ip = conf["listen_ip"]
        self.sip_port = int(conf.get("sip_port", 5060))
        self.http_port = int(conf.get("http_port", 8080))
        self.ctl_port = int(conf.get("ctl_port", 7070))
        self.users = {}
        self.proc = None
        self.start()

    def start(self):
        argv = [MCXD, "-c", self.conf_path]
        for k, v in self.overrides.items():
            argv += ["-o", "%s=%s" % (k, v)]
        self.proc = Proc(self.world, "mcxd-" + self.domain, argv,
                         cwd=self.cwd)
        deadline_wait(self._ready, DEFAULT_WAIT, "mcxd %s to answer on its "
                      "control socket\n%s" % (self.domain,
                                              self.proc.tail()))


class Client:
    """One mcx process driven through its stdin, read as JSON lines."""

    def __init__(self, world, system, user, ip, password=None, opts=None,
                 conf_path=None, cwd=None):
        self.world = world
        self.system = system
        self.user = user
        self.events = []
        self.results = queue.Queue()
        self.lock = threading.Lock()
        self.cursor = 0
        argv = [MCX, "-c", conf_path, "--json", "-k"]
        if conf_path:           # a sample as it is, options as -o
            for k, v in (opts or {}).items():
                argv += ["-o", "%s=%s" % (k, v)]
        else:
            conf = {
                "user": user,
                "password": password or system.users[user],
                "domain": system.domain,
                "sip_server": system.sip_addr(),
                "http_server": system.http_addr(),
                "local_ip": ip,
                "log_level": "warn",
            }
            conf.update(opts or {})
            conf_path = os.path.join(world.dir, "%s.conf" % user)
            with open(conf_path, "w") as f:
                for k, v in conf.items():
                    f.write("%s %s\n" % (k, v))
            argv[2] = conf_path
        self.conf_path = conf_path
        self.proc = Proc(world, "mcx-" + user, argv, stdin=True, cwd=cwd)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for raw in self.proc.p.stdout:
            line = raw.decode(errors="replace").strip()
            if not line:
                continue
            try:
                obj = json.loads(line)
            except ValueError:
                continue
            if "event" in obj:
                with self.lock:
                    self.events.append(obj)
            elif "cmd" in obj:
                self.results.put(obj)

    def send(self, line):
        try:
            self.proc.p.stdin.write((line + "\n").encode())
            self.proc.p.stdin.flush()
        except OSError as e:
            self.proc.p.wait(5)
            raise Fail("%s: cannot send '%s' (%s; exit status %s):\n%s" %
                       (self.user, line, e, self.proc.p.returncode,
                        self.proc.tail()))

    def cmd(self, line, ok=True, timeout=DEFAULT_WAIT):
        """Run one command; return its result object."""
        self.send(line)
        end = time.monotonic() + timeout
        while True:
            try:
                res = self.results.get(timeout=0.05)
                break
            except queue.Empty:
                pass
            if self.proc.p.poll() is not None and self.results.empty():
                raise Fail("%s exited (%s) before answering '%s':\n%s" %
                           (self.user, self.proc.p.returncode, line,
                            self.proc.tail()))
            if time.monotonic() >= end:
                raise Fail("%s: no result for '%s' within %.0f s\n%s" %
                           (self.user, line, timeout, self.proc.tail()))
        if ok is not None and bool(res.get("ok")) != ok:
            raise Fail("%s: '%s' gave %s (expected ok=%s)" %
                       (self.user, line, res, ok))
        return res

    def wait(self, event, text=None, timeout=DEFAULT_WAIT, **match):
        """The next event of that type (and text, and fields) after the
        last one waited for; events before it are skipped."""
        def find():
            with self.lock:
                for i in range(self.cursor, len(self.events)):
                    e = self.events[i]
                    if e.get("event") != event:
                        continue
                    if text is not None and e.get("text") != text:
                        continue
                    if any(e.get(k) != v for k, v in match.items()):
                        continue
                    self.cursor = i + 1
                    return e
            if self.proc.p.poll() is not None:
                raise Fail("%s exited (%s) while waiting for %s" %
                           (self.user, self.proc.p.returncode, event))
            return None
        try:
            return deadline_wait(find, timeout, "%s: event %s%s" %
                                 (self.user, event,
                                  " " + text if text else ""))
        except Fail as f:
            with self.lock:
                seen = self.events[self.cursor:]
            raise Fail("%s; events since the last wait: %s" % (f, seen))

    def saw(self, event, text=None, timeout=DEFAULT_WAIT):
        """Wait until such an event has arrived at any time, before the
        last wait too: for what the network may deliver in either order
        with the event waited for (the first RTP packet of a call can
        overtake the SIP 200 or the MBCP message on another socket)"""
        return deadline_wait(lambda: self.seen(event, text), timeout,
                             "%s: event %s" % (self.user, event))[0]

    def seen(self, event, text=None):
        with self.lock:
            return [e for e in self.events if e.get("event") == event and
                    (text is None or e.get("text") == text)]

    def up(self):
        for c in ("login", "profile", "register"):
            self.cmd(c)
            if c == "login":
                self.wait("logged-in")
            elif c == "profile":
                self.wait("profile")
            else:
                self.wait("registered")
                self.wait("authorized")

    def call_info(self):
        return self.cmd("calls")

    def stop(self):
        if self.proc.p.poll() is None:
            try:
                self.send("quit")
                self.proc.p.stdin.close()
            except OSError:
                pass
            try:
                self.proc.p.wait(5)
            except subprocess.TimeoutExpired:
                pass
        return self.proc.stop()


class World:
    def __init__(self, name, dir=None):
        self.name = name
        if dir:                 # kept: the demo's var/demo
            os.makedirs(dir, exist_ok=True)
            self.dir = dir
        else:
            self.dir = tempfile.mkdtemp(prefix="mcx-%s-" % name)
        self.keep = bool(dir)
        self.systems = []
        self.clients = []
        self.next_ip = 10

    def system(self, domain="a.mcx.test", ip="127.0.0.1", users=None,
               **opts):
        users = users or [("alice", "alice-secret"), ("bob", "bob-secret")]
        s = System(self, domain, ip, users, opts)
        self.systems.append(s)
        return s

    def link(self, systems, secret="s3cret-shared-by-partners"):
        """Make every system a partner of every other (keys exported,
        agreements written) and restart them, so that they read them"""
        keys = {}
        for s in systems:
            keys[s.domain] = os.path.join(self.dir, "%s.pem" % s.domain)
            s.export_key(keys[s.domain])
        for s in systems:
            for o in systems:
                if o is not s:
                    s.add_partner(o, keys[o.domain], secret)
        for s in systems:
            s.restart()

    def client(self, system, user, ip=None, **kw):
        c = Client(self, system, user, ip or "127.0.0.1", **kw)
        self.clients.append(c)
        return c

    def __enter__(self):
        return self

    def __exit__(self, et, ev, tb):
        problems = []
        for c in self.clients:
            try:
                rc = c.stop()
                # 0, or 1 when a command failed (the test judged it);
                # anything else is a crash or a sanitizer's report
                if rc not in (0, 1):
                    problems.append("mcx %s exited with %s:\n%s" %
                                    (c.user, rc, c.proc.tail()))
            except Fail as f:
                problems.append(str(f))
        for s in self.systems:
            try:
                s.stop()
            except Fail as f:
                problems.append(str(f))
        if self.keep and et is None and not problems:
            pass
        elif et is None and not problems and not os.environ.get("MCX_KEEP"):
            shutil.rmtree(self.dir, ignore_errors=True)
        else:
            sys.stderr.write("logs kept in %s\n" % self.dir)
            for p in [c.proc for c in self.clients] + \
                    [s.proc for s in self.systems]:
                sys.stderr.write("--- %s\n%s\n" % (p.name, p.tail(40)))
        if problems and et is None:
            raise Fail("; ".join(problems))
        return False


def run(tests):
    """Run test functions; print one line each and a summary; exit code."""
    failed = 0
    only = sys.argv[1:]
    for t in tests:
        if only and t.__name__ not in only:
            continue
        t0 = time.monotonic()
        try:
            t()
            print("ok   %-40s %6.2f s" % (t.__name__,
                                          time.monotonic() - t0))
        except Exception as e:          # noqa: BLE001 (report any failure)
            failed += 1
            print("FAIL %-40s %s" % (t.__name__, e))
        sys.stdout.flush()
    n = len([t for t in tests if not only or t.__name__ in only])
    print("%d tests, %d passed, %d failed" % (n, n - failed, failed))
    return 1 if failed else 0


# ---- a bare SIP user agent over UDP, for bad input ----



class Response:
    def __init__(self, text):
        self.text = text
        head = text.split("\r\n\r\n", 1)[0]
        lines = head.split("\r\n")
        parts = lines[0].split(" ", 2)
        self.code = int(parts[1])
        self.reason = parts[2] if len(parts) > 2 else ""
        self.headers = []
        for ln in lines[1:]:
            if ":" in ln:
                k, v = ln.split(":", 1)
                self.headers.append((k.strip().lower(), v.strip()))

    def header(self, name):
        for k, v in self.headers:
            if k == name.lower():
                return v
        return None

    def __repr__(self):
        return "<%d %s warning=%r>" % (self.code, self.reason,
                                        self.header("warning"))


class RawSip:
    """Send hand-made SIP requests and read the answers."""

    def __init__(self, system, user=None, password=None, ip="127.0.0.1"):
        self.system = system
        self.user = user
        self.password = password
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((ip, 0))
        self.sock.settimeout(0.2)
        self.laddr = "%s:%d" % self.sock.getsockname()
        self.cseq = 0
        self.call_id = "%016x@raw" % random.getrandbits(64)

    def close(self):
        self.sock.close()

    def request(self, method, ruri, headers=None, body=b"", ctype=None,
                to=None, frm=None, auth=None, proxy=True, timeout=5.0):
        """One transaction; with auth (user, password) answer a challenge
        once. Returns the final Response."""
        resp = self._send(method, ruri, headers, body, ctype, to, frm,
                          None, timeout)
        if auth and resp.code in (401, 407):
            chal = resp.header("proxy-authenticate" if resp.code == 407
                               else "www-authenticate")
            cred = self.digest(chal, method, ruri, auth[0], auth[1])
            hdr = ("Proxy-Authorization" if resp.code == 407
                   else "Authorization")
            resp = self._send(method, ruri, headers, body, ctype, to, frm,
                              (hdr, cred), timeout)
        return resp

    @staticmethod
    def digest(chal, method, uri, user, password):
        params = dict(re.findall(r'(\w+)="?([^",]*)"?', chal))
        realm, nonce = params["realm"], params["nonce"]
        cnonce = "%08x" % random.getrandbits(32)
        md5 = lambda s: hashlib.md5(s.encode()).hexdigest()  # noqa: E731
        ha1 = md5("%s:%s:%s" % (user, realm, password))
        ha2 = md5("%s:%s" % (method, uri))
        resp = md5("%s:%s:00000001:%s:auth:%s" % (ha1, nonce, cnonce, ha2))
        return ('Digest username="%s", realm="%s", nonce="%s", uri="%s", '
                'response="%s", algorithm=MD5, qop=auth, nc=00000001, '
                'cnonce="%s"' % (user, realm, nonce, uri, resp, cnonce))

    def _send(self, method, ruri, headers, body, ctype, to, frm, cred,
              timeout):
        self.cseq += 1
        branch = "z9hG4bK%016x" % random.getrandbits(64)
        frm = frm or "sip:%s@%s" % (self.user or "anon",
                                    self.system.domain)
        lines = [
            "%s %s SIP/2.0" % (method, ruri),
            "Via: SIP/2.0/UDP %s;branch=%s;rport" % (self.laddr, branch),
            "Max-Forwards: 70",
            "To: <%s>" % (to or ruri),
            "From: <%s>;tag=%08x" % (frm, random.getrandbits(32)),
            "Call-ID: %s" % self.call_id,
            "CSeq: %d %s" % (self.cseq, method),
        ]
        # our Contact, unless the caller gives one (Contact: *)
        if not any(h.lower().startswith("contact:") for h in headers or []):
            lines.append("Contact: <sip:%s@%s>" % (self.user or "anon",
                                                   self.laddr))
        lines += list(headers or [])
        if cred:
            lines.append("%s: %s" % cred)
        if body:
            lines.append("Content-Type: %s" % ctype)
        if isinstance(body, str):
            body = body.encode()
        lines.append("Content-Length: %d" % len(body))
        msg = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
        dst = (self.system.ip, self.system.sip_port)
        self.sock.sendto(msg, dst)
        end = time.monotonic() + timeout
        resent = time.monotonic() + 0.5
        while time.monotonic() < end:
            try:
                data, _ = self.sock.recvfrom(65536)
            except socket.timeout:
                if time.monotonic() > resent:
                    self.sock.sendto(msg, dst)
                    resent = time.monotonic() + 1.0
                continue
            r = Response(data.decode(errors="replace"))
            if branch not in r.text or r.code < 200:
                continue
            if method == "INVITE":
                self._ack(ruri, r, branch)
            return r
        raise Fail("no final answer to %s %s within %.0f s" %
                   (method, ruri, timeout))

    def _ack(self, ruri, r, branch):
        if r.code < 300:
            return      # a 2xx is not expected in these tests
        lines = [
            "ACK %s SIP/2.0" % ruri,
            "Via: SIP/2.0/UDP %s;branch=%s;rport" % (self.laddr, branch),
            "Max-Forwards: 70",
            "To: %s" % r.header("to"),
            "From: %s" % r.header("from"),
            "Call-ID: %s" % self.call_id,
            "CSeq: %d ACK" % self.cseq,
            "Content-Length: 0",
        ]
        self.sock.sendto(("\r\n".join(lines) + "\r\n\r\n").encode(),
                         (self.system.ip, self.system.sip_port))


def http_full(system, method, path, body=None, headers=None):
    """(status, reason, headers, body text) of one HTTP request"""
    url = "http://%s%s" % (system.http_addr(), path)
    data = body.encode() if isinstance(body, str) else body
    req = urllib.request.Request(url, data=data, method=method,
                                 headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=5) as r:
            return r.status, r.reason, r.headers, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.reason, e.headers, e.read().decode()


def http(system, method, path, body=None, headers=None):
    """(status, reason, body text) of one HTTP request to a system."""
    code, reason, _, text = http_full(system, method, path, body, headers)
    return code, reason, text


def token(system, user, password):
    form = urllib.parse.urlencode({"grant_type": "password",
                                   "username": user,
                                   "password": password})
    code, reason, body = http(system, "POST", "/idms/token", form,
                              {"Content-Type":
                               "application/x-www-form-urlencoded"})
    if code != 200:
        raise Fail("token for %s: %d %s" % (user, code, reason))
    return json.loads(body)["access_token"]
