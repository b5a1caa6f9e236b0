/*
 * vectors.c prints golden vectors for Parley's net/key, net/crypto and
 * net/wire tests, computed by c-toxcore 0.2.18 and libsodium.
 *
 * Every input comes from a splitmix64 generator with a fixed seed (printed
 * in the header), so the output is the same on every run. Each line holds
 * one vector, inputs and outputs alike, as
 *
 *     kind name=value name=value ...
 *
 * with byte strings in lower-case hex (an empty string is allowed), so the
 * Go side needs no generator. Lines starting with '#' are comments.
 *
 * The c-toxcore internals used here (increment_nonce, encrypt_data,
 * id_closest, pack_nodes, ...) are not in the shared library's dynamic
 * symbol table, so the program links the static libtoxcore.a. Their
 * prototypes, and the mirror of the IP_Port / Node_format layout that
 * pack_nodes reads, are declared below from toxcore/crypto_core.h,
 * toxcore/DHT.h and toxcore/network.h at tag v0.2.18. A wrong mirror shows
 * up as packed nodes that disagree with the Go codec.
 *
 * Build (net/crypto/golden_interop_test.go does this):
 *   gcc -O1 -Wall -o vectors vectors.c $(pkg-config --cflags toxcore) \
 *       /usr/lib/x86_64-linux-gnu/libtoxcore.a \
 *       $(pkg-config --static --libs toxcore | sed s/-ltoxcore//)
 */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <tox/tox.h>

/* ---- c-toxcore 0.2.18 internals (crypto_core.h, DHT.h, network.h, logger.h) ---- */

void increment_nonce(uint8_t *nonce);
void increment_nonce_number(uint8_t *nonce, uint32_t increment);
int32_t encrypt_precompute(const uint8_t *public_key, const uint8_t *secret_key, uint8_t *shared_key);
int32_t encrypt_data(const uint8_t *public_key, const uint8_t *secret_key, const uint8_t *nonce,
                     const uint8_t *plain, size_t length, uint8_t *encrypted);
int32_t encrypt_data_symmetric(const uint8_t *shared_key, const uint8_t *nonce, const uint8_t *plain,
                               size_t length, uint8_t *encrypted);
int id_closest(const uint8_t *pk, const uint8_t *pk1, const uint8_t *pk2);
unsigned int bit_by_bit_cmp(const uint8_t *pk1, const uint8_t *pk2);

typedef struct Logger Logger;
Logger *logger_new(void);
void logger_kill(Logger *log);

typedef struct Family {
    uint8_t value;
} Family;
typedef union IP4 {
    uint32_t uint32;
    uint16_t uint16[2];
    uint8_t uint8[4];
} IP4;
typedef union IP6 {
    uint8_t uint8[16];
    uint16_t uint16[8];
    uint32_t uint32[4];
    uint64_t uint64[2];
} IP6;
typedef union IP_Union {
    IP4 v4;
    IP6 v6;
} IP_Union;
typedef struct IP {
    Family family;
    IP_Union ip;
} IP;
typedef struct IP_Port {
    IP ip;
    uint16_t port; /* network byte order */
} IP_Port;
typedef struct Node_format {
    uint8_t public_key[32];
    IP_Port ip_port;
} Node_format;

_Static_assert(offsetof(IP, ip) == 8, "IP layout");
_Static_assert(sizeof(IP_Port) == 32, "IP_Port layout");
_Static_assert(offsetof(Node_format, ip_port) == 32 && sizeof(Node_format) == 64, "Node_format layout");

Family net_family_ipv4(void);
Family net_family_ipv6(void);
Family net_family_tcp_ipv4(void);
Family net_family_tcp_ipv6(void);
int pack_nodes(const Logger *logger, uint8_t *data, uint16_t length, const Node_format *nodes, uint16_t number);

/* ---- deterministic inputs ---- */

#define SEED 0x5061726c65793031ULL /* "Parley01" */

static uint64_t rng_state = SEED;

static uint64_t rng64(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void fill(uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        b[i] = (uint8_t)(rng64() >> 56);
    }
}

/* ---- output ---- */

static void die(const char *what)
{
    fprintf(stderr, "vectors: %s\n", what);
    exit(1);
}

static void hex(const char *name, const uint8_t *b, size_t n)
{
    printf(" %s=", name);
    for (size_t i = 0; i < n; i++) {
        printf("%02x", b[i]);
    }
}

/* ---- (a) Tox IDs from tox_self_get_address ---- */

