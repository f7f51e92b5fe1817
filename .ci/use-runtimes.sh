# Provides Bun and Deno for the runtime smoke tests: sets BUN_BIN and DENO_BIN. Source it.
# Both come from the npm registry as the packages that carry their Linux x64 binaries, installed once into a
# cache folder (RUNTIMES_CACHE_DIR, default ~/.cache/points-kit-runtimes) and reused.
# shellcheck shell=bash

points_runtimes_cache="${RUNTIMES_CACHE_DIR:-$HOME/.cache/points-kit-runtimes}"
points_bun="$points_runtimes_cache/node_modules/@oven/bun-linux-x64/bin/bun"
points_deno="$points_runtimes_cache/node_modules/@deno/linux-x64-glibc/deno"
if [ ! -x "$points_bun" ] || [ ! -x "$points_deno" ]; then
  echo "use-runtimes: installing @oven/bun-linux-x64@1 and @deno/linux-x64-glibc@2 into $points_runtimes_cache" >&2
  mkdir -p "$points_runtimes_cache"
  npm install --prefix "$points_runtimes_cache" --no-save --no-audit --no-fund --loglevel=error \
    @oven/bun-linux-x64@1 @deno/linux-x64-glibc@2 >&2 || echo "use-runtimes: install failed" >&2
fi
[ -x "$points_bun" ] && export BUN_BIN="$points_bun"
[ -x "$points_deno" ] && export DENO_BIN="$points_deno"
echo "use-runtimes: bun ${BUN_BIN:+$("$BUN_BIN" --version)} deno ${DENO_BIN:+$("$DENO_BIN" --version | head -1)}" >&2
