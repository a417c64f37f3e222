// One logical line → one typed instruction, with BuildKit's per-instruction rules
// (frontend/dockerfile/parser/line_parsers.go for the argument shapes,
// frontend/dockerfile/instructions/parse.go for counts, flags and checks). Every problem is
// collected as a diagnostic; BuildKit stops at the first, which is the first we report too.
import type { Diagnostic } from '../core/errors.js';
import type { SourceRange } from '../core/source.js';
import { type Where, instructionError, invalidFlagValue, syntaxError, unknownInstruction } from './errors.js';
import {
  FLAG_SPECS,
  type LocatedFlagWord,
  type ParsedFlags,
  RUN_NETWORK_MODES,
  RUN_SECURITY_MODES,
  parseFlags,
  parseHealthcheckDuration,
  parseHealthcheckRetries,
} from './flags.js';
import { HeredocMarkerError, parseHeredocMarker } from './heredoc-markers.js';
import type { CommandLine, Heredoc, HealthcheckInstruction, Instruction, InstructionKind } from './instructions.js';
import { parseJsonArgs } from './json-args.js';
import { parseArgDeclarations, parseNameValues, splitWhitespaceWords } from './key-values.js';
import type { HeredocBody, LogicalLine } from './logical-lines.js';
import { parseRunMount } from './run-mount.js';
import { compareUtf8, goTrimSpace } from './go-strings.js';
import { type EscapeChar, isGoSpace } from './shell-lexer.js';
import { type SplitCommand, splitCommand } from './split-command.js';

export const INSTRUCTION_KINDS: readonly InstructionKind[] = [
  'add',
  'arg',
  'cmd',
  'copy',
  'entrypoint',
  'env',
  'expose',
  'from',
  'healthcheck',
  'label',
  'maintainer',
  'onbuild',
  'run',
  'shell',
  'stopsignal',
  'user',
  'volume',
  'workdir',
];
const KEYWORDS = INSTRUCTION_KINDS.map((k) => k.toUpperCase());

/** `AS name` must look like this (lowercased first), as in BuildKit. */
const VALID_STAGE_NAME = /^[a-z][a-z0-9\-_.]*$/;

export interface InstructionParse {
  readonly instruction?: Instruction;
  readonly diagnostics: readonly Diagnostic[];
  readonly warnings: readonly Diagnostic[];
}

export function parseInstruction(line: LogicalLine, file: string, escape: EscapeChar): InstructionParse {
  return new InstructionParser(line, file, escape).parse();
}

class InstructionParser {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly warnings: Diagnostic[] = [];
  private readonly split: SplitCommand;
  private readonly range: SourceRange;
  private readonly where: Where;

  constructor(
    private readonly line: LogicalLine,
    private readonly file: string,
    private readonly escape: EscapeChar,
  ) {
    this.split = splitCommand(line.text);
    this.range = { startLine: line.startLine, endLine: line.endLine };
    this.where = { file, range: this.range };
  }

  parse(): InstructionParse {
    const instruction = this.build();
    const { diagnostics, warnings } = this;
    return instruction !== undefined ? { instruction, diagnostics, warnings } : { diagnostics, warnings };
  }

  private error(message: string, range: SourceRange = this.range): void {
    this.diagnostics.push(instructionError(this.kindName(), message, { file: this.file, range }));
  }

  private kindName(): string {
    return this.split.keyword.toUpperCase();
  }

  private build(): Instruction | undefined {
    const kind = this.split.keyword.toLowerCase() as InstructionKind;
    if (!INSTRUCTION_KINDS.includes(kind)) {
      this.diagnostics.push(
        unknownInstruction(this.split.keyword, KEYWORDS, { file: this.file, range: this.keywordRange() }),
      );
      return undefined;
    }
    if (this.line.heredocError !== undefined) this.diagnostics.push(syntaxError(this.line.heredocError, this.where));
    for (const body of this.line.heredocs) {
      if (!body.terminated) {
        this.diagnostics.push(
          syntaxError('unterminated heredoc', {
            file: this.file,
            range: { startLine: this.line.startLine, endLine: body.endLine },
          }),
        );
      }
    }
    const args = this.split.args;
    switch (kind) {
      case 'from':
        return this.parseFrom(args);
      case 'arg':
        return this.parseArg(args);
      case 'env':
      case 'label':
        return this.parseKeyValues(kind, args);
      case 'run':
        return this.parseRun(args);
      case 'copy':
      case 'add':
        return this.parseCopyLike(kind, args);
      case 'workdir':
      case 'user':
      case 'stopsignal':
      case 'maintainer':
        return this.parseSingle(kind, args);
      case 'cmd':
      case 'entrypoint': {
        const flags = this.flags(kind);
        const command = this.commandLine(args);
        return command === undefined ? undefined : { kind, ...this.base(flags), command };
      }
      case 'shell':
        return this.parseShell(args);
      case 'expose':
        return this.parseExpose(args);
      case 'volume':
        return this.parseVolume(args);
      case 'healthcheck':
        return this.parseHealthcheck(args);
      case 'onbuild':
        return this.parseOnbuild(args);
    }
  }

