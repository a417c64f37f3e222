#!/usr/bin/env bash
# Brings up, idempotently, what the e2e suite needs on a Debian bookworm machine with no
# internet but Debian's archive and the npm registry (see ../shared/environment.md):
#   Docker 26 + buildx 0.13 from trixie, dockerd with the containerd image store,
#   local base images (busybox, a Node 20 runtime) and a registry on 127.0.0.1:5000;
#   Node 20 + npm from trixie when the machine lacks them; the Rust and npm fixtures' images and
#   sources (sections below). Run as root; safe to rerun.
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

# A daemon started from a directory that was deleted since (an earlier CI clone) fails every
# git source with "unable to get current working directory": restart it from /.
stop_dockerd_without_cwd() {
  local pid
  # pidof fails when no dockerd runs; under pipefail that must not end the script
  pid=$(pidof dockerd 2>/dev/null | awk '{print $1}' || true)
  [ -n "$pid" ] || return 0
  case "$(readlink "/proc/$pid/cwd" 2>/dev/null)" in
    *" (deleted)") ;;
    *) return 0 ;;
  esac
  log "dockerd's working directory was deleted: restarting it"
  kill "$pid"
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 1
  done
  log "dockerd did not stop"
  exit 1
}

start_dockerd() {
  mkdir -p /etc/docker
  local want='{"features":{"containerd-snapshotter":true}}'
  if [ "$(cat /etc/docker/daemon.json 2>/dev/null)" != "$want" ]; then
    printf '%s\n' "$want" >/etc/docker/daemon.json
  fi
  stop_dockerd_without_cwd
  if ! /usr/bin/docker info >/dev/null 2>&1; then
    log "starting dockerd (log: $STATE_DIR/dockerd.log)"
    # appended, not truncated: bench/ reads the frontend's stderr lines from this log.
    # Started from /: the daemon runs git (ADD of a git URL) in its own working directory,
    # which must outlive the checkout this script runs from.
    # exec: no shell stays behind holding the caller's stdout (a CI log pipe would never close)
    (cd / && exec nohup dockerd --iptables=false) >>"$STATE_DIR/dockerd.log" 2>&1 </dev/null &
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

# The node runtime's files (binary, the libraries it links, /etc/passwd, /tmp) into rootfs $1.
node_rootfs() {
  local root=$1 node
  node=$(readlink -f "$(command -v node)")
  mkdir -p "$root/bin" "$root/usr/bin" "$root/tmp" "$root/etc"
  cp "$(command -v busybox)" "$root/bin/busybox"
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
}

make_node_runtime() {
  has_image gosh-test/node:20 && return
  log "importing gosh-test/node:20"
  [ "$(node_major)" = 20 ] || { log "gosh-test/node:20 needs node 20 on the host"; exit 1; }
  local root
  root=$(mktemp -d)
  node_rootfs "$root"
  for applet in sh ls cat env mkdir rm cp echo; do ln -sf busybox "$root/bin/$applet"; done
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
  (cd / && exec nohup docker-registry serve "$STATE_DIR/registry.yml") >"$STATE_DIR/registry.log" 2>&1 </dev/null &
  for _ in $(seq 1 30); do
    curl -fsS http://127.0.0.1:5000/v2/ >/dev/null 2>&1 && return
    sleep 0.5
  done
  log "registry did not come up"; exit 1
}


# ---------------------------------------------------------------------------------------------
# Rust: the toolchain image and real crates for test/e2e/cargo.e2e.test.ts (owner: deps)
#   gosh-test/rust:trixie   debootstrap trixie minbase + cargo, rustc, gcc, libc6-dev
#   $STATE_DIR/rust/crates/ real crates repacked from Debian's librust-*-dev sources, stable bytes
#   $STATE_DIR/rust/Cargo.lock  the fixture project's lock (test/fixtures/cargo/app), made by
#                           cargo itself against those crates, so its checksums match them
# Everything is cached under $STATE_DIR/rust; delete that directory to start over.
# ---------------------------------------------------------------------------------------------
ROOT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUST_DIR=$STATE_DIR/rust
RUST_IMAGE=gosh-test/rust:trixie
# the fixture's dependencies; apt adds their closure (about 30 crates get locked)
RUST_CRATE_PACKAGES=(librust-anyhow-dev librust-base64-dev librust-hex-dev librust-itertools-dev
  librust-log-dev librust-once-cell-dev librust-serde-dev librust-serde-derive-dev
  librust-serde-json-dev librust-sha2-dev)

debian_uri() {
  local uris
  uris=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  echo "${uris:-http://deb.debian.org/debian}"
}

make_rust_image() {
  has_image "$RUST_IMAGE" && return
  mkdir -p "$RUST_DIR"
  if [ ! -f "$RUST_DIR/rootfs.done" ]; then
    command -v debootstrap >/dev/null || { apt_update; apt-get install -y -qq debootstrap >/dev/null; }
    log "debootstrap trixie with cargo into $RUST_DIR/rootfs (about 90 s)"
    rm -rf "$RUST_DIR/rootfs.tmp"
    debootstrap --variant=minbase --include=cargo,rustc,gcc,libc6-dev trixie "$RUST_DIR/rootfs.tmp" "$(debian_uri)" \
      >"$RUST_DIR/debootstrap.log" 2>&1 || { tail -n 20 "$RUST_DIR/debootstrap.log" >&2; log "debootstrap failed"; exit 1; }
    # the image needs neither the downloaded packages nor the package lists
    rm -rf "$RUST_DIR/rootfs.tmp/var/cache/apt/archives/"*.deb "$RUST_DIR/rootfs.tmp/var/lib/apt/lists/"*
    rm -rf "$RUST_DIR/rootfs"
    mv "$RUST_DIR/rootfs.tmp" "$RUST_DIR/rootfs"
    touch "$RUST_DIR/rootfs.done"
  fi
  log "importing $RUST_IMAGE"
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$RUST_DIR/rootfs" -c . \
    | /usr/bin/docker import - "$RUST_IMAGE" >/dev/null
}

# Debian's librust-*-dev packages (and their closure) from trixie, with the host's apt pointed at
# private directories and at the Rust rootfs's dpkg status, so nothing on the host changes.
download_rust_debs() {
  local apt_dir=$RUST_DIR/apt
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial" "$apt_dir/cache" "$apt_dir/empty"
  printf 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s trixie main\n' "$(debian_uri)" >"$apt_dir/sources.list"
  local opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o "Dir::Etc::SourceParts=$apt_dir/empty"
    -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache" -o "Dir::Cache::Archives=$apt_dir/archives"
    -o "Dir::State::status=$RUST_DIR/rootfs/var/lib/dpkg/status" -o Dir::Etc::Preferences=/dev/null
    -o "Dir::Etc::PreferencesParts=$apt_dir/empty" -o APT::Install-Recommends=false)
  apt-get "${opts[@]}" update -qq
  apt-get "${opts[@]}" install -y -qq --download-only "${RUST_CRATE_PACKAGES[@]}" >/dev/null
}

