/*
 * onionvec.c makes onion packets with c-toxcore 0.2.18's own functions, so
 * Parley's relay, announce server and client can be checked against them
 * (net/onion/interop_test.go). Inputs come as hex on the command line and
 * the packet is printed as one line of lower-case hex:
 *
 *   onionvec onion K1 K2 K3 P1 P2 P3 PORT1 PORT2 PORT3 DESTPORT DATA
 *       create_onion_packet over a path whose shared keys are K1..K3 and
 *       whose sender keys are P1..P3, through 127.0.0.1:PORT1..3, to
 *       127.0.0.1:DESTPORT (ports in decimal)
 *   onionvec announce DESTPK PK SK PINGID SEARCHPK DATAPK SENDBACK
 *       create_announce_request (SENDBACK is 8 bytes, copied into the
 *       uint64 as c-toxcore's client does)
 *   onionvec data DESTPK ENCPK NONCE DATA
 *       create_data_request
 *
 * The internals are not exported by libtoxcore.so, so the program links
 * the static libtoxcore.a. Their prototypes and the mirror of the Onion_Path
 * and IP_Port layouts are declared below from toxcore/onion.h,
 * toxcore/onion_announce.h, toxcore/network.h and toxcore/crypto_core.h at
 * tag v0.2.18.
 */
#include <arpa/inet.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Random Random;
const Random *system_random(void);

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

typedef struct Onion_Path {
    uint8_t shared_key1[32];
    uint8_t shared_key2[32];
    uint8_t shared_key3[32];
    uint8_t public_key1[32];
    uint8_t public_key2[32];
    uint8_t public_key3[32];
    IP_Port ip_port1;
    uint8_t node_public_key1[32];
    IP_Port ip_port2;
    uint8_t node_public_key2[32];
    IP_Port ip_port3;
    uint8_t node_public_key3[32];
    uint32_t path_num;
} Onion_Path;

_Static_assert(sizeof(IP_Port) == 32, "IP_Port layout");
_Static_assert(offsetof(Onion_Path, ip_port1) == 192 && offsetof(Onion_Path, path_num) == 384, "Onion_Path layout");

Family net_family_ipv4(void);

int create_onion_packet(const Random *rng, uint8_t *packet, uint16_t max_packet_length, const Onion_Path *path,
                        const IP_Port *dest, const uint8_t *data, uint16_t length);
int create_announce_request(const Random *rng, uint8_t *packet, uint16_t max_packet_length,
                            const uint8_t *dest_client_id, const uint8_t *public_key, const uint8_t *secret_key,
                            const uint8_t *ping_id, const uint8_t *client_id, const uint8_t *data_public_key,
                            uint64_t sendback_data);
int create_data_request(const Random *rng, uint8_t *packet, uint16_t max_packet_length, const uint8_t *public_key,
                        const uint8_t *encrypt_public_key, const uint8_t *nonce, const uint8_t *data,
                        uint16_t length);

static void die(const char *what)
{
    fprintf(stderr, "onionvec: %s\n", what);
    exit(2);
}

/* unhex decodes s into a fresh buffer of exactly want bytes (any length
 * when want < 0) and returns it; *n gets the length. */
static uint8_t *unhex(const char *s, long want, size_t *n)
{
    size_t len = strlen(s);
    if (len % 2 != 0 || (want >= 0 && len != (size_t)want * 2)) {
        die("bad hex argument length");
    }
    uint8_t *b = malloc(len / 2 + 1);
    if (b == NULL) {
        die("out of memory");
    }
    for (size_t i = 0; i < len / 2; ++i) {
        unsigned int v;
        if (sscanf(s + 2 * i, "%2x", &v) != 1) {
            die("bad hex digit");
        }
        b[i] = (uint8_t)v;
    }
    if (n != NULL) {
        *n = len / 2;
    }
    return b;
}

static IP_Port loopback(const char *port)
{
    IP_Port ipp;
    memset(&ipp, 0, sizeof(ipp));
    ipp.ip.family = net_family_ipv4();
    ipp.ip.ip.v4.uint32 = htonl(0x7f000001);
    ipp.port = htons((uint16_t)atoi(port));
    return ipp;
}

static void print_hex(const uint8_t *b, int n)
{
    if (n <= 0) {
        die("the c-toxcore function failed");
    }
    for (int i = 0; i < n; ++i) {
        printf("%02x", b[i]);
    }
    printf("\n");
}

int main(int argc, char **argv)
{
    uint8_t packet[2048];
    if (argc == 13 && strcmp(argv[1], "onion") == 0) {
        Onion_Path path;
        memset(&path, 0, sizeof(path));
        memcpy(path.shared_key1, unhex(argv[2], 32, NULL), 32);
        memcpy(path.shared_key2, unhex(argv[3], 32, NULL), 32);
        memcpy(path.shared_key3, unhex(argv[4], 32, NULL), 32);
        memcpy(path.public_key1, unhex(argv[5], 32, NULL), 32);
        memcpy(path.public_key2, unhex(argv[6], 32, NULL), 32);
        memcpy(path.public_key3, unhex(argv[7], 32, NULL), 32);
        path.ip_port1 = loopback(argv[8]);
        path.ip_port2 = loopback(argv[9]);
        path.ip_port3 = loopback(argv[10]);
        IP_Port dest = loopback(argv[11]);
        size_t n;
        uint8_t *data = unhex(argv[12], -1, &n);
        print_hex(packet, create_onion_packet(system_random(), packet, 1400, &path, &dest, data, (uint16_t)n));
        return 0;
    }
    if (argc == 9 && strcmp(argv[1], "announce") == 0) {
        uint64_t sendback;
        memcpy(&sendback, unhex(argv[8], 8, NULL), 8);
        print_hex(packet, create_announce_request(system_random(), packet, sizeof(packet), unhex(argv[2], 32, NULL),
                  unhex(argv[3], 32, NULL), unhex(argv[4], 32, NULL), unhex(argv[5], 32, NULL),
                  unhex(argv[6], 32, NULL), unhex(argv[7], 32, NULL), sendback));
        return 0;
    }
    if (argc == 6 && strcmp(argv[1], "data") == 0) {
        size_t n;
        uint8_t *data = unhex(argv[5], -1, &n);
        print_hex(packet, create_data_request(system_random(), packet, 1400, unhex(argv[2], 32, NULL),
                  unhex(argv[3], 32, NULL), unhex(argv[4], 24, NULL), data, (uint16_t)n));
        return 0;
    }
    die("usage: onionvec onion|announce|data ... (see the comment at the top)");
    return 2;
}
