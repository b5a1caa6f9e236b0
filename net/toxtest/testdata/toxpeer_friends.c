/*
 * toxpeer_friends.c: the friends module: friend list, requests, messages,
 * receipts, friends' presence and custom packets. Protocol: see toxpeer.c.
 */
#include "toxpeer.h"

#include <stdlib.h>
#include <string.h>

static const char *const friend_add_errs[] = {"OK",        "NULL",         "TOO_LONG",       "NO_MESSAGE", "OWN_KEY",
                                              "ALREADY_SENT", "BAD_CHECKSUM", "SET_NEW_NOSPAM", "MALLOC"};
static const char *const send_message_errs[] = {"OK",    "NULL",     "FRIEND_NOT_FOUND", "FRIEND_NOT_CONNECTED",
                                                "SENDQ", "TOO_LONG", "EMPTY"};
static const char *const custom_packet_errs[] = {"OK",      "NULL",  "FRIEND_NOT_FOUND", "FRIEND_NOT_CONNECTED",
                                                 "INVALID", "EMPTY", "TOO_LONG",         "SENDQ"};

static bool arg_friend(const char *cmd, const char *s, uint32_t *f)
{
    if (!arg_u32(s, f)) {
        out_err(cmd, "BAD_ARG");
        return false;
    }
    if (!tox_friend_exists(tox, *f)) {
        out_err(cmd, "FRIEND_NOT_FOUND");
        return false;
    }
    return true;
}

static void ok_u32(const char *cmd, uint32_t v)
{
    Out *o = out_ok(cmd);
    out_u32(o, v);
    out_end(o);
}

static void cmd_friend_add(const char *cmd, int argc, char **argv)
{
    uint8_t addr[TOX_ADDRESS_SIZE];
    size_t n;
    if (!arg_key(argv[0], addr, sizeof addr) || !arg_text(argv[1], &n)) {
        out_err(cmd, "BAD_ARG");
        return;
    }
    Tox_Err_Friend_Add e;
    uint32_t f = tox_friend_add(tox, addr, (const uint8_t *)argv[1], n, &e);
    if (e != TOX_ERR_FRIEND_ADD_OK) {
        out_err(cmd, ENUM_NAME(friend_add_errs, e));
        return;
    }
    ok_u32(cmd, f);
}

static void cmd_friend_add_norequest(const char *cmd, int argc, char **argv)
{
    uint8_t pk[TOX_PUBLIC_KEY_SIZE];
    if (!arg_key(argv[0], pk, sizeof pk)) {
        out_err(cmd, "BAD_ARG");
        return;
    }
    Tox_Err_Friend_Add e;
    uint32_t f = tox_friend_add_norequest(tox, pk, &e);
    if (e != TOX_ERR_FRIEND_ADD_OK) {
        out_err(cmd, ENUM_NAME(friend_add_errs, e));
        return;
    }
    ok_u32(cmd, f);
}

static void cmd_friend_delete(const char *cmd, int argc, char **argv)
{
    uint32_t f;
    if (!arg_friend(cmd, argv[0], &f)) {
        return;
    }
    tox_friend_delete(tox, f, NULL);
    out_end(out_ok(cmd));
}

static void cmd_friend_by_pk(const char *cmd, int argc, char **argv)
{
    uint8_t pk[TOX_PUBLIC_KEY_SIZE];
    if (!arg_key(argv[0], pk, sizeof pk)) {
        out_err(cmd, "BAD_ARG");
        return;
    }
    Tox_Err_Friend_By_Public_Key e;
    uint32_t f = tox_friend_by_public_key(tox, pk, &e);
    if (e != TOX_ERR_FRIEND_BY_PUBLIC_KEY_OK) {
        out_err(cmd, "NOT_FOUND");
        return;
    }
    ok_u32(cmd, f);
}

static void cmd_friend_list(const char *cmd, int argc, char **argv)
{
    size_t n = tox_self_get_friend_list_size(tox);
    uint32_t *list = xrealloc(NULL, (n + 1) * sizeof *list);
    tox_self_get_friend_list(tox, list);
    Out *o = out_ok(cmd);
    for (size_t i = 0; i < n; i++) {
        out_u32(o, list[i]);
    }
    out_end(o);
    free(list);
}

