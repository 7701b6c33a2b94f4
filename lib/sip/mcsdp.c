/**
 * @file mcsdp.c  SDP of MC sessions (RFC 4566; TS 24.380 12.1.2)
 *
 * Lines are "<type>=<value>", CRLF or LF terminated. Session-level c=
 * applies to every m-line that has none of its own. Our offers and
 * answers look like this (MCPTT private call with floor control):
 *
 *   v=0
 *   o=mcx 3940012000 1 IN IP4 127.0.0.1
 *   s=-
 *   c=IN IP4 127.0.0.1
 *   t=0 0
 *   m=audio 40000 RTP/AVP 0
 *   i=speech
 *   a=rtpmap:0 PCMU/8000
 *   a=rtcp:40001
 *   m=application 40002 udp MCPTT
 *   a=fmtp:MCPTT mc_queueing;mc_priority=4;mc_implicit_request
 */
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <re.h>
#include <mcx/diag.h>
#include <mcx/mcsdp.h>

enum media { M_NONE, M_AUDIO, M_FLOOR, M_OTHER };

struct dec {
	struct mcsdp *s;
	struct mcx_diag *diag;
	unsigned line;
	enum media cur;
	bool seen_audio, seen_floor;
	struct sa sess_c, audio_c, floor_c;	/* c= lines, port 0 */
	bool has_sess_c, has_audio_c, has_floor_c;
	uint16_t audio_port, floor_port, rtcp_port;
	struct sa rtcp_addr;
	bool has_rtcp_addr;
};


static int bad(struct dec *d, const char *what)
{
	return mcx_diag_set(d->diag, EBADMSG, "SDP line %u: %s", d->line,
			    what);
}


static bool uint_of(const struct pl *pl, uint32_t max, uint32_t *v)
{
	uint64_t x = 0;

	if (!pl->l || pl->l > 10)
		return false;

	for (size_t i = 0; i < pl->l; i++) {
		if (pl->p[i] < '0' || pl->p[i] > '9')
			return false;
		x = x * 10 + (uint64_t)(pl->p[i] - '0');
	}
	if (x > max)
		return false;

	*v = (uint32_t)x;
	return true;
}


/* c=IN IP4 <addr> | IN IP6 <addr> */
static int conn_decode(struct dec *d, const struct pl *v)
{
	struct pl fam, addr;
	struct sa *sa;
	bool *has;

	if (re_regex(v->p, v->l, "IN IP[46]1 [^ /]+", &fam, &addr))
		return bad(d, "c= is not 'IN IP4|IP6 address'");

	switch (d->cur) {

	case M_NONE:  sa = &d->sess_c;  has = &d->has_sess_c;  break;
	case M_AUDIO: sa = &d->audio_c; has = &d->has_audio_c; break;
	case M_FLOOR: sa = &d->floor_c; has = &d->has_floor_c; break;
	default:      return 0;
	}

	if (sa_set(sa, &addr, 0))
		return bad(d, "c= address is not an IP address");
	if ((sa_af(sa) == AF_INET) != (fam.p[0] == '4'))
		return bad(d, "c= address of the other IP version");
	*has = true;

	return 0;
}


