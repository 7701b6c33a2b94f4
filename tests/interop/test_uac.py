#!/usr/bin/env python3
"""Interop 2: sipp (alice) calls a real mcx client (bob) through mcxd.

uac_call.xml: REGISTER with digest, PUBLISH with the access token (407),
the private-call INVITE to the PSI (407, ACK, INVITE with
Proxy-Authorization), 200, ACK, half a second of PCMU, BYE.  Here: bob's
client answers by itself, hears sipp (floor taken, media), and ends with
"bye"; mcxd relayed sipp's audio and has no call left.  Exit 77 without
sipp.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sipptest import (InteropWorld, IP, check, deadline_wait,  # noqa: E402
                      free_port, pcmu_pcap, run_one)
from mcxtest import token  # noqa: E402


def test_sipp_calls_client():
    with InteropWorld("interop-uac") as w:
        a = w.system()
        bob = w.client(a, "bob", opts={"answer": "auto"})
        bob.up()

        user, pw = "alice", a.users["alice"]
        tok = token(a, user, pw)
        media = free_port(IP, count=3)      # RTP, (RTCP), floor: sipp's
        pcmu_pcap(os.path.join(w.dir, "tone-pcmu.pcap"))
        fields = [user, a.domain, "mcptt-pf", tok,
                  "sip:bob@%s" % a.domain, media + 2]
        s = w.sipp("sipp-uac", "uac_call.xml", a, [fields],
                   auth=("%s@%s" % (user, a.domain), pw),
                   media_port=media,
                   extra=["-auth_uri", "mcptt-pf@" + a.domain])

        # while sipp talks: one call, active, floor with sipp, audio in
        call = deadline_wait(lambda: [c for c in a.ctl("calls")["calls"]
                                      if c["state"] == "active"], 15,
                             "the call to be active at mcxd", poll=0.05)[0]
        check(call["mode"] == "automatic" and call["floor_control"],
              "call at mcxd: %s" % call)
        bob.wait("incoming", "automatic")
        bob.wait("connected")
        bob.wait("floor", "taken")
        bob.saw("media")

        calls = a.ctl("calls")["calls"]
        check(calls and calls[0]["floor_holder"] ==
              "sip:%s@%s" % (user, a.domain),
              "floor holder at mcxd: %s" % calls)
        check(calls[0]["caller"]["rtp_in"] > 0 and
              calls[0]["callee"]["rtp_out"] > 0,
              "sipp's RTP relayed to bob: %s" % calls)

        took = s.wait()
        logs = s.read("logs")
        for step in ("authorized", "answered", "ended"):
            check(step in logs, "sipp's log lacks '%s':\n%s" % (step, logs))

        bob.wait("ended", "bye")
        deadline_wait(lambda: not a.ctl("calls")["calls"], 5,
                      "the call to leave mcxd", poll=0.05)
        sys.stdout.write("sipp ran %.2f s\n" % took)


if __name__ == "__main__":
    sys.exit(run_one(test_sipp_calls_client))