static void cmd_friend_info(const char *cmd, int argc, char **argv)
{
    uint32_t f;
    if (!arg_friend(cmd, argv[0], &f)) {
        return;
    }
    uint8_t pk[TOX_PUBLIC_KEY_SIZE];
    tox_friend_get_public_key(tox, f, pk, NULL);
    size_t nn = tox_friend_get_name_size(tox, f, NULL);
    size_t sn = tox_friend_get_status_message_size(tox, f, NULL);
    uint8_t *name = xrealloc(NULL, nn + 1), *sm = xrealloc(NULL, sn + 1);
    tox_friend_get_name(tox, f, name, NULL);
    tox_friend_get_status_message(tox, f, sm, NULL);
    Out *o = out_ok(cmd);
    out_u32(o, f);
    out_hex(o, pk, sizeof pk);
    out_word(o, ENUM_NAME(connection_names, tox_friend_get_connection_status(tox, f, NULL)));
    out_word(o, ENUM_NAME(user_status_names, tox_friend_get_status(tox, f, NULL)));
    out_hex(o, name, nn);
    out_hex(o, sm, sn);
    out_word(o, tox_friend_get_typing(tox, f, NULL) ? "1" : "0");
    out_end(o);
    free(name);
    free(sm);
}

static void cmd_send(const char *cmd, int argc, char **argv)
{
    uint32_t f;
    size_t n;
    int type = arg_choice(argv[1], message_type_names, 2);
    if (!arg_u32(argv[0], &f) || type < 0 || !arg_text(argv[2], &n)) {
        out_err(cmd, "BAD_ARG");
        return;
    }
    Tox_Err_Friend_Send_Message e;
    uint32_t id = tox_friend_send_message(tox, f, (Tox_Message_Type)type, (const uint8_t *)argv[2], n, &e);
    if (e != TOX_ERR_FRIEND_SEND_MESSAGE_OK) {
        out_err(cmd, ENUM_NAME(send_message_errs, e));
        return;
    }
    ok_u32(cmd, id);
}

static void cmd_set_typing(const char *cmd, int argc, char **argv)
{
    uint32_t f;
    bool typing;
    if (!arg_bool(argv[1], &typing)) {
        out_err(cmd, "BAD_ARG");
        return;
    }
    if (!arg_friend(cmd, argv[0], &f)) {
        return;
    }
    tox_self_set_typing(tox, f, typing, NULL);
    out_end(out_ok(cmd));
}

/* send_lossless and send_lossy: <n> <hexdata>. */
static void custom_cmd(const char *cmd, char **argv,
                       bool (*send)(Tox *, uint32_t, const uint8_t *, size_t, Tox_Err_Friend_Custom_Packet *))
{
    uint32_t f;
    size_t n;
    if (!arg_u32(argv[0], &f) || !arg_text(argv[1], &n)) {
        out_err(cmd, "BAD_ARG");
        return;
    }
    Tox_Err_Friend_Custom_Packet e;
    if (!send(tox, f, (const uint8_t *)argv[1], n, &e)) {
        out_err(cmd, ENUM_NAME(custom_packet_errs, e));
        return;
    }
    out_end(out_ok(cmd));
}

static void cmd_send_lossless(const char *cmd, int argc, char **argv)
{
    custom_cmd(cmd, argv, tox_friend_send_lossless_packet);
}

static void cmd_send_lossy(const char *cmd, int argc, char **argv) { custom_cmd(cmd, argv, tox_friend_send_lossy_packet); }

static const Command friends_commands[] = {
    {"friend_add", 2, 2, cmd_friend_add, "<address> <hexmsg>"},
    {"friend_add_norequest", 1, 1, cmd_friend_add_norequest, "<pk>"},
    {"friend_delete", 1, 1, cmd_friend_delete, "<n>"},
    {"friend_by_pk", 1, 1, cmd_friend_by_pk, "<pk>"},
    {"friend_list", 0, 0, cmd_friend_list, ""},
    {"friend_info", 1, 1, cmd_friend_info, "<n>"},
    {"send", 3, 3, cmd_send, "<n> normal|action <hextext>"},
    {"set_typing", 2, 2, cmd_set_typing, "<n> 0|1"},
    {"send_lossless", 2, 2, cmd_send_lossless, "<n> <hexdata>"},
    {"send_lossy", 2, 2, cmd_send_lossy, "<n> <hexdata>"},
    {NULL},
};

