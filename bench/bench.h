/**
 * @file bench.h  mcxbench's parts (private to bench/)
 *
 *   mcxbench.c  options, the run in order, the report (table or JSON)
 *   bsys.c      the system under test: its configuration, mcxd as a
 *               child process, its control socket
 *   load.c      the clients in one libre loop: registrations, then
 *               call setups, with a number of operations in flight
 */
#ifndef MCX_BENCH_H
#define MCX_BENCH_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct mcx_diag;

enum {
	BENCH_PATH_MAX = 1024,
	BENCH_NAME_MAX = 64,		/**< A login name or a password  */
	BENCH_USERS_MAX = 20000,
	BENCH_FAIL_SHOW = 4,		/**< Failures told, of each kind */
	BENCH_FAIL_LEN = 200,
	/* The media relay's ports: below the clients' RTP range
	 * (ASTREAM_PORT_ANY_MIN, 16384) and Linux's ephemeral ports, so
	 * that neither side takes the other's ports */
	BENCH_RELAY_MIN = 10000,
	BENCH_RELAY_MAX = 16383,
	BENCH_RELAY_LEG_PORTS = 4,	/**< RTP, RTCP, floor, (spare)   */
};

/** What the command line asked for */
struct bench_opt {
	unsigned users;
	unsigned calls;
	unsigned concurrency;
	unsigned duration_limit_s;	/**< per phase; 0: none          */
	unsigned timeout_ms;		/**< one operation, at most      */
	const char *mcxd;
	const char *setup;		/**< --setup DIR, or NULL        */
	const char *mcxd_log;		/**< mcxd's log_level            */
	bool json;
	bool keep;
	unsigned verbose;
};

/** One user of the system under test */
struct bench_user {
	char name[BENCH_NAME_MAX];
	char password[BENCH_NAME_MAX];
};

/** The system under test: one mcxd on loopback */
struct bsys {
	char dir[BENCH_PATH_MAX];	/**< absolute                    */
	bool tmp;			/**< made by us, removed at end  */
	char domain[256];
	char ip[64];
	uint16_t sip_port, http_port, ctl_port;
	char sip_addr[96], http_addr[96];
	struct bench_user *users;	/**< mem_* array                 */
	unsigned nusers;
	pid_t pid;			/**< 0: not running              */
};

/** What the control socket's status says */
struct bsys_status {
	unsigned registrations;
	unsigned calls;			/**< at this moment              */
	uint64_t calls_total;
	uint64_t calls_failed;
	uint64_t sip_rejected;
};

int  bsys_setup(struct bsys *s, const struct bench_opt *o,
		struct mcx_diag *diag);
int  bsys_start(struct bsys *s, const char *mcxd, unsigned wait_ms,
		struct mcx_diag *diag);
int  bsys_status_get(const struct bsys *s, struct bsys_status *st);
int  bsys_stop(struct bsys *s, int *statusp, struct mcx_diag *diag);
double bsys_cpu_s(const struct bsys *s);
void bsys_log_count(const struct bsys *s, unsigned *errors,
		    unsigned *warnings);
void bsys_close(struct bsys *s, bool keep);

/** What failed: the first few of each kind are kept in words */
enum bench_fails {
	BF_REG,		/**< a registration                      */
	BF_CALL,	/**< a call                              */
	BF_CHECK,	/**< mcxd: a count, its exit, an error   */
	BENCH_FAILS,
};

/** The figures of one run */
struct bench_result {
	unsigned users;			/**< clients made                */
	unsigned reg_ok, reg_failed;
	double reg_s;			/**< phase 1, first start to end */
	double reg_cpu, reg_cpu_mcxd;	/**< CPU seconds: us, mcxd       */
	unsigned calls_asked;
	unsigned call_ok, call_failed, calls_not_run;
	double call_s;
	double call_cpu, call_cpu_mcxd;
	uint64_t *setup_us;		/**< mem_*, call_ok samples      */
	unsigned nsetup;
	unsigned checks_failed;		/**< server-side checks          */
	unsigned alloc_retries;		/**< mcxc_alloc EADDRINUSE       */
	bool limited;			/**< a phase hit --duration-limit */
	bool interrupted;
	char fail[BENCH_FAILS][BENCH_FAIL_SHOW][BENCH_FAIL_LEN];
	unsigned nfail[BENCH_FAILS];	/**< recorded, all of them       */
};

int  bload_run(const struct bench_opt *o, const struct bsys *sys,
	       struct bench_result *r);
void bench_fail(struct bench_result *r, enum bench_fails k,
		const char *fmt, ...) __attribute__((format(printf, 3, 4)));
uint64_t bench_now_us(void);

#endif
