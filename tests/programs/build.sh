#!/usr/bin/env bash
# Rebuilds the checked-in BPF objects from their C sources (needs Debian's clang-19 and libbpf-dev:
# apt-get install clang-19 libbpf-dev). Tests only read the .o files, so they need no compiler.
set -euo pipefail
cd "$(dirname "$0")"
CLANG=${CLANG:-clang-19}
ARCH_INCLUDE=/usr/include/$(uname -m)-linux-gnu   # <asm/types.h> for the UAPI headers
for src in *.c; do
    "$CLANG" -O2 -g -target bpf -mcpu=v4 -I"$ARCH_INCLUDE" -c "$src" -o "${src%.c}.o"
done