static void toxid_vectors(void)
{
    uint32_t nospams[] = {0, 1, 0xffffffffU, 0x12345678U, 0xdeadbeefU, 0, 0, 0};
    const size_t n = sizeof(nospams) / sizeof(nospams[0]);

    /* One call per statement: initialiser lists have no evaluation order. */
    for (size_t i = 5; i < n; i++) {
        nospams[i] = (uint32_t)rng64();
    }

    for (size_t i = 0; i < n; i++) {
        uint8_t sk[TOX_SECRET_KEY_SIZE];

        if (i == 0) {
            memset(sk, 0, sizeof(sk));
        } else if (i == 1) {
            memset(sk, 0xff, sizeof(sk));
        } else {
            fill(sk, sizeof(sk));
        }

        struct Tox_Options *o = tox_options_new(NULL);

        if (o == NULL) {
            die("tox_options_new");
        }

        tox_options_set_udp_enabled(o, false);
        tox_options_set_ipv6_enabled(o, false);
        tox_options_set_local_discovery_enabled(o, false);
        tox_options_set_savedata_type(o, TOX_SAVEDATA_TYPE_SECRET_KEY);
        tox_options_set_savedata_data(o, sk, sizeof(sk));
        TOX_ERR_NEW err;
        Tox *t = tox_new(o, &err);
        tox_options_free(o);

        if (t == NULL) {
            fprintf(stderr, "vectors: tox_new failed with error %d\n", err);
            exit(1);
        }

        tox_self_set_nospam(t, nospams[i]);

        if (tox_self_get_nospam(t) != nospams[i]) {
            die("tox_self_get_nospam disagrees with tox_self_set_nospam");
        }

        uint8_t pk[TOX_PUBLIC_KEY_SIZE], addr[TOX_ADDRESS_SIZE];
        tox_self_get_public_key(t, pk);
        tox_self_get_address(t, addr);
        tox_kill(t);

        printf("toxid");
        hex("sk", sk, sizeof(sk));
        printf(" nospam=%08x", nospams[i]);
        hex("pk", pk, sizeof(pk));
        hex("address", addr, sizeof(addr));
        printf("\n");
    }
}

/* ---- (b) box, (c) beforenm, (d) afternm / secretbox ---- */

static const size_t msg_lens[] = {0, 1, 15, 16, 17, 31, 32, 33, 64, 100, 255, 1024};
#define N_LENS (sizeof(msg_lens) / sizeof(msg_lens[0]))
#define MAX_MSG 1024

static void box_vectors(void)
{
    static uint8_t msg[MAX_MSG], out[MAX_MSG + crypto_box_MACBYTES], ref[MAX_MSG + crypto_box_MACBYTES];

    for (size_t i = 0; i < N_LENS; i++) {
        const size_t len = msg_lens[i];
        uint8_t sk_a[32], pk_a[32], sk_b[32], pk_b[32], nonce[24];
        fill(sk_a, 32);
        fill(sk_b, 32);
        fill(nonce, 24);
        fill(msg, len);
        crypto_scalarmult_curve25519_base(pk_a, sk_a);
        crypto_scalarmult_curve25519_base(pk_b, sk_b);

        if (crypto_box_easy(ref, msg, len, nonce, pk_b, sk_a) != 0) {
            die("crypto_box_easy");
        }

        if (len > 0) { /* encrypt_data refuses empty messages */
            if (encrypt_data(pk_b, sk_a, nonce, msg, len, out) != (int32_t)(len + crypto_box_MACBYTES)) {
                die("encrypt_data");
            }

            if (memcmp(out, ref, len + crypto_box_MACBYTES) != 0) {
                die("encrypt_data disagrees with crypto_box_easy");
            }
        }

        printf("box");
        hex("sk_a", sk_a, 32);
        hex("pk_a", pk_a, 32);
        hex("sk_b", sk_b, 32);
        hex("pk_b", pk_b, 32);
        hex("nonce", nonce, 24);
        hex("msg", msg, len);
        hex("sealed", ref, len + crypto_box_MACBYTES);
        printf("\n");
    }
}

static void precompute_vectors(void)
{
    for (int i = 0; i < 8; i++) {
        uint8_t sk[32], pk[32], peer_sk[32], k[32], ref[32];
        fill(sk, 32);

        if (i < 6) {
            fill(peer_sk, 32);
            crypto_scalarmult_curve25519_base(pk, peer_sk);
        } else {
            /* Arbitrary bytes, not made by scalarmult_base; the last one has the top bit set. */
            fill(pk, 32);
            pk[31] |= (uint8_t)(i == 7 ? 0x80 : 0);
        }

        if (encrypt_precompute(pk, sk, k) != 0) {
            die("encrypt_precompute");
        }

        if (crypto_box_beforenm(ref, pk, sk) != 0 || memcmp(k, ref, 32) != 0) {
            die("encrypt_precompute disagrees with crypto_box_beforenm");
        }

        printf("precompute");
        hex("sk", sk, 32);
        hex("pk", pk, 32);
        hex("shared", k, 32);
        printf("\n");
    }
}

