/**
 * @file pcapw.h  Write packets into a pcap file (test oracle only)
 *
 * Classic pcap (not pcapng), link type Ethernet; each packet is IPv4 and
 * UDP with correct IP and UDP checksums, as if captured on loopback. No
 * packet is sent anywhere: this only writes a file for tshark to read.
 */
#ifndef MCX_PCAPW_H
#define MCX_PCAPW_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct pcapw {
	FILE *f;
	uint64_t usec;		/* timestamp of the next packet */
	uint16_t ip_id;
	unsigned count;		/* packets written */
};

int  pcapw_open(struct pcapw *w, const char *path);
int  pcapw_udp(struct pcapw *w, uint32_t src, uint16_t sport, uint32_t dst,
	       uint16_t dport, const uint8_t *payload, size_t len);
int  pcapw_close(struct pcapw *w);

/** An IPv4 address in host order from four octets */
#define PCAPW_IP(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

#endif
