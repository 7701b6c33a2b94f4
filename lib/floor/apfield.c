/**
 * @file apfield.c  RTCP APP field engine (MBCP, MCVideo transmission control)
 *
 * Packet (TS 24.380 8.1.2, TS 24.581 9.1):
 *
 *    0                   1                   2                   3
 *   |V=2|P|A|subtype |   PT=APP=204  |          length               |
 *   |                           SSRC                                  |
 *   |                     name (4 ASCII octets)                       |
 *   |  field ID  |  length  |  value ...  | zero padding to 32 bits   |
 *
 * A = ACK-required bit (0x10 of the 5-bit subtype); length = octets / 4 - 1.
 * A field's length octet counts its value only; IDs >= 192 have a 2-octet
 * length. Padding octets must be zero (tshark flags non-zero padding).
 */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <re.h>
#include <mcx/diag.h>
#include <mcx/floor.h>
#include <mcx/str.h>
#include "apfield.h"

enum {
	MAX_PACKET = FC_HDR_LEN + 32 * (3 + FC_TEXT_MAX + 3),
};

/* Value octets after the type octet, per Location type (8.2.3.20) */
static const int8_t loc_value_len[] = {
	[FC_LOC_NONE] = 0, [FC_LOC_ECGI] = 7, [FC_LOC_TAI] = 5,
	[FC_LOC_PLMN] = 3, [FC_LOC_MBMS_SA] = 2, [FC_LOC_MBSFN] = 1,
	[FC_LOC_GEO] = 6,
};


static size_t pad4(size_t n)
{
	return (4 - n % 4) % 4;
}


static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}


static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		(uint32_t)p[2] << 8 | p[3];
}


static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}


static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}


/**
 * Look at an RTCP APP packet's name and subtype without decoding it, to
 * pick the decoder (MBCP, MCVideo, ...)
 *
 * @param buf     Packet
 * @param len     Octets available
 * @param name    Its APP name, NUL-terminated
 * @param subtype Its 5-bit subtype
 *
 * @return 0, ENODATA (shorter than a header) or EBADMSG (not RTCP APP)
 */
int fc_peek(const uint8_t *buf, size_t len, char name[5], uint8_t *subtype)
{
	if (!buf || !name || !subtype)
		return EINVAL;
	if (len < FC_HDR_LEN)
		return ENODATA;
	if ((buf[0] >> 6) != 2 || buf[1] != FC_RTCP_APP)
		return EBADMSG;

	memcpy(name, buf + 8, 4);
	name[4] = '\0';
	*subtype = buf[0] & 0x1f;

	return 0;
}


const struct ap_type *ap_type_find(const struct ap_proto *p, uint8_t set,
				   uint8_t type)
{
	if (!p || set >= p->nsets)
		return NULL;

	for (size_t i = 0; i < p->sets[set].ntypes; i++) {
		if (p->sets[set].types[i].type == type)
			return &p->sets[set].types[i];
	}

	return NULL;
}


const struct ap_field *ap_field_find(const struct ap_proto *p, uint8_t id)
{
	for (size_t i = 0; p && i < p->nfields; i++) {
		if (p->fields[i].id == id)
			return &p->fields[i];
	}

	return NULL;
}


static void *member(const struct fc_hdr *h, const struct ap_field *f)
{
	return (char *)(uintptr_t)h + f->off;
}


static bool text_ok(const uint8_t *v, size_t n)
{
	if (!n || n > FC_TEXT_MAX)
		return false;
	if (memchr(v, 0, n))
		return false;

	return mcx_utf8_valid(v, n);
}


/* Structure of list and location values; NULL if fine, else why not */
static const char *userlist_check(const uint8_t *v, size_t n)
{
	size_t pos = 1;

	if (n < 1)
		return "empty";

	for (unsigned i = 0; i < v[0]; i++) {
		size_t l;

		if (pos >= n)
			return "fewer entries than its count";
		l = v[pos];
		if (pos + 1 + l > n)
			return "entry overruns the field";
		if (!text_ok(v + pos + 1, l))
			return "entry not UTF-8 text";
		pos += 1 + l;
	}

	return pos == n ? NULL : "octets after the last entry";
}


static const char *ssrclist_check(const uint8_t *v, size_t n)
{
	if (n < 2)
		return "too short";

	/* count, 1 or 2 spare octets (readings differ), 4-octet SSRCs */
	if (n != 2u + 4u * v[0] && n != 3u + 4u * v[0])
		return "length does not match its count";

	return NULL;
}


