/**
 * @file multipart.c  multipart/mixed SIP bodies (RFC 2046 5.1)
 *
 *   body      = [preamble CRLF] dash-boundary *WSP CRLF part
 *               *( CRLF dash-boundary *WSP CRLF part )
 *               CRLF dash-boundary "--" [epilogue]
 *   part      = *header CRLF data
 *
 * Line ends: CRLF as the RFC says; a bare LF is accepted too (hand-written
 * scenarios), and the encoder always writes CRLF.
 */
#include <errno.h>
#include <string.h>
#include <re.h>
#include <mcx/diag.h>
#include <mcx/mime.h>
#include <mcx/multipart.h>

static void mpart_destructor(void *arg)
{
	struct mpart *p = arg;

	list_unlink(&p->le);
	mem_deref(p->ctype);
	mem_deref(p->disp);
	mem_deref(p->cid);
	mem_deref(p->data);
}


static void multipart_destructor(void *arg)
{
	struct multipart *mp = arg;

	list_flush(&mp->parts);
}


/**
 * Allocate an empty multipart body
 *
 * @param mpp Where it goes
 *
 * @return 0 or ENOMEM
 */
int multipart_alloc(struct multipart **mpp)
{
	struct multipart *mp;

	if (!mpp)
		return EINVAL;

	mp = mem_zalloc(sizeof(*mp), multipart_destructor);
	if (!mp)
		return ENOMEM;

	list_init(&mp->parts);
	*mpp = mp;

	return 0;
}


/* A header value we write must not break out of its line */
static bool hval_ok(const char *s)
{
	for (; s && *s; s++) {
		if (*s == '\r' || *s == '\n')
			return false;
	}

	return true;
}


static int dup_bytes(uint8_t **dstp, const void *src, size_t len)
{
	uint8_t *d = mem_alloc(len + 1, NULL);

	if (!d)
		return ENOMEM;

	if (len)
		memcpy(d, src, len);
	d[len] = 0;
	*dstp = d;

	return 0;
}


/**
 * Append a part
 *
 * @param mp    Multipart body
 * @param ctype Content-Type value, e.g. "application/sdp"
 * @param disp  Content-Disposition value, or NULL
 * @param data  Body bytes (copied)
 * @param len   Number of bytes
 *
 * @return 0, EINVAL (bad type, line break in a header, too many parts)
 *         or ENOMEM
 */
int multipart_add(struct multipart *mp, const char *ctype, const char *disp,
		  const void *data, size_t len)
{
	struct mcx_ctype ct;
	struct mpart *p;
	struct pl pl;
	int err;

	if (!mp || !ctype || (!data && len))
		return EINVAL;
	if (!hval_ok(ctype) || !hval_ok(disp))
		return EINVAL;
	if (list_count(&mp->parts) >= MCX_MULTIPART_MAX_PARTS)
		return EINVAL;

	pl_set_str(&pl, ctype);
	if (mcx_ctype_decode(&ct, &pl, NULL))
		return EINVAL;
	if (disp) {
		pl_set_str(&pl, disp);
		if (mcx_disp_decode(&ct, &pl, NULL))
			return EINVAL;
	}

	p = mem_zalloc(sizeof(*p), mpart_destructor);
	if (!p)
		return ENOMEM;

	err = str_dup(&p->ctype, ctype);
	if (!err && disp)
		err = str_dup(&p->disp, disp);
	if (!err)
		err = dup_bytes(&p->data, data, len);
	if (err) {
		mem_deref(p);
		return err;
	}

	p->len = len;
	list_append(&mp->parts, &p->le, p);

	return 0;
}


/* ---- Decoding ---- */

struct scan {
	const uint8_t *buf;
	size_t len;
	const char *bnd;	/* boundary */
	size_t blen;
	struct mcx_diag *diag;
};


/* Length of the line end at pos: 2 (CRLF), 1 (LF) or 0 */
static size_t eol_at(const struct scan *s, size_t pos)
{
	if (pos < s->len && s->buf[pos] == '\n')
		return 1;
	if (pos + 1 < s->len && s->buf[pos] == '\r' && s->buf[pos + 1] == '\n')
		return 2;

	return 0;
}


