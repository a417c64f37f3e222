// compile/ with dependency mounts and the lock modes' network rule (issue #6): which RUN steps
// mount the vendor tree, with which env, and what network each RUN gets in prod, dev and plain builds.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, isGoshError } from '../../../src/core/errors.js';
import { LINUX_AMD64 } from '../../../src/core/platform.js';
import { parseBuildOptions } from '../../../src/config/build-options.js';
import { parseGoshYaml } from '../../../src/config/gosh-yaml.js';
import { parseDockerfile } from '../../../src/dockerfile/parse.js';
import { compileDockerfile, requiredImages, type CompileInput, type CompileResult } from '../../../src/compile/compile.js';
import { imageRequestKey } from '../../../src/compile/plan.js';
import { prepareDependencies } from '../../../src/deps/prepare.js';
import { definitionToJson } from '../../../src/llb/dump.js';
import type { LockMode } from '../../../src/lock/model.js';
import { repoRoot } from '../../helpers/shared-fixture.js';

const SMALL = readFileSync(join(repoRoot, 'test/fixtures/cargo/locks/small-v4.lock'));

interface ExecView {
  readonly args: string[];
  readonly network: string;
  readonly env: string[];
  readonly mounts: { dest: string; readonly: boolean }[];
}

function compile(text: string, extra: Partial<CompileInput> = {}, opts: Record<string, string> = {}): CompileResult {
  const options = parseBuildOptions(new Map(Object.entries(opts)));
  const dockerfile = parseDockerfile({ name: 'Dockerfile', text });
  const images = new Map(requiredImages(dockerfile, options, LINUX_AMD64).map((r) => [imageRequestKey(r.ref, r.platform), { ref: r.ref }] as const));
  return compileDockerfile({ dockerfile, options, images, context: { excludePatterns: [] }, buildPlatform: LINUX_AMD64, ...extra });
}

function execs(result: CompileResult): ExecView[] {
  const ops = definitionToJson(result.state.marshal()).ops as { op: { exec?: { meta: { args: string[]; env?: string[] }; network?: string; mounts: { dest: string; readonly?: boolean }[] } } }[];
  return ops.flatMap(({ op }) =>
    op.exec === undefined
      ? []
      : [{ args: op.exec.meta.args, network: op.exec.network ?? 'UNSET', env: op.exec.meta.env ?? [], mounts: op.exec.mounts.map((m) => ({ dest: m.dest, readonly: m.readonly === true })) }],
  );
}

function failure(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (isGoshError(e)) return e.diagnostics.map(formatDiagnostic).join('\n');
    throw e;
  }
  throw new Error('expected an error');
}

const deps = prepareDependencies([{ plugin: 'cargo', spec: { lockfile: 'Cargo.lock', stages: ['build'] }, file: { name: 'Cargo.lock', text: SMALL.toString() }, bytes: SMALL }]);

const TWO_STAGES = 'FROM busybox AS build\nRUN cargo build\nRUN echo two\nFROM busybox\nCOPY --from=build /x /x\nRUN echo final\n';

describe('dependency mounts', () => {
  it('mount the vendor tree read-only at /.cargo with CARGO_NET_OFFLINE in every RUN of the named stage', () => {
    const runs = execs(compile(TWO_STAGES, { dependencies: deps }));
    expect(runs.map((r) => [r.args.at(-1), r.mounts, r.env.filter((e) => e.startsWith('CARGO'))])).toEqual([
      ['cargo build', [{ dest: '/', readonly: false }, { dest: '/.cargo', readonly: true }], ['CARGO_NET_OFFLINE=true']],
      ['echo two', [{ dest: '/', readonly: false }, { dest: '/.cargo', readonly: true }], ['CARGO_NET_OFFLINE=true']],
      ['echo final', [{ dest: '/', readonly: false }], []],
    ]);
  });

  it('leave the image config alone: the env is the RUN step\'s only', () => {
    const result = compile('FROM busybox AS build\nRUN cargo build\n', { dependencies: deps });
    expect(result.image.config.Env ?? []).not.toContain('CARGO_NET_OFFLINE=true');
  });

  it('change nothing without prepared dependencies', () => {
    const plain = compile(TWO_STAGES).state.marshal();
    const empty = compile(TWO_STAGES, { dependencies: prepareDependencies([]) }).state.marshal();
    expect(empty.def).toEqual(plain.def);
  });
});

