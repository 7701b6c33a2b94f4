#!/usr/bin/env python3
"""Private calls between real mcx clients through a real mcxd (issue 4).

Every test starts its own system on free loopback ports in a temporary
directory and waits by polling, never by sleeping.
"""
import os
import re
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mcxtest import World, Fail, deadline_wait, run  # noqa: E402


def two_up(w, **opts):
    a = w.system(**opts)
    alice = w.client(a, "alice", ip="127.0.0.1")
    bob = w.client(a, "bob", ip="127.0.0.1")
    alice.up()
    bob.up()
    return a, alice, bob


def check(cond, what):
    if not cond:
        raise Fail(what)


def test_register():
    with World("register") as w:
        a = w.system()
        alice = w.client(a, "alice")
        alice.up()
        regs = a.ctl("registrations")["registrations"]
        check([r for r in regs if r["aor"] == "sip:alice@a.mcx.test"],
              "alice not in the registrar: %s" % regs)
        auths = a.ctl("auths")["auths"]
        check([x for x in auths if x["mc_id"] == "sip:alice@a.mcx.test"],
              "alice not authorized: %s" % auths)
        # the client names itself with a random UUID URN (RFC 4122 4.4)
        check(re.match(r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-"
                       r"[89ab][0-9a-f]{3}-[0-9a-f]{12}$",
                       auths[0]["client_id"]),
              "client id: %s" % auths[0])
        alice.cmd("logout")
        alice.wait("unregistered")
        deadline_wait(lambda: not a.ctl("registrations")["registrations"],
                      5, "the binding to go after logout")


def test_call_automatic_with_floor():
    with World("auto") as w:
        a, alice, bob = two_up(w)
        alice.cmd("call bob")
        bob.wait("incoming", "automatic")
        alice.wait("connected")
        bob.wait("connected")

        # implicit floor request: alice talks first
        alice.wait("floor", "granted")
        bob.wait("floor", "taken")
        bob.saw("media")
        calls = a.ctl("calls")["calls"]
        check(len(calls) == 1 and calls[0]["floor"] == "taken" and
              calls[0]["floor_holder"] == "sip:alice@a.mcx.test",
              "server floor state: %s" % calls)
        # each call has its own MCPTT session identity (24.379 4.5)
        check(re.match(r"sip:pc-[0-9a-f]{16}@a\.mcx\.test$",
                       calls[0]["session"]), "session: %s" % calls[0])

        # alice lets go, bob takes the floor and is heard
        alice.cmd("release")
        alice.wait("floor", "idle")
        bob.wait("floor", "idle")
        bob.cmd("press")
        bob.wait("floor", "granted")
        alice.wait("floor", "taken")
        alice.saw("media")

        # bob hangs up: alice learns it from the BYE
        bob.cmd("hangup")
        bob.wait("ended", "hangup")
        alice.wait("ended", "bye")
        deadline_wait(lambda: not a.ctl("calls")["calls"], 5,
                      "the call to leave the server")


def test_floor_denied_while_taken():
    with World("deny") as w:
        a, alice, bob = two_up(w)
        alice.cmd("call bob")
        alice.wait("floor", "granted")
        bob.wait("floor", "taken")
        # one talker at a time: bob's request is refused with a cause
        bob.cmd("press")
        e = bob.wait("floor", "denied")
        check(e.get("reason"), "a deny says why: %s" % e)
        calls = a.ctl("calls")["calls"]
        check(calls[0]["floor_holder"] == "sip:alice@a.mcx.test",
              "alice keeps the floor: %s" % calls)
        alice.cmd("hangup")
        bob.wait("ended", "bye")


def test_call_over_tcp():
    with World("tcp") as w:
        a = w.system()
        alice = w.client(a, "alice", opts={"sip_transport": "tcp"})
        bob = w.client(a, "bob", opts={"sip_transport": "tcp"})
        alice.up()
        bob.up()
        alice.cmd("call bob")
        bob.wait("connected")
        alice.wait("floor", "granted")
        bob.saw("media")
        bob.cmd("hangup")
        alice.wait("ended", "bye")


def test_server_stops_during_call():
    with World("sigterm") as w:
        a, alice, bob = two_up(w)
        alice.cmd("call bob")
        alice.wait("floor", "granted")
        bob.saw("media")
        # SIGTERM: both parties get a BYE saying why, mcxd exits 0
        a.stop()
        w.systems.remove(a)
        for c in (alice, bob):
            e = c.wait("ended", "bye")
            check("shutting down" in (e.get("reason") or ""),
                  "%s should be told why: %s" % (c.user, e))


