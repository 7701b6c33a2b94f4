/**
 * @file mime.c  Media types and dispositions with parameters
 *
 * Grammar (RFC 2045 5.1, RFC 2183 2, with RFC 3261 7.3.1 white space):
 *
 *   header  = token [ "/" token ] *( OWS ";" OWS param )
 *   param   = token [ "=" ( token / quoted-string ) ]
 *   token   = 1*<any CHAR except SPACE, CTLs and tspecials>
 *
 * A parameter without a value is only allowed in a disposition
 * ("render;handling=optional" has one, "attachment;x" would be another).
 */
#include <errno.h>
#include <string.h>
#include <re.h>
#include <mcx/diag.h>
#include <mcx/mime.h>

static bool is_tchar(char c)
{
	unsigned char u = (unsigned char)c;

	if (u <= 0x20 || u >= 0x7f)
		return false;

	return !strchr("()<>@,;:\\\"/[]?=", c);
}


static bool is_ows(char c)
{
	return c == ' ' || c == '\t';
}


struct cursor {
	const char *p;
	const char *end;
};


static void skip_ows(struct cursor *c)
{
	while (c->p < c->end && is_ows(*c->p))
		++c->p;
}


static bool token(struct cursor *c, struct pl *tok)
{
	const char *start = c->p;

	while (c->p < c->end && is_tchar(*c->p))
		++c->p;

	tok->p = start;
	tok->l = (size_t)(c->p - start);

	return tok->l > 0;
}


/* quoted-string = DQUOTE *( qdtext / "\" CHAR ) DQUOTE; val is the inside */
static bool quoted(struct cursor *c, struct pl *val)
{
	const char *start;

	if (c->p >= c->end || *c->p != '"')
		return false;

	start = ++c->p;
	while (c->p < c->end && *c->p != '"') {
		unsigned char u = (unsigned char)*c->p;

		if (u == '\\') {
			if (++c->p >= c->end)
				return false;
		}
		else if (u < 0x20 && u != '\t') {
			return false;
		}
		++c->p;
	}
	if (c->p >= c->end)
		return false;

	val->p = start;
	val->l = (size_t)(c->p - start);
	++c->p;

	return true;
}


/*
 * Walk the parameter list. With name set, stop at that parameter and give
 * its value (quotes removed); otherwise only check the syntax.
 *
 * @return 0 (found, or syntax fine), ENOENT (not found), EBADMSG (syntax)
 */
static int params_walk(const struct pl *params, bool need_value,
		       const char *name, struct pl *val, const char **why)
{
	struct cursor c = { params->p, params->p + params->l };
	unsigned n = 0;

	skip_ows(&c);
	while (c.p < c.end) {
		struct pl pname, pval = PL_INIT;

		if (*c.p != ';') {
			*why = "expected ';'";
			return EBADMSG;
		}
		++c.p;
		skip_ows(&c);
		if (!token(&c, &pname)) {
			*why = "parameter name missing";
			return EBADMSG;
		}
		skip_ows(&c);
		if (c.p < c.end && *c.p == '=') {
			++c.p;
			skip_ows(&c);
			if (!token(&c, &pval) && !quoted(&c, &pval)) {
				*why = "bad parameter value";
				return EBADMSG;
			}
			skip_ows(&c);
		}
		else if (need_value) {
			*why = "parameter without value";
			return EBADMSG;
		}

		if (++n > MCX_MIME_MAX_PARAMS) {
			*why = "too many parameters";
			return EBADMSG;
		}

		if (name && !pl_strcasecmp(&pname, name)) {
			if (val)
				*val = pval;
			return 0;
		}
	}

	return name ? ENOENT : 0;
}


static int decode(struct mcx_ctype *ct, const struct pl *pl, bool is_disp,
		  struct mcx_diag *diag)
{
	const char *what = is_disp ? "Content-Disposition" : "Content-Type";
	struct cursor c;
	const char *why = NULL;
	int err;

	if (!ct || !pl)
		return EINVAL;

	memset(ct, 0, sizeof(*ct));
	c.p = pl->p;
	c.end = pl->p + pl->l;

	skip_ows(&c);
	if (c.p == c.end)
		return mcx_diag_set(diag, EBADMSG, "%s: empty", what);

	if (!token(&c, &ct->type))
		return mcx_diag_set(diag, EBADMSG, "%s: bad type", what);

	if (!is_disp) {
		if (c.p >= c.end || *c.p != '/')
			return mcx_diag_set(diag, EBADMSG,
					    "%s: '/' missing", what);
		++c.p;
		if (!token(&c, &ct->subtype))
			return mcx_diag_set(diag, EBADMSG,
					    "%s: bad subtype", what);
	}

	ct->params.p = c.p;
	ct->params.l = (size_t)(c.end - c.p);

	err = params_walk(&ct->params, !is_disp, NULL, NULL, &why);
	if (err)
		return mcx_diag_set(diag, err, "%s: %s", what, why);

	return 0;
}


/**
 * Decode a Content-Type value
 *
 * @param ct   Result; slices point into pl
 * @param pl   The header value
 * @param diag Reason on failure
 *
 * @return 0 or EBADMSG
 */
int mcx_ctype_decode(struct mcx_ctype *ct, const struct pl *pl,
		     struct mcx_diag *diag)
{
	return decode(ct, pl, false, diag);
}


/**
 * Decode a Content-Disposition value (subtype stays empty)
 *
 * @return 0 or EBADMSG
 */
int mcx_disp_decode(struct mcx_ctype *disp, const struct pl *pl,
		    struct mcx_diag *diag)
{
	return decode(disp, pl, true, diag);
}


/**
 * Is this media type "type/subtype"? Case-insensitive, parameters ignored.
 */
bool mcx_ctype_is(const struct mcx_ctype *ct, const char *mime)
{
	const char *slash;
	struct pl t, s;

	if (!ct || !mime)
		return false;

	slash = strchr(mime, '/');
	if (!slash)
		return false;

	t.p = mime;
	t.l = (size_t)(slash - mime);
	s.p = slash + 1;
	s.l = strlen(slash + 1);

	return !pl_casecmp(&ct->type, &t) && !pl_casecmp(&ct->subtype, &s);
}


/**
 * Find a parameter by name (case-insensitive)
 *
 * @param params The params slice of a decoded header
 * @param name   Parameter name
 * @param val    Its value, quotes removed (empty if it has none)
 *
 * @return 0, ENOENT or EBADMSG
 */
int mcx_param_get(const struct pl *params, const char *name, struct pl *val)
{
	const char *why;

	if (!params || !name)
		return EINVAL;

	return params_walk(params, false, name, val, &why);
}
