/*
 * vectors.c prints golden vectors for Parley's net/dht tests, built by
 * c-toxcore 0.2.18 itself: whole encrypted DHT packets from
 * dht_create_packet (pings, get-nodes, send-nodes with pack_nodes), 0x20
 * requests from create_request, and ip_is_lan verdicts.
 *
 * Keys, plain texts and the nonces c-toxcore draws come from a splitmix64
 * generator with a fixed seed, handed to c-toxcore as its Random, so the
 * output is the same on every run. Each line is one vector,
 *
 *     kind name=value name=value ...
 *
 * with byte strings in lower-case hex. Lines starting with '#' are
 * comments. net/dht/golden_test.go checks the checked-in vectors.txt
 * against Parley; golden_interop_test.go (build tag interop) rebuilds this
 * program, runs it and compares its output with vectors.txt.
 *
 * The c-toxcore internals used here are not in the shared library's
 * dynamic symbol table, so the program links the static libtoxcore.a.
 * Their prototypes and the mirror of the IP / IP_Port / Node_format /
 * Random layouts are declared below from toxcore/DHT.h, network.h,
 * crypto_core.h and LAN_discovery.h at tag v0.2.18.
 *
 * Build:
 *   gcc -std=c11 -D_DEFAULT_SOURCE -O1 -Wall -o vectors vectors.c \
 *       $(pkg-config --cflags toxcore) /usr/lib/x86_64-linux-gnu/libtoxcore.a \
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

/* ---- c-toxcore 0.2.18 internals ---- */

typedef void crypto_random_bytes_cb(void *obj, uint8_t *bytes, size_t length);
typedef uint32_t crypto_random_uniform_cb(void *obj, uint32_t upper_bound);
typedef struct Random_Funcs {
    crypto_random_bytes_cb *random_bytes;
    crypto_random_uniform_cb *random_uniform;
} Random_Funcs;
typedef struct Random {
    const Random_Funcs *funcs;
    void *obj;
} Random;

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
int32_t encrypt_precompute(const uint8_t *public_key, const uint8_t *secret_key, uint8_t *shared_key);
int pack_nodes(const Logger *logger, uint8_t *data, uint16_t length, const Node_format *nodes, uint16_t number);
int dht_create_packet(const Random *rng, const uint8_t public_key[32], const uint8_t *shared_key, uint8_t type,
                      const uint8_t *plain, size_t plain_length, uint8_t *packet, size_t length);
int create_request(const Random *rng, const uint8_t *send_public_key, const uint8_t *send_secret_key,
                   uint8_t *packet, const uint8_t *recv_public_key, const uint8_t *data, uint32_t data_length,
                   uint8_t request_id);
int handle_request(const uint8_t *self_public_key, const uint8_t *self_secret_key, uint8_t *public_key, uint8_t *data,
                   uint8_t *request_id, const uint8_t *packet, uint16_t packet_length);
bool ip_is_lan(const IP *ip);

/* ---- deterministic inputs ---- */

#define SEED 0x5061726c65794448ULL /* "ParleyDH" */

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

static void det_bytes(void *obj, uint8_t *bytes, size_t length)
{
    (void)obj;
    fill(bytes, length);
}

static uint32_t det_uniform(void *obj, uint32_t upper_bound)
{
    (void)obj;
    return upper_bound == 0 ? 0 : (uint32_t)(rng64() % upper_bound);
}

static const Random_Funcs det_funcs = {det_bytes, det_uniform};
static const Random det_rng = {&det_funcs, NULL};

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

typedef struct Pair {
    uint8_t sk[32], pk[32];
} Pair;

static Pair new_pair(void)
{
    Pair p;
    fill(p.sk, 32);
    crypto_scalarmult_curve25519_base(p.pk, p.sk);
    return p;
}

/* One DHT packet from a to b: kind | pk_a | nonce | sbox(beforenm(pk_b, sk_a), plain). */
static void packet_vector(const char *what, const Pair *a, const Pair *b, uint8_t kind, const uint8_t *plain,
                          size_t plain_len)
{
    uint8_t shared[32], packet[512];
    if (encrypt_precompute(b->pk, a->sk, shared) != 0) {
        die("encrypt_precompute");
    }
    const int len = dht_create_packet(&det_rng, a->pk, shared, kind, plain, plain_len, packet, sizeof(packet));
    if (len != (int)(1 + 32 + 24 + plain_len + 16)) {
        die("dht_create_packet");
    }
    printf("packet what=%s", what);
    hex("sk_a", a->sk, 32);
    hex("pk_a", a->pk, 32);
    hex("sk_b", b->sk, 32);
    hex("pk_b", b->pk, 32);
    printf(" kind=%02x", kind);
    hex("plain", plain, plain_len);
    hex("packet", packet, (size_t)len);
    printf("\n");
}