static const char *location_one(const uint8_t *v, size_t n, size_t *used)
{
	int vl;

	if (n < 1)
		return "empty";

	if (v[0] >= ARRAY_SIZE(loc_value_len)) {
		if (!used) {	/* alone: a later release's type, kept */
			return NULL;
		}
		return "unknown location type in a list";
	}

	vl = loc_value_len[v[0]];
	if (used) {
		if ((size_t)vl + 1 > n)
			return "location overruns the field";
		*used = (size_t)vl + 1;
		return NULL;
	}

	return (n == (size_t)vl + 1) ? NULL :
		"length does not match the location type";
}


static const char *loclist_check(const uint8_t *v, size_t n)
{
	size_t pos = 1;

	if (n < 1)
		return "empty";

	for (unsigned i = 0; i < v[0]; i++) {
		size_t used;
		const char *why = location_one(v + pos, n - pos, &used);

		if (why)
			return why;
		pos += used;
	}

	return pos == n ? NULL : "octets after the last location";
}


static const char *raw_check(enum ap_kind k, const uint8_t *v, size_t n)
{
	switch (k) {

	case AK_USERLIST: return userlist_check(v, n);
	case AK_SSRCLIST: return ssrclist_check(v, n);
	case AK_LOCATION: return location_one(v, n, NULL);
	case AK_LOCLIST:  return loclist_check(v, n);
	default:          return "not a raw field";
	}
}


/* Decode one value into its member; NULL if fine, else why not */
static const char *value_decode(const struct ap_field *f, void *m,
				const uint8_t *v, size_t n)
{
	/* every member holds at most FC_TEXT_MAX octets (IDs < 192) */
	if (n > FC_TEXT_MAX)
		return "longer than 255 octets";

	switch (f->kind) {

	case AK_PRIO:
	case AK_MSGTYPE:
		if (n != 2)
			return "length must be 2";
		*(uint8_t *)m = v[0];
		return NULL;

	case AK_U16:
		if (n != 2)
			return "length must be 2";
		*(uint16_t *)m = be16(v);
		return NULL;

	case AK_CAUSE: {
		struct fc_cause *c = m;

		if (n < 2)
			return "length must be 2 or more";
		c->cause = be16(v);
		if (n > 2) {
			if (!text_ok(v + 2, n - 2))
				return "phrase not UTF-8 text";
			memcpy(c->phrase, v + 2, n - 2);
		}
		c->phrase[n - 2] = '\0';
		return NULL;
	}

	case AK_QUEUE: {
		struct fc_queue *q = m;

		if (n != 2)
			return "length must be 2";
		q->position = v[0];
		q->priority = v[1];
		return NULL;
	}

	case AK_TEXT:
		if (!text_ok(v, n))
			return "not UTF-8 text of 1..255 octets";
		memcpy(m, v, n);
		((char *)m)[n] = '\0';
		return NULL;

	case AK_TRACK: {
		struct fc_track *t = m;
		size_t pos, rest;

		if (n < 2)
			return "length must be 2 or more";
		t->queueing = v[0];
		t->ptype_len = v[1];
		pos = 2 + (size_t)v[1];
		if (pos > n)
			return "participant type overruns the field";
		memcpy(t->ptype, v + 2, v[1]);
		/* the participant type is padded so references align */
		for (size_t i = 0; i < pad4(v[1]); i++, pos++) {
			if (pos >= n || v[pos])
				return "bad participant type padding";
		}
		rest = n - pos;
		if (rest % 4)
			return "references not in 4-octet units";
		t->nrefs = (uint8_t)(rest / 4);
		for (size_t i = 0; i < t->nrefs; i++)
			t->refs[i] = be32(v + pos + 4 * i);
		return NULL;
	}

	case AK_SSRC:
		if (n != 6)
			return "length must be 6";
		*(uint32_t *)m = be32(v);
		return NULL;

	case AK_NAME4:
		if (n != 4)
			return "length must be 4";
		for (size_t i = 0; i < 4; i++) {
			if (v[i] < 0x21 || v[i] > 0x7e)
				return "not 4 ASCII characters";
		}
		memcpy(m, v, 4);
		((char *)m)[4] = '\0';
		return NULL;

	case AK_USERLIST:
	case AK_SSRCLIST:
	case AK_LOCATION:
	case AK_LOCLIST: {
		struct fc_raw *r = m;
		const char *why = raw_check(f->kind, v, n);

		if (why)
			return why;
		r->len = (uint8_t)n;
		memcpy(r->v, v, n);
		return NULL;
	}
	}

	return "unknown kind";
}