/* Does "--boundary" start at pos? */
static bool dash_boundary_at(const struct scan *s, size_t pos)
{
	if (pos + 2 + s->blen > s->len)
		return false;

	return s->buf[pos] == '-' && s->buf[pos + 1] == '-' &&
		!memcmp(s->buf + pos + 2, s->bnd, s->blen);
}


/*
 * Find the next delimiter at or after pos: "--boundary" at the very start
 * of the body (first one only) or after a line end. Gives the start of the
 * line end before it (the end of the previous part) and of "--boundary".
 *
 * @return true if found
 */
static bool find_delim(const struct scan *s, size_t pos, bool first,
		       size_t *datend, size_t *dpos)
{
	if (first && pos == 0 && dash_boundary_at(s, 0)) {
		*datend = 0;
		*dpos = 0;
		return true;
	}

	for (size_t i = pos; i < s->len; i++) {
		size_t e;

		if (s->buf[i] != '\n' && s->buf[i] != '\r')
			continue;

		e = eol_at(s, i);
		if (e && dash_boundary_at(s, i + e)) {
			*datend = i;
			*dpos = i + e;
			return true;
		}
	}

	return false;
}


/* Keep a header value, unfolded (RFC 5322 2.2.3: line breaks become
 * spaces) and then trimmed, so that a kept value is one line with no
 * white space at either end, whatever line its text started on */
static int hdr_set(char **dstp, const struct pl *val)
{
	char *s;
	size_t i = 0, n;
	int err;

	mem_deref(*dstp);
	*dstp = NULL;

	err = pl_strdup(&s, val);
	if (err)
		return err;

	for (char *c = s; *c; c++) {
		if (*c == '\r' || *c == '\n' || *c == '\t')
			*c = ' ';
	}
	n = strlen(s);
	while (n && s[n - 1] == ' ')
		s[--n] = '\0';
	while (s[i] == ' ')
		++i;
	memmove(s, s + i, n - i + 1);

	*dstp = s;
	return 0;
}


/* Strip white space out of base64 text and decode it */
static int base64_part(struct mpart *p, const uint8_t *data, size_t len,
		       struct mcx_diag *diag)
{
	char *txt;
	uint8_t *out;
	size_t n = 0, olen;
	int err;

	txt = mem_alloc(len + 1, NULL);
	if (!txt)
		return ENOMEM;

	for (size_t i = 0; i < len; i++) {
		char c = (char)data[i];

		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			continue;
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '+' || c == '/' ||
		      c == '=')) {
			mem_deref(txt);
			return mcx_diag_set(diag, EBADMSG,
					    "multipart: bad base64 data");
		}
		txt[n++] = c;
	}

	olen = n / 4 * 3 + 3;
	out = mem_alloc(olen + 1, NULL);
	if (!out) {
		mem_deref(txt);
		return ENOMEM;
	}

	err = (n % 4) ? EBADMSG : base64_decode(txt, n, out, &olen);
	mem_deref(txt);
	if (err) {
		mem_deref(out);
		return mcx_diag_set(diag, EBADMSG,
				    "multipart: bad base64 data");
	}

	out[olen] = 0;
	p->data = out;
	p->len = olen;

	return 0;
}