describe('RUN network by lock mode', () => {
  const DF = 'FROM busybox AS build\nRUN echo a\nRUN --network=none echo b\nFROM busybox\nCOPY --from=build /a /a\nRUN echo c\n';
  const mode = (lockMode: LockMode, extra: Partial<CompileInput> = {}): CompileResult => compile(DF, { lockMode, ...extra });

  it('plain builds keep BuildKit semantics and warn about nothing', () => {
    const result = compile(DF);
    expect(execs(result).map((r) => r.network)).toEqual(['UNSET', 'NONE', 'UNSET']);
    expect(result.warnings).toEqual([]);
  });

  it('prod runs every RUN offline', () => {
    const result = mode('prod');
    expect(execs(result).map((r) => r.network)).toEqual(['NONE', 'NONE', 'NONE']);
    expect(result.warnings).toEqual([]);
  });

  it('prod also overrides the force-network-mode option', () => {
    expect(execs(compile(DF, { lockMode: 'prod' }, { 'force-network-mode': 'host' })).map((r) => r.network)).toEqual(['NONE', 'NONE', 'NONE']);
  });

  it.each(['host', 'default'])('prod refuses RUN --network=%s at its line', (net) => {
    expect(failure(() => compile(`FROM busybox\nRUN echo a\nRUN --network=${net} wget http://127.0.0.1/\n`, { lockMode: 'prod' }))).toBe(
      `Dockerfile:3: RUN: --network=${net} is not allowed in prod mode, RUN steps are offline; declare its dependencies in Gosh.yaml prepare: (cargo, npm), or name the stage under policy.network with the reason it needs the network`,
    );
  });

  it('prod keeps the network of an excepted stage, with a warning per step that has it', () => {
    const result = compile('FROM busybox AS fetch\nRUN --network=host wget x\nRUN --network=none true\nFROM busybox\nCOPY --from=fetch /a /a\nRUN echo c\n', { lockMode: 'prod', networkExceptions: new Map([['FETCH', 'downloads the model']]) });
    expect(execs(result).map((r) => r.network)).toEqual(['HOST', 'NONE', 'NONE']);
    expect(result.warnings.map((w) => [w.short, w.range?.startLine])).toEqual([['RUN keeps network access in prod mode: Gosh.yaml policy.network allows it for stage fetch (downloads the model)', 2]]);
  });

  it.each<LockMode>(['dev', 'lock'])('%s keeps the network and warns on each RUN that has it', (m) => {
    const result = mode(m);
    expect(execs(result).map((r) => r.network)).toEqual(['UNSET', 'NONE', 'UNSET']);
    expect(result.warnings.map((w) => [w.short, w.range?.startLine, w.detail])).toEqual([
      [`RUN has network access in ${m} mode but will be offline in prod: declare its dependencies in Gosh.yaml prepare: (cargo, npm), or name the stage under policy.network with the reason it needs the network`, 2, ['RUN echo a']],
      [`RUN has network access in ${m} mode but will be offline in prod: declare its dependencies in Gosh.yaml prepare: (cargo, npm), or name the stage under policy.network with the reason it needs the network`, 6, ['RUN echo c']],
    ]);
  });
});

describe('stages Gosh.yaml names', () => {
  it('must exist in the Dockerfile (by name, any case, or index)', () => {
    const named = prepareDependencies([{ plugin: 'cargo', spec: { lockfile: 'Cargo.lock', stages: ['BUILD', '1', 'missing', '7'] }, file: { name: 'Cargo.lock', text: SMALL.toString() }, bytes: SMALL }]);
    expect(failure(() => compile(TWO_STAGES, { dependencies: named, networkExceptions: new Map([['build', 'x'], ['gone', 'y']]) }))).toBe(
      [
        'Gosh.yaml: prepare.cargo[0].stages: stage "missing" is not defined in Dockerfile',
        'Gosh.yaml: prepare.cargo[0].stages: stage "7" is not defined in Dockerfile',
        'Gosh.yaml: policy.network: stage "gone" is not defined in Dockerfile',
      ].join('\n'),
    );
  });
});

describe('Gosh.yaml policy.network', () => {
  it('reads stage → reason', () => {
    const config = parseGoshYaml({ name: 'Gosh.yaml', text: 'policy:\n  network:\n    fetch: downloads the model\n    "2": apt\n' });
    expect([...(config.policy.network ?? [])]).toEqual([
      ['2', 'apt'],
      ['fetch', 'downloads the model'],
    ]);
  });

  it('wants a reason and a stage name', () => {
    expect(failure(() => parseGoshYaml({ name: 'Gosh.yaml', text: 'policy:\n  network:\n    "bad stage": x\n    ok: ""\n' }))).toBe(
      'Gosh.yaml:3: policy.network: invalid stage name "bad stage"\nGosh.yaml:3: policy.network.ok: give the reason this stage needs the network',
    );
  });
});