/**
 * Decode one RTCP APP packet
 *
 * @param p    Protocol tables
 * @param h    Message (its header; the struct is size octets, zeroed here)
 * @param size Size of the message struct
 * @param buf  Octets, starting at the packet
 * @param len  Octets available (may hold further packets)
 * @param used Octets of this packet (may be NULL)
 * @param diag Reason on failure
 *
 * @return 0, ENODATA (cut short), EBADMSG or EINVAL
 */
int ap_decode(const struct ap_proto *p, struct fc_hdr *h, size_t size,
	      const uint8_t *buf, size_t len, size_t *used,
	      struct mcx_diag *diag)
{
	const struct ap_type *t = NULL;
	size_t total, pos;
	uint8_t set;

	if (!p || !h || size < sizeof(*h) || (!buf && len))
		return EINVAL;

	memset(h, 0, size);

	if (len < FC_HDR_LEN)
		return mcx_diag_set(diag, ENODATA, "%s: %zu octets, less than "
				    "a header", p->what, len);
	if ((buf[0] >> 6) != 2)
		return mcx_diag_set(diag, EBADMSG, "%s: RTCP version %u, not 2",
				    p->what, buf[0] >> 6);
	if (buf[0] & 0x20)
		return mcx_diag_set(diag, EBADMSG, "%s: padding bit set "
				    "(must be 0)", p->what);
	if (buf[1] != FC_RTCP_APP)
		return mcx_diag_set(diag, EBADMSG, "%s: RTCP type %u, not APP",
				    p->what, buf[1]);

	total = ((size_t)be16(buf + 2) + 1) * 4;
	if (total < FC_HDR_LEN)
		return mcx_diag_set(diag, EBADMSG, "%s: length field gives "
				    "%zu octets, less than a header", p->what,
				    total);
	if (total > len)
		return mcx_diag_set(diag, ENODATA, "%s: packet of %zu octets "
				    "cut to %zu", p->what, total, len);

	for (set = 0; set < p->nsets; set++) {
		if (!memcmp(buf + 8, p->sets[set].name, 4))
			break;
	}
	if (set == p->nsets)
		return mcx_diag_set(diag, EBADMSG, "%s: APP name not one of "
				    "ours", p->what);

	h->set = set;
	h->type = buf[0] & 0x0f;
	h->ack_req = (buf[0] & FC_ACK_BIT) != 0;
	h->ssrc = be32(buf + 4);

	t = ap_type_find(p, set, h->type);
	if (!t)
		return mcx_diag_set(diag, EBADMSG, "%s %s: unknown message "
				    "type %u", p->what, p->sets[set].name,
				    h->type);
	if (h->ack_req && !t->ack)
		return mcx_diag_set(diag, EBADMSG, "%s %s: acknowledgement bit "
				    "not allowed", p->what, t->name);

	for (pos = FC_HDR_LEN; pos < total;) {
		const struct ap_field *f;
		size_t llen, flen, vpos, pad;
		const char *why;
		uint8_t id = buf[pos];
		int cur;

		/* Fields start 32-bit aligned (every step below is a
		 * multiple of 4), so ID and length octets are all there. */
		llen = (id >= 192) ? 2 : 1;
		flen = (llen == 2) ? be16(buf + pos + 1) : buf[pos + 1];
		vpos = pos + 1 + llen;
		pad = pad4(1 + llen + flen);
		if (vpos + flen + pad > total)
			return mcx_diag_set(diag, EBADMSG, "%s %s: field %u "
					    "runs past the packet", p->what,
					    t->name, id);
		for (size_t i = 0; i < pad; i++) {
			if (buf[vpos + flen + i])
				return mcx_diag_set(diag, EBADMSG, "%s %s: "
						    "field %u: non-zero "
						    "padding", p->what,
						    t->name, id);
		}

		cur = p->legacy ? p->legacy(id) : -1;
		f = ap_field_find(p, cur >= 0 ? (uint8_t)cur : id);
		if (!f) {
			++h->unknown;	/* a later release's field */
			pos = vpos + flen + pad;
			continue;
		}
		if (h->present & (1u << f->id))
			return mcx_diag_set(diag, EBADMSG, "%s %s: %s more "
					    "than once", p->what, t->name,
					    f->name);

		why = value_decode(f, member(h, f), buf + vpos, flen);
		if (why)
			return mcx_diag_set(diag, EBADMSG, "%s %s: %s: %s",
					    p->what, t->name, f->name, why);

		h->present |= 1u << f->id;
		pos = vpos + flen + pad;
	}