/* Decode part headers and body from [start, end) */
static int part_decode(struct mpart **pp, const struct scan *s, size_t start,
		       size_t end, unsigned idx)
{
	struct mpart *p;
	struct pl cte = PL_INIT;
	size_t pos = start;
	int err = 0;

	p = mem_zalloc(sizeof(*p), mpart_destructor);
	if (!p)
		return ENOMEM;

	for (;;) {
		size_t ls = pos, le, e, colon = 0;
		struct pl name, val;

		while (pos < end && s->buf[pos] != '\n' && s->buf[pos] != '\r')
			++pos;
		e = eol_at(s, pos);
		if (pos >= end || !e) {
			err = mcx_diag_set(s->diag, EBADMSG,
					   "multipart part %u: no empty line "
					   "after the headers", idx);
			goto out;
		}
		le = pos;
		pos += e;

		if (le == ls)
			break;	/* empty line: headers done */

		/* folded continuation lines (RFC 5322 2.2.3) */
		while (pos < end && (s->buf[pos] == ' ' ||
				     s->buf[pos] == '\t')) {
			while (pos < end && s->buf[pos] != '\n' &&
			       s->buf[pos] != '\r')
				++pos;
			e = eol_at(s, pos);
			if (!e)
				break;
			le = pos;
			pos += e;
		}

		for (size_t i = ls; i < le; i++) {
			uint8_t c = s->buf[i];

			if ((c < 0x20 && c != '\t' && c != '\r' &&
			     c != '\n') || c == 0x7f) {
				err = mcx_diag_set(s->diag, EBADMSG,
					"multipart part %u: control "
					"character in a header", idx);
				goto out;
			}
		}

		if (le - ls > MCX_MULTIPART_MAX_HDR) {
			err = mcx_diag_set(s->diag, EBADMSG,
					   "multipart part %u: header line "
					   "longer than %d bytes", idx,
					   MCX_MULTIPART_MAX_HDR);
			goto out;
		}

		for (size_t i = ls; i < le; i++) {
			if (s->buf[i] == ':') {
				colon = i;
				break;
			}
		}
		if (!colon || colon == ls) {
			err = mcx_diag_set(s->diag, EBADMSG,
					   "multipart part %u: header line "
					   "without a name", idx);
			goto out;
		}

		name.p = (const char *)s->buf + ls;
		name.l = colon - ls;
		while (name.l && (name.p[name.l - 1] == ' ' ||
				  name.p[name.l - 1] == '\t'))
			--name.l;
		val.p = (const char *)s->buf + colon + 1;
		val.l = le - colon - 1;
		while (val.l && (*val.p == ' ' || *val.p == '\t')) {
			++val.p;
			--val.l;
		}
		while (val.l && (val.p[val.l - 1] == ' ' ||
				 val.p[val.l - 1] == '\t' ||
				 val.p[val.l - 1] == '\r' ||
				 val.p[val.l - 1] == '\n'))
			--val.l;

		if (!pl_strcasecmp(&name, "Content-Type"))
			err = hdr_set(&p->ctype, &val);
		else if (!pl_strcasecmp(&name, "Content-Disposition"))
			err = hdr_set(&p->disp, &val);
		else if (!pl_strcasecmp(&name, "Content-ID"))
			err = hdr_set(&p->cid, &val);
		else if (!pl_strcasecmp(&name, "Content-Transfer-Encoding"))
			cte = val;
		if (err)
			goto out;
	}

	/* Check what we keep, so users of a decoded part can rely on it */
	if (p->ctype) {
		struct mcx_ctype ct;
		struct pl pl;

		pl_set_str(&pl, p->ctype);
		err = mcx_ctype_decode(&ct, &pl, s->diag);
		if (err)
			goto prefixed;
	}
	else {
		err = str_dup(&p->ctype, "text/plain");
		if (err)
			goto out;
	}
	if (p->disp) {
		struct mcx_ctype d;
		struct pl pl;

		pl_set_str(&pl, p->disp);
		err = mcx_disp_decode(&d, &pl, s->diag);
		if (err)
			goto prefixed;
	}

	if (!pl_isset(&cte) || !pl_strcasecmp(&cte, "binary") ||
	    !pl_strcasecmp(&cte, "8bit") || !pl_strcasecmp(&cte, "7bit")) {
		err = dup_bytes(&p->data, s->buf + pos, end - pos);
		p->len = end - pos;
	}
	else if (!pl_strcasecmp(&cte, "base64")) {
		err = base64_part(p, s->buf + pos, end - pos, s->diag);
	}
	else {
		err = mcx_diag_set(s->diag, EBADMSG,
				   "multipart part %u: Content-Transfer-"
				   "Encoding '%.*s' not supported", idx,
				   (int)(cte.l > 20 ? 20 : cte.l), cte.p);
	}
	if (err)
		goto out;

	*pp = p;
	return 0;

 prefixed:
	{
		char pfx[32];

		(void)re_snprintf(pfx, sizeof(pfx), "multipart part %u", idx);
		err = mcx_diag_prefix(s->diag, err, pfx);
	}
 out:
	mem_deref(p);
	return err;
}


