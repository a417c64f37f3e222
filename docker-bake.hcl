// Build definitions for the gosh-frontend image (docker buildx bake, buildx >= 0.13).
//
//   docker buildx bake frontend                          on-machine flavor: needs the bundle
//                                                        from scripts/pack-frontend.sh first
//   FRONTEND_FLAVOR=official docker buildx bake frontend npm ci + build inside node:20 (network)
//   docker buildx bake example                           builds examples/hello with the
//                                                        freshly built frontend, no tag needed
//
// scripts/pack-frontend.sh prepares the bundle and runs the first command.

variable "FRONTEND_FLAVOR" {
  // "bundle": copy .tmp/frontend-bundle into RUNTIME_IMAGE (no network inside the build)
  // "official": build from source in NODE_IMAGE, run in SLIM_IMAGE
  default = "bundle"
}

variable "FRONTEND_TAG" {
  default = "gosh-frontend:dev"
}

variable "RUNTIME_IMAGE" {
  default = "gosh-test/node:20"
}

variable "NODE_IMAGE" {
  default = "node:20-bookworm-slim"
}

variable "SLIM_IMAGE" {
  default = "debian:bookworm-slim"
}

variable "EXAMPLE_CONTEXT" {
  default = "examples/hello"
}

group "default" {
  targets = ["frontend"]
}

target "frontend" {
  context    = "."
  dockerfile = "Dockerfile.frontend"
  target     = "frontend"
  args = {
    FLAVOR        = FRONTEND_FLAVOR
    RUNTIME_IMAGE = RUNTIME_IMAGE
    NODE_IMAGE    = NODE_IMAGE
    SLIM_IMAGE    = SLIM_IMAGE
  }
  tags = [FRONTEND_TAG]
  // the docker driver loads the result into the engine's image store
  output = ["type=docker"]
  // no provenance attestation: it carries build times, so every build would get a new image ID
  attest = ["type=provenance,disabled=true"]
}

// A build that uses the frontend straight from the "frontend" target, without a tag or registry:
// bake passes the target as the named context "gosh", and BUILDKIT_SYNTAX=gosh makes the builtin
// Dockerfile frontend forward to it (the gateway resolves the syntax ref as a named context).
target "example" {
  context  = EXAMPLE_CONTEXT
  contexts = { gosh = "target:frontend" }
  args     = { BUILDKIT_SYNTAX = "gosh" }
  output   = ["type=local,dest=.tmp/example-out"]
}
