/**
 * @file mcxc_fake.c  A fake of the client library for test_mcxcli
 *
 * Implements include/mcx/client.h with a log of calls and events the
 * test scripts (mcxc_fake.h). One client at a time.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <re.h>
#include <mcx/client.h>
#include <mcx/diag.h>
#include "mcxc_fake.h"

enum {
	CALLS_MAX = 8,
	PENDING_MAX = 32,
	STR_MAX = 64,
	LOG_MAX = 4096,
};

struct pending {
	enum mcxc_ev type;
	unsigned call;
	char text[STR_MAX];
	char reason[STR_MAX];
};

struct mcxc {
	mcxc_event_h *eh;
	void *arg;
	bool registered;
	bool authorized;
	struct mcxc_call_info calls[CALLS_MAX];
	unsigned ncalls;
	unsigned next_id;
};

static struct {
	struct mcxc *c;
	bool autoev;
	char fail_op[STR_MAX];
	int fail_err;
	char fail_reason[STR_MAX];
	bool fail_later;	/* succeed, then an error event */
	bool hold;		/* calls never end */
	char log[LOG_MAX];
	struct pending pend[PENDING_MAX];
	unsigned npend;
	struct tmr tmr;
	uint64_t t_us;
} fk;


void fake_reset(void)
{
	tmr_cancel(&fk.tmr);
	memset(&fk, 0, sizeof(fk));
	tmr_init(&fk.tmr);
	fk.t_us = FAKE_T0_US;
}


void fake_auto(bool on)
{
	fk.autoev = on;
}


void fake_hold(bool on)
{
	fk.hold = on;
}


void fake_fail_later(const char *op, const char *reason)
{
	fake_fail(op, 0, reason);
	fk.fail_later = true;
}


void fake_fail(const char *op, int err, const char *reason)
{
	fk.fail_later = false;
	(void)snprintf(fk.fail_op, sizeof(fk.fail_op), "%s", op ? op : "");
	fk.fail_err = err;
	(void)snprintf(fk.fail_reason, sizeof(fk.fail_reason), "%s",
		       reason ? reason : "");
}


const char *fake_log(void)
{
	return fk.log;
}


struct mcxc *fake_client(void)
{
	return fk.c;
}


static void flog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void flog(const char *fmt, ...)
{
	size_t n = strlen(fk.log);
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(fk.log + n, sizeof(fk.log) - n, fmt, ap);
	va_end(ap);
	n = strlen(fk.log);
	(void)snprintf(fk.log + n, sizeof(fk.log) - n, ";");
}


static struct mcxc_call_info *call_find(unsigned id)
{
	if (!fk.c)
		return NULL;

	for (unsigned i = 0; i < fk.c->ncalls; i++) {
		if (fk.c->calls[i].id == id)
			return &fk.c->calls[i];
	}

	return NULL;
}


void fake_emit_full(const struct mcxc_event *ev)
{
	struct mcxc_event e = *ev;

	if (!fk.c || !fk.c->eh)
		return;

	if (!e.t_us) {
		fk.t_us += 1000;
		e.t_us = fk.t_us;
	}

	/* what the event means for the client's state */
	switch (e.type) {

	case MCXC_EV_REGISTERED:   fk.c->registered = true; break;
	case MCXC_EV_AUTHORIZED:   fk.c->authorized = true; break;
	case MCXC_EV_UNREGISTERED:
		fk.c->registered = fk.c->authorized = false;
		break;

	case MCXC_EV_CONNECTED: {
		struct mcxc_call_info *ci = call_find(e.call);

		if (ci)
			(void)snprintf(ci->state, sizeof(ci->state),
				       "connected");
		break;
	}

	case MCXC_EV_ENDED:
		for (unsigned i = 0; i < fk.c->ncalls; i++) {
			if (fk.c->calls[i].id != e.call)
				continue;
			fk.c->calls[i] = fk.c->calls[--fk.c->ncalls];
			break;
		}
		break;

	default:
		break;
	}

	fk.c->eh(&e, fk.c->arg);
}


static void emit(enum mcxc_ev type, unsigned call, const char *text,
		 const char *reason)
{
	struct mcxc_call_info *ci = call_find(call);
	char peer[sizeof(ci->peer)];
	struct mcxc_event ev;

	/* a copy: ended takes the call away before the handler runs */
	(void)snprintf(peer, sizeof(peer), "%s", ci ? ci->peer : "");

	memset(&ev, 0, sizeof(ev));
	ev.type = type;
	ev.call = call;
	ev.text = text;
	ev.reason = reason;
	ev.peer = ci ? peer : NULL;
	fake_emit_full(&ev);
}


