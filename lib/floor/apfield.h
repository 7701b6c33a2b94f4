/**
 * @file apfield.h  RTCP APP field engine shared by MBCP and MCVideo
 *                  transmission control (private to libmcx)
 *
 * A protocol is described by tables: its APP names (sets), each with its
 * message types (name, whether the ACK bit is allowed, mandatory fields,
 * the field order of the spec's diagram), and its fields (ID, name, value
 * kind, where the value lives in the message struct). The engine decodes,
 * encodes and prints any message so described.
 */
#ifndef MCX_APFIELD_H
#define MCX_APFIELD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mbuf;
struct re_printf;
struct mcx_diag;
struct fc_hdr;

/** How a field's value is laid out */
enum ap_kind {
	AK_PRIO,	/* 1 octet + 1 spare                        */
	AK_U16,		/* 2 octets                                 */
	AK_CAUSE,	/* 2-octet cause + optional UTF-8 phrase    */
	AK_QUEUE,	/* 1-octet position + 1-octet priority      */
	AK_TEXT,	/* UTF-8, 1..255 octets                     */
	AK_TRACK,	/* Track Info                               */
	AK_MSGTYPE,	/* 1-octet subtype + 1 spare                */
	AK_SSRC,	/* 4-octet SSRC + 2 spare                   */
	AK_USERLIST,	/* count, then (length, UTF-8) entries      */
	AK_SSRCLIST,	/* count, 1 or 2 spare, 4-octet SSRCs       */
	AK_LOCATION,	/* type + type-specific value               */
	AK_LOCLIST,	/* count, then locations                    */
	AK_NAME4,	/* 4 ASCII octets (an APP name)             */
};

struct ap_field {
	uint8_t id;
	enum ap_kind kind;
	const char *name;
	size_t off;		/* offsetof(message struct, member) */
};

enum { AP_ORDER_MAX = 16 };

struct ap_type {
	uint8_t type;
	const char *name;
	bool ack;		/* may carry the ACK-required bit          */
	uint32_t mandatory;	/* 1 << field ID                           */
	uint8_t norder;		/* 0: any known field, in ID order          */
	uint8_t order[AP_ORDER_MAX];	/* fields in the spec diagram order */
};

struct ap_set {
	char name[5];
	const struct ap_type *types;
	size_t ntypes;
};

struct ap_proto {
	const char *what;	/* "MBCP", for reasons and printing        */
	const struct ap_set *sets;
	size_t nsets;
	const struct ap_field *fields;
	size_t nfields;
	int (*legacy)(uint8_t id);	/* old field ID -> current, or -1  */
};

int  ap_decode(const struct ap_proto *p, struct fc_hdr *h, size_t size,
	       const uint8_t *buf, size_t len, size_t *used,
	       struct mcx_diag *diag);
int  ap_encode(const struct ap_proto *p, struct mbuf *mb,
	       const struct fc_hdr *h);
int  ap_print(const struct ap_proto *p, struct re_printf *pf,
	      const struct fc_hdr *h);
int  ap_set_text(const struct ap_proto *p, struct fc_hdr *h, uint8_t id,
		 const char *s);
const struct ap_type *ap_type_find(const struct ap_proto *p, uint8_t set,
				   uint8_t type);
const struct ap_field *ap_field_find(const struct ap_proto *p, uint8_t id);

#endif
