#!/usr/bin/env python3
"""Interop 1: sipp registers at mcxd with digest, then unregisters.

register.xml: REGISTER, 401, REGISTER with Authorization, 200 listing
exactly sipp's Contact; REGISTER Expires: 0, 200 without Contact.  Here:
while sipp runs, the control socket shows the binding sipp asked for;
after it, none.  Exit 77 without sipp.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sipptest import (InteropWorld, check, deadline_wait,  # noqa: E402
                      run_one)


def test_register_digest():
    with InteropWorld("interop-register") as w:
        a = w.system()
        user, pw = "alice", a.users["alice"]
        s = w.sipp("sipp-register", "register.xml", a, [[user, a.domain]],
                   auth=("%s@%s" % (user, a.domain), pw),
                   extra=["-auth_uri", a.domain])
        s.wait()

        logs = s.read("logs")
        mine = "sip:%s@127.0.0.1:%d" % (user, s.port)
        check("registered: Contact %s" % mine in logs,
              "sipp did not log the Contact it saw in the 200:\n" + logs)
        check("unregistered: no Contact" in logs,
              "sipp did not reach the unregister's 200:\n" + logs)

        # the registrar saw it too: a challenge, two REGISTERs accepted
        deadline_wait(lambda: not a.ctl("registrations")["registrations"],
                      5, "no binding left after Expires: 0")
        st = a.ctl("status")
        check(st.get("ok"), "mcxd status: %s" % st)


if __name__ == "__main__":
    sys.exit(run_one(test_register_digest))
