import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createOpEncoder, decodeOp, encodeOpWithProtobufjs, type OpMessage } from '../../../src/llb/wire.js';
import { markImmutable } from '../../../src/llb/wire-writer.js';

const CAPTURES = fileURLToPath(new URL('../../fixtures/builtin-llb/', import.meta.url));

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** Ops that touch every kind the writer knows: maps, nested and repeated messages, negatives, zeros. */
const HAND_MADE: readonly OpMessage[] = [
  { inputs: [{ digest: 'sha256:aa', index: 0 }, { digest: 'sha256:bb', index: 3 }], constraints: { filter: [] } },
  {
    exec: {
      meta: { args: ['/bin/sh', '-c', 'echo héllo ✓'], env: ['A=1', 'B='], cwd: '/', user: '', hostname: '', extraHosts: [{ Host: 'h', IP: '10.0.0.1' }], ulimit: [{ Name: 'nofile', Soft: 1024, Hard: 4294967296 }] },
      mounts: [
        { input: 0, dest: '/', output: 0, readonly: false, mountType: 0 },
        { input: -1, dest: '/cache', output: -1, mountType: 3, cacheOpt: { ID: 'x', sharing: 2 } },
        { input: -1, dest: '/run/secrets/s', output: -1, mountType: 1, secretOpt: { ID: 's', uid: 0, gid: 0, mode: 0o400, optional: true } },
      ],
      network: 2,
      security: 0,
    },
    platform: { Architecture: 'amd64', OS: 'linux', Variant: '' },
    constraints: { filter: ['a', 'b'] },
  },
  { source: { identifier: 'docker-image://docker.io/library/busybox:latest', attrs: { 'image.recordtype': 'internal', z: '', a: 'ü' } } },
  {
    file: {
      actions: [
        { input: 0, secondaryInput: -1, output: 0, mkdir: { path: '/a', mode: 0o755, makeParents: true, owner: { user: { byID: 1000 }, group: { byName: { name: 'g', input: -1 } } }, timestamp: -1 } },
        { input: -1, secondaryInput: -1, output: -1, mkfile: { path: '/f', mode: 0o644, data: new Uint8Array([0, 1, 2, 255]), timestamp: 1700000000000000000 } },
        { input: 1, secondaryInput: 2, output: 1, copy: { src: '/', dest: '/d', mode: -1, includePatterns: ['*'], excludePatterns: [], followSymlink: false } },
      ],
    },
  },
  { merge: { inputs: [{ input: 0 }, { input: 1 }] } },
];

describe('the op writer encodes exactly as protobufjs', () => {
  it('hand-made ops of every field kind, with one encoder reused', () => {
    const encode = createOpEncoder();
    for (const op of HAND_MADE) expect(hex(encode(op))).toBe(hex(encodeOpWithProtobufjs(op)));
    // a second pass hits the writer's string cache
    for (const op of HAND_MADE) expect(hex(encode(op))).toBe(hex(encodeOpWithProtobufjs(op)));
  });

  it('BuildKit-captured ops re-encode byte for byte', () => {
    const encode = createOpEncoder();
    let n = 0;
    for (const name of readdirSync(CAPTURES)) {
      const capture = JSON.parse(readFileSync(`${CAPTURES}${name}/builtin-llb.json`, 'utf8')) as { ops: { base64: string }[] };
      for (const op of capture.ops) {
        const bytes = Buffer.from(op.base64, 'base64');
        const obj = decodeOp(bytes);
        expect(hex(encode(obj))).toBe(bytes.toString('hex'));
        n++;
      }
    }
    expect(n).toBeGreaterThan(3);
  });

  it('env lists that share leading entries with the previous op encode as protobufjs does', () => {
    const encode = createOpEncoder();
    const execOp = (env: string[], args = ['/bin/sh', '-c', 'true']): OpMessage => ({
      exec: { meta: { args, env, cwd: '/' }, mounts: [{ input: 0, dest: '/', output: 0 }] },
      constraints: { filter: [] },
    });
    const lists = [
      ['A=1', 'B=2', 'C=3'],
      ['A=1', 'B=2', 'C=3', 'D=ü'],
      ['A=1', 'X=9', 'C=3'],
      [],
      ['A=1', 'B=2', 'C=3', 'D=ü', 'E=5'],
      ['A=1', 'B=2', 'C=3', 'D=ü', 'E=5'],
      ['A=1'],
      ['Z=' + 'z'.repeat(300), 'A=1'],
      ['Z=' + 'z'.repeat(300), 'A=1', 'B=2'],
    ];
    for (const env of lists) {
      expect(hex(encode(execOp(env)))).toBe(hex(encodeOpWithProtobufjs(execOp(env))));
      // an op without env in between keeps the field's last list
      expect(hex(encode(execOp([], env)))).toBe(hex(encodeOpWithProtobufjs(execOp([], env))));
    }
    // immutable lists are kept as they are and, given again, copied whole
    const frozen = markImmutable(['A=1', 'B=2', 'C=3']);
    const grown = markImmutable([...frozen, 'D=4']);
    for (const env of [frozen, frozen, grown, frozen, grown, grown]) {
      expect(hex(encode(execOp([...env])))).toBe(hex(encodeOpWithProtobufjs(execOp([...env]))));
      const op: OpMessage = { exec: { meta: { args: ['x'], env, cwd: '/' } } };
      expect(hex(encode(op))).toBe(hex(encodeOpWithProtobufjs(op)));
    }
    // the caller's array changing after encoding does not leak into the next op
    const mutable = ['A=1', 'B=2'];
    encode(execOp(mutable));
    mutable[1] = 'B=3';
    expect(hex(encode(execOp(mutable)))).toBe(hex(encodeOpWithProtobufjs(execOp(mutable))));
  });
});