	if ((h->present & t->mandatory) != t->mandatory) {
		for (size_t i = 0; i < p->nfields; i++) {
			uint32_t bit = 1u << p->fields[i].id;

			if ((t->mandatory & bit) && !(h->present & bit))
				return mcx_diag_set(diag, EBADMSG, "%s %s: %s "
						    "missing", p->what,
						    t->name,
						    p->fields[i].name);
		}
	}

	if (used)
		*used = total;

	return 0;
}


/* Encode one value into v; its length, or -1 if the member is invalid */
static int value_encode(const struct ap_field *f, const void *m, uint8_t *v)
{
	switch (f->kind) {

	case AK_PRIO:
	case AK_MSGTYPE:
		v[0] = *(const uint8_t *)m;
		v[1] = 0;
		return 2;

	case AK_U16:
		put16(v, *(const uint16_t *)m);
		return 2;

	case AK_CAUSE: {
		const struct fc_cause *c = m;
		size_t n = strnlen(c->phrase, sizeof(c->phrase));

		if (n > FC_TEXT_MAX - 2 ||
		    (n && !text_ok((const uint8_t *)c->phrase, n)))
			return -1;
		put16(v, c->cause);
		memcpy(v + 2, c->phrase, n);
		return (int)(2 + n);
	}

	case AK_QUEUE: {
		const struct fc_queue *q = m;

		v[0] = q->position;
		v[1] = q->priority;
		return 2;
	}

	case AK_TEXT: {
		size_t n = strnlen(m, FC_TEXT_MAX + 1);

		if (!text_ok(m, n))
			return -1;
		memcpy(v, m, n);
		return (int)n;
	}

	case AK_TRACK: {
		const struct fc_track *t = m;
		size_t n = 2 + t->ptype_len + pad4(t->ptype_len) +
			4 * (size_t)t->nrefs;

		if (n > FC_TEXT_MAX || t->nrefs > FC_TRACK_MAX_REFS)
			return -1;
		v[0] = t->queueing;
		v[1] = t->ptype_len;
		memcpy(v + 2, t->ptype, t->ptype_len);
		memset(v + 2 + t->ptype_len, 0, pad4(t->ptype_len));
		for (size_t i = 0; i < t->nrefs; i++)
			put32(v + 2 + t->ptype_len + pad4(t->ptype_len) + 4 * i,
			      t->refs[i]);
		return (int)n;
	}

	case AK_SSRC:
		put32(v, *(const uint32_t *)m);
		v[4] = v[5] = 0;
		return 6;

	case AK_NAME4:
		for (size_t i = 0; i < 4; i++) {
			uint8_t c = ((const uint8_t *)m)[i];

			if (c < 0x21 || c > 0x7e)
				return -1;
		}
		memcpy(v, m, 4);
		return 4;

	case AK_USERLIST:
	case AK_SSRCLIST:
	case AK_LOCATION:
	case AK_LOCLIST: {
		const struct fc_raw *r = m;

		if (raw_check(f->kind, r->v, r->len))
			return -1;
		memcpy(v, r->v, r->len);
		return r->len;
	}
	}

	return -1;
}


static bool in_order(const struct ap_type *t, uint8_t id)
{
	for (size_t i = 0; i < t->norder; i++) {
		if (t->order[i] == id)
			return true;
	}

	return false;
}


static int field_write(uint8_t *out, size_t *pos, const struct ap_field *f,
		       const struct fc_hdr *h)
{
	uint8_t v[FC_TEXT_MAX + 8];
	int n = value_encode(f, member(h, f), v);

	if (n < 0 || n > FC_TEXT_MAX || *pos + 2 + (size_t)n + 3 > MAX_PACKET)
		return EINVAL;

	out[(*pos)++] = f->id;
	out[(*pos)++] = (uint8_t)n;
	memcpy(out + *pos, v, (size_t)n);
	*pos += (size_t)n;
	for (size_t i = 0; i < pad4(2 + (size_t)n); i++)
		out[(*pos)++] = 0;

	return 0;
}


/**
 * Encode a message as one RTCP APP packet
 *
 * @return 0, EINVAL (unknown type, ACK bit not allowed, a mandatory field
 *         missing, a field the message does not carry, a bad value) or
 *         ENOMEM
 */
