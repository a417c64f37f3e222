#!/usr/bin/env bash
# Exercises the "official" flavor of Dockerfile.frontend (npm ci + npm run build inside the image) on
# these machines, where node:20-bookworm-slim and debian:bookworm-slim cannot be pulled:
#   - NODE_IMAGE is replaced by gosh-test/node-full:20, made here from the host's node and npm
#     (node at /usr/local/bin like the official image, busybox, the host CA bundle so npm can get
#     through the TLS-intercepting proxy);
#   - SLIM_IMAGE is replaced by gosh-test/node:20 (it has the C++ runtime node needs);
#   - RUN steps get the host network (--network=host --allow network.host), the only way to reach
#     the npm registry from a build here.
# Not part of CI (it needs the npm registry from inside a build). Builds gosh-frontend:official-check
# from the current checkout, runs its node once, then removes the tag.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export PATH="/usr/bin:$PATH"
TAG=gosh-frontend:official-check
log() { printf '[check-official] %s\n' "$*" >&2; }

if ! docker image inspect gosh-test/node-full:20 >/dev/null 2>&1; then
  log "making gosh-test/node-full:20 from the host's node $(node --version) and npm $(npm --version)"
  root=$(mktemp -d)
  trap 'rm -rf "$root"' EXIT
  node=$(readlink -f "$(command -v node)")
  npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
  mkdir -p "$root/bin" "$root/usr/bin" "$root/usr/local/bin" "$root/usr/local/lib" "$root/tmp" "$root/root" "$root/etc/ssl/certs" "$root/lib64"
  cp "$(command -v busybox)" "$root/bin/busybox"
  for applet in $("$root/bin/busybox" --list); do [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"; done
  ln -s /bin/busybox "$root/usr/bin/env"
  cp "$node" "$root/usr/local/bin/node"
  ldd "$node" | awk '/=>/ {print $3} /ld-linux/ {print $1}' | while read -r lib; do
    [ -f "$lib" ] || continue
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done
  cp -L /lib64/ld-linux-x86-64.so.2 "$root/lib64/"
  cp -a "$npm_dir" "$root/usr/local/lib/npm"
  printf '#!/bin/sh\nexec /usr/local/bin/node /usr/local/lib/npm/bin/npm-cli.js "$@"\n' >"$root/usr/local/bin/npm"
  chmod +x "$root/usr/local/bin/npm"
  cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/"
  printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
  chmod 1777 "$root/tmp"
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$root" -c . \
    | docker import -c 'ENV PATH=/usr/local/bin:/usr/bin:/bin NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
      - gosh-test/node-full:20 >/dev/null
fi

log "building $TAG (FLAVOR=official)"
docker buildx build --progress=plain --network=host --allow network.host --provenance=false \
  -f Dockerfile.frontend --target frontend \
  --build-arg FLAVOR=official \
  --build-arg NODE_IMAGE=gosh-test/node-full:20 \
  --build-arg SLIM_IMAGE=gosh-test/node:20 \
  -t "$TAG" .
docker image inspect --format 'labels {{json .Config.Labels}} entrypoint {{json .Config.Entrypoint}}' "$TAG"
docker run --rm --network=none --entrypoint /usr/bin/node "$TAG" -e \
  "require('fs').accessSync('/app/dist/bin/frontend.js'); console.log('node', process.version, 'runs; entry present')"
docker image rm "$TAG" >/dev/null
log "ok"
