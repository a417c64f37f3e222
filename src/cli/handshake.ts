// `gosh handshake`: proves the CAS is usable before a pipeline relies on it, by storing a fixed
// probe content-addressed (the same bytes, so the same path, on every run and machine) and
// reading it back. Prints where it landed.
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { canonicalJson } from '../core/canonical.js';
import { fail } from '../core/errors.js';
import { parseArgs, stringFlag, type FlagSpec } from './args.js';
import { casObject, ensureDirectory, writeCasObject, type CasObject } from './cas.js';
import type { CommandContext } from './command-context.js';
import { CAS_LAYOUT_VERSION, loadGeneratorManifest } from './generator-manifest.js';
import { HANDSHAKE_USAGE } from './usage.js';

export const HANDSHAKE_PROBE_PREFIX = 'handshake';

export const HANDSHAKE_FLAGS: readonly FlagSpec[] = [
  { name: 'manifest', kind: 'string' },
  { name: 'cas', kind: 'string' },
];

/** The probe: a function of the layout version only, so every gosh of layout 1 agrees on it. */
export function handshakeProbe(): CasObject {
  const text = `${canonicalJson({ casLayoutVersion: CAS_LAYOUT_VERSION, digestAlgorithm: 'sha256', probe: 'gosh-cas-handshake' }, 2)}\n`;
  return casObject(HANDSHAKE_PROBE_PREFIX, Buffer.from(text, 'utf8'), '.json');
}

/**
 * @throws GoshError CLI_USAGE (flags), OPTION_INVALID (manifest), CAS_WRITE (the CAS cannot be
 *   created, written or read back, or holds other bytes under the probe's name)
 */
export function runHandshakeCommand(argv: readonly string[], _ctx: CommandContext): string {
  const args = parseArgs(argv, HANDSHAKE_FLAGS, 'gosh handshake');
  if (args.positional.length > 0) fail('CLI_USAGE', `gosh handshake: unexpected argument ${JSON.stringify(args.positional[0])} (usage: ${HANDSHAKE_USAGE})`);
  const cas = stringFlag(args, 'cas');
  if (cas === undefined || cas === '') fail('CLI_USAGE', `gosh handshake: --cas DIR is required (usage: ${HANDSHAKE_USAGE})`);
  const manifest = loadGeneratorManifest(stringFlag(args, 'manifest'), 'handshake');
  const root = resolve(cas);
  ensureDirectory(root, 'the CAS directory');
  const probe = handshakeProbe();
  const { path } = writeCasObject(root, probe);
  const realRoot = realpathSync(root);
  return `${canonicalJson(
    {
      generator: { name: manifest.name, version: manifest.version },
      cas: { root: realRoot, layoutVersion: manifest.casLayoutVersion },
      probe: { digest: probe.digest, size: probe.bytes.byteLength, path: realpathSync(path) },
    },
    2,
  )}\n`;
}