# One `<name>-<version>.crate` per source directory: a gzip tar with that one top directory,
# without Debian's .cargo-checksum.json, with fixed order, times and owners (stable bytes).
repack_rust_crates() {
  local work=$RUST_DIR/work crates=$RUST_DIR/crates.tmp
  rm -rf "$work" "$crates"
  mkdir -p "$work" "$crates"
  for deb in "$RUST_DIR/apt/archives/"librust-*.deb; do dpkg -x "$deb" "$work"; done
  local dir name version
  for dir in "$work/usr/share/cargo/registry/"*/; do
    dir=${dir%/}
    [ -f "$dir/Cargo.toml" ] || continue
    # the [package] section's name and version (Debian's Cargo.toml is cargo's normalised one)
    name=$(awk '/^\[/ {p = ($0 == "[package]")} p && /^name *=/ {gsub(/^name *= *"|"$/, ""); print; exit}' "$dir/Cargo.toml")
    version=$(awk '/^\[/ {p = ($0 == "[package]")} p && /^version *=/ {gsub(/^version *= *"|"$/, ""); print; exit}' "$dir/Cargo.toml")
    [ -n "$name" ] && [ -n "$version" ] || { log "no name/version in $dir/Cargo.toml"; exit 1; }
    rm -f "$dir/.cargo-checksum.json"
    [ "$(basename "$dir")" = "$name-$version" ] || mv "$dir" "$(dirname "$dir")/$name-$version"
    tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$work/usr/share/cargo/registry" \
      -c "$name-$version" | gzip -n -9 >"$crates/$name-$version.crate"
  done
  rm -rf "$work" "$RUST_DIR/crates"
  mv "$crates" "$RUST_DIR/crates"
}