  private base(flags: ParsedFlags): {
    range: SourceRange;
    keyword: string;
    original: string;
    flags: ParsedFlags['uses'];
  } {
    return { range: this.range, keyword: this.split.keyword, original: goTrimSpace(this.line.text), flags: flags.uses };
  }

  /** Parses the flag words; `specs === null` means BuildKit ignores them, so we only warn. */
  private flags(kind: InstructionKind, specs = FLAG_SPECS[kind]): ParsedFlags {
    const words = this.flagWords();
    if (specs === null) {
      for (const w of words) {
        this.warnings.push(instructionError(kind, `flag ${w.text} is ignored`, { file: this.file, range: w.range }));
      }
      return parseFlags(
        kind,
        words,
        words.map((w) => ({ name: flagName(w.text), kind: 'strings' as const })),
        this.file,
      ).flags;
    }
    const { flags, diagnostics } = parseFlags(kind, words, specs, this.file);
    this.diagnostics.push(...diagnostics);
    return flags;
  }

  private flagWords(): LocatedFlagWord[] {
    return this.split.flags.map((f) => ({ text: f.text, range: this.offsetRange(f.offset, f.length) }));
  }

  private flagRange(flags: ParsedFlags, name: string): SourceRange {
    return flags.uses.find((u) => u.name === name)?.range ?? this.range;
  }

  /** Maps an offset in the logical line back to the physical line and column it came from. */
  private offsetRange(offset: number, length: number): SourceRange {
    const at = (o: number): { line: number; column: number } => {
      let piece = this.line.pieces[0] as LogicalLine['pieces'][number];
      for (const p of this.line.pieces) if (p.offset <= o) piece = p;
      return { line: piece.line, column: piece.column + (o - piece.offset) + 1 };
    };
    const start = at(offset);
    const end = at(offset + Math.max(length, 1) - 1);
    return { startLine: start.line, endLine: end.line, startColumn: start.column, endColumn: end.column + 1 };
  }

  private keywordRange(): SourceRange {
    const lead = this.line.text.length - this.line.text.replace(/^\s+/u, '').length;
    return this.offsetRange(lead, this.split.keyword.length);
  }

  /** RUN/CMD/ENTRYPOINT/HEALTHCHECK CMD: JSON array, or anything else as shell text. */
  private commandLine(args: string): CommandLine | undefined {
    if (args === '') return { form: 'shell', text: '' };
    const json = parseJsonArgs(args);
    if (json.kind === 'not-strings') {
      this.diagnostics.push(
        syntaxError('when using JSON array syntax, arrays must be comprised of strings only', this.where),
      );
      return undefined;
    }
    return json.kind === 'json' ? { form: 'exec', args: json.args } : { form: 'shell', text: args };
  }

  /** COPY/ADD/VOLUME: JSON array, or whitespace-separated words. */
  private wordList(args: string): { words: string[]; isJson: boolean } | undefined {
    const json = parseJsonArgs(args);
    if (json.kind === 'not-strings') {
      this.diagnostics.push(
        syntaxError('when using JSON array syntax, arrays must be comprised of strings only', this.where),
      );
      return undefined;
    }
    return json.kind === 'json'
      ? { words: json.args, isJson: true }
      : { words: splitWhitespaceWords(args), isJson: false };
  }

