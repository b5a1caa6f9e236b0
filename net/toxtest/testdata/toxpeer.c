/*
 * toxpeer: one libtoxcore 0.2.18 instance driven over stdin/stdout, the test
 * peer of Parley's interop tests (Go side: parley/net/toxtest).
 *
 * Build: gcc -O1 -Wall -o toxpeer toxpeer*.c $(pkg-config --cflags --libs toxcore)
 *
 * FLAGS (plain text, not hex):
 *   --ipv6 0|1           IPv6 dual-stack socket (default 0)
 *   --udp 0|1            UDP enabled (default 1); 0 needs a TCP relay
 *   --lan 0|1            LAN discovery (default 0)
 *   --hole-punching 0|1  (default 1)
 *   --start-port N --end-port N   UDP port range to bind (default 0 0 = 33445..33545)
 *   --tcp-port N         also run a TCP relay server on N (default 0 = none)
 *   --savedata FILE      load a .tox profile, plain or toxencryptsave-encrypted
 *   --pass PASS          passphrase for an encrypted --savedata
 *   --secret-key HEX     start from this 32-byte secret key (TOX_SAVEDATA_TYPE_SECRET_KEY)
 *   --name NAME          set the self name after start
 *   --auto-accept 0|1    accept every friend request at once (default 0)
 *   --log-level trace|debug|info|warning|error|none   min level of log lines (default warning)
 *
 * LINES. Commands are read from stdin, one per line, words separated by
 * spaces. Every output line on stdout is
 *     <ms> <word> <args...>
 * where <ms> is milliseconds since the process started (CLOCK_MONOTONIC).
 * Free text, file paths and binary data are hex (either case on input,
 * upper case on output); the empty string is "-". Keys are 64 hex digits, a
 * Tox address 76. Enum words: connection none|tcp|udp, status none|away|busy,
 * message type normal|action.
 *
 * REPLIES. Each command line gets exactly one reply, in order:
 *     <ms> ok <cmd> [values...]      or      <ms> err <cmd> <REASON> [details...]
 * REASON is an upper-case word: a toxcore error name without its prefix
 * (FRIEND_NOT_CONNECTED, BAD_CHECKSUM...), USAGE, BAD_ARG or UNKNOWN_COMMAND.
 *
 * COMMANDS (reply values after "ok <cmd>"):
 *   framework:  help -> command names; echo [words] -> the words; quit
 *   self:       bootstrap <host> <port> <dhtpk>; add_tcp_relay <host> <port> <pk>;
 *               address -> <address>; public_key -> <pk>; dht_id -> <dhtpk>;
 *               port -> <udpport> <tcpport>; self_status -> <connection> <status>;
 *               nospam -> <hex8>; set_nospam <hex8>;
 *               name -> <hex>; set_name <hex>; status_message -> <hex>;
 *               set_status_message <hex>; set_status none|away|busy;
 *               save <hexpath> [hexpass] -> <bytes written> (encrypted when a pass is given)
 *   friends:    friend_add <address> <hexmsg> -> <n>; friend_add_norequest <pk> -> <n>;
 *               friend_delete <n>; friend_by_pk <pk> -> <n>; friend_list -> <n>...;
 *               friend_info <n> -> <n> <pk> <connection> <status> <hexname> <hexstatusmsg> <typing0|1>;
 *               send <n> normal|action <hextext> -> <msgid>; set_typing <n> 0|1;
 *               send_lossless <n> <hexdata>; send_lossy <n> <hexdata>
 *                 (first byte 160..191 lossless, 200..254 lossy)
 *
 * EVENTS (unsolicited lines):
 *   ready <address> <dhtpk> <udpport> <pk> <tcpport>   once, after tox_new
 *   fatal <what> <REASON>                   startup failed; the process exits 1
 *   self_connection none|tcp|udp
 *   friend_request <pk> <hexmsg>
 *   friend_accepted <n> <pk>                with --auto-accept 1 (after friend_request)
 *   friend_accept_failed <REASON> <pk>      with --auto-accept 1, when tox_friend_add_norequest failed
 *   friend_connection <n> none|tcp|udp
 *   message <n> normal|action <hextext>
 *   receipt <n> <msgid>
 *   friend_name <n> <hex>       friend_status_message <n> <hex>
 *   friend_status <n> none|away|busy        friend_typing <n> 0|1
 *   lossless_packet <n> <hexdata>           lossy_packet <n> <hexdata>
 *   log <LEVEL> <file>:<line> <func> <hexmsg>   toxcore log at --log-level or above
 *   bye                                     last line of a clean exit
 *
 * The loop: tox_iterate, then poll(stdin) for the smallest interval any module
 * asks for, then run every complete command line. EOF on stdin means quit.
 *
 * FILES: toxpeer.c (this: flags, startup, loop, dispatch), toxpeer_util.c
 * (output lines, argument parsing), one file per module (toxpeer_self.c,
 * toxpeer_friends.c). See toxpeer.h for how to add a module.
 */
