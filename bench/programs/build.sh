#!/usr/bin/env bash
# Rebuilds the benchmark's large object (needs python3, clang-19 and libbpf-dev); the .o is checked in.
set -euo pipefail
cd "$(dirname "$0")"
python3 gen_large.py 600 > large.c
clang-19 -O2 -g -target bpf -I"/usr/include/$(uname -m)-linux-gnu" -c large.c -o large.o