  private parseFrom(args: string): Instruction | undefined {
    const words = splitWhitespaceWords(args);
    let stageName: string | undefined;
    if (words.length === 3 && (words[1] as string).toLowerCase() === 'as') {
      stageName = (words[2] as string).toLowerCase();
      if (!VALID_STAGE_NAME.test(stageName)) {
        this.error(
          `invalid name for build stage ${JSON.stringify(words[2])}: a name starts with a letter and has only letters, digits, "-", "_" and "."`,
        );
      }
    } else if (words.length !== 1) {
      this.error('requires either one or three arguments');
    }
    const flags = this.flags('from');
    const platform = flags.values.get('platform');
    const image = words[0];
    if (image === undefined) return undefined;
    return {
      kind: 'from',
      ...this.base(flags),
      image,
      ...(stageName !== undefined ? { stageName } : {}),
      ...(platform !== undefined ? { platform } : {}),
    };
  }

  private parseArg(args: string): Instruction | undefined {
    const flags = this.flags('arg');
    const declarations = parseArgDeclarations(args, this.escape);
    if (declarations.length === 0) this.error('requires at least one argument');
    if (declarations.some((d) => d.key === '')) this.error('names can not be blank');
    return { kind: 'arg', ...this.base(flags), args: declarations };
  }

  private parseKeyValues(kind: 'env' | 'label', args: string): Instruction | undefined {
    const parsed = parseNameValues(args, kind.toUpperCase(), this.escape);
    if (!parsed.ok) {
      this.diagnostics.push(syntaxError(parsed.error, this.where));
      return undefined;
    }
    const flags = this.flags(kind);
    if (parsed.pairs.length === 0) this.error('requires at least one argument');
    if (parsed.pairs.some((p) => p.key === '')) this.error('names can not be blank');
    return { kind, ...this.base(flags), pairs: parsed.pairs };
  }

  private parseRun(args: string): Instruction | undefined {
    const flags = this.flags('run');
    const network = flags.values.get('network');
    if (network !== undefined && !(RUN_NETWORK_MODES as readonly string[]).includes(network)) {
      this.diagnostics.push(
        invalidFlagValue(
          'run',
          'network',
          `invalid network mode ${JSON.stringify(network)}`,
          this.flagWhere(flags, 'network'),
        ),
      );
    }
    const security = flags.values.get('security');
    if (security !== undefined && !(RUN_SECURITY_MODES as readonly string[]).includes(security)) {
      this.diagnostics.push(
        invalidFlagValue(
          'run',
          'security',
          `security ${JSON.stringify(security)} is not valid`,
          this.flagWhere(flags, 'security'),
        ),
      );
    }
    const mounts = flags.lists.get('mount') ?? [];
    const mountUses = flags.uses.filter((u) => u.name === 'mount');
    mounts.forEach((raw, i) => {
      const result = parseRunMount(raw);
      if (!result.ok) {
        this.diagnostics.push(
          invalidFlagValue('run', 'mount', result.error, { file: this.file, range: mountUses[i]?.range ?? this.range }),
        );
      }
    });
    const command = this.commandLine(args);
    if (command === undefined) return undefined;
    return {
      kind: 'run',
      ...this.base(flags),
      command,
      heredocs: this.line.heredocs.map((b) => toHeredoc(b)),
      mounts,
      ...(network !== undefined ? { network } : {}),
      ...(security !== undefined ? { security } : {}),
    };
  }

  private flagWhere(flags: ParsedFlags, name: string): Where {
    return { file: this.file, range: this.flagRange(flags, name) };
  }

  private parseCopyLike(kind: 'copy' | 'add', args: string): Instruction | undefined {
    const list = this.wordList(args);
    if (list === undefined) return undefined;
    if (list.words.length < 2) this.error('requires at least two arguments, a source and a destination');
    const flags = this.flags(kind);
    if (list.words.length < 2) return undefined;
    const dest = list.words[list.words.length - 1] as string;
    if (markerOf(dest) !== undefined) this.error('cannot accept a heredoc as a destination');
    // heredoc bodies come from the line; a marker word without one (e.g. in JSON form) gets ""
    const bodies = new Map(this.line.heredocs.map((b) => [b.marker.name, b]));
    const sources: string[] = [];
    const heredocs: Heredoc[] = [];
    for (const word of list.words.slice(0, -1)) {
      const marker = markerOf(word);
      if (marker === undefined) {
        sources.push(word);
        continue;
      }
      const body = bodies.get(marker.name);
      heredocs.push({
        name: marker.name,
        content: body?.content ?? '',
        expand: marker.expand,
        chomp: marker.chomp,
        fileDescriptor: marker.fileDescriptor,
        range: body !== undefined ? { startLine: body.startLine, endLine: body.endLine } : this.range,
      });
    }
    const common = {
      ...this.base(flags),
      sources,
      heredocs,
      dest,
      isJson: list.isJson,
      link: flags.enabled.has('link'),
      exclude: flags.lists.get('exclude') ?? [],
      ...optional('chown', flags.values.get('chown')),
      ...optional('chmod', flags.values.get('chmod')),
    };
    if (kind === 'copy') {
      return { kind, ...common, parents: flags.enabled.has('parents'), ...optional('from', flags.values.get('from')) };
    }
    return {
      kind,
      ...common,
      keepGitDir: flags.enabled.has('keep-git-dir'),
      ...optional('checksum', flags.values.get('checksum')),
    };
  }

