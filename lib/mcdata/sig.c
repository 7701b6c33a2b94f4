/**
 * @file sig.c  MCData signalling messages (TS 24.282 clause 15)
 *
 * Coding (15.1.1 -> TS 24.379 Annex I): big-endian; a fixed part of V
 * fields in table order, then optional IEs:
 *
 *   IEI & 0x80      TV, one octet: high nibble names the IE, low nibble
 *                   is its value (8- 9- A- B- C- D-; E- F- skipped)
 *   21, 22          TV with a 16- and a 1-octet value
 *   5x, 7x          TLV-E: IEI, 2-octet length of the value, value
 *
 * Any other IEI cannot be skipped (its length is unknowable): malformed.
 * The encoder writes optional IEs in table order; the decoder takes any
 * order. Running off the end is "incomplete"; a bad value is "malformed".
 */
#include <errno.h>
#include <string.h>
#include <re.h>
#include <mcx/diag.h>
#include <mcx/mcdata.h>
#include <mcx/str.h>

enum fixed {
	FX_NOTIF = 1 << 0,	/* notification type, after the type octet */
	FX_DATE  = 1 << 1,	/* date and time, 5 octets                 */
	FX_IDS   = 1 << 2,	/* conversation ID, message ID             */
	FX_TERM  = 1 << 3,	/* termination information type            */
	FX_NPAY  = 1 << 4,	/* number of payloads, then the payloads   */
};

#define IE(x) (1u << (x))

struct mtype {
	uint8_t type;
	const char *name;
	bool parsed;
	unsigned fixed;
	uint8_t vmax;		/* highest known notification/term value */
	uint32_t ies;		/* optional IEs it carries (encoder)      */
};

static const struct mtype mtypes[] = {
	{ MCDATA_SDS_SIGNALLING, "SDS SIGNALLING PAYLOAD", true,
	  FX_DATE | FX_IDS, 0,
	  IE(MCDATA_IE_IN_REPLY_TO) | IE(MCDATA_IE_APP_ID) |
	  IE(MCDATA_IE_SDS_DISP) | IE(MCDATA_IE_EXT_APP_ID) |
	  IE(MCDATA_IE_LOCATION) | IE(MCDATA_IE_SENDER) |
	  IE(MCDATA_IE_APP_METADATA) },
	{ MCDATA_FD_SIGNALLING, "FD SIGNALLING PAYLOAD", true,
	  FX_DATE | FX_IDS, 0,
	  IE(MCDATA_IE_IN_REPLY_TO) | IE(MCDATA_IE_APP_ID) |
	  IE(MCDATA_IE_FD_DISP) | IE(MCDATA_IE_MANDATORY_DL) |
	  IE(MCDATA_IE_PAYLOAD) | IE(MCDATA_IE_METADATA) |
	  IE(MCDATA_IE_EXT_APP_ID) | IE(MCDATA_IE_LOCATION) |
	  IE(MCDATA_IE_SENDER) | IE(MCDATA_IE_APP_METADATA) },
	{ MCDATA_DATA_PAYLOAD, "DATA PAYLOAD", true, FX_NPAY, 0, 0 },
	{ MCDATA_SDS_NOTIFICATION, "SDS NOTIFICATION", true,
	  FX_NOTIF | FX_DATE | FX_IDS, 5,
	  IE(MCDATA_IE_APP_ID) | IE(MCDATA_IE_EXT_APP_ID) |
	  IE(MCDATA_IE_SENDER) },
	{ MCDATA_FD_NOTIFICATION, "FD NOTIFICATION", true,
	  FX_NOTIF | FX_DATE | FX_IDS, 4,
	  IE(MCDATA_IE_APP_ID) | IE(MCDATA_IE_EXT_APP_ID) |
	  IE(MCDATA_IE_SENDER) },
	{ MCDATA_SDS_OFFNET_MESSAGE, "SDS OFF-NETWORK MESSAGE", false, 0, 0,
	  0 },
	{ MCDATA_SDS_OFFNET_NOTIFICATION, "SDS OFF-NETWORK NOTIFICATION",
	  false, 0, 0, 0 },
	{ MCDATA_FD_NETWORK_NOTIFICATION, "FD NETWORK NOTIFICATION", true,
	  FX_NOTIF | FX_DATE | FX_IDS, 2,
	  IE(MCDATA_IE_APP_ID) | IE(MCDATA_IE_EXT_APP_ID) |
	  IE(MCDATA_IE_SENDER) },
	{ MCDATA_COMM_RELEASE, "COMMUNICATION RELEASE", false, 0, 0, 0 },
	{ MCDATA_DEFERRED_REQUEST, "DEFERRED LIST ACCESS REQUEST", false, 0,
	  0, 0 },
	{ MCDATA_DEFERRED_RESPONSE, "DEFERRED LIST ACCESS RESPONSE", false,
	  0, 0, 0 },
	{ MCDATA_FD_HTTP_TERMINATION, "FD HTTP TERMINATION", true,
	  FX_IDS | FX_TERM, 7,
	  IE(MCDATA_IE_APP_ID) | IE(MCDATA_IE_EXT_RESPONSE) |
	  IE(MCDATA_IE_REL_RESPONSE) },
	{ MCDATA_GROUP_EMERGENCY_ALERT, "GROUP EMERGENCY ALERT", false, 0, 0,
	  0 },
	{ MCDATA_GROUP_EMERGENCY_ALERT_ACK, "GROUP EMERGENCY ALERT ACK", false,
	  0, 0, 0 },
	{ MCDATA_GROUP_EMERGENCY_ALERT_CANCEL, "GROUP EMERGENCY ALERT CANCEL",
	  false, 0, 0, 0 },
	{ MCDATA_GROUP_EMERGENCY_ALERT_CANCEL_ACK,
	  "GROUP EMERGENCY ALERT CANCEL ACK", false, 0, 0, 0 },
};