int ap_encode(const struct ap_proto *p, struct mbuf *mb,
	      const struct fc_hdr *h)
{
	uint8_t out[MAX_PACKET];
	const struct ap_type *t;
	size_t pos = FC_HDR_LEN;
	uint32_t known = 0;

	if (!p || !mb || !h)
		return EINVAL;

	t = ap_type_find(p, h->set, h->type);
	if (!t || (h->ack_req && !t->ack))
		return EINVAL;
	if ((h->present & t->mandatory) != t->mandatory)
		return EINVAL;

	for (size_t i = 0; i < p->nfields; i++)
		known |= 1u << p->fields[i].id;
	if (h->present & ~known)
		return EINVAL;

	if (t->norder) {
		for (size_t i = 0; i < p->nfields; i++) {
			uint8_t id = p->fields[i].id;

			if ((h->present & (1u << id)) && !in_order(t, id))
				return EINVAL;
		}
		for (size_t i = 0; i < t->norder; i++) {
			const struct ap_field *f = ap_field_find(p,
								 t->order[i]);
			int err;

			if (!f || !(h->present & (1u << f->id)))
				continue;
			err = field_write(out, &pos, f, h);
			if (err)
				return err;
		}
	}
	else {
		for (size_t i = 0; i < p->nfields; i++) {
			int err;

			if (!(h->present & (1u << p->fields[i].id)))
				continue;
			err = field_write(out, &pos, &p->fields[i], h);
			if (err)
				return err;
		}
	}

	out[0] = (uint8_t)(0x80 | (h->ack_req ? FC_ACK_BIT : 0) | t->type);
	out[1] = FC_RTCP_APP;
	put16(out + 2, (uint16_t)(pos / 4 - 1));
	put32(out + 4, h->ssrc);
	memcpy(out + 8, p->sets[h->set].name, 4);

	return mbuf_write_mem(mb, out, pos);
}


static int value_print(struct re_printf *pf, const struct ap_field *f,
		       const void *m)
{
	switch (f->kind) {

	case AK_PRIO:
	case AK_MSGTYPE:
		return re_hprintf(pf, "%u", *(const uint8_t *)m);

	case AK_U16:
		return re_hprintf(pf, "%u", *(const uint16_t *)m);

	case AK_CAUSE: {
		const struct fc_cause *c = m;

		return re_hprintf(pf, "%u%s%s%s", c->cause,
				  c->phrase[0] ? " \"" : "", c->phrase,
				  c->phrase[0] ? "\"" : "");
	}

	case AK_QUEUE: {
		const struct fc_queue *q = m;

		return re_hprintf(pf, "position %u priority %u", q->position,
				  q->priority);
	}

	case AK_TEXT:
	case AK_NAME4:
		return re_hprintf(pf, "\"%s\"", (const char *)m);

	case AK_TRACK: {
		const struct fc_track *t = m;

		return re_hprintf(pf, "queueing %u type \"%b\" %u refs",
				  t->queueing, t->ptype, (size_t)t->ptype_len,
				  t->nrefs);
	}

	case AK_SSRC:
		return re_hprintf(pf, "0x%08x", *(const uint32_t *)m);

	default:
		return re_hprintf(pf, "%u octets",
				  ((const struct fc_raw *)m)->len);
	}
}


/** Print a message on one line */
int ap_print(const struct ap_proto *p, struct re_printf *pf,
	     const struct fc_hdr *h)
{
	const struct ap_type *t;
	int err;

	if (!p || !h)
		return 0;

	t = ap_type_find(p, h->set, h->type);
	err = re_hprintf(pf, "%s %s%s ssrc=0x%08x", p->what,
			 t ? t->name : "(unknown type)",
			 h->ack_req ? " (ack req)" : "", h->ssrc);

	for (size_t i = 0; i < p->nfields && !err; i++) {
		const struct ap_field *f = &p->fields[i];

		if (!(h->present & (1u << f->id)))
			continue;
		err = re_hprintf(pf, "; %s=", f->name);
		if (!err)
			err = value_print(pf, f, member(h, f));
	}

	if (!err && h->unknown)
		err = re_hprintf(pf, "; %u unknown fields", h->unknown);

	return err;
}


/**
 * Set a text field (UTF-8, 1..255 octets, no NUL) and mark it present
 *
 * @return 0 or EINVAL
 */
int ap_set_text(const struct ap_proto *p, struct fc_hdr *h, uint8_t id,
		const char *s)
{
	const struct ap_field *f = ap_field_find(p, id);
	size_t n;

	if (!f || !h || !s)
		return EINVAL;

	n = strlen(s);
	if (f->kind == AK_NAME4) {
		uint8_t tmp[8];

		if (n != 4 || value_encode(f, s, tmp) != 4)
			return EINVAL;
	}
	else if (f->kind != AK_TEXT || !text_ok((const uint8_t *)s, n)) {
		return EINVAL;
	}

	memcpy(member(h, f), s, n + 1);
	h->present |= 1u << id;

	return 0;
}
