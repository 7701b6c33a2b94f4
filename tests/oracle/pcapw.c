/**
 * @file pcapw.c  Write UDP datagrams into a pcap file (test oracle only)
 *
 * File layout (the libpcap savefile format, as in pcap-savefile(5)):
 * a 24-octet file header, then per packet a 16-octet record header and
 * the frame. We write both headers little-endian whatever the host, so
 * the magic 0xa1b2c3d4 reads back as d4 c3 b2 a1 and tells readers the
 * byte order and that timestamps are in microseconds.
 *
 * Link type 1 (Ethernet) rather than 101 (LINKTYPE_RAW): tshark 4.0
 * decodes both the same from the IP layer up, but Ethernet with zero MAC
 * addresses is exactly what a real capture on Linux's "lo" looks like,
 * so these files and the captures of later integration tests are read
 * the same way by every tool.
 *
 * The frame: Ethernet II (type 0x0800), IPv4 (RFC 791: 20 octets, DF,
 * TTL 64) with its header checksum, UDP (RFC 768) with its checksum over
 * the pseudo header, header and payload (RFC 1071 one's complement sum).
 */
#include <errno.h>
#include <string.h>
#include <re.h>
#include "pcapw.h"

enum {
	ETH_LEN = 14,
	IP_LEN = 20,
	UDP_LEN = 8,
	HDRS_LEN = ETH_LEN + IP_LEN + UDP_LEN,
	PCAP_SNAPLEN = 262144,		/* libpcap's largest snapshot */
	PCAP_LINKTYPE_ETHERNET = 1,
	IPPROTO_UDP_ = 17,
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

/* Add n octets as 16-bit big-endian words to a one's complement sum
 * (RFC 1071), an odd last octet padded with zero; fold() finishes it. */
static uint32_t sum16(uint32_t sum, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
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

static int write_le32(FILE *f, uint32_t v)
{
	const uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8),
			       (uint8_t)(v >> 16), (uint8_t)(v >> 24) };

	return fwrite(b, 1, sizeof(b), f) == sizeof(b) ? 0 : EIO;
}

static bool is_loopback4(const struct sa *sa)
{
	return sa && sa_af(sa) == AF_INET && sa_in(sa) >> 24 == 127;
}

/**
 * Create (or truncate) a pcap file and write its header
 *
 * @param w     Writer to fill in
 * @param path  File to write
 *
 * @return 0 if success, otherwise errorcode
 */
int pcapw_open(struct pcapw *w, const char *path)
{
	const uint32_t hdr[6] = {
		0xa1b2c3d4,		/* magic: microsecond timestamps */
		2 | 4u << 16,		/* version 2.4 (major, minor)    */
		0,			/* thiszone: UTC                 */
		0,			/* sigfigs                       */
		PCAP_SNAPLEN,
		PCAP_LINKTYPE_ETHERNET,
	};
	int err = 0;

	if (!w || !path)
		return EINVAL;

	memset(w, 0, sizeof(*w));
	w->f = fopen(path, "wb");
	if (!w->f)
		return errno;

	for (size_t i = 0; i < ARRAY_SIZE(hdr) && !err; i++)
		err = write_le32(w->f, hdr[i]);

	if (err)
		(void)pcapw_close(w);

	return err;
}

/**
 * Write one UDP datagram as a captured Ethernet frame
 *
 * @param w        Open writer
 * @param src      Source address and port: IPv4, in 127.0.0.0/8
 * @param dst      Destination address and port: IPv4, in 127.0.0.0/8
 * @param payload  UDP payload
 * @param len      Payload length, at most PCAPW_MAX_PAYLOAD
 * @param usec     Capture time, microseconds since the Unix epoch
 *
 * @return 0 if success, otherwise errorcode
 */
int pcapw_udp(struct pcapw *w, const struct sa *src, const struct sa *dst,
	      const uint8_t *payload, size_t len, uint64_t usec)
{
	uint8_t hdrs[HDRS_LEN], pseudo[12];
	uint8_t *ip = hdrs + ETH_LEN, *udp = ip + IP_LEN;
	const uint32_t frame_len = (uint32_t)(HDRS_LEN + len);
	uint32_t sum;
	uint16_t ck;
	int err;

	if (!w || !w->f || (!payload && len) || len > PCAPW_MAX_PAYLOAD)
		return EINVAL;
	if (!is_loopback4(src) || !is_loopback4(dst))
		return EINVAL;

	memset(hdrs, 0, sizeof(hdrs));		/* zero MACs, as on "lo" */
	put16(hdrs + 12, 0x0800);		/* EtherType IPv4 */

	ip[0] = 0x45;				/* version 4, IHL 5 */
	put16(ip + 2, (uint16_t)(IP_LEN + UDP_LEN + len));
	put16(ip + 4, ++w->ip_id);
	put16(ip + 6, 0x4000);			/* DF, offset 0 */
	ip[8] = 64;				/* TTL */
	ip[9] = IPPROTO_UDP_;
	put32(ip + 12, sa_in(src));
	put32(ip + 16, sa_in(dst));
	put16(ip + 10, fold(sum16(0, ip, IP_LEN)));

	put16(udp, sa_port(src));
	put16(udp + 2, sa_port(dst));
	put16(udp + 4, (uint16_t)(UDP_LEN + len));

	memcpy(pseudo, ip + 12, 8);		/* source, destination */
	pseudo[8] = 0;
	pseudo[9] = IPPROTO_UDP_;
	put16(pseudo + 10, (uint16_t)(UDP_LEN + len));
	sum = sum16(0, pseudo, sizeof(pseudo));
	sum = sum16(sum, udp, UDP_LEN);		/* checksum field still 0 */
	if (len)
		sum = sum16(sum, payload, len);
	ck = fold(sum);
	put16(udp + 6, ck ? ck : 0xffff);	/* 0 would mean "none" */

	err = write_le32(w->f, (uint32_t)(usec / 1000000));
	if (!err)
		err = write_le32(w->f, (uint32_t)(usec % 1000000));
	if (!err)
		err = write_le32(w->f, frame_len);	/* captured */
	if (!err)
		err = write_le32(w->f, frame_len);	/* on the wire */
	if (!err && fwrite(hdrs, 1, sizeof(hdrs), w->f) != sizeof(hdrs))
		err = EIO;
	if (!err && len && fwrite(payload, 1, len, w->f) != len)
		err = EIO;
	if (err)
		return err;

	++w->count;

	return 0;
}

/**
 * Flush and close the file
 *
 * @param w  Writer (may be unopened)
 *
 * @return 0 if success, otherwise errorcode of the final flush
 */
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