/* How an optional IE is coded, and where its value lives */
enum ieform {
	IF_HALF,	/* TV, half-octet IEI, value in the low nibble     */
	IF_UUID,	/* TV, 16-octet value                              */
	IF_OCTET,	/* TV, 1-octet value                               */
	IF_TEXT,	/* TLV-E, UTF-8 text                               */
	IF_BYTES,	/* TLV-E, octets                                   */
	IF_TYPED,	/* TLV-E, a content-type octet then data           */
	IF_PAYLOAD,	/* TLV-E Payload: into the payload array           */
};

struct iedesc {
	enum mcdata_ie ie;
	uint8_t iei;		/* full IEI, or the high nibble for IF_HALF */
	enum ieform form;
	const char *name;
	size_t off;
	uint8_t vmax;		/* IF_HALF: highest value known (0: any)    */
};

#define D(ie, iei, form, name, m, vmax) \
	{ ie, iei, form, name, offsetof(struct mcdata_msg, m), vmax }

/* In encoding order: that of table 15.1.2.1-1, then the rest */
static const struct iedesc iedescs[] = {
	D(MCDATA_IE_IN_REPLY_TO, 0x21, IF_UUID, "InReplyTo message ID",
	  in_reply_to, 0),
	D(MCDATA_IE_APP_ID, 0x22, IF_OCTET, "Application ID", app_id, 0),
	D(MCDATA_IE_SDS_DISP, 0x80, IF_HALF, "SDS disposition request type",
	  sds_disp, 3),
	D(MCDATA_IE_FD_DISP, 0x90, IF_HALF, "FD disposition request type",
	  fd_disp, 1),
	D(MCDATA_IE_MANDATORY_DL, 0xa0, IF_HALF, "Mandatory download",
	  mandatory_dl, 1),
	D(MCDATA_IE_DATA_QUERY, 0xb0, IF_HALF, "Data query type",
	  data_query, 0),
	D(MCDATA_IE_EXT_RESPONSE, 0xc0, IF_HALF, "Extension response type",
	  ext_response, 2),
	D(MCDATA_IE_REL_RESPONSE, 0xd0, IF_HALF, "Release response type",
	  rel_response, 2),
	D(MCDATA_IE_PAYLOAD, 0x78, IF_PAYLOAD, "Payload", payload, 0),
	D(MCDATA_IE_METADATA, 0x79, IF_TEXT, "Metadata", metadata, 0),
	D(MCDATA_IE_GROUP_ID, 0x7b, IF_TEXT, "MCData group ID", group_id, 0),
	D(MCDATA_IE_RECIPIENT, 0x7c, IF_TEXT, "Recipient MCData user ID",
	  recipient, 0),
	D(MCDATA_IE_EXT_APP_ID, 0x7d, IF_TYPED, "Extended application ID",
	  ext_app_id, 0),
	D(MCDATA_IE_LOCATION, 0x7e, IF_BYTES, "User location", location, 0),
	D(MCDATA_IE_SENDER, 0x51, IF_TEXT, "Sender MCData user ID", sender,
	  0),
	D(MCDATA_IE_DEFERRED, 0x52, IF_BYTES, "Deferred FD signalling "
	  "payload", deferred, 0),
	D(MCDATA_IE_APP_METADATA, 0x53, IF_BYTES, "Application metadata "
	  "container", app_metadata, 0),
	D(MCDATA_IE_ORG_NAME, 0x7f, IF_TEXT, "Organization name", org_name,
	  0),
};