/**
 * Decode a multipart body
 *
 * @param mpp   Where the decoded body goes
 * @param ctype The Content-Type header value ("multipart/mixed;boundary=x")
 * @param buf   Body bytes
 * @param len   Number of bytes
 * @param diag  Reason on failure
 *
 * @return 0, ENODATA, EBADMSG, EMSGSIZE or ENOMEM (see file comment)
 */
int multipart_decode(struct multipart **mpp, const struct pl *ctype,
		     const uint8_t *buf, size_t len, struct mcx_diag *diag)
{
	struct multipart *mp = NULL;
	struct mcx_ctype ct;
	struct pl bnd;
	struct scan s;
	size_t datend, dpos, pos;
	unsigned idx = 0;
	int err;

	if (!mpp || !ctype || (!buf && len))
		return EINVAL;

	err = mcx_ctype_decode(&ct, ctype, diag);
	if (err)
		return err;
	if (pl_strcasecmp(&ct.type, "multipart"))
		return mcx_diag_set(diag, EBADMSG,
				    "Content-Type: not multipart");
	if (mcx_param_get(&ct.params, "boundary", &bnd) || !bnd.l)
		return mcx_diag_set(diag, EBADMSG,
				    "Content-Type: boundary missing");
	if (bnd.l > MCX_MULTIPART_MAX_BOUNDARY)
		return mcx_diag_set(diag, EBADMSG,
				    "Content-Type: boundary longer than %d",
				    MCX_MULTIPART_MAX_BOUNDARY);
	if (len > MCX_MULTIPART_MAX_SIZE)
		return mcx_diag_set(diag, EMSGSIZE,
				    "multipart body larger than %d bytes",
				    MCX_MULTIPART_MAX_SIZE);

	s.buf = buf;
	s.len = len;
	s.bnd = bnd.p;
	s.blen = bnd.l;
	s.diag = diag;

	/* No delimiter yet: all so far may be preamble, so the body is cut
	 * short rather than malformed (ENODATA, by the rule in diag.h). */
	if (!find_delim(&s, 0, true, &datend, &dpos))
		return mcx_diag_set(diag, ENODATA,
				    "multipart: boundary '%.*s' not found",
				    (int)bnd.l, bnd.p);

	err = multipart_alloc(&mp);
	if (err)
		return err;
	(void)pl_strcpy(&bnd, mp->boundary, sizeof(mp->boundary));

	for (;;) {
		struct mpart *p = NULL;
		size_t e, pstart;

		pos = dpos + 2 + s.blen;

		/* close delimiter */
		if (pos + 2 <= len && buf[pos] == '-' && buf[pos + 1] == '-') {
			if (!idx) {
				err = mcx_diag_set(diag, EBADMSG,
						   "multipart: no parts");
				goto out;
			}
			break;
		}

		while (pos < len && (buf[pos] == ' ' || buf[pos] == '\t'))
			++pos;
		if (pos >= len || (pos + 1 == len && buf[pos] == '\r') ||
		    (pos + 1 == len && buf[pos] == '-')) {
			err = mcx_diag_set(diag, ENODATA,
					   "multipart: cut short");
			goto out;
		}
		e = eol_at(&s, pos);
		if (!e) {
			err = mcx_diag_set(diag, EBADMSG,
					   "multipart: junk after boundary");
			goto out;
		}
		pstart = pos + e;

		if (++idx > MCX_MULTIPART_MAX_PARTS) {
			err = mcx_diag_set(diag, EMSGSIZE,
					   "multipart: more than %d parts",
					   MCX_MULTIPART_MAX_PARTS);
			goto out;
		}

		if (!find_delim(&s, pstart, false, &datend, &dpos)) {
			err = mcx_diag_set(diag, ENODATA,
					   "multipart part %u: closing "
					   "boundary missing", idx);
			goto out;
		}

		err = part_decode(&p, &s, pstart, datend, idx);
		if (err)
			goto out;

		list_append(&mp->parts, &p->le, p);
	}

	*mpp = mp;
	return 0;

 out:
	mem_deref(mp);
	return err;
}


/* ---- Encoding ---- */

static bool contains(const uint8_t *buf, size_t len, const char *needle)
{
	size_t n = strlen(needle);

	if (!buf || len < n)
		return false;

	for (size_t i = 0; i + n <= len; i++) {
		if (buf[i] == (uint8_t)needle[0] && !memcmp(buf + i, needle, n))
			return true;
	}

	return false;
}