  /** WORKDIR, USER, STOPSIGNAL, MAINTAINER: the whole rest of the line is the one argument. */
  private parseSingle(kind: 'workdir' | 'user' | 'stopsignal' | 'maintainer', args: string): Instruction | undefined {
    if (args === '') this.error('requires exactly one argument');
    const flags = this.flags(kind);
    if (args === '') return undefined;
    switch (kind) {
      case 'workdir':
        return { kind, ...this.base(flags), path: args };
      case 'user':
        return { kind, ...this.base(flags), user: args };
      case 'stopsignal':
        return { kind, ...this.base(flags), signal: args };
      case 'maintainer':
        return { kind, ...this.base(flags), maintainer: args };
    }
  }

  private parseShell(args: string): Instruction | undefined {
    const flags = this.flags('shell');
    const command = this.commandLine(args);
    if (command === undefined) return undefined;
    if (command.form === 'exec' && command.args.length > 0)
      return { kind: 'shell', ...this.base(flags), shell: command.args };
    if (command.form === 'shell' && command.text !== '') this.error('requires the arguments to be in JSON form');
    else this.error('requires at least one argument');
    return undefined;
  }

  private parseExpose(args: string): Instruction | undefined {
    const ports = splitWhitespaceWords(args);
    if (ports.length === 0) this.error('requires at least one argument');
    const flags = this.flags('expose');
    // BuildKit sorts the raw words (byte order) before expanding them
    ports.sort((a, b) => compareUtf8(a, b));
    return { kind: 'expose', ...this.base(flags), ports };
  }

  private parseVolume(args: string): Instruction | undefined {
    const list = this.wordList(args);
    if (list === undefined) return undefined;
    if (list.words.length === 0) this.error('requires at least one argument');
    const flags = this.flags('volume');
    const volumes = list.words.map((v) => goTrimSpace(v));
    if (volumes.some((v) => v === '')) this.error('a volume can not be an empty string');
    return { kind: 'volume', ...this.base(flags), volumes, isJson: list.isJson };
  }

  private parseHealthcheck(args: string): Instruction | undefined {
    const { type, rest } = splitHealthcheckType(args);
    if (type === '') {
      this.flags('healthcheck');
      this.error('requires at least one argument');
      return undefined;
    }
    if (type === 'NONE') {
      // BuildKit does not look at flags here
      this.flags('healthcheck', null);
      if (rest !== '') this.error('NONE takes no arguments');
      const flags = parseFlags('healthcheck', [], [], this.file).flags;
      return {
        kind: 'healthcheck',
        ...this.base(flags),
        flags: this.flagWords().map((w) => ({ name: flagName(w.text), range: w.range })),
        test: { kind: 'none' },
      };
    }
    const flags = this.flags('healthcheck');
    const command = this.commandLine(rest);
    if (command === undefined) return undefined;
    if (type !== 'CMD') {
      this.error(`unknown type ${JSON.stringify(type)} (try CMD)`);
      return undefined;
    }
    if (command.form === 'shell' && command.text === '') {
      this.error('missing command after HEALTHCHECK CMD');
      return undefined;
    }
    const instruction: HealthcheckInstruction = {
      kind: 'healthcheck',
      ...this.base(flags),
      test: { kind: 'cmd', command },
      ...optional('interval', flags.values.get('interval')),
      ...optional('timeout', flags.values.get('timeout')),
      ...optional('startPeriod', flags.values.get('start-period')),
      ...optional('startInterval', flags.values.get('start-interval')),
      ...optional('retries', flags.values.get('retries')),
    };
    for (const name of ['interval', 'timeout', 'start-period', 'start-interval']) {
      const raw = flags.values.get(name);
      if (raw === undefined) continue;
      const parsed = parseHealthcheckDuration(raw);
      if (!parsed.ok)
        this.diagnostics.push(invalidFlagValue('healthcheck', name, parsed.error, this.flagWhere(flags, name)));
    }
    const retries = flags.values.get('retries');
    if (retries !== undefined && retries !== '') {
      const parsed = parseHealthcheckRetries(retries);
      if (!parsed.ok)
        this.diagnostics.push(
          invalidFlagValue('healthcheck', 'retries', parsed.error, this.flagWhere(flags, 'retries')),
        );
    }
    return instruction;
  }