static const struct mtype *mtype_find(uint8_t type)
{
	for (size_t i = 0; i < ARRAY_SIZE(mtypes); i++) {
		if (mtypes[i].type == type)
			return &mtypes[i];
	}

	return NULL;
}


/** Name of a message type ("SDS NOTIFICATION"), or "?" */
const char *mcdata_type_name(uint8_t type)
{
	const struct mtype *t = mtype_find(type & MCDATA_TYPE_MASK);

	return t ? t->name : "?";
}


/** Does this codec parse the message type (or keep its body opaque)? */
bool mcdata_is_parsed(uint8_t type)
{
	const struct mtype *t = mtype_find(type);

	return t && t->parsed;
}


/** Start a message for encoding: everything absent */
void mcdata_init(struct mcdata_msg *m, enum mcdata_type type)
{
	if (!m)
		return;

	memset(m, 0, sizeof(*m));
	m->type = (uint8_t)type;
}


/** Mark an optional IE present (after setting its member) */
void mcdata_set(struct mcdata_msg *m, enum mcdata_ie ie)
{
	if (m && (unsigned)ie < 32)
		m->ies |= IE(ie);
}


/** Is an optional IE present? */
bool mcdata_has(const struct mcdata_msg *m, enum mcdata_ie ie)
{
	return m && (unsigned)ie < 32 && (m->ies & IE(ie));
}


/**
 * Add a Payload IE (the data is not copied)
 *
 * @return 0 or EINVAL (full, too long, bad content type)
 */
int mcdata_add_payload(struct mcdata_msg *m, enum mcdata_content ctype,
		       const void *data, size_t n)
{
	if (!m || (!data && n) || !ctype || n > 0xffff - 1 ||
	    m->npayloads >= MCDATA_MAX_PAYLOADS)
		return EINVAL;

	m->payload[m->npayloads].ctype = (uint8_t)ctype;
	m->payload[m->npayloads].data.p = data;
	m->payload[m->npayloads].data.n = n;
	++m->npayloads;

	return 0;
}


static void msg_destructor(void *arg)
{
	struct mcdata_msg *m = arg;

	mem_deref(m->raw);
}


static void *member(const struct mcdata_msg *m, const struct iedesc *d)
{
	return (char *)(uintptr_t)m + d->off;
}


static bool is_text_ctype(uint8_t ct)
{
	return ct == MCDATA_CT_TEXT || ct == MCDATA_CT_HYPERLINKS ||
		ct == MCDATA_CT_FILEURL || ct == MCDATA_CT_CODED_TEXT;
}


/* ---- decoding ---- */

struct rd {
	const uint8_t *p;
	size_t pos, len;
	struct mcx_diag *diag;
	const char *mname;
};


static int need(struct rd *r, size_t n, const char *what)
{
	if (r->len - r->pos >= n)
		return 0;

	return mcx_diag_set(r->diag, ENODATA, "MCData %s: cut short in %s",
			    r->mname, what);
}


static uint64_t get_be(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n; i++)
		v = v << 8 | p[i];

	return v;
}