# The fixture's Cargo.lock, written by cargo from a directory source of the repacked crates.
lock_rust_fixture() {
  local app=$ROOT_DIR/test/fixtures/cargo/app vendor=$RUST_DIR/vendor
  rm -rf "$vendor" "$RUST_DIR/lockgen"
  mkdir -p "$vendor" "$RUST_DIR/lockgen"
  local crate base sum
  for crate in "$RUST_DIR/crates/"*.crate; do
    base=$(basename "$crate" .crate)
    tar -xzf "$crate" -C "$vendor"
    sum=$(sha256sum "$crate" | cut -d' ' -f1)
    printf '{"files":{},"package":"%s"}' "$sum" >"$vendor/$base/.cargo-checksum.json"
  done
  cp -r "$app/." "$RUST_DIR/lockgen/"
  rm -f "$RUST_DIR/lockgen/Cargo.lock"
  /usr/bin/docker run --rm --network none -v "$vendor:/vendor:ro" -v "$RUST_DIR/lockgen:/app" -w /app "$RUST_IMAGE" \
    cargo generate-lockfile --offline --config 'source.crates-io.replace-with="v"' --config 'source.v.directory="/vendor"' \
    >"$RUST_DIR/lockgen.log" 2>&1 || { cat "$RUST_DIR/lockgen.log" >&2; log "cargo generate-lockfile failed"; exit 1; }
  cp "$RUST_DIR/lockgen/Cargo.lock" "$RUST_DIR/Cargo.lock"
  rm -rf "$vendor" "$RUST_DIR/lockgen"
}

make_rust_crates() {
  make_rust_image
  if [ ! -f "$RUST_DIR/crates.done" ]; then
    log "downloading and repacking Debian's Rust crate sources"
    download_rust_debs
    repack_rust_crates
    touch "$RUST_DIR/crates.done"
  fi
  # relocked whenever the fixture's manifest changes
  local key
  key=$(cat "$ROOT_DIR/test/fixtures/cargo/app/Cargo.toml" "$ROOT_DIR/test/fixtures/cargo/app/src/main.rs" | sha256sum | cut -d' ' -f1)
  if [ ! -f "$RUST_DIR/Cargo.lock" ] || [ "$(cat "$RUST_DIR/lock.key" 2>/dev/null)" != "$key" ]; then
    log "locking the Cargo fixture against $(ls "$RUST_DIR/crates" | wc -l) crates"
    lock_rust_fixture
    printf '%s\n' "$key" >"$RUST_DIR/lock.key"
  fi
}


# ---------------------------------------------------------------------------------------------
# npm: the image and real tarballs for the npm e2e tests (owner: deps)
#   gosh-test/node-npm:20   gosh-test/node:20's files plus the host's npm and a busybox shell
#   $STATE_DIR/npm/tarballs/<path>  every tarball of test/fixtures/npm/app/package-lock.json, at
#                           the path of its `resolved` URL under https://registry.npmjs.org/
#                           (express/-/express-4.21.2.tgz, @types/node/-/node-20.1.0.tgz), each
#                           checked against the lock's sha512 integrity
#   $STATE_DIR/npm/lock.key sha256 of the lock those tarballs belong to
# Delete $STATE_DIR/npm to start over.
# ---------------------------------------------------------------------------------------------
NPM_DIR=$STATE_DIR/npm
NPM_IMAGE=gosh-test/node-npm:20
NPM_FIXTURE=$ROOT_DIR/test/fixtures/npm/app

make_node_npm_image() {
  has_image "$NPM_IMAGE" && return
  [ "$(node_major)" = 20 ] || { log "$NPM_IMAGE needs node 20 on the host"; exit 1; }
  local root npm_cli npm_pkg
  npm_cli=$(readlink -f "$(command -v npm)")
  npm_pkg=$(dirname "$(dirname "$npm_cli")")
  [ -f "$npm_pkg/package.json" ] || { log "no npm package directory at $npm_pkg"; exit 1; }
  log "importing $NPM_IMAGE (npm $(node -p 'require(process.argv[1]).version' "$npm_pkg/package.json"))"
  root=$(mktemp -d)
  node_rootfs "$root"
  for applet in sh ls cat env mkdir rm cp mv ln echo printf find wc tr sed grep head tail sort \
    xargs chmod touch test true false pwd basename dirname id uname sleep tee du; do
    ln -sf busybox "$root/bin/$applet"
  done
  mkdir -p "$root/usr/lib/node_modules" "$root/root"
  cp -a "$npm_pkg" "$root/usr/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/bin/npx"
  # npm-cli.js starts with #!/usr/bin/env node
  ln -sf ../../bin/busybox "$root/usr/bin/env"
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$root" -c . \
    | /usr/bin/docker import - "$NPM_IMAGE" >/dev/null
  rm -rf "$root"
  # a broken image would pass has_image on the next run: remove it
  if ! /usr/bin/docker run --rm --network none "$NPM_IMAGE" npm --version >/dev/null; then
    /usr/bin/docker image rm "$NPM_IMAGE" >/dev/null 2>&1 || true
    log "$NPM_IMAGE: npm --version failed"
    exit 1
  fi
}

