#!/usr/bin/env python3
"""Bad input to a running mcxd: each refusal is a 4xx that says why, and a
call in progress between two real clients is not disturbed (issue 4)."""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mcxtest import (World, Fail, RawSip, http, http_full,  # noqa: E402
                     token, run, deadline_wait, MCXD, MCX)

ICSI = "urn:urn-7:3gpp-service.ims.icsi.mcptt"
ACCEPT = ['Accept-Contact: *;+g.3gpp.mcptt;require;explicit',
          'Accept-Contact: *;+g.3gpp.icsi-ref="urn%3Aurn-7%3A3gpp-service'
          '.ims.icsi.mcptt";require;explicit',
          "P-Preferred-Service: " + ICSI]
INFO = ('<?xml version="1.0" encoding="UTF-8"?>\r\n'
        '<mcpttinfo xmlns="urn:3gpp:ns:mcpttInfo:1.0"><mcptt-Params>'
        '{inner}</mcptt-Params></mcpttinfo>\r\n')
SDP = ("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\n"
       "t=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n")
RLIST = ('<?xml version="1.0" encoding="UTF-8"?>\r\n'
         '<resource-lists xmlns="urn:ietf:params:xml:ns:resource-lists">'
         '<list><entry uri="{uri}"/></list></resource-lists>\r\n')


def check(cond, what):
    if not cond:
        raise Fail(what)


def expect(resp, code, *words):
    w = resp.header("warning") or ""
    check(resp.code == code, "expected %d, got %r" % (code, resp))
    for word in words:
        check(word in w, "Warning %r should mention %r" % (w, word))


def multipart(parts, boundary="b0undary"):
    out = ""
    for ctype, body in parts:
        out += "--%s\r\nContent-Type: %s\r\n\r\n%s\r\n" % (boundary, ctype,
                                                            body)
    return out + "--%s--\r\n" % boundary, \
        "multipart/mixed;boundary=%s" % boundary


def publish(raw, a, tok, event="poc-settings"):
    info = INFO.format(inner="<mcptt-access-token><mcpttString>%s"
                       "</mcpttString></mcptt-access-token>" % tok)
    body, ctype = multipart([("application/vnd.3gpp.mcptt-info+xml",
                              info)])
    return raw.request("PUBLISH", "sip:mcptt-pf@%s" % a.domain,
                       ["Event: " + event, "Expires: 600"], body,
                       ctype, frm="sip:alice@a.mcx.test",
                       auth=("alice@a.mcx.test", "alice-secret"))


def invite(raw, a, body, ctype, extra=None):
    return raw.request("INVITE", "sip:mcptt-pf@%s" % a.domain,
                       ACCEPT + (extra or []), body, ctype,
                       frm="sip:alice@a.mcx.test",
                       auth=("alice@a.mcx.test", "alice-secret"))


