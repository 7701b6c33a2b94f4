/**
 * @file mcptt.h  The MCPTT server's parts: service authorizations and calls
 *
 * Private to daemons/mcxd: mcptt.c (dispatch, service authorization, the
 * call table) and call.c (one private call) share these.
 */
#ifndef MCXD_MCPTT_H
#define MCXD_MCPTT_H

#include <mcx/pocset.h>
#include <mcx/store.h>

/** A service authorization (TS 24.379 7.3): who may use MCPTT here */
struct svcauth {
	struct le he;			/* in mcptt.auths, by impu */
	char impu[STORE_URI_MAX + 1];	/* the SIP identity that PUBLISHed */
	char mc_id[STORE_URI_MAX + 1];	/* the MCPTT ID its token names    */
	char client_id[256];
	enum pocset_am am;		/* answer mode it asked for        */
	bool has_index;
	uint8_t profile_index;
	uint64_t expires;		/* UNIX seconds                    */
	char etag[24];
};

struct mcptt {
	struct sys *sys;
	struct hash *auths;		/* struct svcauth by impu */
	struct list calls;		/* struct call             */
	unsigned next_call_id;
	uint32_t next_port;		/* next relay port to try  */
	struct tmr tmr;
};

struct svcauth *mcptt_auth_find(struct mcptt *m, const char *impu);
struct svcauth *mcptt_auth_by_mc_id(struct mcptt *m, const char *mc_id);

int  call_incoming(struct mcptt *m, const struct sip_msg *msg,
		   const struct store_user *caller,
		   const struct svcauth *auth);
void call_close_all(struct mcptt *m);
int  call_print(struct re_printf *pf, const struct le *le);

#endif
