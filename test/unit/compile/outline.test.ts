// The outline BuildKit v0.13.2 gives for a build (dockerfile2llb/outline.go). Every expectation
// here was first printed by the builtin frontend (`docker buildx build --print=outline`) for the
// same Dockerfile; test/e2e/subrequests.e2e.test.ts keeps comparing the two.
import { describe, expect, it } from 'vitest';
import { argsOf, outlineOf } from './subrequest-helpers.js';

const DEPS = `ARG REG=docker.io
# IMG the image to start from
ARG IMG=$REG/library/busybox
ARG TAG=local
ARG NOTUSED=x
FROM \${IMG}:\${TAG} AS base
# B the b arg
ARG B=bee

FROM busybox:local AS other
# O other arg
ARG O=oh
RUN --mount=type=secret,id=osecret true

FROM busybox:local AS mounted
ARG M
RUN --mount=type=ssh,id=agent,required true

# final the final stage
FROM base AS final
COPY --from=other /etc/passwd /p
RUN --mount=from=mounted,target=/m true
ARG F=$B-eff
`;

describe('outlineBuild', () => {
  it('the target, its base and the stages it copies and mounts from', () => {
    const o = outlineOf(DEPS);
    expect(o.name).toBe('final');
    expect(o.description).toBe('the final stage');
    // REG comes in because IMG's default expands it; NOTUSED is used by nothing
    expect(argsOf(o)).toEqual(['REG=docker.io@1', 'IMG=docker.io/library/busybox@3', 'TAG=local@4', 'B=bee@8', 'O=oh@12', 'M=@16', 'F=bee-eff@23']);
    expect(o.args.map((a) => a.description)).toEqual(['', 'the image to start from', '', 'the b arg', 'other arg', '', '']);
    expect(o.secrets).toEqual([{ name: 'osecret', required: false, range: { startLine: 13, endLine: 13 } }]);
    expect(o.ssh).toEqual([{ name: 'agent', required: true, range: { startLine: 17, endLine: 17 } }]);
  });

  it('--target picks the stage; stages it does not need are left out', () => {
    const o = outlineOf(DEPS, { target: 'other' });
    expect(o.name).toBe('other');
    expect(o.description).toBe('');
    expect(argsOf(o)).toEqual(['O=oh@12']);
    expect(o.ssh).toEqual([]);
  });

  it('a build arg replaces the value, not the definition', () => {
    const o = outlineOf(DEPS, { 'build-arg:TAG': 'other', 'build-arg:O': 'x' });
    expect(argsOf(o)).toContain('TAG=other@4');
    expect(argsOf(o)).toContain('O=x@12');
    // IMG's default is not expanded when a build arg sets it, so REG is not pulled in
    expect(argsOf(outlineOf(DEPS, { 'build-arg:IMG': 'busybox' }))[0]).toBe('IMG=busybox@3');
  });

  it('a bare ARG imports the global one, which keeps its own definition', () => {
    const o = outlineOf(`# V the version
ARG V=1
# W unused global
ARG W=2
FROM busybox:local
# V stage comment is ignored
ARG V
# W own definition
ARG W=3
ARG TARGETARCH
ARG X=\${V}x
`);
    expect(argsOf(o)).toEqual(['V=1@2', 'W=3@9', 'X=1x@11']);
    expect(o.args.map((a) => a.description)).toEqual(['the version', 'own definition', '']);
    // no name, no description: the TARGET section is left out
    expect(o.name).toBe('');
  });

  it('platform ARGs are never listed, even when a FROM uses them', () => {
    const o = outlineOf(`ARG P=linux/amd64
FROM --platform=$P busybox:local AS a
ARG BUILDPLATFORM
FROM --platform=$BUILDPLATFORM busybox:local AS b
ARG TARGETOS
`);
    expect(o.name).toBe('b');
    expect(o.args).toEqual([]);
    expect(argsOf(outlineOf('ARG P=linux/amd64\nFROM --platform=$P busybox:local AS a\n'))).toEqual(['P=linux/amd64@1']);
  });

  it('an unused global ARG is not listed', () => {
    expect(outlineOf('ARG A=1\nFROM busybox:local\n').args).toEqual([]);
  });

  it('a stage based on another gets that stage ARGs, a stage beside it does not', () => {
    const o = outlineOf('FROM busybox:local AS a\nARG A1=1\nRUN true\nFROM busybox:local AS b\nARG B1=1\nFROM b AS c\nARG C1\n');
    expect(argsOf(o)).toEqual(['B1=1@5', 'C1=@7']);
  });

  it('secret ids: id, source or the target base name, expanded; the first use wins', () => {
    const o = outlineOf(`FROM busybox:local
ARG SID=fromarg
RUN --mount=type=secret,target=/run/secrets/bytarget true
RUN --mount=type=secret,source=bysource,target=/x true
RUN --mount=type=secret,id=$SID true
RUN --mount=type=secret,id=bytarget,required=true true
RUN --mount=type=ssh true
RUN --mount=type=ssh,required=true true
`);
    expect(o.secrets.map((s) => `${s.name}:${String(s.required)}@${s.range.startLine}`)).toEqual([
      'bytarget:false@3',
      'bysource:false@4',
      'fromarg:false@5',
    ]);
    expect(o.ssh.map((s) => `${s.name}:${String(s.required)}@${s.range.startLine}`)).toEqual(['default:false@7']);
  });

  // BuildKit orders the ARGs of one instruction by Go map iteration (at random); we keep them in order
  it('ARGs of one instruction keep their order; a multi-line ARG spans its lines', () => {
    const o = outlineOf('FROM busybox:local\nARG Z=1 A=2 \\\n  M=3\n');
    expect(argsOf(o)).toEqual(['Z=1@2', 'A=2@2', 'M=3@2']);
    expect(o.args[0]?.range).toEqual({ startLine: 2, endLine: 3 });
  });

  it('the ARG description is looked up by the key as written', () => {
    const o = outlineOf('FROM busybox:local\nENV N=KEY\n# $N by the raw name\nARG $N=v\n');
    expect(o.args).toEqual([{ name: 'KEY', description: 'by the raw name', value: 'v', range: { startLine: 4, endLine: 4 } }]);
  });
});