/* ---- events ---- */

static void on_friend_request(Tox *t, const uint8_t *pk, const uint8_t *msg, size_t len, void *ud)
{
    Out *o = out_event("friend_request");
    out_hex(o, pk, TOX_PUBLIC_KEY_SIZE);
    out_hex(o, msg, len);
    out_end(o);
    if (!opts.auto_accept) {
        return;
    }
    Tox_Err_Friend_Add e;
    uint32_t f = tox_friend_add_norequest(t, pk, &e);
    o = out_event(e == TOX_ERR_FRIEND_ADD_OK ? "friend_accepted" : "friend_accept_failed");
    if (e == TOX_ERR_FRIEND_ADD_OK) {
        out_u32(o, f);
    } else {
        out_word(o, ENUM_NAME(friend_add_errs, e));
    }
    out_hex(o, pk, TOX_PUBLIC_KEY_SIZE);
    out_end(o);
}

static void on_friend_connection(Tox *t, uint32_t f, Tox_Connection c, void *ud)
{
    Out *o = out_event("friend_connection");
    out_u32(o, f);
    out_word(o, ENUM_NAME(connection_names, c));
    out_end(o);
}

static void on_message(Tox *t, uint32_t f, Tox_Message_Type type, const uint8_t *m, size_t len, void *ud)
{
    Out *o = out_event("message");
    out_u32(o, f);
    out_word(o, ENUM_NAME(message_type_names, type));
    out_hex(o, m, len);
    out_end(o);
}

static void on_receipt(Tox *t, uint32_t f, uint32_t id, void *ud)
{
    Out *o = out_event("receipt");
    out_u32(o, f);
    out_u32(o, id);
    out_end(o);
}

static void friend_text(const char *event, uint32_t f, const uint8_t *b, size_t len)
{
    Out *o = out_event(event);
    out_u32(o, f);
    out_hex(o, b, len);
    out_end(o);
}

static void on_name(Tox *t, uint32_t f, const uint8_t *b, size_t len, void *ud) { friend_text("friend_name", f, b, len); }

static void on_status_message(Tox *t, uint32_t f, const uint8_t *b, size_t len, void *ud)
{
    friend_text("friend_status_message", f, b, len);
}

static void on_lossless(Tox *t, uint32_t f, const uint8_t *b, size_t len, void *ud)
{
    friend_text("lossless_packet", f, b, len);
}

static void on_lossy(Tox *t, uint32_t f, const uint8_t *b, size_t len, void *ud) { friend_text("lossy_packet", f, b, len); }

static void on_status(Tox *t, uint32_t f, Tox_User_Status s, void *ud)
{
    Out *o = out_event("friend_status");
    out_u32(o, f);
    out_word(o, ENUM_NAME(user_status_names, s));
    out_end(o);
}

static void on_typing(Tox *t, uint32_t f, bool typing, void *ud)
{
    Out *o = out_event("friend_typing");
    out_u32(o, f);
    out_word(o, typing ? "1" : "0");
    out_end(o);
}

static void friends_init(Tox *t)
{
    tox_callback_friend_request(t, on_friend_request);
    tox_callback_friend_connection_status(t, on_friend_connection);
    tox_callback_friend_message(t, on_message);
    tox_callback_friend_read_receipt(t, on_receipt);
    tox_callback_friend_name(t, on_name);
    tox_callback_friend_status_message(t, on_status_message);
    tox_callback_friend_status(t, on_status);
    tox_callback_friend_typing(t, on_typing);
    tox_callback_friend_lossless_packet(t, on_lossless);
    tox_callback_friend_lossy_packet(t, on_lossy);
}

const Module friends_module = {
    .name = "friends",
    .commands = friends_commands,
    .init = friends_init,
};
