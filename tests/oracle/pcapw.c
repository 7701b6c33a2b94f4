/**
 * @file pcapw.c  Write packets into a pcap file (test oracle only)
 *
 * pcap file header and record headers in little-endian (magic
 * 0xa1b2c3d4 written in host order on x86, which readers detect);
 * Ethernet (link type 1) with zero MAC addresses; IPv4 (RFC 791) with its
 * header checksum; UDP (RFC 768) with its checksum over the pseudo
 * header.
 */
#include <errno.h>
#include <string.h>
#include "pcapw.h"

enum {
	ETH_LEN = 14,
	IP_LEN = 20,
	UDP_LEN = 8,
	MAX_PAYLOAD = 65507,
};

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

/* one's complement sum of 16-bit words (RFC 1071), not yet folded */
static uint32_t sum16(uint32_t sum, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n % 2)
		sum += (uint32_t)p[n - 1] << 8;

	return sum;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);

	return (uint16_t)~sum;
}

static int le32(FILE *f, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
			 (uint8_t)(v >> 24) };

	return fwrite(b, 1, 4, f) == 4 ? 0 : EIO;
}

/** Create the file and write the pcap header */
int pcapw_open(struct pcapw *w, const char *path)
{
	int err;

	memset(w, 0, sizeof(*w));
	w->f = fopen(path, "wb");
	if (!w->f)
		return errno;

	w->usec = 1764000000ull * 1000000;	/* a fixed, recent time */
	err = le32(w->f, 0xa1b2c3d4);		/* magic, microseconds */
	if (!err)
		err = le32(w->f, 2 | 4u << 16);	/* version 2.4 */
	if (!err)
		err = le32(w->f, 0);		/* thiszone */
	if (!err)
		err = le32(w->f, 0);		/* sigfigs */
	if (!err)
		err = le32(w->f, 65535);	/* snaplen */
	if (!err)
		err = le32(w->f, 1);		/* link type: Ethernet */

	return err;
}

/** Write one UDP datagram; timestamps advance 1 ms per packet */
int pcapw_udp(struct pcapw *w, uint32_t src, uint16_t sport, uint32_t dst,
	      uint16_t dport, const uint8_t *payload, size_t len)
{
	static uint8_t pkt[ETH_LEN + IP_LEN + UDP_LEN + MAX_PAYLOAD];
	uint8_t *ip = pkt + ETH_LEN, *udp = ip + IP_LEN, pseudo[12];
	size_t total = ETH_LEN + IP_LEN + UDP_LEN + len;
	uint16_t ck;
	int err;

	if (!w || !w->f || len > MAX_PAYLOAD)
		return EINVAL;

	memset(pkt, 0, ETH_LEN);
	put16(pkt + 12, 0x0800);			/* EtherType IPv4 */

	ip[0] = 0x45;					/* v4, 20 octets */
	ip[1] = 0;
	put16(ip + 2, (uint16_t)(IP_LEN + UDP_LEN + len));
	put16(ip + 4, ++w->ip_id);
	put16(ip + 6, 0x4000);				/* DF */
	ip[8] = 64;					/* TTL */
	ip[9] = 17;					/* UDP */
	put16(ip + 10, 0);
	put32(ip + 12, src);
	put32(ip + 16, dst);
	put16(ip + 10, fold(sum16(0, ip, IP_LEN)));

	put16(udp, sport);
	put16(udp + 2, dport);
	put16(udp + 4, (uint16_t)(UDP_LEN + len));
	put16(udp + 6, 0);
	memcpy(udp + UDP_LEN, payload, len);

	put32(pseudo, src);
	put32(pseudo + 4, dst);
	pseudo[8] = 0;
	pseudo[9] = 17;
	put16(pseudo + 10, (uint16_t)(UDP_LEN + len));
	ck = fold(sum16(sum16(0, pseudo, sizeof(pseudo)), udp, UDP_LEN + len));
	put16(udp + 6, ck ? ck : 0xffff);		/* 0 means "none" */

	err = le32(w->f, (uint32_t)(w->usec / 1000000));
	if (!err)
		err = le32(w->f, (uint32_t)(w->usec % 1000000));
	if (!err)
		err = le32(w->f, (uint32_t)total);
	if (!err)
		err = le32(w->f, (uint32_t)total);
	if (!err && fwrite(pkt, 1, total, w->f) != total)
		err = EIO;

	w->usec += 1000;
	++w->count;

	return err;
}

/** Flush and close */
int pcapw_close(struct pcapw *w)
{
	int err = 0;

	if (w && w->f) {
		if (fclose(w->f))
			err = errno;
		w->f = NULL;
	}

	return err;
}
