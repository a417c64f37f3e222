import { describe, expect, it } from 'vitest';
import { GoshError } from '../../../src/core/errors.js';
import type { Dockerfile } from '../../../src/dockerfile/instructions.js';
import {
  findStageByName,
  planStages,
  resolveBaseName,
  resolveCopyFrom,
  resolveMountFrom,
  selectTarget,
  similarStageName,
} from '../../../src/dockerfile/stages.js';
import { parse } from './parse-helpers.js';

function planError(df: Dockerfile, target?: string): GoshError {
  try {
    planStages(df, target === undefined ? {} : { target });
  } catch (e) {
    if (e instanceof GoshError) return e;
    throw e;
  }
  throw new Error('expected planStages to fail');
}

const multi = parse(
  [
    'FROM alpine AS base', // 1
    'FROM busybox AS tools', // 2
    'FROM base AS build', // 3
    'RUN --mount=type=cache,target=/c --mount=from=Tools,target=/t make', // 4
    'FROM scratch AS unused', // 5
    'COPY --from=nginx /etc/nginx /n', // 6
    'FROM base', // 7
    'COPY --from=BUILD /out /out', // 8
    'COPY --from=0 /etc/os-release /', // 9
    '',
  ].join('\n'),
);

describe('stage lookups', () => {
  it('names ignore case for --from and target', () => {
    expect(findStageByName(multi, 'BUILD')?.index).toBe(2);
    expect(resolveCopyFrom(multi, 'Build')).toMatchObject({ kind: 'stage', stage: { index: 2 } });
    expect(selectTarget(multi, 'TOOLS').index).toBe(1);
  });

  it('a --from that is not a stage is an image', () => {
    expect(resolveCopyFrom(multi, 'nginx')).toEqual({ kind: 'image', ref: 'nginx' });
    expect(resolveMountFrom(multi, '0')).toEqual({ kind: 'image', ref: '0' });
  });

  it('--from=<n> is a stage index and must exist', () => {
    expect(resolveCopyFrom(multi, '3')).toMatchObject({ kind: 'stage', stage: { name: 'unused' } });
    expect(() => resolveCopyFrom(multi, '5')).toThrow(GoshError);
    expect(() => resolveCopyFrom(multi, '-1')).toThrow(GoshError);
  });

  it('FROM <name> matches only earlier stages, exactly', () => {
    expect(resolveBaseName(multi, 2, 'base')).toMatchObject({ kind: 'stage', stage: { index: 0 } });
    expect(resolveBaseName(multi, 2, 'Base')).toEqual({ kind: 'image', ref: 'Base' });
    expect(resolveBaseName(multi, 0, 'base')).toEqual({ kind: 'image', ref: 'base' });
    expect(resolveBaseName(multi, 1, 'build')).toEqual({ kind: 'image', ref: 'build' });
  });

  it('the last stage is the default target; an unknown target is an error', () => {
    expect(selectTarget(multi).index).toBe(4);
    expect(() => selectTarget(multi, 'nope')).toThrow(GoshError);
  });

  it('similarStageName helps with typos', () => {
    expect(similarStageName(multi, 'biuld')).toBe('build');
    expect(similarStageName(multi, 'zzzzzz')).toBeUndefined();
  });
});

describe('planStages', () => {
  it('the default target needs base, build and tools but not unused', () => {
    const plan = planStages(multi);
    expect(plan.target.index).toBe(4);
    expect(plan.reachable.map((s) => s.index)).toEqual([0, 1, 2, 4]);
    expect(plan.bases.map((b) => (b.kind === 'stage' ? `stage ${b.stage.index}` : b.ref))).toEqual([
      'alpine',
      'busybox',
      'stage 0',
      'scratch',
      'stage 0',
    ]);
    expect(
      plan.references[2]?.map((r) => [r.via, r.mountIndex, r.source.kind === 'stage' ? r.source.stage.index : -1]),
    ).toEqual([['mount-from', 1, 1]]);
    expect(plan.references[4]?.map((r) => (r.source.kind === 'stage' ? r.source.stage.index : r.source.ref))).toEqual([
      2, 0,
    ]);
  });

  it('target=unused needs only itself; its image --from is a reference', () => {
    const plan = planStages(multi, { target: 'unused' });
    expect(plan.reachable.map((s) => s.index)).toEqual([3]);
    expect(plan.references[3]).toMatchObject([{ via: 'copy-from', source: { kind: 'image', ref: 'nginx' } }]);
  });

  it('expanded FROM names decide stage or image', () => {
    const df = parse('ARG B=base\nFROM alpine AS base\nFROM $B\n');
    expect(planStages(df, { baseNames: ['alpine', 'base'] }).bases[1]).toMatchObject({ kind: 'stage' });
    expect(planStages(df).bases[1]).toEqual({ kind: 'image', ref: '$B' });
    expect(() => planStages(df, { baseNames: ['alpine', ''] })).toThrow(GoshError);
  });

  it('a stage copying from itself is a cycle at the COPY line', () => {
    const error = planError(parse('FROM a AS x\nCOPY --from=x /a /b\n'));
    expect(error.primary).toMatchObject({ code: 'DOCKERFILE_STAGE_CYCLE', range: { startLine: 2, endLine: 2 } });
  });

  it('a cycle through two stages, even when not needed by the target', () => {
    const df = parse('FROM a AS x\nCOPY --from=y /a /b\nFROM a AS y\nCOPY --from=x /a /b\nFROM a AS z\n');
    const error = planError(df);
    expect(error.primary).toMatchObject({ code: 'DOCKERFILE_STAGE_CYCLE', range: { startLine: 2, endLine: 2 } });
    expect(error.primary.notes?.map((n) => n.range?.startLine)).toEqual([4]);
  });

  it('using a later stage fails only when it is needed', () => {
    const df = parse('FROM a AS x\nCOPY --from=y /a /b\nFROM a AS y\n');
    expect(planStages(df).reachable.map((s) => s.index)).toEqual([1]);
    expect(planError(df, 'x').primary).toMatchObject({
      code: 'DOCKERFILE_UNKNOWN_STAGE',
      range: { startLine: 2, endLine: 2 },
    });
  });

  it('a bad --from index is an error wherever it is', () => {
    const error = planError(parse('FROM a AS x\nCOPY --from=7 /a /b\nFROM a\n'));
    expect(error.primary).toMatchObject({ code: 'DOCKERFILE_UNKNOWN_STAGE', range: { startLine: 2, endLine: 2 } });
  });

  it('a repeated stage name refers to the last one for --from', () => {
    const df = parse('FROM a AS x\nFROM b AS x\nFROM c\nCOPY --from=x /a /b\n');
    expect(planStages(df).references[2]).toMatchObject([{ source: { kind: 'stage', stage: { index: 1 } } }]);
  });
});