static void secretbox_vectors(void)
{
    static uint8_t msg[MAX_MSG], out[MAX_MSG + crypto_box_MACBYTES], ref[MAX_MSG + crypto_box_MACBYTES];

    for (size_t i = 0; i < N_LENS; i++) {
        const size_t len = msg_lens[i];
        uint8_t k[32], nonce[24];
        fill(k, 32);
        fill(nonce, 24);
        fill(msg, len);

        if (crypto_box_easy_afternm(ref, msg, len, nonce, k) != 0) {
            die("crypto_box_easy_afternm");
        }

        if (crypto_secretbox_easy(out, msg, len, nonce, k) != 0 || memcmp(out, ref, len + crypto_box_MACBYTES) != 0) {
            die("crypto_secretbox_easy disagrees with crypto_box_easy_afternm");
        }

        if (len > 0) { /* encrypt_data_symmetric refuses empty messages */
            if (encrypt_data_symmetric(k, nonce, msg, len, out) != (int32_t)(len + crypto_box_MACBYTES)) {
                die("encrypt_data_symmetric");
            }

            if (memcmp(out, ref, len + crypto_box_MACBYTES) != 0) {
                die("encrypt_data_symmetric disagrees with crypto_box_easy_afternm");
            }
        }

        printf("secretbox");
        hex("key", k, 32);
        hex("nonce", nonce, 24);
        hex("msg", msg, len);
        hex("sealed", ref, len + crypto_box_MACBYTES);
        printf("\n");
    }
}

/* ---- (e) nonce arithmetic ---- */

#define N_NONCES 13

static void edge_nonce(int i, uint8_t n[24])
{
    memset(n, 0, 24);

    switch (i) {
        case 0: /* zero */
            break;
        case 1:
            n[23] = 1;
            break;
        case 2:
            n[23] = 0xff;
            break;
        case 3:
            n[22] = n[23] = 0xff;
            break;
        case 4: /* low 32 bits all ones */
            memset(n + 20, 0xff, 4);
            break;
        case 5: /* all but the top byte */
            memset(n + 1, 0xff, 23);
            break;
        case 6: /* 2^192 - 1 */
            memset(n, 0xff, 24);
            break;
        case 7:
            memset(n, 0xff, 24);
            n[23] = 0xfe;
            break;
        case 8:
            memset(n, 0xff, 24);
            n[0] = 0x7f;
            break;
        case 9:
            n[0] = 1;
            break;
        case 10: /* 0x..00ffffff00ff.. a carry that stops in the middle */
            memset(n + 8, 0xff, 12);
            n[23] = 0x80;
            break;
        default:
            fill(n, 24);
            break;
    }
}

static void nonce_vectors(void)
{
    uint32_t xs[] = {0, 1, 2, 0xff, 0x100, 0x101, 0xffff, 0x10000, 0xffffff, 0x1000000,
                     0x7fffffffU, 0x80000000U, 0xfffffffeU, 0xffffffffU, 0, 0};
    xs[14] = (uint32_t)rng64();
    xs[15] = (uint32_t)rng64();

    for (int i = 0; i < N_NONCES; i++) {
        uint8_t in[24], out[24];
        edge_nonce(i, in);
        memcpy(out, in, 24);
        increment_nonce(out);
        printf("increment");
        hex("in", in, 24);
        hex("out", out, 24);
        printf("\n");

        for (size_t j = 0; j < sizeof(xs) / sizeof(xs[0]); j++) {
            memcpy(out, in, 24);
            increment_nonce_number(out, xs[j]);
            printf("add");
            hex("in", in, 24);
            printf(" x=%08x", xs[j]);
            hex("out", out, 24);
            printf("\n");
        }
    }
}

/* ---- (f) XOR metric: id_closest and bit_by_bit_cmp ---- */

static void flip_bit(uint8_t k[32], int bit)
{
    k[bit / 8] ^= (uint8_t)(0x80 >> (bit % 8));
}