def test_call_manual_answer():
    with World("manual") as w:
        a, alice, bob = two_up(w)
        alice.cmd("call bob manual")
        bob.wait("incoming", "manual")
        alice.wait("ringing")
        check(not alice.seen("connected"), "connected before the answer")
        bob.cmd("answer")
        bob.wait("connected")
        alice.wait("connected")
        alice.wait("floor", "granted")
        alice.cmd("hangup")
        bob.wait("ended", "bye")


def test_call_rejected():
    with World("reject") as w:
        a, alice, bob = two_up(w)
        alice.cmd("call bob manual")
        bob.wait("incoming")
        bob.cmd("reject")
        e = alice.wait("ended", "failed")
        check(e.get("scode") == 480, "expected 480, got %s" % e)
        check("110" in (e.get("warning") or ""),
              "the caller should see why (Warning 110): %s" % e)


def test_call_without_floor_control():
    with World("nofloor") as w:
        a, alice, bob = two_up(w)
        alice.cmd("call bob auto nofloor")
        alice.wait("connected", "no floor control")
        bob.wait("connected", "no floor control")
        alice.saw("media")
        bob.saw("media")
        res = alice.cmd("press", ok=False)
        check("floor" in res.get("error", ""), "press: %s" % res)
        alice.cmd("hangup")
        bob.wait("ended", "bye")


def test_cancel_before_answer():
    with World("cancel") as w:
        a, alice, bob = two_up(w)
        alice.cmd("call bob manual")
        bob.wait("incoming")
        alice.wait("ringing")
        alice.cmd("hangup")
        bob.wait("ended", "cancelled")
        deadline_wait(lambda: not a.ctl("calls")["calls"], 5,
                      "the call to leave the server")


def test_callee_not_registered():
    with World("notreg") as w:
        a = w.system()
        alice = w.client(a, "alice")
        alice.up()
        alice.cmd("call bob")
        e = alice.wait("ended", "failed")
        check(e.get("scode") == 480 and "146" in (e.get("warning") or ""),
              "expected 480 with Warning 146: %s" % e)


def test_unknown_user():
    with World("unknown") as w:
        a = w.system()
        alice = w.client(a, "alice")
        alice.up()
        alice.cmd("call carol")
        e = alice.wait("ended", "failed")
        check(e.get("scode") == 404 and "141" in (e.get("warning") or ""),
              "expected 404 with Warning 141: %s" % e)


def test_wrong_password():
    with World("password") as w:
        a = w.system()
        eve = w.client(a, "alice", password="not-alice-secret")
        eve.cmd("login")
        e = eve.wait("error")
        check(e.get("scode") == 400 and "password" in e.get("reason", ""),
              "login with a wrong password: %s" % e)
        eve.cmd("register")
        e = eve.wait("error")
        check(e.get("scode") == 403, "REGISTER with a wrong password "
              "should end in 403: %s" % e)


def test_callee_vanishes():
    with World("vanish") as w:
        a, alice, bob = two_up(w, media_timeout=2)
        alice.cmd("call bob")
        alice.wait("connected")
        bob.wait("connected")
        bob.proc.p.send_signal(signal.SIGKILL)
        e = alice.wait("ended", "bye", timeout=10)
        check("media timeout" in (e.get("reason") or ""),
              "the caller should be told why: %s" % e)
        deadline_wait(lambda: not a.ctl("calls")["calls"], 5,
                      "the call to leave the server")
        w.clients.remove(bob)


def test_setup_timeout():
    with World("setup") as w:
        a, alice, bob = two_up(w, call_setup_timeout=2)
        alice.cmd("call bob manual")
        bob.wait("incoming")
        e = alice.wait("ended", "failed", timeout=10)
        check(e.get("scode") == 480 and "did not answer" in
              (e.get("warning") or ""), "setup timeout: %s" % e)
        bob.wait("ended", "cancelled")


def test_profile_forbids_private_calls():
    with World("profile") as w:
        a = w.system(allow=["automatic-commencement"])
        alice = w.client(a, "alice")
        bob = w.client(a, "bob")
        alice.up()
        bob.up()
        alice.cmd("call bob")
        e = alice.wait("ended", "failed")
        check(e.get("scode") == 403 and "107" in (e.get("warning") or ""),
              "expected 403 with Warning 107: %s" % e)


TESTS = [
    test_register,
    test_call_automatic_with_floor,
    test_floor_denied_while_taken,
    test_call_over_tcp,
    test_server_stops_during_call,
    test_call_manual_answer,
    test_call_rejected,
    test_call_without_floor_control,
    test_cancel_before_answer,
    test_callee_not_registered,
    test_unknown_user,
    test_wrong_password,
    test_callee_vanishes,
    test_setup_timeout,
    test_profile_forbids_private_calls,
]

if __name__ == "__main__":
    sys.exit(run(TESTS))