static int payload_decode(struct rd *r, struct mcdata_msg *m, size_t vlen)
{
	const uint8_t *v = r->p + r->pos;
	struct mcdata_payload *pl;

	if (m->npayloads >= MCDATA_MAX_PAYLOADS)
		return mcx_diag_set(r->diag, EMSGSIZE, "MCData %s: more than "
				    "%d payloads", r->mname,
				    MCDATA_MAX_PAYLOADS);
	if (vlen < 1)
		return mcx_diag_set(r->diag, EBADMSG, "MCData %s: Payload "
				    "without content type", r->mname);
	if (is_text_ctype(v[0]) && !mcx_utf8_valid(v + 1, vlen - 1))
		return mcx_diag_set(r->diag, EBADMSG, "MCData %s: Payload "
				    "text not UTF-8", r->mname);

	pl = &m->payload[m->npayloads++];
	pl->ctype = v[0];
	pl->data.p = v + 1;
	pl->data.n = vlen - 1;

	return 0;
}


static const struct iedesc *ie_by_iei(uint8_t iei)
{
	for (size_t i = 0; i < ARRAY_SIZE(iedescs); i++) {
		const struct iedesc *d = &iedescs[i];

		if (d->form == IF_HALF ? (iei & 0xf0) == d->iei :
		    iei == d->iei)
			return d;
	}

	return NULL;
}


static int ie_decode(struct rd *r, struct mcdata_msg *m)
{
	uint8_t iei = r->p[r->pos];
	const struct iedesc *d = ie_by_iei(iei);
	size_t vlen;
	int err;

	if (iei & 0x80) {			/* half-octet TV */
		++r->pos;
		if (!d) {
			++m->unknown;
			return 0;
		}
		if (m->ies & IE(d->ie))
			goto twice;
		if (d->vmax && ((iei & 0x0f) > d->vmax))
			return mcx_diag_set(r->diag, EBADMSG, "MCData %s: %s: "
					    "unknown value %u", r->mname,
					    d->name, iei & 0x0f);
		*(uint8_t *)member(m, d) = iei & 0x0f;
		m->ies |= IE(d->ie);
		return 0;
	}

	if (iei == 0x21 || iei == 0x22) {	/* TV, fixed length */
		vlen = (iei == 0x21) ? MCDATA_UUID_LEN : 1;
		err = need(r, 1 + vlen, d->name);
		if (err)
			return err;
		if (m->ies & IE(d->ie))
			goto twice;
		memcpy(member(m, d), r->p + r->pos + 1, vlen);
		m->ies |= IE(d->ie);
		r->pos += 1 + vlen;
		return 0;
	}

	if ((iei & 0xf0) != 0x50 && (iei & 0xf0) != 0x70)
		return mcx_diag_set(r->diag, EBADMSG, "MCData %s: unknown IEI "
				    "0x%02x", r->mname, iei);

	err = need(r, 3, d ? d->name : "an IE");
	if (err)
		return err;
	vlen = (size_t)get_be(r->p + r->pos + 1, 2);
	err = need(r, 3 + vlen, d ? d->name : "an IE");
	if (err)
		return err;
	r->pos += 3;

	if (!d) {				/* 5x, 7x: skippable */
		++m->unknown;
		r->pos += vlen;
		return 0;
	}

	if (d->form == IF_PAYLOAD) {
		err = payload_decode(r, m, vlen);
		if (!err)
			m->ies |= IE(d->ie);
		r->pos += vlen;
		return err;
	}

	if (m->ies & IE(d->ie))
		goto twice;

	if (d->form == IF_TEXT && (!vlen ||
				   !mcx_utf8_valid(r->p + r->pos, vlen)))
		return mcx_diag_set(r->diag, EBADMSG, "MCData %s: %s: not "
				    "UTF-8 text", r->mname, d->name);
	if (d->form == IF_TYPED && !vlen)
		return mcx_diag_set(r->diag, EBADMSG, "MCData %s: %s: content "
				    "type missing", r->mname, d->name);

	((struct mcdata_bytes *)member(m, d))->p = r->p + r->pos;
	((struct mcdata_bytes *)member(m, d))->n = vlen;
	m->ies |= IE(d->ie);
	r->pos += vlen;

	return 0;

 twice:
	return mcx_diag_set(r->diag, EBADMSG, "MCData %s: %s more than once",
			    r->mname, d->name);
}


