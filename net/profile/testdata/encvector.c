/*
 * encvector.c prints the fixed toxencryptsave vector of Parley's
 * net/profile tests (TestEncryptFixedVector): "Tox profile" encrypted with
 * the passphrase "tëst passphrase", salt 0x5a x 32 and nonce 0x01..0x18.
 *
 * libtoxcore's tox_pass_encrypt draws salt and nonce at random, so the
 * vector is built from libsodium the way tox-protocol.md §12.2 describes it
 * (key = scrypt(SHA256(pass), salt, opslimit 2 x INTERACTIVE, memlimit
 * INTERACTIVE), then crypto_secretbox), and then checked by opening it with
 * libtoxcore 0.2.18's tox_pass_decrypt and tox_pass_key_decrypt.
 *
 * Output: one line "encrypted <hex>", or "error <what>" and exit status 1.
 * Build (net/profile/interop_test.go does this):
 *   gcc -O1 -Wall -o encvector encvector.c -lsodium $(pkg-config --cflags --libs toxcore)
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <tox/toxencryptsave.h>

static const char pass[] = "t\xc3\xabst passphrase";
static const char plain[] = "Tox profile";

static int fail(const char *what)
{
    printf("error %s\n", what);
    return 1;
}

int main(void)
{
    if (sodium_init() < 0) {
        return fail("sodium_init");
    }
    uint8_t salt[crypto_pwhash_scryptsalsa208sha256_SALTBYTES];
    uint8_t nonce[crypto_secretbox_NONCEBYTES];
    memset(salt, 0x5a, sizeof salt);
    for (size_t i = 0; i < sizeof nonce; i++) {
        nonce[i] = (uint8_t)(i + 1);
    }
    uint8_t hash[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(hash, (const uint8_t *)pass, strlen(pass));
    uint8_t key[crypto_secretbox_KEYBYTES];
    if (crypto_pwhash_scryptsalsa208sha256(key, sizeof key, (const char *)hash, sizeof hash, salt,
                                           crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_INTERACTIVE * 2,
                                           crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_INTERACTIVE) != 0) {
        return fail("scrypt");
    }

    const size_t n = strlen(plain);
    uint8_t out[TOX_PASS_ENCRYPTION_EXTRA_LENGTH + sizeof plain];
    memcpy(out, "toxEsave", 8);
    memcpy(out + 8, salt, sizeof salt);
    memcpy(out + 8 + sizeof salt, nonce, sizeof nonce);
    crypto_secretbox_easy(out + 8 + sizeof salt + sizeof nonce, (const uint8_t *)plain, n, nonce, key);
    const size_t len = TOX_PASS_ENCRYPTION_EXTRA_LENGTH + n;

    /* libtoxcore must open it, from the passphrase and from a derived key. */
    uint8_t back[sizeof plain];
    Tox_Err_Decryption e;
    if (!tox_pass_decrypt(out, len, (const uint8_t *)pass, strlen(pass), back, &e) || memcmp(back, plain, n) != 0) {
        return fail("tox_pass_decrypt");
    }
    uint8_t file_salt[TOX_PASS_SALT_LENGTH];
    if (!tox_get_salt(out, file_salt, NULL)) {
        return fail("tox_get_salt");
    }
    Tox_Pass_Key *k = tox_pass_key_derive_with_salt((const uint8_t *)pass, strlen(pass), file_salt, NULL);
    memset(back, 0, sizeof back);
    if (k == NULL || !tox_pass_key_decrypt(k, out, len, back, &e) || memcmp(back, plain, n) != 0) {
        return fail("tox_pass_key_decrypt");
    }
    tox_pass_key_free(k);

    printf("encrypted ");
    for (size_t i = 0; i < len; i++) {
        printf("%02x", out[i]);
    }
    printf("\n");
    return 0;
}
