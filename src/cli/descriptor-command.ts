// `gosh descriptor`: the OCI descriptor and pending provenance of an SBOM, for an image built
// elsewhere (buildx with our frontend, or anything else). Phases, in this order and no other:
//   1. check every flag, variable and input file (nothing written, nothing sent);
//   2. store the Surface payloads and manifest in the CAS (content-addressed, idempotent);
//   3. POST the descriptor to the attestor, when one is named;
//   4. return the descriptor, which main.ts prints on stdout (nothing on stdout on any error).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Digest } from '../core/digest.js';
import { fail } from '../core/errors.js';
import { formatImageRef, parseImageRef, type ImageRef } from '../core/image-ref.js';
import { parseSourceDateEpoch, spdxDateFromEpoch } from '../sbom/created.js';
import type { OciDescriptor, SbomFormat } from '../sbom/descriptor.js';
import { parseArgs, stringFlag, type FlagSpec, type ParsedArgs } from './args.js';
import { ATTESTOR_TOKEN_ENV, parseAttestorTarget, postToAttestor, type AttestorTarget, type RetryPolicy } from './attestor.js';
import { MEDIA_TYPE_RE, readBuildxMetadata } from './buildx-metadata.js';
import type { CommandContext } from './command-context.js';
import { createCliDescriptor, renderCliDescriptor } from './descriptor-document.js';
import { SBOM_FORMATS, SBOM_KINDS, loadGeneratorManifest, type SbomKind } from './generator-manifest.js';
import { identifySbom } from './sbom-identity.js';
import { SURFACE_FLAGS, planSurface, resolveSurfaceSettings, writeSurface } from './surface.js';

const WHO = 'gosh descriptor';

export const DESCRIPTOR_FLAGS: readonly FlagSpec[] = [
  { name: 'manifest', kind: 'string' },
  { name: 'image', kind: 'string' },
  { name: 'sbom', kind: 'string' },
  { name: 'sbom-name', kind: 'string' },
  { name: 'artifact-type', kind: 'string' },
  { name: 'sbom-format', kind: 'string' },
  { name: 'sbom-kind', kind: 'string' },
  { name: 'repository', kind: 'string' },
  { name: 'build-ref', kind: 'string' },
  { name: 'metadata-file', kind: 'string' },
  { name: 'cas', kind: 'string' },
  { name: 'attestor', kind: 'string' },
  { name: 'attestor-token', kind: 'string' },
  { name: 'attestor-insecure', kind: 'bool' },
  ...SURFACE_FLAGS,
];

/** Test seam: the retry policy of the attestor POST. */
export interface DescriptorCommandOptions {
  readonly retry?: RetryPolicy;
}

function required(args: ParsedArgs, name: string, what: string): string {
  const v = stringFlag(args, name);
  if (v === undefined) fail('CLI_USAGE', `${WHO}: --${name} ${what} is required (usage: gosh descriptor --image REF@sha256:<hex> --sbom FILE [flags]; gosh help lists them)`);
  if (v === '') fail('CLI_USAGE', `${WHO}: --${name} needs a non-empty value`);
  return v;
}

/** A free-text flag: one non-empty line without control characters, or absent. */
function textFlag(args: ParsedArgs, name: string): string | undefined {
  const v = stringFlag(args, name);
  if (v !== undefined && (v.trim() === '' || /[\x00-\x1f\x7f]/.test(v))) fail('CLI_USAGE', `${WHO}: --${name} must be one non-empty line, got ${JSON.stringify(v)}`);
  return v;
}

function oneOfFlag<T extends string>(args: ParsedArgs, name: string, values: readonly T[]): T | undefined {
  const v = stringFlag(args, name);
  if (v !== undefined && !values.includes(v as T)) fail('CLI_USAGE', `${WHO}: --${name} must be ${values.join(' or ')}, got ${JSON.stringify(v)}`);
  return v as T | undefined;
}

function parseImage(text: string): ImageRef & { readonly digest: Digest } {
  const parsed = parseImageRef(text);
  if (!parsed.ok) fail('CLI_USAGE', `${WHO}: --image ${JSON.stringify(text)} is not an image reference: ${parsed.reason}`);
  const { ref } = parsed;
  if (ref.digest === undefined) fail('CLI_USAGE', `${WHO}: --image needs a digest (REF@sha256:<hex>), got ${JSON.stringify(text)}`);
  return { ...ref, digest: ref.digest };
}

function readInput(path: string, flag: string, code: 'SBOM_INVALID' | 'OPTION_INVALID'): Buffer {
  try {
    return readFileSync(path);
  } catch (cause) {
    const errno = cause as NodeJS.ErrnoException;
    const why = errno.code === 'ENOENT' ? 'no such file' : errno.code === 'EISDIR' ? 'it is a directory' : errno.message;
    return fail(code, `${WHO}: cannot read --${flag} ${JSON.stringify(path)}: ${why}`, {}, undefined, cause);
  }
}

