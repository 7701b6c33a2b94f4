#!/usr/bin/env python3
"""Several MC systems side by side (issue 5): what each system gives its
partners, and the demo's three systems from etc/.

Every test starts its own systems on free loopback ports in a temporary
directory and waits by polling, never by sleeping.
"""
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


TESTS = [test_export_key, test_demo_systems_import]

if __name__ == "__main__":
    sys.exit(run(TESTS))
