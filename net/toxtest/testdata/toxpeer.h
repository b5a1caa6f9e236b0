/*
 * toxpeer.h: the shared API of the toxpeer modules. The line protocol itself
 * is documented at the top of toxpeer.c.
 *
 * To add a feature (file transfer, toxav, ...): write toxpeer_<feature>.c
 * defining a `const Module <feature>_module`, declare it below, and add it to
 * the modules[] list in toxpeer.c. The Go side compiles every testdata/toxpeer*.c
 * together, so nothing else has to change.
 */
#ifndef TOXPEER_H
#define TOXPEER_H

#define _POSIX_C_SOURCE 200809L

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tox/tox.h>

/* The one Tox instance, created before any module's init runs. */
extern Tox *tox;

/* Command-line options, parsed before tox_new (see toxpeer.c for the flags). */
typedef struct {
    bool ipv6, lan, udp, hole_punching, auto_accept;
    uint16_t start_port, end_port, tcp_port;
    const char *savedata, *pass, *secret_key, *name;
    int log_level; /* a Tox_Log_Level, or -1 for no log lines */
} Peer_Options;
extern Peer_Options opts;

/*
 * Output. Every line is built in memory and written at once, so a log callback
 * firing while a line is being built cannot split it. Lines start with the
 * milliseconds since start; out_event/out_ok add the word(s) after that.
 */
typedef struct Out Out;
Out *out_event(const char *name);              /* "<ms> <name>" */
Out *out_ok(const char *cmd);                  /* "<ms> ok <cmd>" */
void out_err(const char *cmd, const char *reason); /* a whole "<ms> err <cmd> <reason>" line */
Out *out_err_begin(const char *cmd, const char *reason); /* out_err with details to follow */
void out_word(Out *o, const char *word);       /* " word"; only details may hold spaces */
void out_u32(Out *o, uint32_t v);              /* " 123" */
void out_hex(Out *o, const uint8_t *b, size_t n); /* " ABCD", or " -" when n == 0 */
void out_end(Out *o);                          /* newline, write, flush, free */

/*
 * Argument parsing. All return false on malformed input and leave *v alone.
 * arg_text decodes hex ("-" is the empty string) in place: the bytes start at
 * s itself, *n is their count, and s[*n] is set to NUL.
 */
bool arg_u32(const char *s, uint32_t *v);
bool arg_u16(const char *s, uint16_t *v);
bool arg_bool(const char *s, bool *v);          /* "0" or "1" */
bool arg_key(const char *s, uint8_t *out, size_t n); /* exactly n bytes of hex */
bool arg_text(char *s, size_t *n);
int arg_choice(const char *s, const char *const *names, size_t count); /* index or -1 */

/* Names of enums as printed in events and replies. */
extern const char *const connection_names[3]; /* none tcp udp */
extern const char *const user_status_names[3]; /* none away busy */
extern const char *const message_type_names[2]; /* normal action */
const char *enum_name(const char *const *names, size_t count, unsigned v);
#define ENUM_NAME(tab, v) enum_name((tab), sizeof(tab) / sizeof((tab)[0]), (unsigned)(v))

/*
 * A command handler receives the words after the command name (argc of them,
 * already checked against min_args/max_args) and must print exactly one reply:
 * out_ok(cmd)...out_end, or out_err(cmd, REASON). Handlers may modify argv's
 * strings (arg_text decodes in place).
 */
typedef void Command_Fn(const char *cmd, int argc, char **argv);
typedef struct {
    const char *name;
    int min_args, max_args;
    Command_Fn *run;
    const char *usage; /* argument synopsis, for "help" and USAGE errors */
} Command;

typedef struct {
    const char *name;
    const Command *commands; /* terminated by an entry with name == NULL */
    void (*init)(Tox *t);    /* register callbacks; after tox_new; may be NULL */
    void (*iterate)(void);   /* after every tox_iterate; may be NULL */
    uint32_t (*interval)(void); /* ms until it wants iterate again, 0 = no opinion; may be NULL */
    void (*shutdown)(void);  /* before tox_kill; may be NULL */
} Module;

extern const Module self_module;    /* toxpeer_self.c: identity, network, profile */
extern const Module friends_module; /* toxpeer_friends.c: friends, messages, presence */

/* Request a clean exit after the current iteration. */
void request_quit(void);

/* Utilities (toxpeer_util.c). */
void clock_start(void);      /* t = 0 for the <ms> field; main calls it first */
unsigned replies_sent(void); /* count of ok/err lines so far */
void *xrealloc(void *p, size_t n); /* exits on out of memory */

#endif