static void closest_vectors(void)
{
    uint8_t base[32], a[32], b[32];

    for (int i = 0; i < 16; i++) {
        fill(base, 32);
        fill(a, 32);
        fill(b, 32);

        switch (i) {
            case 0: /* a == b */
                memcpy(b, a, 32);
                break;
            case 1: /* base == a */
                memcpy(a, base, 32);
                break;
            case 2: /* base == b */
                memcpy(b, base, 32);
                break;
            case 3: /* equal but for the last bit */
                memcpy(b, a, 32);
                flip_bit(b, 255);
                break;
            case 4: /* equal but for the first bit */
                memcpy(b, a, 32);
                flip_bit(b, 0);
                break;
            case 5: /* equal but for a middle bit */
                memcpy(b, a, 32);
                flip_bit(b, 131);
                break;
            case 6: /* first bytes equal, a further in byte 1 */
                memcpy(b, a, 32);
                b[1] = base[1] ^ 0x01;
                a[1] = base[1] ^ 0x80;
                break;
            default:
                break;
        }

        printf("closest");
        hex("base", base, 32);
        hex("a", a, 32);
        hex("b", b, 32);
        printf(" result=%d\n", id_closest(base, a, b));
    }

    const int bits[] = {-1, 0, 1, 7, 8, 9, 100, 127, 128, 200, 254, 255};

    for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
        fill(a, 32);
        memcpy(b, a, 32);

        if (bits[i] >= 0) {
            flip_bit(b, bits[i]);
            /* Lower bits may differ too: they must not matter. */
            for (int j = bits[i] + 1; j < 256; j += 3) {
                if (rng64() & 1) {
                    flip_bit(b, j);
                }
            }
        }

        printf("prefix");
        hex("a", a, 32);
        hex("b", b, 32);
        printf(" bits=%u\n", bit_by_bit_cmp(a, b));
    }
}

/* ---- packed nodes (pack_nodes) ---- */

static void node_vectors(void)
{
    static const struct {
        int family;
        const char *ip;
        uint16_t port;
    } in[] = {
        {2, "127.0.0.1", 33445},
        {2, "192.168.1.200", 1},
        {2, "255.255.255.255", 65535},
        {2, "0.0.0.0", 0},
        {10, "::1", 33445},
        {10, "2001:db8::dead:beef", 443},
        {10, "fe80::1234:5678:9abc:def0", 12345},
        {10, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 65535},
        {130, "10.0.0.1", 3389},
        {130, "93.184.216.34", 443},
        {138, "2001:db8::1", 33445},
        {138, "::", 1},
    };
    enum { N = sizeof(in) / sizeof(in[0]) };
    Node_format nodes[N];
    uint8_t buf[N * 51];
    Logger *log = logger_new();

    if (log == NULL) {
        die("logger_new");
    }

    memset(nodes, 0, sizeof(nodes));

    for (int i = 0; i < N; i++) {
        Node_format *n = &nodes[i];
        fill(n->public_key, 32);
        n->ip_port.port = htons(in[i].port);

        switch (in[i].family) {
            case 2:
                n->ip_port.ip.family = net_family_ipv4();
                break;
            case 10:
                n->ip_port.ip.family = net_family_ipv6();
                break;
            case 130:
                n->ip_port.ip.family = net_family_tcp_ipv4();
                break;
            default:
                n->ip_port.ip.family = net_family_tcp_ipv6();
                break;
        }

        const int v4 = in[i].family == 2 || in[i].family == 130;

        if (inet_pton(v4 ? AF_INET : AF_INET6, in[i].ip, v4 ? (void *)n->ip_port.ip.ip.v4.uint8
                      : (void *)n->ip_port.ip.ip.v6.uint8) != 1) {
            die("inet_pton");
        }

        const int want = v4 ? 39 : 51;

        if (pack_nodes(log, buf, sizeof(buf), n, 1) != want) {
            die("pack_nodes (one node)");
        }

        printf("node family=%d ip=%s port=%u", in[i].family, in[i].ip, in[i].port);
        hex("pk", n->public_key, 32);
        hex("packed", buf, (size_t)want);
        printf("\n");
    }

    const int total = pack_nodes(log, buf, sizeof(buf), nodes, N);

    if (total <= 0) {
        die("pack_nodes (all nodes)");
    }

    printf("nodes count=%d", N);
    hex("packed", buf, (size_t)total);
    printf("\n");
    logger_kill(log);
}

int main(void)
{
    if (sodium_init() < 0) {
        die("sodium_init");
    }

    printf("# Golden vectors from c-toxcore %u.%u.%u and libsodium; see vectors.c.\n",
           tox_version_major(), tox_version_minor(), tox_version_patch());
    printf("# Inputs come from splitmix64 with seed 0x%016llx.\n", (unsigned long long)SEED);
    toxid_vectors();
    box_vectors();
    precompute_vectors();
    secretbox_vectors();
    nonce_vectors();
    closest_vectors();
    node_vectors();
    return 0;
}