/* m=<media> <port>[/<n>] <proto> <fmt> ... */
static int media_decode(struct dec *d, const struct pl *v)
{
	struct pl media, port, proto, fmts;
	uint32_t p;

	if (re_regex(v->p, v->l, "[^ ]+ [0-9]+[/0-9]* [^ ]+ [^]+", &media,
		     &port, NULL, &proto, &fmts))
		return bad(d, "m= is not 'media port proto formats'");
	if (!uint_of(&port, 65535, &p))
		return bad(d, "m= port out of range");

	d->cur = M_OTHER;

	if (!pl_strcmp(&media, "audio") && !d->seen_audio) {
		struct pl rest = fmts;
		uint32_t pt;

		if (proto.l < 4 || strncasecmp(proto.p, "RTP/", 4))
			return bad(d, "audio m= is not RTP");

		d->seen_audio = true;
		d->cur = M_AUDIO;
		d->audio_port = (uint16_t)p;
		d->s->audio_pt = -1;

		while (rest.l) {
			struct pl f;

			if (re_regex(rest.p, rest.l, "[^ ]+", &f))
				break;
			if (!uint_of(&f, 127, &pt))
				return bad(d, "audio format is not an RTP "
					   "payload type");
			if (d->s->audio_pt < 0)
				d->s->audio_pt = (int)pt;
			if (pt == MCSDP_PT_PCMU)
				d->s->pcmu = true;
			pl_advance(&rest, (ssize_t)(f.p + f.l - rest.p));
			while (rest.l && rest.p[0] == ' ')
				pl_advance(&rest, 1);
		}
		if (d->s->pcmu)
			d->s->audio_pt = MCSDP_PT_PCMU;
		if (d->s->audio_pt < 0)
			return bad(d, "audio m= without formats");
	}
	else if (!pl_strcmp(&media, "application") &&
		 !pl_strcasecmp(&proto, "udp") &&
		 !pl_strcmp(&fmts, "MCPTT") && !d->seen_floor) {
		d->seen_floor = true;
		d->cur = M_FLOOR;
		d->floor_port = (uint16_t)p;
		d->s->floor.present = true;
	}

	return 0;
}


/* a=fmtp:MCPTT <param>;<param>... (TS 24.380 12.1.2) */
static int fmtp_decode(struct dec *d, const struct pl *params)
{
	struct mcsdp_floor *f = &d->s->floor;
	struct pl rest = *params;

	while (rest.l) {
		const char *semi = pl_strchr(&rest, ';');
		struct pl p = { rest.p, semi ? (size_t)(semi - rest.p) :
				rest.l };
		uint32_t v;

		while (p.l && p.p[0] == ' ')
			pl_advance(&p, 1);
		while (p.l && p.p[p.l - 1] == ' ')
			--p.l;

		if (!pl_strcmp(&p, "mc_queueing"))
			f->queueing = true;
		else if (!pl_strcmp(&p, "mc_implicit_request"))
			f->implicit_request = true;
		else if (!pl_strcmp(&p, "mc_granted"))
			f->granted = true;
		else if (p.l > 12 && !strncmp(p.p, "mc_priority=", 12)) {
			struct pl n = { p.p + 12, p.l - 12 };

			if (!uint_of(&n, 255, &v) || !v)
				return bad(d, "mc_priority is not 1..255");
			f->priority = (uint8_t)v;
		}
		/* other parameters (audio cut-in, E2EE, ...) ignored */

		if (!semi)
			break;
		pl_advance(&rest, (ssize_t)(semi + 1 - rest.p));
	}

	return 0;
}


static int attr_decode(struct dec *d, const struct pl *v)
{
	struct pl name, val = PL_INIT;
	const char *colon = pl_strchr(v, ':');

	name.p = v->p;
	name.l = colon ? (size_t)(colon - v->p) : v->l;
	if (colon) {
		val.p = colon + 1;
		val.l = v->l - name.l - 1;
	}

	if (d->cur == M_AUDIO && !pl_strcmp(&name, "rtcp")) {
		struct pl port, addr = PL_INIT;
		uint32_t p;

		if (re_regex(val.p, val.l, "[0-9]+[^]*", &port, NULL))
			return bad(d, "a=rtcp without a port");
		if (!uint_of(&port, 65535, &p))
			return bad(d, "a=rtcp port out of range");
		d->rtcp_port = (uint16_t)p;
		if (!re_regex(val.p, val.l, "[0-9]+ IN IP[46]1 [^ ]+", NULL,
			      NULL, &addr)) {
			if (sa_set(&d->rtcp_addr, &addr, 0))
				return bad(d, "a=rtcp address is not an IP "
					   "address");
			d->has_rtcp_addr = true;
		}
	}
	else if (d->cur == M_FLOOR && !pl_strcmp(&name, "fmtp")) {
		struct pl params;

		if (re_regex(val.p, val.l, "MCPTT[ ]+[^]*", NULL, &params))
			return 0;	/* another format's */
		return fmtp_decode(d, &params);
	}

	return 0;
}


