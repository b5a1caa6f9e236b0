/*
 * toxpeer_util.c: output lines, argument parsing and enum names shared by
 * every toxpeer module (declared in toxpeer.h). Protocol: see toxpeer.c.
 */
#include "toxpeer.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static struct timespec t0;
static unsigned replies; /* replies printed, to catch handlers that print none */

void clock_start(void) { clock_gettime(CLOCK_MONOTONIC, &t0); }

void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (p == NULL) {
        fputs("toxpeer: out of memory\n", stderr);
        exit(2);
    }
    return p;
}

/* ---- output ---- */

struct Out {
    FILE *f;
    char *buf;
    size_t len;
};

static long long ms_since_start(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)(t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000;
}

static Out *out_start(void)
{
    Out *o = xrealloc(NULL, sizeof *o);
    o->buf = NULL;
    o->len = 0;
    o->f = open_memstream(&o->buf, &o->len);
    if (o->f == NULL) {
        fputs("toxpeer: open_memstream failed\n", stderr);
        exit(2);
    }
    fprintf(o->f, "%lld", ms_since_start());
    return o;
}

Out *out_event(const char *name)
{
    Out *o = out_start();
    out_word(o, name);
    return o;
}

Out *out_ok(const char *cmd)
{
    Out *o = out_event("ok");
    out_word(o, cmd);
    replies++;
    return o;
}

Out *out_err_begin(const char *cmd, const char *reason)
{
    Out *o = out_event("err");
    out_word(o, cmd);
    out_word(o, reason);
    replies++;
    return o;
}

void out_err(const char *cmd, const char *reason) { out_end(out_err_begin(cmd, reason)); }

unsigned replies_sent(void) { return replies; }

void out_word(Out *o, const char *word) { fprintf(o->f, " %s", word); }

void out_u32(Out *o, uint32_t v) { fprintf(o->f, " %lu", (unsigned long)v); }

void out_hex(Out *o, const uint8_t *b, size_t n)
{
    static const char digits[] = "0123456789ABCDEF";
    fputc(' ', o->f);
    if (n == 0) {
        fputc('-', o->f);
    }
    for (size_t i = 0; i < n; i++) {
        fputc(digits[b[i] >> 4], o->f);
        fputc(digits[b[i] & 15], o->f);
    }
}

void out_end(Out *o)
{
    fputc('\n', o->f);
    fclose(o->f);
    fwrite(o->buf, 1, o->len, stdout);
    fflush(stdout);
    if (ferror(stdout)) {
        request_quit(); /* nobody is listening any more */
    }
    free(o->buf);
    free(o);
}

/* ---- argument parsing ---- */

bool arg_u32(const char *s, uint32_t *v)
{
    char *end;
    if (*s < '0' || *s > '9') {
        return false;
    }
    errno = 0;
    unsigned long long x = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0' || x > UINT32_MAX) {
        return false;
    }
    *v = (uint32_t)x;
    return true;
}

bool arg_u16(const char *s, uint16_t *v)
{
    uint32_t x;
    if (!arg_u32(s, &x) || x > UINT16_MAX) {
        return false;
    }
    *v = (uint16_t)x;
    return true;
}

bool arg_bool(const char *s, bool *v)
{
    if (strcmp(s, "0") != 0 && strcmp(s, "1") != 0) {
        return false;
    }
    *v = s[0] == '1';
    return true;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static bool hex_ok(const char *s, size_t len)
{
    if (len % 2 != 0) {
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        if (hexval(s[i]) < 0) {
            return false;
        }
    }
    return true;
}

bool arg_key(const char *s, uint8_t *out, size_t n)
{
    if (strlen(s) != 2 * n || !hex_ok(s, 2 * n)) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        out[i] = (uint8_t)(hexval(s[2 * i]) << 4 | hexval(s[2 * i + 1]));
    }
    return true;
}

bool arg_text(char *s, size_t *n)
{
    if (strcmp(s, "-") == 0) {
        s[0] = '\0';
        *n = 0;
        return true;
    }
    size_t len = strlen(s);
    if (len == 0 || !hex_ok(s, len)) {
        return false;
    }
    /* In place: byte i is read from s[2i], s[2i+1], which are at or past i. */
    for (size_t i = 0; i < len / 2; i++) {
        s[i] = (char)(hexval(s[2 * i]) << 4 | hexval(s[2 * i + 1]));
    }
    *n = len / 2;
    s[*n] = '\0';
    return true;
}

int arg_choice(const char *s, const char *const *names, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        if (strcmp(s, names[i]) == 0) {
            return (int)i;
        }
    }
    return -1;
}

const char *const connection_names[3] = {"none", "tcp", "udp"};
const char *const user_status_names[3] = {"none", "away", "busy"};
const char *const message_type_names[2] = {"normal", "action"};

const char *enum_name(const char *const *names, size_t count, unsigned v)
{
    return v < count ? names[v] : "UNKNOWN";
}
