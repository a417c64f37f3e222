// Typed, located Dockerfile instructions. Arguments and flag values are kept as written (after
// BuildKit's parse-time quote handling but before variable expansion): expansion needs the
// stage's environment, which only the compiler has (see words.ts).
import type { Diagnostic } from '../core/errors.js';
import type { SourceFile, SourceRange } from '../core/source.js';

export type InstructionKind =
  | 'from'
  | 'arg'
  | 'env'
  | 'label'
  | 'run'
  | 'copy'
  | 'add'
  | 'workdir'
  | 'user'
  | 'cmd'
  | 'entrypoint'
  | 'shell'
  | 'expose'
  | 'volume'
  | 'stopsignal'
  | 'healthcheck'
  | 'onbuild'
  | 'maintainer';

/** One `--name[=value]` as written, for located errors about flag values at compile time. */
export interface FlagUse {
  readonly name: string;
  /** undefined for a bare boolean flag (`--link`) */
  readonly value?: string;
  /** the `--name=value` word; columns 1-based in UTF-16 units, endColumn just past the word */
  readonly range: SourceRange;
}

interface InstructionBase {
  /** lines 1-based, covering continuation lines and heredoc bodies */
  readonly range: SourceRange;
  /** the keyword as written ("RUN", "run") */
  readonly keyword: string;
  /**
   * The instruction as BuildKit prints it in history and progress: continuation lines joined
   * with the escape characters and comment lines removed, trimmed; heredoc bodies not included.
   */
  readonly original: string;
  /** every flag given, in order */
  readonly flags: readonly FlagUse[];
}

/** A `<<EOF` here-document attached to RUN, COPY or ADD. */
export interface Heredoc {
  /** the delimiter word with quotes removed ("EOF"); also the file name for COPY/ADD */
  readonly name: string;
  /**
   * The body lines exactly as in the file, each with its line ending (BuildKit keeps "\n"),
   * without the terminator line. Leading tabs are NOT removed here even when `chomp` is set:
   * use heredocBody() to get the text BuildKit uses.
   */
  readonly content: string;
  /** false when any part of the delimiter was quoted (`<<'EOF'`, `<<"EOF"`): no expansion */
  readonly expand: boolean;
  /** `<<-EOF`: leading tabs are stripped from each body line */
  readonly chomp: boolean;
  /** `3<<EOF` → 3; 0 when not given (BuildKit's FileDescriptor) */
  readonly fileDescriptor: number;
  /** lines of the body and terminator */
  readonly range: SourceRange;
}

/** The two ways to write a command: `["a","b"]` (exec) or anything else (shell). */
export type CommandLine =
  | { readonly form: 'exec'; readonly args: readonly string[] }
  | {
      readonly form: 'shell';
      /** the rest of the line after flags, unexpanded (BuildKit never expands RUN/CMD text) */
      readonly text: string;
    };

/** `KEY=VALUE` of ENV and LABEL, both raw (quotes and `$` still in place). */
export interface KeyValue {
  readonly key: string;
  readonly value: string;
}

/** One name of an ARG: `ARG a` (no value) or `ARG a=b`; both raw. */
export interface ArgDeclaration {
  readonly key: string;
  readonly value?: string;
}

export interface FromInstruction extends InstructionBase {
  readonly kind: 'from';
  /** base image or stage name, raw (may contain `$ARG` from meta args) */
  readonly image: string;
  /** lowercased and validated `AS name` */
  readonly stageName?: string;
  /** `--platform` raw */
  readonly platform?: string;
}

export interface ArgInstruction extends InstructionBase {
  readonly kind: 'arg';
  readonly args: readonly ArgDeclaration[];
}

export interface EnvInstruction extends InstructionBase {
  readonly kind: 'env';
  readonly pairs: readonly KeyValue[];
}

export interface LabelInstruction extends InstructionBase {
  readonly kind: 'label';
  readonly pairs: readonly KeyValue[];
}

export interface RunInstruction extends InstructionBase {
  readonly kind: 'run';
  readonly command: CommandLine;
  /** heredocs in the order they appear; their bodies become files/stdin at compile time */
  readonly heredocs: readonly Heredoc[];
  /** each `--mount` value, raw CSV */
  readonly mounts: readonly string[];
  /** `--network` raw: default | none | host */
  readonly network?: string;
  /** `--security` raw: sandbox | insecure */
  readonly security?: string;
}

interface CopyLikeBase extends InstructionBase {
  /** source paths (not heredocs), raw */
  readonly sources: readonly string[];
  /** inline sources `<<EOF`, in order; BuildKit copies them after `sources` */
  readonly heredocs: readonly Heredoc[];
  /** destination path, raw */
  readonly dest: string;
  /** true when written as a JSON array */
  readonly isJson: boolean;
  readonly chown?: string;
  readonly chmod?: string;
  readonly link: boolean;
  /** each `--exclude` value, raw */
  readonly exclude: readonly string[];
}

export interface CopyInstruction extends CopyLikeBase {
  readonly kind: 'copy';
  /** `--from` raw: a stage name, a stage index or an image reference */
  readonly from?: string;
  readonly parents: boolean;
}

