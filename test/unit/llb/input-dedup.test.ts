// BuildKit's exec and file ops take equal inputs once, by digest (client/llb exec.go, fileop.go):
// an image built twice as two values is still one input.
import { describe, expect, it } from 'vitest';
import { fileOp } from '../../../src/llb/file.js';
import { imageSource } from '../../../src/llb/source.js';

const image = (ref: string, name = ref): ReturnType<typeof imageSource> => imageSource(ref, { constraints: { customName: name } });

describe('file op inputs', () => {
  it('the same image made twice is one input', () => {
    const base = image('docker.io/library/busybox:local');
    const again = image('docker.io/library/busybox:local', 'another progress name');
    expect(base.vertex).not.toBe(again.vertex);
    const out = fileOp(base, [{ kind: 'copy', source: again, src: '/bin/busybox', dest: '/bb' }]);
    expect(out.vertex.inputs).toHaveLength(1);
    const actions = (out.vertex.body as { file: { actions: { input: number; secondaryInput: number }[] } }).file.actions;
    expect(actions[0]).toMatchObject({ input: 0, secondaryInput: 0 });
  });

  it('different images stay two inputs', () => {
    const out = fileOp(image('docker.io/library/a:1'), [{ kind: 'copy', source: image('docker.io/library/b:1'), src: '/x', dest: '/y' }]);
    expect(out.vertex.inputs).toHaveLength(2);
  });
});
