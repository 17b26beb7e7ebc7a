#!/usr/bin/env bash
# Rebuilds the demo's BPF object (needs clang-19 and libbpf-dev) and its sample capture (python3).
set -euo pipefail
cd "$(dirname "$0")"
clang-19 -O2 -g -target bpf -I"/usr/include/$(uname -m)-linux-gnu" -c count_protocols.c -o count_protocols.o
python3 make_sample_pcap.py sample.pcap