void fake_emit(enum mcxc_ev type, unsigned call, const char *text)
{
	emit(type, call, text, NULL);
}


static void tick(void *arg)
{
	struct pending p;
	(void)arg;

	if (!fk.npend)
		return;

	p = fk.pend[0];
	memmove(&fk.pend[0], &fk.pend[1], --fk.npend * sizeof(fk.pend[0]));
	if (fk.npend)
		tmr_start(&fk.tmr, FAKE_TICK_MS, tick, NULL);

	emit(p.type, p.call, p.text[0] ? p.text : NULL,
	     p.reason[0] ? p.reason : NULL);
}


static void later(enum mcxc_ev type, unsigned call, const char *text,
		  const char *reason)
{
	struct pending *p;

	if (fk.npend == PENDING_MAX)
		return;

	p = &fk.pend[fk.npend++];
	p->type = type;
	p->call = call;
	(void)snprintf(p->text, sizeof(p->text), "%s", text ? text : "");
	(void)snprintf(p->reason, sizeof(p->reason), "%s",
		       reason ? reason : "");

	if (!tmr_isrunning(&fk.tmr))
		tmr_start(&fk.tmr, FAKE_TICK_MS, tick, NULL);
}


/* An event a tick after the ones already pending */
void fake_later(enum mcxc_ev type, unsigned call, const char *text)
{
	later(type, call, text, NULL);
}


unsigned fake_add_call(const char *peer, bool outgoing, const char *state)
{
	struct mcxc_call_info *ci;

	if (!fk.c || fk.c->ncalls == CALLS_MAX)
		return 0;

	ci = &fk.c->calls[fk.c->ncalls++];
	memset(ci, 0, sizeof(*ci));
	ci->id = ++fk.c->next_id;
	ci->outgoing = outgoing;
	ci->floor_ctrl = true;
	(void)snprintf(ci->peer, sizeof(ci->peer), "%s", peer);
	(void)snprintf(ci->state, sizeof(ci->state), "%s", state);
	(void)snprintf(ci->floor, sizeof(ci->floor), "idle");
	ci->t_start_us = fk.t_us;

	return ci->id;
}


/* The outcome fake_fail() set for op, if any; -1: an error later */
static int failed(const char *op, struct mcx_diag *diag)
{
	if (strcmp(op, fk.fail_op))
		return 0;
	if (fk.fail_later)
		return -1;

	return mcx_diag_set(diag, fk.fail_err, "%s", fk.fail_reason);
}


/* ---- the library ---- */

static void client_destructor(void *arg)
{
	if (fk.c == arg)
		fk.c = NULL;
	tmr_cancel(&fk.tmr);
	fk.npend = 0;
}


int mcxc_alloc(struct mcxc **cp, const struct mcxc_conf *conf,
	       mcxc_event_h *eh, void *arg, struct mcx_diag *diag)
{
	struct mcxc *c;
	(void)conf;
	(void)diag;

	if (!cp)
		return EINVAL;

	c = mem_zalloc(sizeof(*c), client_destructor);
	if (!c)
		return ENOMEM;

	c->eh = eh;
	c->arg = arg;
	fk.c = c;
	*cp = c;

	return 0;
}


static int op(struct mcxc *c, const char *name, enum mcxc_ev ev1,
	      enum mcxc_ev ev2, struct mcx_diag *diag)
{
	int err;

	if (!c)
		return EINVAL;

	flog("%s", name);
	err = failed(name, diag);
	if (err < 0) {
		later(MCXC_EV_ERROR, 0, NULL, fk.fail_reason);
		return 0;
	}
	if (err)
		return err;

	if (fk.autoev) {
		fake_later(ev1, 0, NULL);
		if (ev2 != ev1)
			fake_later(ev2, 0, NULL);
	}

	return 0;
}


int mcxc_login(struct mcxc *c, struct mcx_diag *diag)
{
	return op(c, "login", MCXC_EV_LOGGED_IN, MCXC_EV_LOGGED_IN, diag);
}


int mcxc_profile(struct mcxc *c, struct mcx_diag *diag)
{
	return op(c, "profile", MCXC_EV_PROFILE, MCXC_EV_PROFILE, diag);
}


