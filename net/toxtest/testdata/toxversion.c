/* toxversion: prints the libtoxcore version; used to test toxtest.BuildC. */
#include <stdio.h>
#include <tox/tox.h>

int main(void)
{
    printf("%u.%u.%u\n", tox_version_major(), tox_version_minor(), tox_version_patch());
    return 0;
}
