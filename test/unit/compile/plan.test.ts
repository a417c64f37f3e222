import { describe, expect, it } from 'vitest';
import { expander } from '../../../src/compile/expand.js';
import { planBuild, type BuildPlan } from '../../../src/compile/plan.js';
import { LINUX_AMD64 } from '../../../src/core/platform.js';
import { parseDockerfile } from '../../../src/dockerfile/parse.js';
import { compileText } from './compile-helpers.js';

function plan(text: string, target?: string): BuildPlan {
  const dockerfile = parseDockerfile({ name: 'Dockerfile', text });
  return planBuild({ dockerfile, ...(target !== undefined ? { target } : {}), targetPlatform: LINUX_AMD64, metaExpander: expander(new Map(), '\\') });
}

describe('planBuild: RUN --mount from=', () => {
  it('a stage named by from= (any case) is needed and mapped', () => {
    const p = plan('FROM busybox:local AS unused\nFROM busybox:local AS dep\nFROM busybox:local\nRUN --mount=from=DEP,target=/d ls\n');
    expect(p.reachable).toEqual([1, 2]);
    expect([...p.mountFrom]).toEqual([['DEP', 1]]);
    expect(p.copyFrom.size).toBe(0);
  });

  it('an image becomes an implicit stage, built before the stages that use it, and is resolved', () => {
    const p = plan('FROM alpine:3\nRUN --mount=from=busybox:local,target=/b ls\nCOPY --from=busybox:local /x /y\n');
    expect(p.stages).toHaveLength(3);
    expect(p.reachable).toEqual([1, 2, 0]);
    expect(p.mountFrom.get('busybox:local')).toBe(1);
    expect(p.copyFrom.get('busybox:local')).toBe(2);
    expect(p.stages[1]).toMatchObject({ displayName: '', base: { kind: 'image', original: 'busybox:local' }, stage: { instructions: [], from: { original: '' } } });
    expect(p.images.map((i) => i.ref)).toEqual(['docker.io/library/alpine:3', 'docker.io/library/busybox:local']);
  });

  it('from=scratch is an empty implicit stage, not an image to resolve', () => {
    const p = plan('FROM busybox:local\nRUN --mount=from=scratch,target=/e ls\n');
    expect(p.stages[1]?.base).toEqual({ kind: 'scratch' });
    expect(p.images).toHaveLength(1);
  });

  it('numbers are image names for mounts, stage indexes for COPY', () => {
    const p = plan('FROM busybox:local\nFROM busybox:local\nCOPY --from=0 /a /a\nRUN --mount=from=0,target=/x ls\n');
    expect(p.copyFrom.get('0')).toBe(0);
    expect(p.stages[p.mountFrom.get('0') ?? -1]?.base).toMatchObject({ kind: 'image', original: '0' });
  });

  it('a file with any RUN --mount is not single-stage (BuildKit adds a state per mount)', () => {
    expect(plan('FROM busybox:local\nRUN ls\n').singleStage).toBe(true);
    expect(plan('FROM busybox:local\nRUN --mount=type=secret,id=x ls\n').singleStage).toBe(false);
    expect(plan('FROM busybox:local\nCOPY --from=busybox:local /a /a\n').singleStage).toBe(false);
  });
});

describe('COPY --from=<image> compiles (its implicit stage is built first)', () => {
  it('copies from the image source', () => {
    const state = compileText('FROM busybox:local\nCOPY --from=busybox:local /bin/sh /x\n').state;
    expect(state.output).toBeDefined();
  });
});
