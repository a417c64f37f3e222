#!/usr/bin/env bash
# Brings up, idempotently, what the e2e suite needs on a Debian bookworm machine with no
# internet but Debian's archive and the npm registry (see ../shared/environment.md):
#   Docker 26 + buildx 0.13 from trixie, dockerd with the containerd image store,
#   local base images (busybox, a Node 20 runtime) and a registry on 127.0.0.1:5000;
#   Node 20 + npm from trixie when the machine lacks them. Run as root; safe to rerun.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
export PATH="/usr/bin:$PATH"
STATE_DIR=${GOSH_PROVISION_DIR:-/var/lib/gosh-provision}
mkdir -p "$STATE_DIR"
log() { printf '[provision] %s\n' "$*" >&2; }

need_root() {
  if [ "$(id -u)" != 0 ]; then
    log "must run as root (apt-get, dockerd); try: sudo $0"
    exit 1
  fi
}

APT_UPDATED=0
apt_update() {
  [ "$APT_UPDATED" = 1 ] && return
  apt-get update -qq
  APT_UPDATED=1
}

# Debian 13 "trixie" as a low-priority source: only what we ask for with -t trixie comes from it.
add_trixie_source() {
  [ -f /etc/apt/sources.list.d/trixie.sources ] && [ -f /etc/apt/preferences.d/trixie-low ] && return
  local uris
  uris=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  uris=${uris:-http://deb.debian.org/debian}
  cat >/etc/apt/sources.list.d/trixie.sources <<SRC
Types: deb
URIs: ${uris}
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  cat >/etc/apt/preferences.d/trixie-low <<PIN
Package: *
Pin: release n=trixie
Pin-Priority: 100
PIN
  APT_UPDATED=0
}

install_engine() {
  if [ -x /usr/bin/docker ] && /usr/bin/docker buildx version >/dev/null 2>&1 && command -v dockerd >/dev/null; then
    return
  fi
  add_trixie_source
  log "installing docker.io and docker-buildx from trixie"
  apt_update
  apt-get install -y -qq -t trixie docker.io docker-buildx >/dev/null
}

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

# Node 20 (>= 20.19, package.json engines) runs the build and is copied into gosh-test/node:20.
# The machines come with it; on a bare bookworm (nodejs 18) take trixie's 20.19.
install_node() {
  if command -v node >/dev/null && command -v npm >/dev/null && [ "$(node_major)" = 20 ]; then
    return
  fi
  add_trixie_source
  log "installing nodejs 20 and npm from trixie"
  apt_update
  apt-get install -y -qq -t trixie nodejs npm >/dev/null
  [ "$(node_major)" = 20 ] || { log "node 20 is required, found $(node --version 2>&1)"; exit 1; }
}

install_tools() {
  local missing=()
  command -v busybox >/dev/null || missing+=(busybox-static)
  command -v docker-registry >/dev/null || missing+=(docker-registry)
  command -v skopeo >/dev/null || missing+=(skopeo)
  command -v curl >/dev/null || missing+=(curl)
  command -v flock >/dev/null || missing+=(util-linux)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    apt_update
    apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

start_dockerd() {
  mkdir -p /etc/docker
  local want='{"features":{"containerd-snapshotter":true}}'
  if [ "$(cat /etc/docker/daemon.json 2>/dev/null)" != "$want" ]; then
    printf '%s\n' "$want" >/etc/docker/daemon.json
  fi
  if ! /usr/bin/docker info >/dev/null 2>&1; then
    log "starting dockerd (log: $STATE_DIR/dockerd.log)"
    # appended, not truncated: bench/ reads the frontend's stderr lines from this log
    nohup dockerd --iptables=false >>"$STATE_DIR/dockerd.log" 2>&1 </dev/null &
    local up=0
    for _ in $(seq 1 60); do
      if /usr/bin/docker info >/dev/null 2>&1; then up=1; break; fi
      sleep 1
    done
    if [ "$up" != 1 ]; then
      tail -n 30 "$STATE_DIR/dockerd.log" >&2
      log "dockerd did not come up"
      exit 1
    fi
  fi
  # attestations and OCI indexes need the containerd image store; a daemon started earlier
  # without it has to be restarted by hand
  if ! /usr/bin/docker info --format '{{json .DriverStatus}}' | grep -q containerd.snapshotter; then
    log "dockerd runs without the containerd image store: stop it and rerun this script"
    exit 1
  fi
}

has_image() { /usr/bin/docker image inspect "$1" >/dev/null 2>&1; }

make_busybox() {
  has_image busybox:local && return
  log "importing busybox:local"
  local root
  root=$(mktemp -d)
  mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/root"
  cp "$(command -v busybox)" "$root/bin/busybox"
  for applet in $("$root/bin/busybox" --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\napp:x:1000:1000:app:/home/app:/bin/sh\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\napp:x:1000:\n' >"$root/etc/group"
  chmod 1777 "$root/tmp"
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$root" -c . \
    | /usr/bin/docker import - busybox:local >/dev/null
  rm -rf "$root"
}

make_node_runtime() {
  has_image gosh-test/node:20 && return
  log "importing gosh-test/node:20"
  local root node
  root=$(mktemp -d)
  node=$(readlink -f "$(command -v node)")
  [ "$(node_major)" = 20 ] || { log "gosh-test/node:20 needs node 20 on the host"; exit 1; }
  mkdir -p "$root/bin" "$root/usr/bin" "$root/tmp" "$root/etc"
  cp "$(command -v busybox)" "$root/bin/busybox"
  for applet in sh ls cat env mkdir rm cp echo; do ln -sf busybox "$root/bin/$applet"; done
  cp "$node" "$root/usr/bin/node"
  # node links only libc, libm, libdl, libpthread, libstdc++, libgcc_s and the loader
  ldd "$node" | awk '/=>/ {print $3} /ld-linux/ {print $1}' | while read -r lib; do
    [ -f "$lib" ] || continue
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done
  if [ -e /lib64/ld-linux-x86-64.so.2 ]; then
    mkdir -p "$root/lib64"; cp -L /lib64/ld-linux-x86-64.so.2 "$root/lib64/"
  fi
  printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
  chmod 1777 "$root/tmp"
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$root" -c . \
    | /usr/bin/docker import - gosh-test/node:20 >/dev/null
  rm -rf "$root"
}

start_registry() {
  if curl -fsS http://127.0.0.1:5000/v2/ >/dev/null 2>&1; then return; fi
  log "starting registry on 127.0.0.1:5000"
  mkdir -p "$STATE_DIR/registry"
  cat >"$STATE_DIR/registry.yml" <<CFG
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $STATE_DIR/registry
  delete:
    enabled: true
http:
  addr: 127.0.0.1:5000
CFG
  nohup docker-registry serve "$STATE_DIR/registry.yml" >"$STATE_DIR/registry.log" 2>&1 </dev/null &
  for _ in $(seq 1 30); do
    curl -fsS http://127.0.0.1:5000/v2/ >/dev/null 2>&1 && return
    sleep 0.5
  done
  log "registry did not come up"; exit 1
}

need_root
install_engine
install_node
install_tools
start_dockerd
make_busybox
make_node_runtime
start_registry
log "ready: $(/usr/bin/docker version --format '{{.Server.Version}}') buildx $(/usr/bin/docker buildx version | awk '{print $2}')"