/* o=<user> <sess-id> <sess-version> IN IP4|IP6 <addr>: ids only */
static void origin_decode(struct dec *d, const struct pl *v)
{
	struct pl id, ver;

	if (re_regex(v->p, v->l, "[^ ]+ [0-9]+ [0-9]+", NULL, &id, &ver))
		return;
	d->s->sess_id = pl_u64(&id);
	d->s->sess_ver = pl_u64(&ver);
}


static int line_decode(struct dec *d, char type, const struct pl *v)
{
	if (d->line == 1 && type != 'v')
		return bad(d, "not 'v=0' first");

	switch (type) {

	case 'v':
		if (d->line != 1 || pl_strcmp(v, "0"))
			return bad(d, "not 'v=0' first");
		return 0;

	case 'o':
		origin_decode(d, v);
		return 0;

	case 'c':
		return conn_decode(d, v);

	case 'm':
		return media_decode(d, v);

	case 'a':
		return attr_decode(d, v);

	default:
		return 0;	/* s=, t=, i=, b=, ... */
	}
}


static int finish(struct dec *d)
{
	struct mcsdp *s = d->s;
	const struct sa *a;

	if (!d->seen_audio)
		return mcx_diag_set(d->diag, EBADMSG, "SDP: no audio stream");

	a = d->has_audio_c ? &d->audio_c : d->has_sess_c ? &d->sess_c : NULL;
	if (!a)
		return mcx_diag_set(d->diag, EBADMSG, "SDP: no connection "
				    "address for audio");
	s->audio = *a;
	sa_set_port(&s->audio, d->audio_port);
	s->rtcp = d->has_rtcp_addr ? d->rtcp_addr : *a;
	sa_set_port(&s->rtcp, d->rtcp_port ? d->rtcp_port :
		    (d->audio_port ? (uint16_t)(d->audio_port + 1) : 0));

	if (s->floor.present) {
		a = d->has_floor_c ? &d->floor_c : d->has_sess_c ? &d->sess_c :
			NULL;
		if (!a)
			return mcx_diag_set(d->diag, EBADMSG, "SDP: no "
					    "connection address for MCPTT");
		s->floor.addr = *a;
		sa_set_port(&s->floor.addr, d->floor_port);
	}

	return 0;
}


/**
 * Decode an SDP body
 *
 * @param s    Result
 * @param buf  SDP text
 * @param len  Its length
 * @param diag Reason on failure, with the line number
 *
 * @return 0, ENODATA (empty), EBADMSG or EMSGSIZE
 */
int mcsdp_decode(struct mcsdp *s, const uint8_t *buf, size_t len,
		 struct mcx_diag *diag)
{
	struct dec d;
	size_t pos = 0;
	int err = 0;

	if (!s || (!buf && len))
		return EINVAL;

	memset(s, 0, sizeof(*s));
	s->audio_pt = -1;
	memset(&d, 0, sizeof(d));
	d.s = s;
	d.diag = diag;

	if (!len)
		return mcx_diag_set(diag, ENODATA, "SDP: empty");
	if (len > MCSDP_MAX_SIZE)
		return mcx_diag_set(diag, EMSGSIZE, "SDP larger than %d "
				    "octets", MCSDP_MAX_SIZE);