static void dht_vectors(void)
{
    Logger *log = logger_new();
    if (log == NULL) {
        die("logger_new");
    }
    for (int i = 0; i < 3; i++) {
        const Pair a = new_pair();
        const Pair b = new_pair();
        uint8_t plain[1 + 4 * 51 + 8];

        /* ping request and response: type | ping_id (ping.c) */
        plain[0] = 0x00;
        fill(plain + 1, 8);
        packet_vector("ping-request", &a, &b, 0x00, plain, 9);
        plain[0] = 0x01;
        packet_vector("ping-response", &b, &a, 0x01, plain, 9);

        /* get nodes: search pk | ping_id (dht_getnodes) */
        fill(plain, 40);
        packet_vector("get-nodes", &a, &b, 0x02, plain, 40);

        /* send nodes: count | packed nodes | ping_id (sendnodes_ipv6), i nodes */
        Node_format nodes[4];
        memset(nodes, 0, sizeof(nodes));
        const char *ips[] = {"198.51.100.7", "2001:db8::7", "10.1.2.3", "fe80::1"};
        const int count = i == 0 ? 0 : (i == 1 ? 1 : 4);
        for (int j = 0; j < count; j++) {
            fill(nodes[j].public_key, 32);
            nodes[j].ip_port.port = htons((uint16_t)(33445 + j));
            const int v4 = strchr(ips[j], ':') == NULL;
            nodes[j].ip_port.ip.family = v4 ? net_family_ipv4() : net_family_ipv6();
            if (inet_pton(v4 ? AF_INET : AF_INET6, ips[j],
                          v4 ? (void *)nodes[j].ip_port.ip.ip.v4.uint8 : (void *)nodes[j].ip_port.ip.ip.v6.uint8) != 1) {
                die("inet_pton");
            }
        }
        int nl = 0;
        if (count > 0) {
            nl = pack_nodes(log, plain + 1, 4 * 51, nodes, (uint16_t)count);
            if (nl <= 0) {
                die("pack_nodes");
            }
        }
        plain[0] = (uint8_t)count;
        fill(plain + 1 + nl, 8);
        packet_vector("send-nodes", &b, &a, 0x04, plain, (size_t)(1 + nl + 8));
    }
    logger_kill(log);
}

/* 0x20 requests from a to b (create_request), checked with handle_request. */
static void request_vectors(void)
{
    const uint32_t lens[] = {1, 9, 37, 918};
    const uint8_t ids[] = {156, 254, 32, 156};
    for (int i = 0; i < 4; i++) {
        const Pair a = new_pair();
        const Pair b = new_pair();
        uint8_t data[918], packet[1024], opened[1024], sender[32], id = 0;
        fill(data, lens[i]);
        const int len = create_request(&det_rng, a.pk, a.sk, packet, b.pk, data, lens[i], ids[i]);
        if (len != (int)(1 + 32 + 32 + 24 + 16 + 1 + lens[i])) {
            die("create_request");
        }
        const int n = handle_request(b.pk, b.sk, sender, opened, &id, packet, (uint16_t)len);
        if (n != (int)lens[i] || id != ids[i] || memcmp(opened, data, lens[i]) != 0 || memcmp(sender, a.pk, 32) != 0) {
            die("handle_request disagrees with create_request");
        }
        printf("request");
        hex("sk_a", a.sk, 32);
        hex("pk_a", a.pk, 32);
        hex("sk_b", b.sk, 32);
        hex("pk_b", b.pk, 32);
        printf(" subtype=%02x", ids[i]);
        hex("data", data, lens[i]);
        hex("packet", packet, (size_t)len);
        printf("\n");
    }
}

/* ip_is_lan verdicts (LAN_discovery.c). */
static void lan_vectors(void)
{
    static const char *ips[] = {
        "127.0.0.1", "127.1.2.3", "10.0.0.1", "10.255.255.255", "172.15.255.255", "172.16.0.0",
        "172.31.255.255", "172.32.0.0", "192.168.0.1", "192.169.0.1", "169.254.0.1", "169.254.1.0",
        "169.254.254.255", "169.254.255.1", "100.63.255.255", "100.64.0.0", "100.127.255.255",
        "100.128.0.0", "8.8.8.8", "0.0.0.0", "255.255.255.255", "198.51.100.7",
        "::1", "::", "::2", "fe80::1", "febf:ffff::1", "fec0::1", "fe7f::1", "ff02::1", "ff01::1",
        "ff00::1", "ff03::1", "ff02::2", "ff02::101", "::ffff:10.0.0.1", "::ffff:127.0.0.1",
        "::ffff:8.8.8.8", "::ffff:192.168.1.1", "::ffff:100.64.1.1", "2001:db8::1", "64:ff9b::a00:1",
    };
    for (size_t i = 0; i < sizeof(ips) / sizeof(ips[0]); i++) {
        IP ip;
        memset(&ip, 0, sizeof(ip));
        const int v4 = strchr(ips[i], ':') == NULL;
        ip.family = v4 ? net_family_ipv4() : net_family_ipv6();
        if (inet_pton(v4 ? AF_INET : AF_INET6, ips[i], v4 ? (void *)ip.ip.v4.uint8 : (void *)ip.ip.v6.uint8) != 1) {
            die("inet_pton");
        }
        printf("lan ip=%s lan=%d\n", ips[i], ip_is_lan(&ip) ? 1 : 0);
    }
}

int main(void)
{
    if (sodium_init() < 0) {
        die("sodium_init");
    }
    printf("# net/dht golden vectors from c-toxcore 0.2.18 (testdata/vectors.c), seed %016llx\n",
           (unsigned long long)SEED);
    dht_vectors();
    request_vectors();
    lan_vectors();
    return 0;
}