  private parseOnbuild(args: string): Instruction | undefined {
    if (args === '') this.error('requires at least one argument');
    const flags = this.flags('onbuild');
    if (args === '') return undefined;
    const child = splitCommand(args);
    const trigger = goTrimSpace(child.keyword).toUpperCase();
    if (trigger === 'ONBUILD') this.error('chaining ONBUILD via `ONBUILD ONBUILD` is not allowed');
    else if (trigger === 'MAINTAINER' || trigger === 'FROM')
      this.error(`${trigger} is not allowed as an ONBUILD trigger`);
    this.checkTriggerSyntax(child);
    let expression = this.line.text.replace(/^[\t\n\f\r ]*ONBUILD[\t\n\f\r ]*/i, '');
    for (const body of this.line.heredocs) expression += `\n${body.content}${body.marker.name}`;
    return { kind: 'onbuild', ...this.base(flags), trigger, expression };
  }

  /** The parse-time checks BuildKit's line parsers run on an ONBUILD trigger's arguments. */
  private checkTriggerSyntax(child: SplitCommand): void {
    const kind = child.keyword.toLowerCase();
    if (['run', 'cmd', 'entrypoint', 'shell', 'copy', 'add', 'volume'].includes(kind)) {
      if (child.args !== '' && parseJsonArgs(child.args).kind === 'not-strings') {
        this.diagnostics.push(
          syntaxError('when using JSON array syntax, arrays must be comprised of strings only', this.where),
        );
      }
    } else if (kind === 'env' || kind === 'label') {
      const parsed = parseNameValues(child.args, kind.toUpperCase(), this.escape);
      if (!parsed.ok) this.diagnostics.push(syntaxError(parsed.error, this.where));
    }
  }
}

function toHeredoc(body: HeredocBody): Heredoc {
  return {
    name: body.marker.name,
    content: body.content,
    expand: body.marker.expand,
    chomp: body.marker.chomp,
    fileDescriptor: body.marker.fileDescriptor,
    range: { startLine: body.startLine, endLine: body.endLine },
  };
}

function markerOf(word: string): ReturnType<typeof parseHeredocMarker> {
  try {
    return parseHeredocMarker(word);
  } catch (e) {
    // BuildKit's MustParseHeredoc: a delimiter that does not lex is just a path
    if (e instanceof HeredocMarkerError) return undefined;
    throw e;
  }
}

function flagName(text: string): string {
  const body = text.slice(2);
  const eq = body.indexOf('=');
  return eq < 0 ? body : body.slice(0, eq);
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

/**
 * HEALTHCHECK's type word (NONE/CMD) and the rest. BuildKit scans bytes, so a non-ASCII character
 * with a 0x85 or 0xA0 byte (e.g. U+00A0) ends the word in the middle of the character: such a
 * word can never be NONE or CMD, and we mark it with U+FFFD.
 */
function splitHealthcheckType(args: string): { type: string; rest: string } {
  let end = 0;
  let broken = false;
  for (const ch of args) {
    if (ch.charCodeAt(0) < 0x80 ? isGoSpace(ch) : hasSpaceByte(ch)) {
      broken = ch.charCodeAt(0) >= 0x80;
      break;
    }
    end += ch.length;
  }
  const type = args.slice(0, end).toUpperCase() + (broken ? '\uFFFD' : '');
  let next = end;
  while (next < args.length && /[\t\n\v\f\r ]/.test(args[next] as string)) next++;
  return { type, rest: args.slice(next) };
}

function hasSpaceByte(ch: string): boolean {
  return new TextEncoder().encode(ch).some((b) => b === 0x85 || b === 0xa0);
}
