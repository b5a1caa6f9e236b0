/*
 * toxpeer_self.c: the self module: network (bootstrap, TCP relays), identity
 * (address, keys, nospam, ports), own presence (name, status) and saving the
 * profile. Protocol: see toxpeer.c.
 */
#include "toxpeer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tox/toxencryptsave.h>

static const char *const bootstrap_errs[] = {"OK", "NULL", "BAD_HOST", "BAD_PORT"};
static const char *const set_info_errs[] = {"OK", "NULL", "TOO_LONG"};

/* bootstrap and add_tcp_relay share their arguments: <host> <port> <pk>. */
static void node_cmd(const char *cmd, char **argv,
                     bool (*add)(Tox *, const char *, uint16_t, const uint8_t *, Tox_Err_Bootstrap *))
{
    uint16_t port;
    uint8_t pk[TOX_PUBLIC_KEY_SIZE];
    if (!arg_u16(argv[1], &port) || !arg_key(argv[2], pk, sizeof pk)) {
        out_err(cmd, "BAD_ARG");
        return;
    }
    Tox_Err_Bootstrap e;
    if (!add(tox, argv[0], port, pk, &e)) {
        out_err(cmd, ENUM_NAME(bootstrap_errs, e));
        return;
    }
    out_end(out_ok(cmd));
}

static void cmd_bootstrap(const char *cmd, int argc, char **argv) { node_cmd(cmd, argv, tox_bootstrap); }

static void cmd_add_tcp_relay(const char *cmd, int argc, char **argv) { node_cmd(cmd, argv, tox_add_tcp_relay); }

static void cmd_address(const char *cmd, int argc, char **argv)
{
    uint8_t a[TOX_ADDRESS_SIZE];
    tox_self_get_address(tox, a);
    Out *o = out_ok(cmd);
    out_hex(o, a, sizeof a);
    out_end(o);
}

static void cmd_public_key(const char *cmd, int argc, char **argv)
{
    uint8_t k[TOX_PUBLIC_KEY_SIZE];
    tox_self_get_public_key(tox, k);
    Out *o = out_ok(cmd);
    out_hex(o, k, sizeof k);
    out_end(o);
}

static void cmd_dht_id(const char *cmd, int argc, char **argv)
{
    uint8_t k[TOX_PUBLIC_KEY_SIZE];
    tox_self_get_dht_id(tox, k);
    Out *o = out_ok(cmd);
    out_hex(o, k, sizeof k);
    out_end(o);
}

static void cmd_port(const char *cmd, int argc, char **argv)
{
    Tox_Err_Get_Port e;
    uint16_t udp = tox_self_get_udp_port(tox, &e);
    if (e != TOX_ERR_GET_PORT_OK) {
        udp = 0;
    }
    uint16_t tcp = tox_self_get_tcp_port(tox, &e);
    if (e != TOX_ERR_GET_PORT_OK) {
        tcp = 0;
    }
    Out *o = out_ok(cmd);
    out_u32(o, udp);
    out_u32(o, tcp);
    out_end(o);
}

static void cmd_self_status(const char *cmd, int argc, char **argv)
{
    Out *o = out_ok(cmd);
    out_word(o, ENUM_NAME(connection_names, tox_self_get_connection_status(tox)));
    out_word(o, ENUM_NAME(user_status_names, tox_self_get_status(tox)));
    out_end(o);
}

static void cmd_nospam(const char *cmd, int argc, char **argv)
{
    uint32_t n = tox_self_get_nospam(tox);
    uint8_t b[4] = {n >> 24, n >> 16, n >> 8, n};
    Out *o = out_ok(cmd);
    out_hex(o, b, sizeof b);
    out_end(o);
}

static void cmd_set_nospam(const char *cmd, int argc, char **argv)
{
    uint8_t b[4];
    if (!arg_key(argv[0], b, sizeof b)) {
        out_err(cmd, "BAD_ARG");
        return;
    }
    tox_self_set_nospam(tox, (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3]);
    out_end(out_ok(cmd));
}

static void cmd_name(const char *cmd, int argc, char **argv)
{
    size_t n = tox_self_get_name_size(tox);
    uint8_t *b = xrealloc(NULL, n + 1);
    tox_self_get_name(tox, b);
    Out *o = out_ok(cmd);
    out_hex(o, b, n);
    out_end(o);
    free(b);
}

static void cmd_status_message(const char *cmd, int argc, char **argv)
{
    size_t n = tox_self_get_status_message_size(tox);
    uint8_t *b = xrealloc(NULL, n + 1);
    tox_self_get_status_message(tox, b);
    Out *o = out_ok(cmd);
    out_hex(o, b, n);
    out_end(o);
    free(b);
}

