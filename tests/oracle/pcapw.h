/**
 * @file pcapw.h  Write UDP datagrams into a pcap file (test oracle only)
 *
 * Classic pcap (not pcapng), link type 1 (Ethernet) with zero MAC
 * addresses: byte for byte what tcpdump writes for Linux's loopback
 * interface. Each record is IPv4 + UDP between 127/8 addresses, with
 * correct IPv4 and UDP checksums. Nothing is sent anywhere: this only
 * writes a file for tshark to read.
 */
#ifndef MCX_PCAPW_H
#define MCX_PCAPW_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct sa;

enum {
	PCAPW_MAX_PAYLOAD = 65507,	/**< 65535 - IPv4 and UDP headers */
};

/** An open pcap file; fill with pcapw_open(), release with pcapw_close() */
struct pcapw {
	FILE *f;
	uint16_t ip_id;		/**< IPv4 identification of the last one */
	unsigned count;		/**< Packets written (= last frame number) */
};

int pcapw_open(struct pcapw *w, const char *path);
int pcapw_udp(struct pcapw *w, const struct sa *src, const struct sa *dst,
	      const uint8_t *payload, size_t len, uint64_t usec);
int pcapw_close(struct pcapw *w);

#endif