/** SOURCE_DATE_EPOCH when set (reproducible runs), else the clock. */
function generatedAt(ctx: CommandContext): string {
  const epoch = ctx.env['SOURCE_DATE_EPOCH'];
  if (epoch !== undefined && epoch !== '') return spdxDateFromEpoch(parseSourceDateEpoch(epoch));
  return ctx.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function attestorTarget(args: ParsedArgs, env: CommandContext['env']): AttestorTarget | undefined {
  const uri = stringFlag(args, 'attestor');
  const flagToken = stringFlag(args, 'attestor-token');
  const insecure = args.flags.get('attestor-insecure') === true;
  if (uri === undefined) {
    if (flagToken !== undefined) fail('CLI_USAGE', `${WHO}: --attestor-token without --attestor`);
    if (insecure) fail('CLI_USAGE', `${WHO}: --attestor-insecure without --attestor`);
    return undefined;
  }
  const envToken = env[ATTESTOR_TOKEN_ENV];
  const token = flagToken ?? (envToken !== undefined && envToken !== '' ? envToken : undefined);
  const from = flagToken !== undefined ? '--attestor-token' : ATTESTOR_TOKEN_ENV;
  return parseAttestorTarget(uri, token, from, insecure, WHO);
}

/**
 * @throws GoshError CLI_USAGE (flags and values), SBOM_INVALID (the SBOM), OPTION_INVALID
 *   (manifest, metadata file, Surface payloads, SOURCE_DATE_EPOCH), CAS_WRITE, ATTESTOR_REJECTED,
 *   ATTESTOR_UNAVAILABLE
 */
export async function runDescriptorCommand(argv: readonly string[], ctx: CommandContext, options: DescriptorCommandOptions = {}): Promise<string> {
  // 1. validate everything
  const args = parseArgs(argv, DESCRIPTOR_FLAGS, WHO);
  if (args.positional.length > 0) fail('CLI_USAGE', `${WHO}: unexpected argument ${JSON.stringify(args.positional[0])}`);
  const image = parseImage(required(args, 'image', 'REF@sha256:<hex>'));
  const sbomPath = required(args, 'sbom', 'FILE');
  const sbomName = textFlag(args, 'sbom-name') ?? basename(sbomPath);
  const artifactType = stringFlag(args, 'artifact-type');
  if (artifactType !== undefined && !MEDIA_TYPE_RE.test(artifactType)) {
    fail('CLI_USAGE', `${WHO}: --artifact-type must be a media type (type/subtype, RFC 6838), got ${JSON.stringify(artifactType)}`);
  }
  const wantedFormat = oneOfFlag<SbomFormat>(args, 'sbom-format', SBOM_FORMATS);
  const kind = oneOfFlag<SbomKind>(args, 'sbom-kind', SBOM_KINDS) ?? 'inventory';
  const repository = textFlag(args, 'repository');
  const buildRef = textFlag(args, 'build-ref');
  const metadataPath = stringFlag(args, 'metadata-file');
  const cas = stringFlag(args, 'cas');
  if (cas === '') fail('CLI_USAGE', `${WHO}: --cas needs a non-empty value`);
  const attestor = attestorTarget(args, ctx.env);
  const surfaceSettings = resolveSurfaceSettings(args, ctx.env, cas, WHO);
  const manifest = loadGeneratorManifest(stringFlag(args, 'manifest'), 'descriptor');
  const at = generatedAt(ctx);

  const sbom = readInput(sbomPath, 'sbom', 'SBOM_INVALID');
  const identity = identifySbom(sbomPath, sbom);
  if (wantedFormat !== undefined && wantedFormat !== identity.format) {
    fail('SBOM_INVALID', `${WHO}: --sbom-format ${wantedFormat}, but ${sbomPath} is ${identity.format === 'spdx-json' ? 'SPDX JSON (spdxVersion)' : 'CycloneDX JSON (bomFormat)'}`);
  }
  if (!manifest.sbomFormats.includes(identity.format)) {
    fail('SBOM_INVALID', `${WHO}: the generator manifest does not accept ${identity.format} SBOMs (sbomFormats: ${manifest.sbomFormats.join(', ')})`, { file: manifest.file });
  }
  if (!manifest.sbomKinds.includes(kind)) {
    fail('CLI_USAGE', `${WHO}: the generator manifest does not accept --sbom-kind ${kind} (sbomKinds: ${manifest.sbomKinds.join(', ')})`);
  }
  let subject: OciDescriptor | undefined;
  if (metadataPath !== undefined) {
    subject = readBuildxMetadata(metadataPath, readInput(metadataPath, 'metadata-file', 'OPTION_INVALID'));
    if (subject.digest !== image.digest) {
      fail('OPTION_INVALID', `${WHO}: --image digest ${image.digest} differs from the built image's ${subject.digest}`, { file: metadataPath, jsonPath: '["containerimage.descriptor"].digest' });
    }
  }
  const generator = { name: manifest.name, version: manifest.version };
  const surface = surfaceSettings !== undefined ? planSurface(surfaceSettings, formatImageRef(image), generator) : undefined;

  const descriptor = createCliDescriptor({
    sbom,
    document: identity.document,
    identity,
    sbomName,
    kind,
    image,
    generator,
    generatedAt: at,
    ...(artifactType !== undefined ? { artifactType } : {}),
    ...(repository !== undefined ? { repository } : {}),
    ...(buildRef !== undefined ? { buildRef } : {}),
    ...(subject !== undefined ? { subject } : {}),
    ...(attestor !== undefined ? { attestorUri: attestor.uri } : {}),
    ...(surface !== undefined ? { surface: surface.reference } : {}),
  });
  const text = renderCliDescriptor(descriptor);

  // 2. write
  if (surface !== undefined) writeSurface(surface);
  // 3. send
  if (attestor !== undefined) {
    const result = await postToAttestor(attestor, text, {
      who: WHO,
      userAgent: `${manifest.name}/${manifest.version}`,
      log: ctx.stderr,
      ...(options.retry !== undefined ? { retry: options.retry } : {}),
    });
    ctx.stderr(`${WHO}: the attestor accepted the descriptor (HTTP ${result.status}, attempt ${result.attempts})\n`);
  }
  return text;
}
