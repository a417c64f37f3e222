import { fail } from '../core/errors.js';

export interface FlagSpec {
  /** long name without dashes */
  readonly name: string;
  readonly kind: 'string' | 'repeat' | 'bool';
  readonly short?: string;
}

export interface ParsedArgs {
  readonly flags: ReadonlyMap<string, string | boolean | readonly string[]>;
  readonly positional: readonly string[];
}

/**
 * Parses `--flag value`, `--flag=value`, `-f value` and positionals; an unknown flag or a
 * missing value is a CLI_USAGE error naming it.
 */
export function parseArgs(argv: readonly string[], specs: readonly FlagSpec[], command: string): ParsedArgs {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short !== undefined).map((s) => [s.short as string, s]));
  const flags = new Map<string, string | boolean | string[]>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    let spec: FlagSpec | undefined;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
      spec = byName.get(name);
      if (spec === undefined) fail('CLI_USAGE', `${command}: unknown flag --${name}`);
    } else if (arg.startsWith('-') && arg.length > 1) {
      spec = byShort.get(arg.slice(1));
      if (spec === undefined) fail('CLI_USAGE', `${command}: unknown flag ${arg}`);
    } else {
      positional.push(arg);
      continue;
    }
    if (spec.kind === 'bool') {
      if (inline !== undefined && inline !== 'true' && inline !== 'false') fail('CLI_USAGE', `${command}: --${spec.name} takes no value`);
      flags.set(spec.name, inline !== 'false');
      continue;
    }
    let value = inline;
    if (value === undefined) {
      value = argv[i + 1];
      if (value === undefined) fail('CLI_USAGE', `${command}: --${spec.name} needs a value`);
      i++;
    }
    if (spec.kind === 'repeat') {
      const list = (flags.get(spec.name) as string[] | undefined) ?? [];
      list.push(value);
      flags.set(spec.name, list);
    } else {
      flags.set(spec.name, value);
    }
  }
  return { flags, positional };
}

export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags.get(name);
  return typeof v === 'string' ? v : undefined;
}

export function repeatFlag(args: ParsedArgs, name: string): readonly string[] {
  const v = args.flags.get(name);
  return Array.isArray(v) ? (v as readonly string[]) : [];
}
