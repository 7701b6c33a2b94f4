/**
 * @file mcx/str.h  Small string checks shared by the codecs
 */
#ifndef MCX_STR_H
#define MCX_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

bool mcx_utf8_valid(const uint8_t *s, size_t n);
bool mcx_domain_valid(const char *s);
bool mcx_id_valid(const char *s, size_t maxlen);
int  mcx_strset(char **dstp, const char *src);
bool mcx_digits(const char *s, size_t n);

enum { MCX_EDIT_DIST_MAX = 80 };	/**< longest word mcx_edit_dist takes */
unsigned mcx_edit_dist(const char *a, size_t n, const char *b, size_t m);

struct re_printf;
int  mcx_json_str(struct re_printf *pf, const char *s);

#endif
