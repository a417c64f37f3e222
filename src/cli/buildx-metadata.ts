// `docker buildx build --metadata-file F` output: the exporter's response as JSON. The one member
// the descriptor reads is the image descriptor the exporter wrote (mediaType, digest, size).
// Keys as buildx writes them (docker/buildx build/build.go, exptypes in moby/buildkit
// exporter/containerimage/exptypes/types.go).
import { isDigest, type Digest } from '../core/digest.js';
import type { OciDescriptor } from '../sbom/descriptor.js';
import { isJsonObject, memberPath, type JsonObject, type JsonValue } from '../core/json-text.js';
import { decodeUtf8, failWithProblems, parseJsonInput, type JsonProblem } from './json-input.js';

export const KEY_IMAGE_DESCRIPTOR = 'containerimage.descriptor';
export const KEY_IMAGE_DIGEST = 'containerimage.digest';

/** RFC 6838 type/subtype (what OCI requires of mediaType and artifactType) */
export const MEDIA_TYPE_RE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/;

function describe(value: JsonValue | undefined): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

/** Targets of a bake metadata file ({target: {containerimage.descriptor…}}), for the hint. */
function bakeTargets(root: JsonObject): string[] {
  return Object.keys(root).filter((k) => {
    const v = root[k];
    return isJsonObject(v) && Object.hasOwn(v, KEY_IMAGE_DESCRIPTOR);
  });
}

/**
 * The built image's descriptor from a buildx metadata file.
 * @throws GoshError OPTION_INVALID naming file, JSON path and line: not JSON, no
 *   `containerimage.descriptor`, a malformed one, or a `containerimage.digest` that disagrees
 */
export function readBuildxMetadata(file: string, bytes: Uint8Array): OciDescriptor {
  const text = decodeUtf8(file, bytes, 'OPTION_INVALID');
  const root = parseJsonInput(file, text, 'OPTION_INVALID');
  const problems: JsonProblem[] = [];
  if (!isJsonObject(root)) return failWithProblems(file, text, [{ path: '', message: `expected a buildx metadata object, found ${describe(root)}` }], 'OPTION_INVALID');
  const raw = root[KEY_IMAGE_DESCRIPTOR];
  const path = memberPath('', KEY_IMAGE_DESCRIPTOR);
  if (!isJsonObject(raw)) {
    const targets = bakeTargets(root);
    const message = raw !== undefined
      ? `${KEY_IMAGE_DESCRIPTOR} must be an object, found ${describe(raw)}`
      : targets.length > 0
        ? `no ${KEY_IMAGE_DESCRIPTOR} at the top: this looks like bake metadata (targets ${targets.join(', ')}); pass one build's metadata`
        : `no ${KEY_IMAGE_DESCRIPTOR}: was the image exported (--push, --load or --output type=image)?`;
    return failWithProblems(file, text, [{ path: raw !== undefined ? path : '', message }], 'OPTION_INVALID');
  }
  const mediaType = raw['mediaType'];
  const digest = raw['digest'];
  const size = raw['size'];
  if (typeof mediaType !== 'string' || !MEDIA_TYPE_RE.test(mediaType)) {
    problems.push({ path: memberPath(path, 'mediaType'), message: `mediaType must be a media type, found ${describe(mediaType)}` });
  }
  if (typeof digest !== 'string' || !isDigest(digest)) problems.push({ path: memberPath(path, 'digest'), message: `digest must be sha256:<64 hex>, found ${describe(digest)}` });
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    problems.push({ path: memberPath(path, 'size'), message: `size must be a non-negative integer, found ${describe(size)}` });
  }
  const topDigest = root[KEY_IMAGE_DIGEST];
  if (topDigest !== undefined && topDigest !== digest) {
    problems.push({ path: memberPath('', KEY_IMAGE_DIGEST), message: `${KEY_IMAGE_DIGEST} ${describe(topDigest)} differs from ${KEY_IMAGE_DESCRIPTOR}.digest` });
  }
  if (problems.length > 0) failWithProblems(file, text, problems, 'OPTION_INVALID');
  return { mediaType: mediaType as string, digest: digest as Digest, size: size as number };
}