export interface AddInstruction extends CopyLikeBase {
  readonly kind: 'add';
  readonly checksum?: string;
  readonly keepGitDir: boolean;
}

export interface WorkdirInstruction extends InstructionBase {
  readonly kind: 'workdir';
  readonly path: string;
}

export interface UserInstruction extends InstructionBase {
  readonly kind: 'user';
  readonly user: string;
}

export interface CmdInstruction extends InstructionBase {
  readonly kind: 'cmd';
  /** `CMD` with no arguments is a shell form with empty text, as BuildKit accepts it */
  readonly command: CommandLine;
}

export interface EntrypointInstruction extends InstructionBase {
  readonly kind: 'entrypoint';
  readonly command: CommandLine;
}

export interface ShellInstruction extends InstructionBase {
  readonly kind: 'shell';
  /** always a JSON array in the file; non-JSON is a syntax error */
  readonly shell: readonly string[];
}

export interface ExposeInstruction extends InstructionBase {
  readonly kind: 'expose';
  /** raw words, sorted by code units as BuildKit sorts them before expansion */
  readonly ports: readonly string[];
}

export interface VolumeInstruction extends InstructionBase {
  readonly kind: 'volume';
  /** raw paths (JSON array entries or whitespace-separated words), trimmed */
  readonly volumes: readonly string[];
  readonly isJson: boolean;
}

export interface StopsignalInstruction extends InstructionBase {
  readonly kind: 'stopsignal';
  readonly signal: string;
}

export type HealthcheckTest = { readonly kind: 'none' } | { readonly kind: 'cmd'; readonly command: CommandLine };

export interface HealthcheckInstruction extends InstructionBase {
  readonly kind: 'healthcheck';
  readonly test: HealthcheckTest;
  /** durations raw as given ("30s"); use parseHealthcheckDuration from flags.ts */
  readonly interval?: string;
  readonly timeout?: string;
  readonly startPeriod?: string;
  readonly startInterval?: string;
  readonly retries?: string;
}

export interface OnbuildInstruction extends InstructionBase {
  readonly kind: 'onbuild';
  /** the trigger keyword, uppercased ("RUN") */
  readonly trigger: string;
  /**
   * The trigger text stored in the image config's OnBuild list, as BuildKit builds it: the
   * original without the ONBUILD keyword, followed by each heredoc as "\n" + body + name.
   */
  readonly expression: string;
}

export interface MaintainerInstruction extends InstructionBase {
  readonly kind: 'maintainer';
  readonly maintainer: string;
}

export type Instruction =
  | FromInstruction
  | ArgInstruction
  | EnvInstruction
  | LabelInstruction
  | RunInstruction
  | CopyInstruction
  | AddInstruction
  | WorkdirInstruction
  | UserInstruction
  | CmdInstruction
  | EntrypointInstruction
  | ShellInstruction
  | ExposeInstruction
  | VolumeInstruction
  | StopsignalInstruction
  | HealthcheckInstruction
  | OnbuildInstruction
  | MaintainerInstruction;

/** Everything that may follow FROM inside a stage. */
export type StageInstruction = Exclude<Instruction, FromInstruction>;

export interface Stage {
  /** lowercased `AS` name */
  readonly name?: string;
  /** 0-based position in the file, what `--from=0` refers to */
  readonly index: number;
  readonly from: FromInstruction;
  readonly instructions: readonly StageInstruction[];
  /** FROM line through the last line of the stage's last instruction */
  readonly range: SourceRange;
}

export interface Directive {
  readonly value: string;
  readonly range: SourceRange;
}

export interface Directives {
  /** `# syntax=` value, read only to check it (we never forward) */
  readonly syntax?: Directive;
  /** the escape character for continuations and the lexer; `\` unless `# escape=` says "`" */
  readonly escape: '\\' | '`';
  readonly escapeRange?: SourceRange;
  /** `# check=` value, raw: a v0.14 directive, without effect here (parse warns about it) */
  readonly check?: Directive;
}

export interface Dockerfile {
  readonly file: SourceFile;
  readonly directives: Directives;
  /** ARGs before the first FROM, usable in FROM lines */
  readonly metaArgs: readonly ArgInstruction[];
  readonly stages: readonly Stage[];
  /**
   * Things BuildKit accepts but warns about or silently ignores (empty continuation lines,
   * flags on ARG/STOPSIGNAL/HEALTHCHECK NONE); for the frontend to pass on as warnings.
   */
  readonly warnings?: readonly Diagnostic[];
}

/** Instruction keyword (uppercase) for messages: "COPY". */
export function instructionName(kind: InstructionKind): string {
  return kind.toUpperCase();
}

/** The heredoc body BuildKit uses: leading tabs stripped from each line when `<<-`. */
export function heredocBody(heredoc: Heredoc): string {
  if (!heredoc.chomp) return heredoc.content;
  // only "\n" starts a line here, as in Go's (?m)^ — a lone "\r" does not
  return heredoc.content
    .split('\n')
    .map((line) => line.replace(/^\t+/, ''))
    .join('\n');
}
