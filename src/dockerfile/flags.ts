// Which `--flags` each instruction takes and how their values are read, as BuildKit v0.13.2
// defines them (frontend/dockerfile/instructions/bflag.go and parse.go), including the labs
// channel's COPY --parents, COPY/ADD --exclude and RUN --security.
import type { Diagnostic } from '../core/errors.js';
import type { SourceRange } from '../core/source.js';
import { duplicateFlag, invalidFlagValue, missingFlagValue, unknownFlag, type Where } from './errors.js';
import { parseGoDuration } from './go-duration.js';
import type { FlagUse, InstructionKind } from './instructions.js';

export type FlagKind = 'bool' | 'string' | 'strings';

export interface FlagSpec {
  readonly name: string;
  /** bool: `--x`, `--x=true|false`; string: `--x=v` once; strings: `--x=v` repeatable */
  readonly kind: FlagKind;
}

const bool = (name: string): FlagSpec => ({ name, kind: 'bool' });
const string = (name: string): FlagSpec => ({ name, kind: 'string' });
const strings = (name: string): FlagSpec => ({ name, kind: 'strings' });

/**
 * Flags per instruction. `null` means BuildKit never checks that instruction's flags (ARG,
 * STOPSIGNAL, and HEALTHCHECK NONE): they are accepted and ignored — we warn instead.
 */
export const FLAG_SPECS: Readonly<Record<InstructionKind, readonly FlagSpec[] | null>> = {
  from: [string('platform')],
  run: [strings('mount'), string('network'), string('security')],
  copy: [string('chown'), string('from'), string('chmod'), bool('link'), bool('parents'), strings('exclude')],
  add: [string('chown'), string('chmod'), bool('link'), bool('keep-git-dir'), string('checksum'), strings('exclude')],
  healthcheck: [
    string('interval'),
    string('timeout'),
    string('start-period'),
    string('start-interval'),
    string('retries'),
  ],
  arg: null,
  stopsignal: null,
  env: [],
  label: [],
  workdir: [],
  user: [],
  cmd: [],
  entrypoint: [],
  shell: [],
  expose: [],
  volume: [],
  onbuild: [],
  maintainer: [],
};

/** RUN --network values (instructions/commands_runnetwork.go). */
export const RUN_NETWORK_MODES = ['default', 'none', 'host'] as const;
/** RUN --security values (instructions/commands_runsecurity.go, labs). */
export const RUN_SECURITY_MODES = ['sandbox', 'insecure'] as const;

/** A `--flag` word with where it is. */
export interface LocatedFlagWord {
  readonly text: string;
  readonly range: SourceRange;
}

export interface ParsedFlags {
  /** every flag given, in order */
  readonly uses: readonly FlagUse[];
  /** string flags: the value; absent when not given */
  readonly values: ReadonlyMap<string, string>;
  /** repeatable flags: every value in order */
  readonly lists: ReadonlyMap<string, readonly string[]>;
  /** bool flags that ended up true */
  readonly enabled: ReadonlySet<string>;
}

/**
 * Reads flag words against an instruction's spec and reports unknown flags (with a suggestion),
 * duplicates, missing values and bad booleans — every one, not just the first.
 */
export function parseFlags(
  instruction: InstructionKind,
  words: readonly LocatedFlagWord[],
  specs: readonly FlagSpec[],
  file: string,
): { flags: ParsedFlags; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const uses: FlagUse[] = [];
  const values = new Map<string, string>();
  const lists = new Map<string, string[]>();
  const enabled = new Set<string>();
  const seen = new Set<string>();
  const byName = new Map(specs.map((s) => [s.name, s]));
  for (const word of words) {
    const body = word.text.slice(2);
    const eq = body.indexOf('=');
    const name = eq < 0 ? body : body.slice(0, eq);
    const value = eq < 0 ? undefined : body.slice(eq + 1);
    const where: Where = { file, range: word.range };
    uses.push({ name, ...(value !== undefined ? { value } : {}), range: word.range });
    const spec = byName.get(name);
    if (spec === undefined) {
      diagnostics.push(
        unknownFlag(
          instruction,
          name,
          specs.map((s) => s.name),
          where,
        ),
      );
      continue;
    }
    if (seen.has(name) && spec.kind !== 'strings') {
      diagnostics.push(duplicateFlag(instruction, name, where));
      continue;
    }
    seen.add(name);
    switch (spec.kind) {
      case 'bool': {
        if (value === '') {
          diagnostics.push(missingFlagValue(instruction, name, where));
          break;
        }
        const lowered = value?.toLowerCase();
        if (lowered === undefined || lowered === 'true') enabled.add(name);
        else if (lowered === 'false') enabled.delete(name);
        else diagnostics.push(invalidFlagValue(instruction, name, `expecting a boolean value, not ${value}`, where));
        break;
      }
      case 'string':
        if (value === undefined) diagnostics.push(missingFlagValue(instruction, name, where));
        else values.set(name, value);
        break;
      case 'strings':
        if (value === undefined) diagnostics.push(missingFlagValue(instruction, name, where));
        else lists.set(name, [...(lists.get(name) ?? []), value]);
        break;
    }
  }
  return { flags: { uses, values, lists, enabled }, diagnostics };
}

/** HEALTHCHECK's minimum for a non-zero interval (docker's container.MinimumDuration). */
const MINIMUM_DURATION_NS = 1_000_000n;

/**
 * A HEALTHCHECK duration flag in nanoseconds: "" and "0s" mean 0 (inherit the default), anything
 * else must be a Go duration of at least 1ms. Returns a problem text instead when invalid.
 */
export function parseHealthcheckDuration(
  raw: string,
): { ok: true; nanoseconds: number } | { ok: false; error: string } {
  if (raw === '') return { ok: true, nanoseconds: 0 };
  const parsed = parseGoDuration(raw);
  if (!parsed.ok) return parsed;
  if (parsed.nanoseconds === 0n) return { ok: true, nanoseconds: 0 };
  if (parsed.nanoseconds < MINIMUM_DURATION_NS) return { ok: false, error: 'cannot be less than 1ms' };
  return { ok: true, nanoseconds: Number(parsed.nanoseconds) };
}

/** HEALTHCHECK --retries: a 32-bit decimal integer, not negative. */
export function parseHealthcheckRetries(raw: string): { ok: true; retries: number } | { ok: false; error: string } {
  if (!/^[+-]?[0-9]+$/.test(raw)) return { ok: false, error: `invalid number ${JSON.stringify(raw)}` };
  const n = Number(raw);
  if (n > 2147483647 || n < -2147483648) return { ok: false, error: `value out of range ${JSON.stringify(raw)}` };
  if (n < 0) return { ok: false, error: `cannot be negative (${n})` };
  return { ok: true, retries: n };
}