int mcxc_register(struct mcxc *c, struct mcx_diag *diag)
{
	return op(c, "register", MCXC_EV_REGISTERED, MCXC_EV_AUTHORIZED,
		  diag);
}


int mcxc_logout(struct mcxc *c, struct mcx_diag *diag)
{
	return op(c, "logout", MCXC_EV_UNREGISTERED, MCXC_EV_UNREGISTERED,
		  diag);
}


int mcxc_call(struct mcxc *c, const char *peer, bool manual,
	      bool floor_ctrl, unsigned *idp, struct mcx_diag *diag)
{
	struct mcxc_call_info *ci;
	unsigned id;
	int err;

	if (!c || !peer || !idp)
		return EINVAL;

	flog("call %s %s %s", peer, manual ? "manual" : "auto",
	     floor_ctrl ? "floor" : "nofloor");
	err = failed("call", diag);
	if (err > 0)
		return err;

	id = fake_add_call(peer, true, "calling");
	if (!id)
		return mcx_diag_set(diag, EBUSY, "too many calls");

	ci = call_find(id);
	ci->manual = manual;
	ci->floor_ctrl = floor_ctrl;
	if (!floor_ctrl)
		(void)snprintf(ci->floor, sizeof(ci->floor), "none");
	*idp = id;

	if (fk.autoev) {
		fake_later(MCXC_EV_RINGING, id, NULL);
		fake_later(MCXC_EV_CONNECTED, id, NULL);
	}

	return 0;
}


static int callop(struct mcxc *c, const char *name, unsigned id,
		  enum mcxc_ev ev, const char *text, struct mcx_diag *diag)
{
	int err;

	if (!c)
		return EINVAL;

	flog("%s %u", name, id);
	err = failed(name, diag);
	if (err > 0)
		return err;
	if (!call_find(id))
		return mcx_diag_set(diag, ENOENT, "no call %u", id);

	if (ev == MCXC_EV_ENDED && fk.hold)
		return 0;
	if (fk.autoev)
		fake_later(ev, id, text);
	else if (ev == MCXC_EV_ENDED)
		emit(ev, id, NULL, NULL);	/* at once, inside the call */

	return 0;
}


int mcxc_answer(struct mcxc *c, unsigned id, struct mcx_diag *diag)
{
	return callop(c, "answer", id, MCXC_EV_CONNECTED, NULL, diag);
}


int mcxc_reject(struct mcxc *c, unsigned id, struct mcx_diag *diag)
{
	return callop(c, "reject", id, MCXC_EV_ENDED, NULL, diag);
}


int mcxc_hangup(struct mcxc *c, unsigned id, struct mcx_diag *diag)
{
	return callop(c, "hangup", id, MCXC_EV_ENDED, NULL, diag);
}


int mcxc_press(struct mcxc *c, unsigned id, struct mcx_diag *diag)
{
	return callop(c, "press", id, MCXC_EV_FLOOR, "granted", diag);
}


int mcxc_release(struct mcxc *c, unsigned id, struct mcx_diag *diag)
{
	return callop(c, "release", id, MCXC_EV_FLOOR, "idle", diag);
}


int mcxc_call_get(const struct mcxc *c, unsigned id,
		  struct mcxc_call_info *info)
{
	const struct mcxc_call_info *ci;

	if (!c || !info)
		return EINVAL;

	if (!id && c->ncalls == 1)
		ci = &c->calls[0];
	else
		ci = call_find(id);
	if (!ci)
		return ENOENT;

	*info = *ci;
	return 0;
}


unsigned mcxc_call_ids(const struct mcxc *c, unsigned *ids, unsigned max)
{
	unsigned n = 0;

	if (!c)
		return 0;

	for (unsigned i = 0; i < c->ncalls && n < max; i++)
		ids[n++] = c->calls[i].id;

	return n;
}


bool mcxc_registered(const struct mcxc *c)
{
	return c && c->registered;
}


bool mcxc_authorized(const struct mcxc *c)
{
	return c && c->authorized;
}


const char *mcxc_mc_id(const struct mcxc *c)
{
	return c && c->registered ? "sip:alice@a.mcx.test" : NULL;
}


const char *mcxc_ev_name(enum mcxc_ev type)
{
	static const char *const names[] = {
		"logged-in", "profile", "registered", "authorized",
		"unregistered", "incoming", "ringing", "connected", "floor",
		"media", "ended", "error",
	};

	return (unsigned)type < sizeof(names) / sizeof(names[0]) ?
		names[type] : NULL;
}