#include "toxpeer.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <tox/toxencryptsave.h>

static const Module *const modules[] = {
    &self_module,
    &friends_module,
    /* &file_module, &av_module, ... */
};
#define NMODULES (sizeof(modules) / sizeof(modules[0]))

Tox *tox;
Peer_Options opts = {.udp = true, .hole_punching = true, .log_level = TOX_LOG_LEVEL_WARNING};

static bool quitting;

void request_quit(void) { quitting = true; }

static void fatal(const char *what, const char *reason)
{
    Out *o = out_event("fatal");
    out_word(o, what);
    out_word(o, reason);
    out_end(o);
    exit(1);
}

/* ---- flags ---- */

static const char *const log_level_names[] = {"trace", "debug", "info", "warning", "error"};

typedef enum { FLAG_BOOL, FLAG_PORT, FLAG_STR, FLAG_LOG_LEVEL } Flag_Kind;
static const struct {
    const char *flag;
    Flag_Kind kind;
    void *dst;
} flag_table[] = {
    {"--ipv6", FLAG_BOOL, &opts.ipv6},
    {"--udp", FLAG_BOOL, &opts.udp},
    {"--lan", FLAG_BOOL, &opts.lan},
    {"--hole-punching", FLAG_BOOL, &opts.hole_punching},
    {"--auto-accept", FLAG_BOOL, &opts.auto_accept},
    {"--start-port", FLAG_PORT, &opts.start_port},
    {"--end-port", FLAG_PORT, &opts.end_port},
    {"--tcp-port", FLAG_PORT, &opts.tcp_port},
    {"--savedata", FLAG_STR, &opts.savedata},
    {"--pass", FLAG_STR, &opts.pass},
    {"--secret-key", FLAG_STR, &opts.secret_key},
    {"--name", FLAG_STR, &opts.name},
    {"--log-level", FLAG_LOG_LEVEL, &opts.log_level},
};

static void parse_flags(int argc, char **argv)
{
    for (int i = 1; i < argc; i += 2) {
        size_t f = 0;
        while (f < sizeof flag_table / sizeof flag_table[0] && strcmp(flag_table[f].flag, argv[i]) != 0) {
            f++;
        }
        if (f == sizeof flag_table / sizeof flag_table[0]) {
            fatal(argv[i], "UNKNOWN_FLAG");
        }
        if (i + 1 >= argc) {
            fatal(argv[i], "MISSING_VALUE");
        }
        const char *v = argv[i + 1];
        bool ok = true;
        switch (flag_table[f].kind) {
        case FLAG_BOOL:
            ok = arg_bool(v, flag_table[f].dst);
            break;
        case FLAG_PORT:
            ok = arg_u16(v, flag_table[f].dst);
            break;
        case FLAG_STR:
            *(const char **)flag_table[f].dst = v;
            break;
        case FLAG_LOG_LEVEL: {
            int lv = strcmp(v, "none") == 0 ? -1 : arg_choice(v, log_level_names, 5);
            ok = lv >= 0 || strcmp(v, "none") == 0;
            *(int *)flag_table[f].dst = lv;
            break;
        }
        }
        if (!ok) {
            fatal(argv[i], "BAD_VALUE");
        }
    }
}

/* ---- startup ---- */

static void on_log(Tox *t, Tox_Log_Level level, const char *file, uint32_t line, const char *func,
                   const char *message, void *user_data)
{
    if (opts.log_level < 0 || (int)level < opts.log_level) {
        return;
    }
    static const char *const upper[] = {"TRACE", "DEBUG", "INFO", "WARNING", "ERROR"};
    Out *o = out_event("log");
    out_word(o, ENUM_NAME(upper, level));
    char where[512];
    snprintf(where, sizeof where, "%s:%lu", file && *file ? file : "?", (unsigned long)line);
    out_word(o, where);
    out_word(o, func && *func ? func : "?");
    out_hex(o, (const uint8_t *)message, message ? strlen(message) : 0);
    out_end(o);
}

static uint8_t *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    uint8_t *data = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n == cap) {
            cap = cap ? 2 * cap : 4096;
            data = xrealloc(data, cap);
        }
        size_t r = fread(data + n, 1, cap - n, f);
        if (r == 0) {
            break;
        }
        n += r;
    }
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        free(data);
        return NULL;
    }
    *len = n;
    return data;
}

