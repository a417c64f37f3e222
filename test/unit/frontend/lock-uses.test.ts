// imageSites: the images one compile resolves, once per reference and platform, with the role
// and stage the lock records for every use, and named contexts standing in for images.
import { describe, expect, it } from 'vitest';
import { GoshError } from '../../../src/core/errors.js';
import { LINUX_AMD64 } from '../../../src/core/platform.js';
import { parseBuildOptions } from '../../../src/config/build-options.js';
import { parseDockerfile } from '../../../src/dockerfile/parse.js';
import { imageSites, type ImageSite } from '../../../src/frontend/lock-uses.js';

function sites(text: string, opts: Record<string, string> = {}, registries?: readonly string[]): ImageSite[] {
  return imageSites({
    dockerfile: parseDockerfile({ name: 'Dockerfile', text }),
    options: parseBuildOptions(new Map(Object.entries(opts))),
    buildPlatform: LINUX_AMD64,
    targetPlatform: undefined,
    ...(registries !== undefined ? { registries, configFile: 'Gosh.yaml' } : {}),
  });
}

function summary(list: readonly ImageSite[]): { key: string; line: number | undefined; usages: string[]; context?: string }[] {
  return list.map((s) => ({
    key: s.lockKey,
    line: s.use.range?.startLine,
    usages: s.usages.map((u) => `${u.role}:${u.stage}`),
    ...(s.namedContext !== undefined ? { context: s.namedContext.value } : {}),
  }));
}

const APP = [
  'ARG BASE=busybox:1.36', //                                           1
  'FROM ${BASE} AS build', //                                           2
  'RUN true', //                                                        3
  'FROM debian AS unused', //                                           4
  'FROM busybox:1.36', //                                               5
  'COPY --from=build /a /a', //                                         6
  'COPY --from=localhost:5000/tools:1 /t /t', //                        7
  'RUN --mount=from=localhost:5000/tools:1,target=/x true', //          8
].join('\n');

describe('imageSites', () => {
  it('one site per reference, FROM after ARG expansion, roles and stages of every use', () => {
    expect(summary(sites(APP))).toEqual([
      // the stages BuildKit makes for --from / from= come first; one reference, one site
      { key: 'localhost:5000/tools:1', line: 7, usages: ['copy:2', 'mount:2'] },
      { key: 'docker.io/library/busybox:1.36', line: 2, usages: ['build:build', 'base:2'] },
    ]);
  });

  it('follows the target through FROM <stage> to its base image', () => {
    const list = sites(['FROM alpine:3 AS base', 'FROM base AS mid', 'FROM mid'].join('\n'));
    expect(summary(list)).toEqual([{ key: 'docker.io/library/alpine:3', line: 1, usages: ['base:base'] }]);
  });

  it('a docker-image:// named context is the image used, named by its own reference', () => {
    const list = sites(['FROM busybox:1.36', 'COPY --from=tools /t /t'].join('\n'), { 'context:tools': 'docker-image://localhost:5000/tools:2' });
    expect(summary(list)).toEqual([
      { key: 'localhost:5000/tools:2', line: 2, usages: ['copy:0'], context: 'docker-image://localhost:5000/tools:2' },
      { key: 'docker.io/library/busybox:1.36', line: 1, usages: ['base:0'] },
    ]);
    // a local context is no image
    expect(summary(sites(['FROM busybox:1.36', 'COPY --from=tools /t /t'].join('\n'), { 'context:tools': 'local:tools' }))).toEqual([
      { key: 'docker.io/library/busybox:1.36', line: 1, usages: ['base:0'] },
    ]);
  });

  it('keeps an inline digest on the use (the key has none)', () => {
    const d = `sha256:${'1'.repeat(64)}`;
    const [site] = sites(`FROM busybox:1.36@${d}`);
    expect(site?.lockKey).toBe('docker.io/library/busybox:1.36');
    expect(site?.use.ref.digest).toBe(d);
  });

  it('scratch and stages are no images', () => {
    expect(sites(['FROM scratch AS a', 'FROM a', 'COPY --from=a / /'].join('\n'))).toEqual([]);
  });

  it('policy.registries refuses every image from another registry, at its line', () => {
    expect(() => sites(APP, {}, ['docker.io'])).toThrow(GoshError);
    try {
      sites(APP, {}, ['docker.io']);
    } catch (e) {
      const diags = (e as GoshError).diagnostics;
      expect(diags.map((d) => [d.range?.startLine, d.message])).toEqual([
        [7, 'image localhost:5000/tools:1: registry localhost:5000 is not allowed by policy.registries (docker.io)'],
      ]);
    }
    expect(sites(APP, {}, ['docker.io', 'localhost:5000'])).toHaveLength(2);
  });
});
