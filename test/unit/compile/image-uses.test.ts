// buildImageUses: every image one compile takes and every line that uses one, with the role and
// stage the lock records; the walk both the frontend (once per image) and gosh verify (per line) use.
import { describe, expect, it } from 'vitest';
import { buildImageUses } from '../../../src/compile/image-uses.js';
import { LINUX_AMD64, type Platform } from '../../../src/core/platform.js';
import { parseBuildOptions } from '../../../src/config/build-options.js';
import { formatImageRef } from '../../../src/core/image-ref.js';
import { parseDockerfile } from '../../../src/dockerfile/parse.js';

function found(text: string, opts: Record<string, string> = {}, targetPlatform?: Platform): ReturnType<typeof buildImageUses> {
  return buildImageUses({ dockerfile: parseDockerfile({ name: 'Dockerfile', text }), options: parseBuildOptions(new Map(Object.entries(opts))), buildPlatform: LINUX_AMD64, targetPlatform });
}

function uses(text: string, opts: Record<string, string> = {}): { line: number; ref: string; platform: string; role: string; stage: string }[] {
  return found(text, opts).uses.map((u) => ({
    line: u.range.startLine,
    ref: formatImageRef(u.image.ref),
    platform: `${u.image.platform.os}/${u.image.platform.architecture}`,
    role: u.role,
    stage: u.stage,
  }));
}

describe('buildImageUses', () => {
  it("base along the target's FROM chain, build elsewhere, copy and mount at their instructions, in Dockerfile order", () => {
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
      { line: 1, ref: 'docker.io/library/busybox:1.36', platform: 'linux/amd64', role: 'base', stage: 'a' },
      { line: 3, ref: 'docker.io/library/alpine:3.20', platform: 'linux/arm64', role: 'build', stage: 'c' },
      { line: 6, ref: debian, platform: 'linux/amd64', role: 'copy', stage: '3' },
      { line: 7, ref: 'docker.io/library/nginx:1', platform: 'linux/amd64', role: 'mount', stage: '3' },
      { line: 8, ref: debian, platform: 'linux/amd64', role: 'copy', stage: '3' },
    ]);
  });

  it('one image per planned stage, in build order, named first where its stage was made', () => {
    const text = ['FROM busybox:1.36', 'RUN --mount=from=nginx:1,target=/n true', 'COPY --from=nginx:1 /a /a', 'COPY --from=alpine:3 /b /b'].join('\n');
    const result = found(text);
    // the stages BuildKit makes for --from / from= come first (plan.reachable); `from=` and
    // `--from` make a stage each, even for one reference
    expect(result.images.map((i) => `${i.stageIndex} ${formatImageRef(i.ref)} ${i.range.startLine}`)).toEqual([
      '1 docker.io/library/nginx:1 2',
      '2 docker.io/library/nginx:1 3',
      '3 docker.io/library/alpine:3 4',
      '0 docker.io/library/busybox:1.36 1',
    ]);
    // every use points at its own image
    expect(result.uses.map((u) => `${u.range.startLine} ${u.role} ${u.image.stageIndex}`)).toEqual(['1 base 0', '2 mount 1', '3 copy 2', '4 copy 3']);
    expect(result.uses[1]?.image).toBe(result.images[0]);
    expect(result.file).toBe('Dockerfile');
  });

  it('only the stages the target needs; scratch is no image; ARGs expanded', () => {
    const text = 'ARG V=1.36\nFROM busybox:$V AS one\nFROM scratch AS two\nCOPY --from=alpine:3.20 / /\n';
    expect(uses(text, { target: 'one' }).map((u) => `${u.line} ${u.ref} ${u.role}`)).toEqual(['2 docker.io/library/busybox:1.36 base']);
    expect(uses(text, { 'build-arg:V': '1.37' }).map((u) => `${u.line} ${u.ref} ${u.role}`)).toEqual(['4 docker.io/library/alpine:3.20 copy']);
  });

  it('the target platform decides FROM --platform=$TARGETPLATFORM images', () => {
    const text = 'FROM --platform=$TARGETPLATFORM localhost:5000/base-${TARGETARCH}:1\n';
    const arm: Platform = { os: 'linux', architecture: 'arm64' };
    expect(found(text, {}, arm).uses.map((u) => `${formatImageRef(u.image.ref)} ${u.image.platform.architecture}`)).toEqual(['localhost:5000/base-arm64:1 arm64']);
    expect(found(text, { platform: 'linux/arm64' }).uses.map((u) => formatImageRef(u.image.ref))).toEqual(['localhost:5000/base-arm64:1']);
  });

  it('a docker-image:// named context stands in for an image or a whole stage; the target chain stops at it', () => {
    const text = ['FROM busybox:1.36 AS base', 'FROM base AS mid', 'FROM mid', 'COPY --from=tools /t /t'].join('\n');
    const result = found(text, { 'context:mid': 'docker-image://localhost:5000/mid:1', 'context:tools': 'docker-image://localhost:5000/tools:2' });
    expect(result.images.map((i) => `${i.stageIndex} ${formatImageRef(i.ref)} ${i.range.startLine} ${i.namedContext?.value ?? '-'}`)).toEqual([
      '3 localhost:5000/tools:2 4 docker-image://localhost:5000/tools:2',
      '0 docker.io/library/busybox:1.36 1 -',
      '1 localhost:5000/mid:1 2 docker-image://localhost:5000/mid:1',
    ]);
    // the plan still reaches `base` (it knows no contexts), but the target's chain ends at the
    // replaced `mid`: busybox is no base image of the target
    expect(result.uses.map((u) => `${u.range.startLine} ${formatImageRef(u.image.ref)} ${u.role}:${u.stage}`)).toEqual([
      '1 docker.io/library/busybox:1.36 build:base',
      '2 localhost:5000/mid:1 base:mid',
      '4 localhost:5000/tools:2 copy:2',
    ]);
    // a local context is no image
    expect(found(['FROM busybox:1.36', 'COPY --from=tools /t /t'].join('\n'), { 'context:tools': 'local:tools' }).images.map((i) => formatImageRef(i.ref))).toEqual([
      'docker.io/library/busybox:1.36',
    ]);
  });
});