static int fixed_decode(struct rd *r, struct mcdata_msg *m,
			const struct mtype *t)
{
	int err;

	if (t->fixed & FX_NOTIF) {
		err = need(r, 1, "the notification type");
		if (err)
			return err;
		m->notif = r->p[r->pos++];
		if (!m->notif || m->notif > t->vmax)
			return mcx_diag_set(r->diag, EBADMSG, "MCData %s: "
					    "unknown notification type %u",
					    r->mname, m->notif);
	}
	if (t->fixed & FX_DATE) {
		err = need(r, 5, "Date and time");
		if (err)
			return err;
		m->date = get_be(r->p + r->pos, 5);
		r->pos += 5;
	}
	if (t->fixed & FX_IDS) {
		err = need(r, 2 * MCDATA_UUID_LEN, "the conversation and "
			   "message IDs");
		if (err)
			return err;
		memcpy(m->conv_id, r->p + r->pos, MCDATA_UUID_LEN);
		memcpy(m->msg_id, r->p + r->pos + MCDATA_UUID_LEN,
		       MCDATA_UUID_LEN);
		r->pos += 2 * MCDATA_UUID_LEN;
	}
	if (t->fixed & FX_TERM) {
		err = need(r, 1, "the termination information type");
		if (err)
			return err;
		m->term = r->p[r->pos++];
		if (!m->term || m->term > t->vmax)
			return mcx_diag_set(r->diag, EBADMSG, "MCData %s: "
					    "unknown termination information "
					    "type %u", r->mname, m->term);
	}

	return 0;
}


/* DATA PAYLOAD: a count, then exactly that many Payload IEs */
static int payloads_decode(struct rd *r, struct mcdata_msg *m)
{
	unsigned n;
	int err;

	err = need(r, 1, "the number of payloads");
	if (err)
		return err;
	n = r->p[r->pos++];
	if (!n)
		return mcx_diag_set(r->diag, EBADMSG, "MCData %s: no payload",
				    r->mname);
	if (n > MCDATA_MAX_PAYLOADS)
		return mcx_diag_set(r->diag, EMSGSIZE, "MCData %s: more than "
				    "%d payloads", r->mname,
				    MCDATA_MAX_PAYLOADS);

	for (unsigned i = 0; i < n; i++) {
		err = need(r, 1, "a Payload");
		if (err)
			return err;
		if (r->p[r->pos] != 0x78)
			return mcx_diag_set(r->diag, EBADMSG, "MCData %s: "
					    "IEI 0x%02x where Payload (0x78) "
					    "belongs", r->mname,
					    r->p[r->pos]);
		err = ie_decode(r, m);
		if (err)
			return err;
	}

	if (r->pos != r->len)
		return mcx_diag_set(r->diag, EBADMSG, "MCData %s: octets after "
				    "the last payload", r->mname);

	return 0;
}


/**
 * Decode an MCData signalling or payload body
 *
 * @param mp   Where the message goes
 * @param buf  Body octets
 * @param len  Number of octets
 * @param diag Reason on failure
 *
 * @return 0, ENODATA, EBADMSG, EMSGSIZE, ENOMEM or EINVAL
 */
int mcdata_decode(struct mcdata_msg **mp, const uint8_t *buf, size_t len,
		  struct mcx_diag *diag)
{
	const struct mtype *t;
	struct mcdata_msg *m;
	struct rd r;
	int err;

	if (!mp || (!buf && len))
		return EINVAL;
	if (!len)
		return mcx_diag_set(diag, ENODATA, "MCData: empty body");
	if (len > MCDATA_MAX_SIZE)
		return mcx_diag_set(diag, EMSGSIZE, "MCData: body larger than "
				    "%d octets", MCDATA_MAX_SIZE);

	t = mtype_find(buf[0] & MCDATA_TYPE_MASK);
	if (!t)
		return mcx_diag_set(diag, EBADMSG, "MCData: unknown message "
				    "type %u", buf[0] & MCDATA_TYPE_MASK);

	m = mem_zalloc(sizeof(*m), msg_destructor);
	if (!m)
		return ENOMEM;
	m->raw = mem_alloc(len, NULL);
	if (!m->raw) {
		mem_deref(m);
		return ENOMEM;
	}
	memcpy(m->raw, buf, len);

	m->type = t->type;
	m->flags = buf[0] & (MCDATA_FLAG_AUTH | MCDATA_FLAG_PROT);

	r.p = m->raw;
	r.pos = 1;
	r.len = len;
	r.diag = diag;
	r.mname = t->name;

	/* not ours to parse: signed or encrypted (TS 33.180), or a layout
	 * no text we could read gives */
	if (m->flags || !t->parsed) {
		m->opaque.p = m->raw + 1;
		m->opaque.n = len - 1;
		*mp = m;
		return 0;
	}