/* set_name and set_status_message: one hex text argument. */
static void set_text(const char *cmd, char *arg, bool (*set)(Tox *, const uint8_t *, size_t, Tox_Err_Set_Info *))
{
    size_t n;
    if (!arg_text(arg, &n)) {
        out_err(cmd, "BAD_ARG");
        return;
    }
    Tox_Err_Set_Info e;
    if (!set(tox, (const uint8_t *)arg, n, &e)) {
        out_err(cmd, ENUM_NAME(set_info_errs, e));
        return;
    }
    out_end(out_ok(cmd));
}

static void cmd_set_name(const char *cmd, int argc, char **argv) { set_text(cmd, argv[0], tox_self_set_name); }

static void cmd_set_status_message(const char *cmd, int argc, char **argv)
{
    set_text(cmd, argv[0], tox_self_set_status_message);
}

static void cmd_set_status(const char *cmd, int argc, char **argv)
{
    int s = arg_choice(argv[0], user_status_names, 3);
    if (s < 0) {
        out_err(cmd, "BAD_ARG");
        return;
    }
    tox_self_set_status(tox, (Tox_User_Status)s);
    out_end(out_ok(cmd));
}

/* save <hexpath> [hexpass]: written to <path>.tmp, then renamed, so a reader never sees half a file. */
static void cmd_save(const char *cmd, int argc, char **argv)
{
    static const char *const encrypt_errs[] = {"OK", "NULL", "KEY_DERIVATION_FAILED", "FAILED"};
    size_t plen, passlen = 0;
    if (!arg_text(argv[0], &plen) || plen == 0 || (argc > 1 && !arg_text(argv[1], &passlen))) {
        out_err(cmd, "BAD_ARG");
        return;
    }
    size_t n = tox_get_savedata_size(tox);
    uint8_t *data = xrealloc(NULL, n + TOX_PASS_ENCRYPTION_EXTRA_LENGTH);
    tox_get_savedata(tox, data);
    if (argc > 1) {
        uint8_t *enc = xrealloc(NULL, n + TOX_PASS_ENCRYPTION_EXTRA_LENGTH);
        Tox_Err_Encryption e;
        if (!tox_pass_encrypt(data, n, (const uint8_t *)argv[1], passlen, enc, &e)) {
            free(enc);
            free(data);
            out_err(cmd, ENUM_NAME(encrypt_errs, e));
            return;
        }
        free(data);
        data = enc;
        n += TOX_PASS_ENCRYPTION_EXTRA_LENGTH;
    }
    char *tmp = xrealloc(NULL, plen + 5);
    snprintf(tmp, plen + 5, "%s.tmp", argv[0]);
    FILE *f = fopen(tmp, "wb");
    bool ok = f != NULL && fwrite(data, 1, n, f) == n;
    ok = (f != NULL && fclose(f) == 0) && ok;
    ok = ok && rename(tmp, argv[0]) == 0;
    free(tmp);
    free(data);
    if (!ok) {
        out_err(cmd, "WRITE_FAILED");
        return;
    }
    Out *o = out_ok(cmd);
    out_u32(o, (uint32_t)n);
    out_end(o);
}

static const Command self_commands[] = {
    {"bootstrap", 3, 3, cmd_bootstrap, "<host> <port> <dhtpk>"},
    {"add_tcp_relay", 3, 3, cmd_add_tcp_relay, "<host> <port> <pk>"},
    {"address", 0, 0, cmd_address, ""},
    {"public_key", 0, 0, cmd_public_key, ""},
    {"dht_id", 0, 0, cmd_dht_id, ""},
    {"port", 0, 0, cmd_port, ""},
    {"self_status", 0, 0, cmd_self_status, ""},
    {"nospam", 0, 0, cmd_nospam, ""},
    {"set_nospam", 1, 1, cmd_set_nospam, "<hex8>"},
    {"name", 0, 0, cmd_name, ""},
    {"set_name", 1, 1, cmd_set_name, "<hextext>"},
    {"status_message", 0, 0, cmd_status_message, ""},
    {"set_status_message", 1, 1, cmd_set_status_message, "<hextext>"},
    {"set_status", 1, 1, cmd_set_status, "none|away|busy"},
    {"save", 1, 2, cmd_save, "<hexpath> [hexpass]"},
    {NULL},
};

static void on_self_connection(Tox *t, Tox_Connection c, void *ud)
{
    Out *o = out_event("self_connection");
    out_word(o, ENUM_NAME(connection_names, c));
    out_end(o);
}

static void self_init(Tox *t) { tox_callback_self_connection_status(t, on_self_connection); }

const Module self_module = {
    .name = "self",
    .commands = self_commands,
    .init = self_init,
};