static bool boundary_free(const struct multipart *mp, const char *b)
{
	for (struct le *le = mp->parts.head; le; le = le->next) {
		const struct mpart *p = le->data;

		if (contains(p->data, p->len, b))
			return false;
	}

	return true;
}


/* FNV-1a over every part: a boundary that depends only on the content, so
 * encoding is deterministic and needs no randomness. */
static uint64_t content_hash(const struct multipart *mp, uint64_t h)
{
	for (struct le *le = mp->parts.head; le; le = le->next) {
		const struct mpart *p = le->data;

		for (size_t i = 0; i < p->len; i++) {
			h ^= p->data[i];
			h *= 0x100000001b3ULL;
		}
	}

	return h;
}


/**
 * Encode a multipart body; chooses and sets mp->boundary
 *
 * @param mb Buffer the body is appended to
 * @param mp Multipart body with at least one part
 *
 * @return 0, EINVAL (no parts) or ENOMEM
 */
int multipart_encode(struct mbuf *mb, struct multipart *mp)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	int err = 0;

	if (!mb || !mp || !mp->parts.head)
		return EINVAL;

	for (unsigned i = 0;; i++) {
		h = content_hash(mp, h + i);
		(void)re_snprintf(mp->boundary, sizeof(mp->boundary),
				  "mcx-%016llx", (unsigned long long)h);
		if (boundary_free(mp, mp->boundary))
			break;
	}

	for (struct le *le = mp->parts.head; le && !err; le = le->next) {
		const struct mpart *p = le->data;

		err = mbuf_printf(mb, "--%s\r\nContent-Type: %s\r\n",
				  mp->boundary, p->ctype);
		if (!err && p->disp)
			err = mbuf_printf(mb, "Content-Disposition: %s\r\n",
					  p->disp);
		if (!err && p->cid)
			err = mbuf_printf(mb, "Content-ID: %s\r\n", p->cid);
		if (!err)
			err = mbuf_write_str(mb, "\r\n");
		if (!err)
			err = mbuf_write_mem(mb, p->data, p->len);
		if (!err)
			err = mbuf_write_str(mb, "\r\n");
	}

	if (!err)
		err = mbuf_printf(mb, "--%s--\r\n", mp->boundary);

	return err;
}


/** Print the Content-Type header value for an encoded multipart body */
int multipart_ctype_print(struct re_printf *pf, const struct multipart *mp)
{
	if (!mp)
		return 0;

	return re_hprintf(pf, "multipart/mixed;boundary=%s", mp->boundary);
}


/** Print a summary: one line per part */
int multipart_print(struct re_printf *pf, const struct multipart *mp)
{
	unsigned i = 0;
	int err = 0;

	if (!mp)
		return 0;

	err = re_hprintf(pf, "multipart (%u parts, boundary %s)\n",
			 list_count(&mp->parts), mp->boundary);

	for (struct le *le = mp->parts.head; le && !err; le = le->next) {
		const struct mpart *p = le->data;

		err = re_hprintf(pf, "  part %u: %s%s%s, %zu bytes\n", ++i,
				 p->ctype, p->disp ? "; disposition " : "",
				 p->disp ? p->disp : "", p->len);
	}

	return err;
}


/**
 * First part of a given media type
 *
 * @param mp   Multipart body
 * @param mime "type/subtype", compared case-insensitively
 *
 * @return The part or NULL
 */
const struct mpart *multipart_find(const struct multipart *mp,
				   const char *mime)
{
	if (!mp || !mime)
		return NULL;

	for (struct le *le = mp->parts.head; le; le = le->next) {
		const struct mpart *p = le->data;
		struct mcx_ctype ct;
		struct pl pl;

		pl_set_str(&pl, p->ctype);
		if (!mcx_ctype_decode(&ct, &pl, NULL) &&
		    mcx_ctype_is(&ct, mime))
			return p;
	}

	return NULL;
}


/** Number of parts */
unsigned multipart_count(const struct multipart *mp)
{
	return mp ? list_count(&mp->parts) : 0;
}