/* Fills the savedata options from --savedata or --secret-key; returns the buffer to free after tox_new. */
static uint8_t *load_savedata(struct Tox_Options *o)
{
    static const char *const decrypt_errs[] = {"OK", "NULL", "INVALID_LENGTH", "BAD_FORMAT", "KEY_DERIVATION_FAILED", "FAILED"};
    if (opts.secret_key != NULL) {
        uint8_t *sk = xrealloc(NULL, TOX_SECRET_KEY_SIZE);
        if (!arg_key(opts.secret_key, sk, TOX_SECRET_KEY_SIZE)) {
            fatal("--secret-key", "BAD_VALUE");
        }
        tox_options_set_savedata_type(o, TOX_SAVEDATA_TYPE_SECRET_KEY);
        tox_options_set_savedata_data(o, sk, TOX_SECRET_KEY_SIZE);
        return sk;
    }
    if (opts.savedata == NULL) {
        return NULL;
    }
    size_t len;
    uint8_t *data = read_file(opts.savedata, &len);
    if (data == NULL) {
        fatal("--savedata", "READ_FAILED");
    }
    if (len >= TOX_PASS_ENCRYPTION_EXTRA_LENGTH && tox_is_data_encrypted(data)) {
        if (opts.pass == NULL) {
            fatal("--savedata", "ENCRYPTED_NEEDS_PASS");
        }
        uint8_t *plain = xrealloc(NULL, len - TOX_PASS_ENCRYPTION_EXTRA_LENGTH);
        Tox_Err_Decryption e;
        if (!tox_pass_decrypt(data, len, (const uint8_t *)opts.pass, strlen(opts.pass), plain, &e)) {
            fatal("--savedata", ENUM_NAME(decrypt_errs, e));
        }
        free(data);
        data = plain;
        len -= TOX_PASS_ENCRYPTION_EXTRA_LENGTH;
    }
    tox_options_set_savedata_type(o, TOX_SAVEDATA_TYPE_TOX_SAVE);
    tox_options_set_savedata_data(o, data, len);
    return data;
}

static void start_tox(void)
{
    static const char *const new_errs[] = {"OK", "NULL", "MALLOC", "PORT_ALLOC", "PROXY_BAD_TYPE", "PROXY_BAD_HOST",
                                           "PROXY_BAD_PORT", "PROXY_NOT_FOUND", "LOAD_ENCRYPTED", "LOAD_BAD_FORMAT"};
    Tox_Err_Options_New oe;
    struct Tox_Options *o = tox_options_new(&oe);
    if (o == NULL) {
        fatal("tox_options_new", "MALLOC");
    }
    tox_options_set_ipv6_enabled(o, opts.ipv6);
    tox_options_set_udp_enabled(o, opts.udp);
    tox_options_set_local_discovery_enabled(o, opts.lan);
    tox_options_set_hole_punching_enabled(o, opts.hole_punching);
    tox_options_set_start_port(o, opts.start_port);
    tox_options_set_end_port(o, opts.end_port);
    tox_options_set_tcp_port(o, opts.tcp_port);
    tox_options_set_log_callback(o, on_log);
    uint8_t *data = load_savedata(o);
    Tox_Err_New e;
    tox = tox_new(o, &e);
    free(data);
    tox_options_free(o);
    if (tox == NULL) {
        fatal("tox_new", ENUM_NAME(new_errs, e));
    }
    if (opts.name != NULL) {
        tox_self_set_name(tox, (const uint8_t *)opts.name, strlen(opts.name), NULL);
    }
    for (size_t i = 0; i < NMODULES; i++) {
        if (modules[i]->init != NULL) {
            modules[i]->init(tox);
        }
    }
}

static void announce_ready(void)
{
    uint8_t addr[TOX_ADDRESS_SIZE], dht[TOX_PUBLIC_KEY_SIZE], pk[TOX_PUBLIC_KEY_SIZE];
    tox_self_get_address(tox, addr);
    tox_self_get_dht_id(tox, dht);
    tox_self_get_public_key(tox, pk);
    Tox_Err_Get_Port pe;
    uint16_t udp = tox_self_get_udp_port(tox, &pe);
    uint16_t tcp = tox_self_get_tcp_port(tox, &pe);
    if (pe != TOX_ERR_GET_PORT_OK) {
        tcp = 0;
    }
    Out *o = out_event("ready");
    out_hex(o, addr, sizeof addr);
    out_hex(o, dht, sizeof dht);
    out_u32(o, udp);
    out_hex(o, pk, sizeof pk);
    out_u32(o, tcp);
    out_end(o);
}

/* ---- commands ---- */

static void cmd_help(const char *cmd, int argc, char **argv);

static void cmd_echo(const char *cmd, int argc, char **argv)
{
    Out *o = out_ok(cmd);
    for (int i = 0; i < argc; i++) {
        out_word(o, argv[i]);
    }
    out_end(o);
}