	err = fixed_decode(&r, m, t);
	if (err)
		goto out;

	if (t->fixed & FX_NPAY) {
		err = payloads_decode(&r, m);
		goto out;
	}

	while (!err && r.pos < r.len)
		err = ie_decode(&r, m);

 out:
	if (err)
		mem_deref(m);
	else
		*mp = m;

	return err;
}


/* ---- encoding ---- */

static int put_be(struct mbuf *mb, uint64_t v, size_t n)
{
	int err = 0;

	for (size_t i = n; i > 0 && !err; i--)
		err = mbuf_write_u8(mb, (uint8_t)(v >> (8 * (i - 1))));

	return err;
}


static int tlve(struct mbuf *mb, uint8_t iei, const uint8_t *pre, size_t npre,
		const struct mcdata_bytes *b)
{
	int err;

	if (npre + b->n > 0xffff || (!b->p && b->n))
		return EINVAL;

	err = mbuf_write_u8(mb, iei);
	if (!err)
		err = put_be(mb, npre + b->n, 2);
	if (!err && npre)
		err = mbuf_write_mem(mb, pre, npre);
	if (!err && b->n)
		err = mbuf_write_mem(mb, b->p, b->n);

	return err;
}


static int payload_encode(struct mbuf *mb, const struct mcdata_payload *pl)
{
	if (!pl->ctype || (is_text_ctype(pl->ctype) &&
			   !mcx_utf8_valid(pl->data.p, pl->data.n)))
		return EINVAL;

	return tlve(mb, 0x78, &pl->ctype, 1, &pl->data);
}


static int ie_encode(struct mbuf *mb, const struct mcdata_msg *m,
		     const struct iedesc *d)
{
	const void *v = member(m, d);
	const struct mcdata_bytes *b = v;
	int err = 0;

	switch (d->form) {

	case IF_HALF: {
		uint8_t x = *(const uint8_t *)v;

		if (x > 0x0f || (d->vmax && x > d->vmax))
			return EINVAL;
		return mbuf_write_u8(mb, (uint8_t)(d->iei | x));
	}

	case IF_UUID:
	case IF_OCTET:
		err = mbuf_write_u8(mb, d->iei);
		if (!err)
			err = mbuf_write_mem(mb, v, d->form == IF_UUID ?
					     MCDATA_UUID_LEN : 1);
		return err;

	case IF_TEXT:
		if (!b->n || !mcx_utf8_valid(b->p, b->n))
			return EINVAL;
		return tlve(mb, d->iei, NULL, 0, b);

	case IF_TYPED:
		if (!b->n)
			return EINVAL;
		return tlve(mb, d->iei, NULL, 0, b);

	case IF_BYTES:
		return tlve(mb, d->iei, NULL, 0, b);

	case IF_PAYLOAD:
		if (!m->npayloads)
			return EINVAL;
		for (size_t i = 0; i < m->npayloads && !err; i++)
			err = payload_encode(mb, &m->payload[i]);
		return err;
	}

	return EINVAL;
}


static int encode(struct mbuf *mb, const struct mcdata_msg *m,
		  const struct mtype *t)
{
	int err;

	err = mbuf_write_u8(mb, t->type);
	if (!err && (t->fixed & FX_NOTIF)) {
		if (!m->notif || m->notif > t->vmax)
			return EINVAL;
		err = mbuf_write_u8(mb, m->notif);
	}
	if (!err && (t->fixed & FX_DATE)) {
		if (m->date >> 40)
			return EINVAL;
		err = put_be(mb, m->date, 5);
	}
	if (!err && (t->fixed & FX_IDS)) {
		err = mbuf_write_mem(mb, m->conv_id, MCDATA_UUID_LEN);
		if (!err)
			err = mbuf_write_mem(mb, m->msg_id, MCDATA_UUID_LEN);
	}
	if (!err && (t->fixed & FX_TERM)) {
		if (!m->term || m->term > t->vmax)
			return EINVAL;
		err = mbuf_write_u8(mb, m->term);
	}
	if (!err && (t->fixed & FX_NPAY)) {
		if (!m->npayloads)
			return EINVAL;
		err = mbuf_write_u8(mb, m->npayloads);
		for (size_t i = 0; i < m->npayloads && !err; i++)
			err = payload_encode(mb, &m->payload[i]);
		return err;
	}

	for (size_t i = 0; i < ARRAY_SIZE(iedescs) && !err; i++) {
		const struct iedesc *d = &iedescs[i];

		if (m->ies & IE(d->ie))
			err = ie_encode(mb, m, d);
	}

	return err;
}