	while (pos < len && !err) {
		const uint8_t *nl = memchr(buf + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - buf) : len;
		struct pl v;

		++d.line;
		if (end > pos && buf[end - 1] == '\r')
			--end;
		if (end - pos > MCSDP_MAX_LINE)
			return bad(&d, "line too long");

		if (end == pos) {		/* empty line: tolerated */
			pos = nl ? (size_t)(nl - buf) + 1 : len;
			continue;
		}
		if (end - pos < 2 || buf[pos + 1] != '=' ||
		    buf[pos] < 'a' || buf[pos] > 'z')
			return bad(&d, "not '<letter>=<value>'");
		for (size_t i = pos; i < end; i++) {
			if (buf[i] < 0x20 && buf[i] != '\t')
				return bad(&d, "control character");
		}

		v.p = (const char *)buf + pos + 2;
		v.l = end - pos - 2;
		err = line_decode(&d, (char)buf[pos], &v);
		pos = nl ? (size_t)(nl - buf) + 1 : len;
	}

	if (err)
		return err;

	return finish(&d);
}


static const char *ipv(const struct sa *sa)
{
	return sa_af(sa) == AF_INET6 ? "IP6" : "IP4";
}


/**
 * Encode an SDP offer or answer: audio (PCMU) and, when floor.present,
 * the MCPTT floor-control stream. Addresses: the audio's, for the session;
 * the floor's port only (same address).
 *
 * @return 0, EINVAL (a payload type other than PCMU, no address) or ENOMEM
 */
int mcsdp_encode(struct mbuf *mb, const struct mcsdp *s)
{
	const struct mcsdp_floor *f;
	int err;

	if (!mb || !s || s->audio_pt != MCSDP_PT_PCMU ||
	    !sa_isset(&s->audio, SA_ADDR))
		return EINVAL;

	err = mbuf_printf(mb, "v=0\r\no=mcx %llu %llu IN %s %j\r\ns=-\r\n"
			  "c=IN %s %j\r\nt=0 0\r\n",
			  (unsigned long long)s->sess_id,
			  (unsigned long long)s->sess_ver, ipv(&s->audio),
			  &s->audio, ipv(&s->audio), &s->audio);
	if (!err)
		err = mbuf_printf(mb, "m=audio %u RTP/AVP 0\r\ni=speech\r\n"
				  "a=rtpmap:0 PCMU/8000\r\na=rtcp:%u\r\n",
				  sa_port(&s->audio), sa_port(&s->rtcp));
	if (err || !s->floor.present)
		return err;

	f = &s->floor;
	err = mbuf_printf(mb, "m=application %u udp MCPTT\r\n",
			  sa_port(&f->addr));
	if (err || !(f->queueing || f->priority || f->implicit_request ||
		     f->granted))
		return err;

	/* RFC 4566 forbids an empty fmtp: only when there is a parameter */
	err = mbuf_write_str(mb, "a=fmtp:MCPTT ");
	if (!err && f->queueing)
		err = mbuf_write_str(mb, "mc_queueing;");
	if (!err && f->priority)
		err = mbuf_printf(mb, "mc_priority=%u;", f->priority);
	if (!err && f->implicit_request)
		err = mbuf_write_str(mb, "mc_implicit_request;");
	if (!err && f->granted)
		err = mbuf_write_str(mb, "mc_granted;");
	if (!err) {
		--mb->pos;	/* the last ';' */
		--mb->end;
		err = mbuf_write_str(mb, "\r\n");
	}

	return err;
}


/** Print a one-line summary */
int mcsdp_print(struct re_printf *pf, const struct mcsdp *s)
{
	int err;

	if (!s)
		return 0;

	err = re_hprintf(pf, "audio %J pt %d rtcp %J; floor control ",
			 &s->audio, s->audio_pt, &s->rtcp);
	if (!err && s->floor.present)
		err = re_hprintf(pf, "%J%s%s", &s->floor.addr,
				 s->floor.implicit_request ?
				 " implicit-request" : "",
				 s->floor.granted ? " granted" : "");
	else if (!err)
		err = re_hprintf(pf, "none");

	return err;
}
