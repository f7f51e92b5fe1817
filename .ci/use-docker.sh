# Makes a Docker daemon answer for the container test. Source it. As root on Debian it installs docker.io
# when missing and starts dockerd when none runs, and sets POINTS_DOCKERD_PID so the caller can stop it.
# Where Docker cannot run (not root, no apt, a kernel without the features), it says so and the container
# test skips with the same message.
# shellcheck shell=bash

if ! docker info >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && ! command -v dockerd >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
    echo "use-docker: installing Debian's docker.io" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null 2>&1 ||
      { DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null; } ||
      echo "use-docker: could not install docker.io" >&2
  fi
  if [ "$(id -u)" = 0 ] && command -v dockerd >/dev/null 2>&1; then
    echo "use-docker: starting dockerd" >&2
    dockerd >"${TMPDIR:-/tmp}/points-dockerd.log" 2>&1 &
    POINTS_DOCKERD_PID=$!
    export POINTS_DOCKERD_PID
    for _ in $(seq 1 30); do
      docker info >/dev/null 2>&1 && break
      sleep 1
    done
  fi
fi
# compose.yaml is checked with `docker-compose config` (Debian's docker-compose) when no compose plugin is there.
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && ! command -v docker-compose >/dev/null 2>&1 &&
  ! docker compose version >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null 2>&1 ||
    echo "use-docker: could not install docker-compose; compose.yaml is not checked" >&2
fi
if docker info >/dev/null 2>&1; then
  echo "use-docker: docker $(docker version --format '{{.Server.Version}}' 2>/dev/null) answers" >&2
else
  echo "use-docker: Docker cannot run here; the container test will be skipped" >&2
fi
