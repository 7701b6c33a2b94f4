/**
 * @file mcxc_fake.h  A fake of the client library (include/mcx/client.h)
 *                    for test_mcxcli: no network, scripted outcomes
 *
 * Every mcxc_* call is appended to a log ("login;call bob manual;...").
 * With fake_auto(true) each operation reports what a working system
 * would, one event per FAKE_TICK_MS tick: login -> logged-in, profile ->
 * profile, register -> registered + authorized, logout -> unregistered,
 * call -> ringing + connected, hangup -> ended, press -> floor granted,
 * release -> floor idle. fake_fail() makes one operation fail at once,
 * fake_fail_later() succeed and then report an error event. Without
 * fake_auto(), hangup and reject end the call at once, reporting ended
 * from inside the call; fake_hold(true) makes calls never end.
 */
#ifndef MCXC_FAKE_H
#define MCXC_FAKE_H

#include <stdbool.h>
#include <stdint.h>
#include <mcx/client.h>

enum { FAKE_TICK_MS = 1, FAKE_T0_US = 1795598043125000ull };

void fake_reset(void);
void fake_auto(bool on);
void fake_fail(const char *op, int err, const char *reason);
void fake_fail_later(const char *op, const char *reason);
void fake_hold(bool on);
void fake_emit(enum mcxc_ev type, unsigned call, const char *text);
void fake_emit_full(const struct mcxc_event *ev);
void fake_later(enum mcxc_ev type, unsigned call, const char *text);
unsigned fake_add_call(const char *peer, bool outgoing, const char *state);
const char *fake_log(void);
struct mcxc *fake_client(void);

#endif