static void cmd_quit(const char *cmd, int argc, char **argv)
{
    out_end(out_ok(cmd));
    quitting = true;
}

static const Command framework_commands[] = {
    {"help", 0, 0, cmd_help, ""},
    {"echo", 0, 64, cmd_echo, "[words...]"},
    {"quit", 0, 0, cmd_quit, ""},
    {NULL},
};

static void cmd_help(const char *cmd, int argc, char **argv)
{
    Out *o = out_ok(cmd);
    for (const Command *c = framework_commands; c->name; c++) {
        out_word(o, c->name);
    }
    for (size_t i = 0; i < NMODULES; i++) {
        for (const Command *c = modules[i]->commands; c && c->name; c++) {
            out_word(o, c->name);
        }
    }
    out_end(o);
}

static const Command *find_command(const char *name)
{
    for (const Command *c = framework_commands; c->name; c++) {
        if (strcmp(c->name, name) == 0) {
            return c;
        }
    }
    for (size_t i = 0; i < NMODULES; i++) {
        for (const Command *c = modules[i]->commands; c && c->name; c++) {
            if (strcmp(c->name, name) == 0) {
                return c;
            }
        }
    }
    return NULL;
}

#define MAX_WORDS 66

static void run_line(char *line)
{
    char *words[MAX_WORDS];
    int n = 0;
    for (char *save = NULL, *w = strtok_r(line, " \t\r", &save); w; w = strtok_r(NULL, " \t\r", &save)) {
        if (n == MAX_WORDS) {
            out_err(words[0], "USAGE");
            return;
        }
        words[n++] = w;
    }
    if (n == 0) {
        return;
    }
    const Command *c = find_command(words[0]);
    if (c == NULL) {
        out_err(words[0], "UNKNOWN_COMMAND");
        return;
    }
    int argc = n - 1;
    if (argc < c->min_args || argc > c->max_args) {
        Out *o = out_err_begin(c->name, "USAGE");
        out_word(o, c->name);
        out_word(o, c->usage);
        out_end(o);
        return;
    }
    unsigned before = replies_sent();
    c->run(c->name, argc, words + 1);
    if (replies_sent() == before) {
        out_err(c->name, "NO_REPLY"); /* a handler bug; keep the Go side in step */
    }
}

/* ---- stdin ---- */

#define MAX_LINE (64u << 20)

static char *inbuf;
static size_t inlen, incap;
static bool discarding; /* inside a line longer than MAX_LINE */

static void read_stdin(void)
{
    if (incap - inlen < 65536) {
        incap = incap ? 2 * incap : 131072;
        inbuf = xrealloc(inbuf, incap);
    }
    ssize_t r = read(STDIN_FILENO, inbuf + inlen, incap - inlen);
    if (r == 0) {
        quitting = true; /* the driver went away */
        return;
    }
    if (r < 0) {
        if (errno != EINTR && errno != EAGAIN) {
            quitting = true;
        }
        return;
    }
    inlen += (size_t)r;
    char *start = inbuf, *end = inbuf + inlen, *nl;
    while (!quitting && (nl = memchr(start, '\n', (size_t)(end - start))) != NULL) {
        *nl = '\0';
        if (discarding) {
            discarding = false;
        } else {
            run_line(start);
        }
        start = nl + 1;
    }
    inlen = (size_t)(end - start);
    memmove(inbuf, start, inlen);
    if (inlen > MAX_LINE) {
        out_err("-", "LINE_TOO_LONG");
        discarding = true;
        inlen = 0;
    }
}

static uint32_t next_interval(void)
{
    uint32_t iv = tox_iteration_interval(tox);
    for (size_t i = 0; i < NMODULES; i++) {
        if (modules[i]->interval != NULL) {
            uint32_t m = modules[i]->interval();
            if (m != 0 && m < iv) {
                iv = m;
            }
        }
    }
    return iv;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    signal(SIGPIPE, SIG_IGN);
    clock_start();
    parse_flags(argc, argv);
    start_tox();
    announce_ready();
    while (!quitting) {
        tox_iterate(tox, NULL);
        for (size_t i = 0; i < NMODULES; i++) {
            if (modules[i]->iterate != NULL) {
                modules[i]->iterate();
            }
        }
        struct pollfd pfd = {.fd = STDIN_FILENO, .events = POLLIN};
        int r = poll(&pfd, 1, (int)next_interval());
        if (r > 0) {
            read_stdin();
        } else if (r < 0 && errno != EINTR) {
            quitting = true;
        }
    }
    for (size_t i = NMODULES; i-- > 0;) {
        if (modules[i]->shutdown != NULL) {
            modules[i]->shutdown();
        }
    }
    tox_kill(tox);
    out_end(out_event("bye"));
    free(inbuf);
    return 0;
}