def test_sip_refusals():
    with World("badsip") as w:
        a = w.system(max_body=4096)
        # a call between two real clients runs through all of this
        bob = w.client(a, "bob")
        carol_less = w.client(a, "alice")
        bob.up()
        carol_less.up()
        carol_less.cmd("call bob")
        bob.wait("connected")
        bob.saw("media")

        raw = RawSip(a, "alice")
        psi = "sip:mcptt-pf@%s" % a.domain

        r = raw.request("REGISTER", "sip:%s" % a.domain,
                        to="sip:alice@a.mcx.test")
        check(r.code == 401 and r.header("www-authenticate"),
              "REGISTER without credentials: %r" % r)

        # the 200 lists the bindings with what is left of each
        r = raw.request("REGISTER", "sip:%s" % a.domain,
                        to="sip:alice@a.mcx.test", headers=["Expires: 300"],
                        auth=("alice@a.mcx.test", "alice-secret"))
        contacts = [v for k, v in r.headers if k == "contact"]
        check(r.code == 200 and any(raw.laddr in c and "expires=" in c
                                    for c in contacts),
              "REGISTER 200 should list our binding: %r %s" %
              (r, contacts))

        r = raw.request("REGISTER", "sip:%s" % a.domain,
                        to="sip:bob@a.mcx.test", frm="sip:bob@a.mcx.test",
                        auth=("alice@a.mcx.test", "alice-secret"))
        expect(r, 403, "may register sip:alice@a.mcx.test only")

        r = raw.request("INVITE", psi, ACCEPT, SDP, "application/sdp")
        check(r.code == 407 and r.header("proxy-authenticate"),
              "INVITE without credentials: %r" % r)

        r = publish(raw, a, "e30.e30.bm9wZQ")
        expect(r, 403, "101", "service authorisation failed")

        # the event package is RFC 4354's (TS 24.379 7.3.3)
        r = publish(raw, a, "e30.e30.bm9wZQ", event="presence")
        check(r.code == 489 and r.header("allow-events") == "poc-settings",
              "PUBLISH of another event package: %r" % r)

        tok = token(a, "alice", "alice-secret")
        forged = tok[:-4] + ("AAAA" if tok[-4:] != "AAAA" else "BBBB")
        r = publish(raw, a, forged)
        expect(r, 403, "101", "signature")

        bob_tok = token(a, "bob", "bob-secret")
        r = publish(raw, a, bob_tok)
        expect(r, 403, "101", "token is for sip:bob@a.mcx.test")

        r = publish(raw, a, tok)
        check(r.code == 200, "PUBLISH with alice's token: %r" % r)

        # INVITE bodies that are wrong, one way each
        good_info = INFO.format(inner="<session-type>private"
                                "</session-type>")
        rl = RLIST.format(uri="sip:bob@a.mcx.test")

        body, ctype = multipart([("application/sdp", SDP),
                                 ("application/vnd.3gpp.mcptt-info+xml",
                                  "<mcpttinfo><oops"),
                                 ("application/resource-lists+xml", rl)])
        expect(invite(raw, a, body, ctype), 400, "mcptt-info")

        body, ctype = multipart([("application/sdp", SDP),
                                 ("application/vnd.3gpp.mcptt-info+xml",
                                  good_info)])
        expect(invite(raw, a, body, ctype), 403, "145")

        body, ctype = multipart([("application/sdp", SDP),
                                 ("application/vnd.3gpp.mcptt-info+xml",
                                  good_info),
                                 ("application/resource-lists+xml",
                                  "<resource-lists xmlns=\"urn:ietf:params"
                                  ":xml:ns:resource-lists\"><list><entry/>"
                                  "</list></resource-lists>")])
        expect(invite(raw, a, body, ctype), 400, "resource-lists")

        body, ctype = multipart([("application/sdp", "v=0\r\nbogus\r\n"),
                                 ("application/vnd.3gpp.mcptt-info+xml",
                                  good_info),
                                 ("application/resource-lists+xml", rl)])
        expect(invite(raw, a, body, ctype), 488, "SDP")

        r = invite(raw, a, "--x\r\nContent-Type: text/plain\r\n\r\nhi",
                   "multipart/mixed;boundary=x")
        expect(r, 400)

        body, ctype = multipart([("application/sdp", SDP + "a=x:" +
                                  "y" * 5000 + "\r\n")])
        expect(invite(raw, a, body, ctype), 413, "4096")

        body, ctype = multipart([("application/sdp", SDP),
                                 ("application/vnd.3gpp.mcptt-info+xml",
                                  good_info),
                                 ("application/resource-lists+xml",
                                  RLIST.format(uri="sip:carol@a.mcx.test"))])
        expect(invite(raw, a, body, ctype), 404, "141", "carol")

        r = raw.request("OPTIONS", "sip:%s" % a.domain)
        check(r.code == 200 and "INVITE" in (r.header("allow") or ""),
              "OPTIONS: %r" % r)
        r = raw.request("SUBSCRIBE", "sip:%s" % a.domain)
        check(r.code == 405 and r.header("allow"), "SUBSCRIBE: %r" % r)
        r = raw.request("INVITE", "sip:bob@elsewhere.test", ACCEPT, SDP,
                        "application/sdp")
        expect(r, 404, "elsewhere.test")
        raw.close()

        # the call is still up and still carries audio
        calls = a.ctl("calls")["calls"]
        check(len(calls) == 1 and calls[0]["state"] == "active",
              "the call in progress: %s" % calls)
        before = calls[0]["callee"]["rtp_out"]
        deadline_wait(lambda: a.ctl("calls")["calls"][0]["callee"]
                      ["rtp_out"] > before + 10, 5, "audio still relayed")
        carol_less.cmd("hangup")
        bob.wait("ended", "bye")