/**
 * Encode a message
 *
 * @param mb Buffer the message is appended to (untouched on error)
 * @param m  The message
 *
 * @return 0, EINVAL (a type we do not send, signed/encrypted flags, an IE
 *         the type does not carry, a bad value) or ENOMEM
 */
int mcdata_encode(struct mbuf *mb, const struct mcdata_msg *m)
{
	const struct mtype *t;
	size_t pos, end;
	uint32_t allowed;
	int err;

	if (!mb || !m)
		return EINVAL;

	t = mtype_find(m->type);
	if (!t || !t->parsed || m->flags)
		return EINVAL;

	allowed = t->ies;
	if (m->ies & ~allowed)
		return EINVAL;
	if (m->npayloads && !(t->fixed & FX_NPAY) &&
	    !(m->ies & IE(MCDATA_IE_PAYLOAD)))
		return EINVAL;	/* payloads that would not be sent */

	pos = mb->pos;
	end = mb->end;
	err = encode(mb, m, t);
	if (err) {
		mb->pos = pos;
		mb->end = end;
	}

	return err;
}


static int uuid_print(struct re_printf *pf, const uint8_t *u)
{
	return re_hprintf(pf, "%w-%w-%w-%w-%w", u, (size_t)4, u + 4,
			  (size_t)2, u + 6, (size_t)2, u + 8, (size_t)2,
			  u + 10, (size_t)6);
}


/** Print a message on one line */
int mcdata_print(struct re_printf *pf, const struct mcdata_msg *m)
{
	const struct mtype *t;
	int err;

	if (!m)
		return 0;

	t = mtype_find(m->type);
	err = re_hprintf(pf, "MCData %s", t ? t->name : "?");
	if (!err && m->flags)
		err = re_hprintf(pf, "%s%s", m->flags & MCDATA_FLAG_AUTH ?
				 " (authenticated)" : "",
				 m->flags & MCDATA_FLAG_PROT ?
				 " (protected)" : "");
	if (err || !t)
		return err;

	if (m->opaque.p)
		return re_hprintf(pf, ", %zu octets not parsed", m->opaque.n);

	if (t->fixed & FX_NOTIF)
		err = re_hprintf(pf, " notification=%u", m->notif);
	if (!err && (t->fixed & FX_DATE))
		err = re_hprintf(pf, " date=%llu",
				 (unsigned long long)m->date);
	if (!err && (t->fixed & FX_IDS))
		err = re_hprintf(pf, " conversation=%H message=%H",
				 uuid_print, m->conv_id, uuid_print,
				 m->msg_id);
	if (!err && (t->fixed & FX_TERM))
		err = re_hprintf(pf, " termination=%u", m->term);

	for (size_t i = 0; i < ARRAY_SIZE(iedescs) && !err; i++) {
		const struct iedesc *d = &iedescs[i];
		const void *v = member(m, d);

		if (!(m->ies & IE(d->ie)) || d->form == IF_PAYLOAD)
			continue;
		if (d->form == IF_HALF || d->form == IF_OCTET)
			err = re_hprintf(pf, "; %s=%u", d->name,
					 *(const uint8_t *)v);
		else if (d->form == IF_UUID)
			err = re_hprintf(pf, "; %s=%H", d->name, uuid_print,
					 v);
		else if (d->form == IF_TEXT)
			err = re_hprintf(pf, "; %s=\"%b\"", d->name,
					 ((const struct mcdata_bytes *)v)->p,
					 ((const struct mcdata_bytes *)v)->n);
		else
			err = re_hprintf(pf, "; %s=%zu octets", d->name,
					 ((const struct mcdata_bytes *)v)->n);
	}

	for (size_t i = 0; i < m->npayloads && !err; i++)
		err = re_hprintf(pf, "; payload %zu: type %u, %zu octets",
				 i + 1, m->payload[i].ctype,
				 m->payload[i].data.n);

	return err;
}
