// Used together with the repository's docker-bake.hcl (which defines the "frontend" target):
//
//   FRONTEND_FLAVOR=official docker buildx bake -f docker-bake.hcl \
//     -f examples/github-actions/docker-bake.hcl app --metadata-file out/bake-metadata.json
//
// The app is built by the frontend straight from the "frontend" target (named context "gosh"),
// and pushed to the registry in APP_IMAGE (a loopback registry in the workflow), so the metadata
// file names the pushed image's descriptor.

variable "APP_IMAGE" {
  default = "localhost:5000/gosh-example/app:ci"
}

target "app" {
  context  = "examples/github-actions/app"
  contexts = { gosh = "target:frontend" }
  args     = { BUILDKIT_SYNTAX = "gosh" }
  tags     = [APP_IMAGE]
  output   = ["type=registry"]
}