def test_http_refusals():
    with World("badhttp") as w:
        a = w.system()
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        code, reason, body = http(a, "POST", "/idms/token",
                                  "grant_type=password", {"Content-Type":
                                                          "text/plain"})
        check(code == 415, "token with text/plain: %d %s" % (code, reason))
        code, reason, body = http(a, "POST", "/idms/token",
                                  "grant_type=client_credentials", form)
        check(code == 400 and "unsupported_grant_type" in body,
              "client_credentials: %d %s" % (code, body))
        code, reason, body = http(a, "POST", "/idms/token",
                                  "grant_type=password&username=alice"
                                  "&password=x%zz", form)
        check(code == 400 and "invalid_request" in body,
              "bad percent-encoding: %d %s" % (code, body))
        code, reason, body = http(a, "POST", "/idms/token",
                                  "grant_type=password&username=alice"
                                  "&password=nope", form)
        check(code == 400 and "invalid_grant" in body and
              "password" in reason, "wrong password: %d %s %s" %
              (code, reason, body))
        code, reason, _ = http(a, "GET", "/idms/token")
        check(code == 405, "GET token: %d" % code)
        code, _, hdrs, body = http_full(a, "GET", "/idms/jwks")
        check(code == 200 and '"kty":"EC"' in body.replace(" ", ""),
              "jwks: %d %s" % (code, body))
        # an origin server with a clock dates its answers (RFC 9110 6.6.1)
        check(hdrs.get("Date", "").endswith(" GMT"), "jwks Date: %s" % hdrs)

        docs = ("/xcap-root/org.3gpp.mcptt.user-profile/users/"
                "sip:alice@a.mcx.test/user-profile-0.xml")
        code, reason, _ = http(a, "GET", docs)
        check(code == 401, "profile without a token: %d %s" %
              (code, reason))
        code, reason, hdrs, _ = http_full(a, "GET", docs, headers={
            "Authorization": "Bearer nonsense"})
        check(code == 401 and 'error="invalid_token"' in
              (hdrs.get("WWW-Authenticate") or "") and hdrs.get("Date"),
              "profile with a bad token: %d %s %s" % (code, reason, hdrs))
        bob_tok = token(a, "bob", "bob-secret")
        code, reason, _ = http(a, "GET", docs, headers={
            "Authorization": "Bearer " + bob_tok})
        check(code == 403 and "sip:bob" in reason,
              "alice's profile with bob's token: %d %s" % (code, reason))
        tok = token(a, "alice", "alice-secret")
        code, reason, body = http(a, "GET", docs, headers={
            "Authorization": "Bearer " + tok})
        check(code == 200 and "mcptt-user-profile" in body,
              "alice's profile: %d %s" % (code, reason))
        code, reason, _ = http(a, "GET", docs.replace("-0.xml", "-7.xml"),
                               headers={"Authorization": "Bearer " + tok})
        check(code == 404, "missing profile: %d %s" % (code, reason))
        code, reason, _ = http(a, "GET", "/nowhere")
        check(code == 404 and "/idms/" in reason, "unknown path: %d %s" %
              (code, reason))
        check(a.ctl("status")["ok"], "mcxd still answers")


def test_limits():
    """The configured limits refuse with the limit in the answer, and
    what runs under them goes on."""
    with World("limits") as w:
        a = w.system(max_calls=1, reg_expires_min=60)
        bob = w.client(a, "bob")
        alice = w.client(a, "alice")
        bob.up()
        alice.up()
        alice.cmd("call bob")
        bob.wait("connected")

        raw = RawSip(a, "alice")
        # a registration shorter than the minimum: 423 and Min-Expires
        r = raw.request("REGISTER", "sip:%s" % a.domain,
                        to="sip:alice@a.mcx.test", headers=["Expires: 10"],
                        auth=("alice@a.mcx.test", "alice-secret"))
        check(r.code == 423 and r.header("min-expires") == "60",
              "REGISTER for 10 s: %r min-expires=%s" %
              (r, r.header("min-expires")))

        # a second call beyond max_calls: 503 with the limit
        check(publish(raw, a, token(a, "alice", "alice-secret")).code ==
              200, "raw PUBLISH")
        info = INFO.format(inner="<session-type>private</session-type>")
        body, ctype = multipart([
            ("application/sdp", SDP),
            ("application/vnd.3gpp.mcptt-info+xml", info),
            ("application/resource-lists+xml",
             RLIST.format(uri="sip:bob@a.mcx.test"))])
        expect(invite(raw, a, body, ctype), 503, "1 calls already")

        # Contact: * with Expires: 0 removes every binding of the AOR
        r = raw.request("REGISTER", "sip:%s" % a.domain,
                        to="sip:alice@a.mcx.test",
                        headers=["Expires: 0", "Contact: *"],
                        auth=("alice@a.mcx.test", "alice-secret"))
        check(r.code == 200, "Contact: * unregister: %r" % r)
        regs = a.ctl("registrations")["registrations"]
        check(not [x for x in regs if x["aor"] == "sip:alice@a.mcx.test"],
              "alice's bindings should be gone: %s" % regs)

        # the call under the limits was not disturbed
        calls = a.ctl("calls")["calls"]
        check(len(calls) == 1 and calls[0]["state"] == "active",
              "the running call: %s" % calls)
        raw.close()


def test_config_errors():
    """A bad configuration names the file, the line and the option, and
    the program exits 2 without starting."""
    cases = [
        (MCXD, "domain a.mcx.test\nsip_prot 5060\n",
         ":2: option 'sip_prot': unknown, did you mean 'sip_port'?"),
        (MCXD, "domain a.mcx.test\n\nsip_port 70000\n", ":3: option "
         "'sip_port'"),
        (MCXD, "listen_ip 127.0.0.1\n", "'domain': required"),
        (MCX, "user alice\npassword x\ndomain a.mcx.test\nanswer maybe\n",
         ":4: option 'answer'"),
    ]
    with tempfile.TemporaryDirectory(prefix="mcx-conf-") as d:
        for prog, text, want in cases:
            path = os.path.join(d, "bad.conf")
            with open(path, "w") as f:
                f.write(text)
            p = subprocess.run([prog, "-c", path, "--print-config"],
                               capture_output=True, text=True, timeout=10)
            check(p.returncode == 2 and want in p.stderr,
                  "%s with %r: exit %d, stderr %r (wanted %r)" %
                  (os.path.basename(prog), text, p.returncode, p.stderr,
                   want))


TESTS = [test_sip_refusals, test_http_refusals, test_limits,
         test_config_errors]

if __name__ == "__main__":
    sys.exit(run(TESTS))
