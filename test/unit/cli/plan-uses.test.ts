// planImageUses: each line that names an image, with the role and stage the lock records.
import { describe, expect, it } from 'vitest';
import { planImageUses } from '../../../src/cli/plan-uses.js';
import { planDockerfile } from '../../../src/compile/compile.js';
import { LINUX_AMD64 } from '../../../src/core/platform.js';
import { parseBuildOptions } from '../../../src/config/build-options.js';
import { formatImageRef } from '../../../src/core/image-ref.js';
import { parseDockerfile } from '../../../src/dockerfile/parse.js';

function uses(text: string, opts: Record<string, string> = {}): { line: number; ref: string; platform: string; role: string; stage: string | undefined; key: string }[] {
  const dockerfile = parseDockerfile({ name: 'Dockerfile', text });
  const { plan, targetPlatform } = planDockerfile(dockerfile, parseBuildOptions(new Map(Object.entries(opts))), LINUX_AMD64);
  const planned = planImageUses(dockerfile, plan, targetPlatform);
  return planned.uses.map((u, i) => {
    const fact = planned.facts[i]!;
    return {
      line: u.range?.startLine ?? 0,
      ref: formatImageRef(u.ref),
      platform: `${u.platform.os}/${u.platform.architecture}`,
      role: fact.role,
      stage: fact.stage,
      key: fact.source.kind === 'image' ? fact.source.ref : '',
    };
  });
}

describe('planImageUses', () => {
  it('base along the target\'s FROM chain, build elsewhere, copy and mount at their instructions', () => {
    const text = [
      'FROM busybox:1.36 AS a', //                          1
      'FROM a AS b', //                                     2
      'FROM --platform=linux/arm64 alpine:3.20 AS c', //    3
      'FROM b', //                                          4
      'COPY --from=c /x /x', //                             5: a stage, no image
      'COPY --from=debian:12@sha256:' + 'a'.repeat(64) + ' /y /y', // 6
      'RUN --mount=from=nginx:1,target=/n --mount=type=cache,target=/c true', // 7
      'COPY --from=debian:12@sha256:' + 'a'.repeat(64) + ' /z /z', // 8: the same image again
      '',
    ].join('\n');
    const debian = `docker.io/library/debian:12@sha256:${'a'.repeat(64)}`;
    expect(uses(text)).toEqual([
      { line: 1, ref: 'docker.io/library/busybox:1.36', platform: 'linux/amd64', role: 'base', stage: 'a', key: 'docker.io/library/busybox:1.36' },
      { line: 3, ref: 'docker.io/library/alpine:3.20', platform: 'linux/arm64', role: 'build', stage: 'c', key: 'docker.io/library/alpine:3.20' },
      { line: 6, ref: debian, platform: 'linux/amd64', role: 'copy', stage: '3', key: 'docker.io/library/debian:12' },
      { line: 7, ref: 'docker.io/library/nginx:1', platform: 'linux/amd64', role: 'mount', stage: '3', key: 'docker.io/library/nginx:1' },
      { line: 8, ref: debian, platform: 'linux/amd64', role: 'copy', stage: '3', key: 'docker.io/library/debian:12' },
    ]);
  });

  it('only the stages the target needs; scratch is no image; ARGs expanded', () => {
    const text = 'ARG V=1.36\nFROM busybox:$V AS one\nFROM scratch AS two\nCOPY --from=alpine:3.20 / /\n';
    expect(uses(text, { target: 'one' }).map((u) => `${u.line} ${u.key} ${u.role}`)).toEqual(['2 docker.io/library/busybox:1.36 base']);
    expect(uses(text, { 'build-arg:V': '1.37' }).map((u) => `${u.line} ${u.key} ${u.role}`)).toEqual(['4 docker.io/library/alpine:3.20 copy']);
  });
});
