#!/usr/bin/env bash
# Packs the frontend from the current checkout and builds the gosh-frontend image.
#
#   scripts/pack-frontend.sh [--from-dist] [--no-image] [-- <extra docker buildx bake args>]
#
# 1. Bundle (.tmp/frontend-bundle/): dist/ (compiled from src/ by tsc straight into the bundle, so
#    stale files in ./dist never leak in), proto/, package.json and the production node_modules
#    (a copy of ./node_modules pruned with `npm prune --omit=dev --offline`: no network).
#    Type declarations and source maps are dropped; modes are normalized and every mtime is set to
#    SOURCE_DATE_EPOCH (default 0), so the same checkout gives the same bytes and the same layers.
#    --from-dist copies an existing ./dist instead of compiling (npm run build must have run).
# 2. Image: `docker buildx bake frontend` (docker-bake.hcl) -> $GOSH_FRONTEND_TAG, unless --no-image.
#
# Environment: GOSH_FRONTEND_TAG (gosh-frontend:dev), GOSH_FRONTEND_FLAVOR (bundle | official;
# official skips step 1 and builds from source inside the image, which needs network),
# SOURCE_DATE_EPOCH (0). Idempotent; concurrent runs are serialized with a lock.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export PATH="/usr/bin:$PATH"   # the Debian docker client, which has buildx
TAG=${GOSH_FRONTEND_TAG:-gosh-frontend:dev}
FLAVOR=${GOSH_FRONTEND_FLAVOR:-bundle}
EPOCH=${SOURCE_DATE_EPOCH:-0}
BUNDLE=.tmp/frontend-bundle
STAGE=.tmp/frontend-bundle.staging

from_dist=0
build_image=1
bake_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --from-dist) from_dist=1 ;;
    --no-image) build_image=0 ;;
    --) shift; bake_args=("$@"); break ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "pack-frontend: unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done

log() { printf '[pack-frontend] %s\n' "$*" >&2; }
die() { printf '[pack-frontend] error: %s\n' "$*" >&2; exit 1; }
now_ms() { date +%s%3N; }
t0=$(now_ms)

mkdir -p .tmp
exec 9>.tmp/pack-frontend.lock
flock 9

make_bundle() {
  [ -d node_modules ] || die "node_modules is missing: run npm ci first"
  [ -f package-lock.json ] || die "package-lock.json is missing"
  rm -rf "$STAGE"
  mkdir -p "$STAGE"

  if [ "$from_dist" = 1 ]; then
    [ -f dist/bin/frontend.js ] || die "dist/bin/frontend.js is missing: run npm run build (or drop --from-dist)"
    cp -a dist "$STAGE/dist"
  else
    log "compiling src/ into the bundle (tsc -p tsconfig.build.json)"
    node_modules/.bin/tsc -p tsconfig.build.json --outDir "$STAGE/dist" \
      || die "tsc failed (the bundle is compiled from src/ like npm run build)"
  fi
  [ -f "$STAGE/dist/bin/frontend.js" ] || die "no dist/bin/frontend.js: src/bin/frontend.ts does not exist yet?"

  cp -a proto "$STAGE/proto"
  cp package.json package-lock.json "$STAGE/"
  cp -a node_modules "$STAGE/node_modules"
  (cd "$STAGE" && npm prune --omit=dev --offline --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null) \
    || die "npm prune --omit=dev failed (is node_modules in sync with package-lock.json? run npm ci)"
  rm -f "$STAGE/package-lock.json"
  # types, maps and docs are never loaded at run time
  find "$STAGE/node_modules" -type f \( -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' \
    -o -name '*.map' -o \( -iname '*.md' ! -iname 'license*' ! -iname 'notice*' \) \) -delete
  find "$STAGE/node_modules" -depth -type d -empty -delete

  chmod -R u+rwX,go+rX,go-w "$STAGE"
  find "$STAGE" -exec touch -h -d "@$EPOCH" {} +

  rm -rf "$BUNDLE"
  mv "$STAGE" "$BUNDLE"
  local digest files size
  digest=$(tar --sort=name --mtime="@$EPOCH" --owner=0 --group=0 --numeric-owner -C "$BUNDLE" -c . | sha256sum | cut -c1-16)
  files=$(find "$BUNDLE" -type f | wc -l)
  size=$(du -sh "$BUNDLE" | cut -f1)
  log "bundle $BUNDLE: $files files, $size, tree sha256 $digest"
}

build_image() {
  log "building $TAG (flavor $FLAVOR) with docker buildx bake"
  FRONTEND_TAG="$TAG" FRONTEND_FLAVOR="$FLAVOR" \
    docker buildx bake -f docker-bake.hcl --progress="${BUILDKIT_PROGRESS:-plain}" \
    ${bake_args[@]+"${bake_args[@]}"} frontend
  local id size
  id=$(docker image inspect --format '{{.Id}}' "$TAG")
  size=$(docker image ls --format '{{.Size}}' "$TAG" | head -n 1)
  log "image $TAG: $id, $size unpacked"
}

if [ "$FLAVOR" = bundle ]; then
  make_bundle
elif [ "$FLAVOR" != official ]; then
  die "GOSH_FRONTEND_FLAVOR must be bundle or official, not $FLAVOR"
fi
if [ "$build_image" = 1 ]; then build_image; fi
log "done in $(( $(now_ms) - t0 )) ms"
