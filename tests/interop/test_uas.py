#!/usr/bin/env python3
"""Interop 3: a real mcx client (alice) calls sipp (bob) through mcxd.

login.xml: sipp registers bob with digest and authorizes him with the
access token (PUBLISH, 407).  uas_call.xml, a second sipp on the same
port: it answers mcxd's INVITE with 200 and SDP (audio and floor control),
takes the ACK, and answers the BYE.  Here: alice sees connected and the
floor granted (mcxd grants her implicit request), her audio reaches
sipp's leg, she hangs up, sipp ends cleanly, mcxd has no call left.
Exit 77 without sipp.
"""
import errno
import os
import socket
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sipptest import (InteropWorld, IP, check, deadline_wait,  # noqa: E402
                      free_port, run_one)
from mcxtest import token  # noqa: E402


def udp_bound(port):
    """Has someone bound this UDP port on IP? (sipp listening)"""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.bind((IP, port))
        return False
    except OSError as e:
        return e.errno == errno.EADDRINUSE
    finally:
        s.close()


def test_client_calls_sipp():
    with InteropWorld("interop-uas") as w:
        a = w.system()
        alice = w.client(a, "alice")
        alice.up()

        user, pw = "bob", a.users["bob"]
        aor = "sip:%s@%s" % (user, a.domain)
        port = free_port(IP)
        media = free_port(IP, count=3)      # RTP, (RTCP), floor: sipp's
        auth = ("%s@%s" % (user, a.domain), pw)

        # bob logs in: registered at port, authorized with his token
        login = w.sipp("sipp-login", "login.xml", a,
                       [[user, a.domain, "mcptt-pf",
                         token(a, user, pw)]], port=port, auth=auth,
                       extra=["-auth_uri", "mcptt-pf@" + a.domain])
        login.wait()
        regs = a.ctl("registrations")["registrations"]
        check([r for r in regs if r["aor"] == aor and
               r["contact"] == "sip:%s@%s:%d" % (user, IP, port)],
              "sipp's binding at mcxd: %s" % regs)
        auths = a.ctl("auths")["auths"]
        check([x for x in auths if x["mc_id"] == aor],
              "bob authorized at mcxd: %s" % auths)

        # bob answers: sipp as UAS on the registered port
        uas = w.sipp("sipp-uas", "uas_call.xml", None,
                     [[user, a.domain, media + 2]], port=port,
                     media_port=media, uas=True)
        deadline_wait(lambda: udp_bound(port) or not uas.running(), 10,
                      "sipp to listen on %d" % port, poll=0.02)
        check(uas.running(), "sipp UAS ended at once:\n" + uas.report())

        alice.cmd("call bob")
        alice.wait("connected")
        alice.wait("floor", "granted")
        calls = deadline_wait(lambda: [c for c in a.ctl("calls")["calls"]
                                       if c["state"] == "active" and
                                       c["callee"]["rtp_out"] >= 5], 10,
                              "alice's audio relayed to sipp", poll=0.05)
        check(calls[0]["floor_holder"] == "sip:alice@%s" % a.domain and
              calls[0]["callee"]["mc_id"] == aor,
              "call at mcxd: %s" % calls)

        alice.cmd("hangup")
        alice.wait("ended")
        took = uas.wait()
        logs = uas.read("logs")
        for step in ("INVITE from sip:alice@%s" % a.domain,
                     "asserted sip:alice@%s" % a.domain, "connected",
                     "BYE received"):
            check(step in logs, "sipp's log lacks '%s':\n%s" % (step, logs))
        deadline_wait(lambda: not a.ctl("calls")["calls"], 5,
                      "the call to leave mcxd", poll=0.05)
        sys.stdout.write("sipp UAS ran %.2f s\n" % took)


if __name__ == "__main__":
    sys.exit(run_one(test_client_calls_sipp))
