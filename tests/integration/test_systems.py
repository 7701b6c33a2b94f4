#!/usr/bin/env python3
"""Several MC systems side by side (issue 5): what each system gives its
partners, and the demo's three systems from etc/.

Every test starts its own systems on free loopback ports in a temporary
directory and waits by polling, never by sleeping.
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mcxtest import World, Fail, MCXD, SRC, http, run  # noqa: E402


def check(cond, what):
    if not cond:
        raise Fail(what)


def test_export_key():
    """--export-key writes the public key the IdMS publishes, the trust
    anchor a partner is given out of band (TS 33.180 5.1.4)"""
    with World("exportkey") as w:
        a = w.system()
        path = os.path.join(w.dir, "a.pem")
        p = subprocess.run([MCXD, "-c", a.conf_path, "--export-key", path],
                           capture_output=True, text=True, timeout=10)
        check(p.returncode == 0 and "kid " in p.stdout,
              "--export-key: exit %d %r %r" % (p.returncode, p.stdout,
                                               p.stderr))
        with open(path) as f:
            pem = f.read()
        check(pem.startswith("-----BEGIN PUBLIC KEY-----") and
              "PRIVATE" not in pem, "exported: %r" % pem)
        code, _, served = http(a, "GET", "/idms/key.pem")
        check(code == 200 and served == pem,
              "the running IdMS publishes another key: %r" % served)

        # a place it cannot write to: the reason names it, exit 1
        bad = os.path.join(w.dir, "no", "such", "dir.pem")
        p = subprocess.run([MCXD, "-c", a.conf_path, "--export-key", bad],
                           capture_output=True, text=True, timeout=10)
        check(p.returncode == 1 and bad in p.stderr,
              "unwritable: exit %d %r" % (p.returncode, p.stderr))


def test_partners():
    """Three systems, each a partner of the other two: every one lists
    its partners with the key id the partner's IdMS publishes"""
    with World("partners") as w:
        systems = [w.system(d) for d in ("a.mcx.test", "b.mcx.test",
                                         "c.mcx.test")]
        w.link(systems)
        kids = {}
        for s in systems:
            code, _, body = http(s, "GET", "/idms/jwks")
            check(code == 200, "jwks of %s: %d" % (s.domain, code))
            kids[s.domain] = json.loads(body)["keys"][0]["kid"]
        for s in systems:
            got = {p["domain"]: p for p in s.ctl("partners")["partners"]}
            want = set(kids) - {s.domain}
            check(set(got) == want, "%s lists %s, not %s" %
                  (s.domain, sorted(got), sorted(want)))
            for d, p in got.items():
                check(p["idms_kid"] == kids[d] and p["secret"] is True and
                      p["sip"].endswith(":%d" % next(
                          o.sip_port for o in systems if o.domain == d)),
                      "%s's agreement with %s: %s" % (s.domain, d, p))


def test_partner_refusals():
    """An agreement mcxd cannot honour stops its start, and says which
    partner and why; the system starts again once it is put right"""
    with World("partnerbad") as w:
        a = w.system("a.mcx.test")
        b = w.system("b.mcx.test")
        # a private key where the trust anchor goes
        priv = os.path.join(b.dir, "data", "idms-key.pem")
        a.add_partner(b, priv)
        a.proc.stop()
        try:
            a.start()
            raise Fail("mcxd started with a private key as a partner's "
                       "trust anchor")
        except Fail as f:
            check("b.mcx.test" in str(f) and "PRIVATE" in str(f).upper(),
                  "the refusal should name the partner and the key: %s" %
                  f)
        # the public key, as --export-key writes it: accepted
        pub = os.path.join(w.dir, "b.pem")
        b.export_key(pub)
        a.add_partner(b, pub)
        # but not this system itself as its own partner
        own = os.path.join(w.dir, "a.pem")
        a.export_key(own)
        a.add_partner(a, own)
        try:
            a.start()
            raise Fail("mcxd started with itself as a partner")
        except Fail as f:
            check("own domain" in str(f), "own domain: %s" % f)
        os.unlink(os.path.join(a.imp, "partners", "a.mcx.test.conf"))
        a.start()
        check([p["domain"] for p in a.ctl("partners")["partners"]] ==
              ["b.mcx.test"], "after the fix: %s" % a.ctl("partners"))


def test_demo_systems_import():
    """etc/a.conf, b.conf and c.conf import their users and profiles,
    each into a store of its own"""
    with World("demoimport") as w:
        for x in "abc":
            conf = os.path.join(SRC, "etc", "%s.conf" % x)
            p = subprocess.run([MCXD, "-c", conf, "-o",
                                "data_dir=%s/%s" % (w.dir, x), "--import"],
                               capture_output=True, text=True, timeout=30,
                               cwd=SRC)
            check(p.returncode == 0 and "2 users, 2 profiles" in p.stderr,
                  "%s.conf --import: exit %d %r" % (x, p.returncode,
                                                    p.stderr))


TESTS = [test_export_key, test_partners, test_partner_refusals,
         test_demo_systems_import]

if __name__ == "__main__":
    sys.exit(run(TESTS))