# npm ci fills a private cache from the registry; every locked tarball is then copied out of that
# cache by its integrity into $NPM_DIR/tarballs/<registry path>, its sha512 checked again.
fetch_npm_tarballs() {
  local work=$NPM_DIR/work
  rm -rf "$work" "$NPM_DIR/tarballs.tmp"
  mkdir -p "$work" "$NPM_DIR/tarballs.tmp"
  cp "$NPM_FIXTURE/package.json" "$NPM_FIXTURE/package-lock.json" "$work/"
  (cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --no-update-notifier \
    --cache "$NPM_DIR/cache" --loglevel warn) >"$NPM_DIR/ci.log" 2>&1 \
    || { tail -n 30 "$NPM_DIR/ci.log" >&2; log "npm ci of the npm fixture failed"; exit 1; }
  node - "$work/package-lock.json" "$NPM_DIR/cache/_cacache" "$NPM_DIR/tarballs.tmp" <<'JS'
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const [lockFile, cacache, out] = process.argv.slice(2);
const REGISTRY = 'https://registry.npmjs.org/';
const lock = JSON.parse(fs.readFileSync(lockFile, 'utf8'));
let n = 0;
for (const [key, entry] of Object.entries(lock.packages ?? {})) {
  if (key === '' || entry.link || entry.resolved === undefined) continue;
  const { resolved, integrity } = entry;
  if (!resolved.startsWith(REGISTRY)) throw new Error(`${key}: not from ${REGISTRY}: ${resolved}`);
  const sri = /^sha512-([A-Za-z0-9+/=]+)$/.exec(integrity ?? '');
  if (sri === null) throw new Error(`${key}: no sha512 integrity: ${integrity}`);
  const hex = Buffer.from(sri[1], 'base64').toString('hex');
  const content = path.join(cacache, 'content-v2', 'sha512', hex.slice(0, 2), hex.slice(2, 4), hex.slice(4));
  const bytes = fs.readFileSync(content);
  if (crypto.createHash('sha512').update(bytes).digest('hex') !== hex) throw new Error(`${key}: sha512 mismatch in ${content}`);
  const rel = decodeURIComponent(resolved.slice(REGISTRY.length));
  if (rel.split('/').some((part) => part === '' || part === '.' || part === '..')) throw new Error(`${key}: odd path ${rel}`);
  fs.mkdirSync(path.join(out, path.dirname(rel)), { recursive: true });
  fs.writeFileSync(path.join(out, rel), bytes);
  n += 1;
}
process.stderr.write(`[provision] ${n} npm tarballs\n`);
JS
  rm -rf "$work" "$NPM_DIR/tarballs"
  mv "$NPM_DIR/tarballs.tmp" "$NPM_DIR/tarballs"
}

make_npm_fixture() {
  make_node_npm_image
  mkdir -p "$NPM_DIR"
  local key
  key=$(sha256sum "$NPM_FIXTURE/package-lock.json" | cut -d' ' -f1)
  if [ ! -d "$NPM_DIR/tarballs" ] || [ "$(cat "$NPM_DIR/lock.key" 2>/dev/null)" != "$key" ]; then
    log "fetching the npm fixture's tarballs into $NPM_DIR/tarballs"
    rm -f "$NPM_DIR/lock.key"
    fetch_npm_tarballs
    printf '%s\n' "$key" >"$NPM_DIR/lock.key"
  fi
}

need_root
install_engine
install_node
install_tools
start_dockerd
make_busybox
make_node_runtime
start_registry
make_rust_crates
make_npm_fixture
log "ready: $(/usr/bin/docker version --format '{{.Server.Version}}') buildx $(/usr/bin/docker buildx version | awk '{print $2}')"
