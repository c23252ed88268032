#!/usr/bin/env bash
# The tests check rigwatch's files with the tools users open them in: Debian's h5py (+hdf5plugin for
# BLOSC/LZF), NumPy, hdf5-tools, PyTorch and Pillow (the preview GIFs); the recorder's side of the
# tap with pyzmq; the operator page in Debian's Chromium; the shell completions in bash and zsh; the
# queue tests' Redis (redis-server); and a C++ toolchain, which npm ci needs when better-sqlite3 (the
# alarm journal) has no prebuilt binary to fetch and compiles with node-gyp. Installs them when
# missing and we are allowed to (root with apt). CI runs this before npm ci.
set -euo pipefail
packages=(python3-h5py python3-hdf5plugin python3-numpy hdf5-tools python3-zmq python3-torch python3-pil chromium zsh redis-server g++ make)
if /usr/bin/python3 -c 'import h5py, hdf5plugin, numpy, zmq, torch, PIL' 2>/dev/null &&
  command -v h5repack >/dev/null && command -v chromium >/dev/null && command -v zsh >/dev/null &&
  command -v redis-server >/dev/null && command -v g++ >/dev/null && command -v make >/dev/null; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing test tools: ${packages[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
else
  echo "the tests need Debian packages: sudo apt-get install ${packages[*]}" >&2
  exit 1
fi
