import { describe, expect, it } from 'vitest';
import { compileError, compiledOps, lastExec } from './compile-helpers.js';

const FROM = 'FROM busybox:local\n';

describe('RUN --mount=type=bind', () => {
  it('defaults to a read-only mount of the context root', () => {
    const { op } = lastExec(`${FROM}RUN --mount=target=/ctx ls\n`);
    expect(op.exec.mounts).toEqual([{ dest: '/' }, { input: 1, dest: '/ctx', output: -1, readonly: true }]);
  });

  it('source= becomes a cleaned selector; rw is writable but has no output', () => {
    const { op } = lastExec(`${FROM}RUN --mount=source=./b/../b/c/,target=/m,rw ls\n`);
    expect(op.exec.mounts[1]).toEqual({ input: 1, selector: '/b/c', dest: '/m', output: -1 });
  });

  it('a relative target is joined to the working directory', () => {
    const { op } = lastExec(`${FROM}WORKDIR /w\nRUN --mount=target=ctx ls\n`);
    expect(op.exec.mounts[1]).toMatchObject({ dest: '/w/ctx' });
  });

  it('an absolute target is kept as written', () => {
    const { op } = lastExec(`${FROM}RUN --mount=target=/a/../b/ ls\n`);
    expect(op.exec.mounts[1]).toMatchObject({ dest: '/a/../b/' });
  });

  it('from= a stage mounts that stage; from=scratch mounts nothing', () => {
    const ops = compiledOps('FROM busybox:local AS build\nRUN echo hi > /x\nFROM busybox:local\nRUN --mount=from=build,target=/in --mount=from=scratch,target=/e ls\n');
    const execs = ops.filter((o) => o.op.exec !== undefined);
    const build = execs[0];
    const run = execs[1];
    expect(run?.op.inputs?.map((i) => i.digest)).toContain(build?.digest);
    expect(run?.op.exec?.mounts.find((m) => m['dest'] === '/e')).toEqual({ input: -1, dest: '/e', output: -1, readonly: true });
  });

  it('from= the base image shares the root input, as BuildKit dedupes inputs by digest', () => {
    const { op } = lastExec(`${FROM}RUN --mount=from=busybox:local,target=/img ls\n`);
    expect(op.inputs).toHaveLength(1);
    expect(op.exec.mounts[1]).toEqual({ dest: '/img', output: -1, readonly: true });
  });
});

describe('RUN --mount=type=cache', () => {
  it('scratch source, id from the target, shared, namespaced by BUILDKIT_CACHE_MOUNT_NS', () => {
    const { op } = lastExec(`${FROM}RUN --mount=type=cache,target=/root/.cache/ ls\n`, { 'build-arg:BUILDKIT_CACHE_MOUNT_NS': 'ns' });
    expect(op.exec.mounts[1]).toEqual({ input: -1, dest: '/root/.cache/', output: -1, mountType: 'CACHE', cacheOpt: { ID: 'ns//root/.cache' } });
  });

  it('id=, sharing=, ro', () => {
    const { op } = lastExec(`${FROM}RUN --mount=type=cache,target=/c,id=mine,sharing=locked,ro ls\n`);
    expect(op.exec.mounts[1]).toEqual({ input: -1, dest: '/c', output: -1, readonly: true, mountType: 'CACHE', cacheOpt: { ID: '/mine', sharing: 'LOCKED' } });
  });

  it('uid/gid/mode create /cache with that owner and mount it', () => {
    const ops = compiledOps(`${FROM}RUN --mount=type=cache,target=/c,uid=1000,mode=0700 ls\n`);
    const mkdir = ops.find((o) => o.op.file !== undefined);
    expect(mkdir?.metadata?.description?.['llb.customname']).toBe('[internal] settings cache mount permissions');
    expect(mkdir?.op.file?.actions[0]).toMatchObject({
      input: -1,
      mkdir: { path: '/cache', mode: 0o700, owner: { user: { byID: 1000 }, group: { byID: 0 } }, timestamp: -1 },
    });
    const exec = ops.find((o) => o.op.exec !== undefined);
    expect(exec?.op.exec?.mounts[1]).toMatchObject({ input: 1, selector: '/cache', dest: '/c', mountType: 'CACHE' });
  });
});

describe('RUN --mount=type=tmpfs', () => {
  it('size in bytes, ro, and no input', () => {
    const { op } = lastExec(`${FROM}RUN --mount=type=tmpfs,target=/t,size=2k,ro ls\n`);
    expect(op.exec.mounts[1]).toEqual({ input: -1, dest: '/t', output: -1, readonly: true, mountType: 'TMPFS', TmpfsOpt: { size: 2048 } });
  });
});

describe('RUN --mount=type=secret and ssh', () => {
  it('secrets default to /run/secrets/<base of id>, mode 0400, optional', () => {
    const { op } = lastExec(`${FROM}RUN --mount=type=secret,id=a/b/tok ls\n`);
    expect(op.exec.mounts[1]).toEqual({ dest: '/run/secrets/tok', mountType: 'SECRET', secretOpt: { ID: 'a/b/tok', mode: 0o400, optional: true } });
  });

  it('a secret id falls back to source= and then to the target base name', () => {
    const bySource = lastExec(`${FROM}RUN --mount=type=secret,source=s1,target=/x/y,required,uid=1 ls\n`);
    expect(bySource.op.exec.mounts[1]).toEqual({ dest: '/x/y', mountType: 'SECRET', secretOpt: { ID: 's1', uid: 1, mode: 0o400 } });
    const byTarget = lastExec(`${FROM}RUN --mount=type=secret,target=/etc/key.pem ls\n`);
    expect(byTarget.op.exec.mounts[1]).toMatchObject({ secretOpt: { ID: 'key.pem' } });
  });

  it('ssh mounts get numbered sockets and SSH_AUTH_SOCK unless it is set', () => {
    const { op } = lastExec(`${FROM}RUN --mount=type=ssh --mount=type=ssh,id=two,mode=0666 ls\n`);
    expect(op.exec.mounts.slice(1)).toEqual([
      { dest: '/run/buildkit/ssh_agent.0', mountType: 'SSH', SSHOpt: { mode: 0o600, optional: true } },
      { dest: '/run/buildkit/ssh_agent.1', mountType: 'SSH', SSHOpt: { ID: 'two', mode: 0o666, optional: true } },
    ]);
    expect(op.exec.meta.env).toContain('SSH_AUTH_SOCK=/run/buildkit/ssh_agent.0');
    const preset = lastExec(`${FROM}ENV SSH_AUTH_SOCK=/mine\nRUN --mount=type=ssh ls\n`);
    expect(preset.op.exec.meta.env?.filter((e) => e.startsWith('SSH_AUTH_SOCK='))).toEqual(['SSH_AUTH_SOCK=/mine']);
  });
});

describe('mount values are expanded with the stage env', () => {
  it('ARG and ENV values, ${x:-default}', () => {
    const { op } = lastExec(`${FROM}ARG K=cache\nENV D=/mnt\nRUN --mount=type=$K,target=\${D}/c,id=\${ID:-fallback} ls\n`);
    expect(op.exec.mounts[1]).toMatchObject({ dest: '/mnt/c', mountType: 'CACHE', cacheOpt: { ID: '/fallback' } });
  });
});

describe('vertex names and the build context', () => {
  it('a file with a RUN --mount names its single stage stage-0, as BuildKit does', () => {
    expect(lastExec(`${FROM}RUN --mount=type=tmpfs,target=/t ls\n`).metadata?.description?.['llb.customname']).toBe('[stage-0 2/2] RUN --mount=type=tmpfs,target=/t ls');
    expect(lastExec(`${FROM}RUN ls\n`).metadata?.description?.['llb.customname']).toBe('[2/2] RUN ls');
  });

  it('bind sources join local.followpaths; a bind of the whole context or a tmpfs drops them', () => {
    const context = (text: string): Readonly<Record<string, string>> | undefined =>
      compiledOps(text).find((o) => o.op.source?.identifier === 'local://context')?.op.source?.attrs;
    expect(context(`${FROM}COPY a.txt /\nRUN --mount=source=b/c,target=/c --mount=type=secret,id=s ls\n`)?.['local.followpaths']).toBe('["a.txt","b/c"]');
    expect(context(`${FROM}COPY a.txt /\nRUN --mount=type=tmpfs,target=/t ls\n`)?.['local.followpaths']).toBeUndefined();
    expect(context(`${FROM}COPY a.txt /\nRUN --mount=target=/ctx ls\n`)?.['local.followpaths']).toBeUndefined();
    expect(context(`${FROM}COPY a.txt /\nRUN --mount=type=cache,target=/c ls\n`)?.['local.followpaths']).toBe('["a.txt"]');
  });
});

describe('RUN --network and --security', () => {
  it('none and host replace the stage network; default keeps force-network-mode', () => {
    expect(lastExec(`${FROM}RUN --network=none ls\n`).op.exec.network).toBe('NONE');
    expect(lastExec(`${FROM}RUN --network=host ls\n`, { 'force-network-mode': 'none' }).op.exec.network).toBe('HOST');
    expect(lastExec(`${FROM}RUN --network=default ls\n`, { 'force-network-mode': 'none' }).op.exec.network).toBe('NONE');
    expect(lastExec(`${FROM}RUN --network=default ls\n`).op.exec.network).toBeUndefined();
  });

  it('insecure asks for the exec.meta.security cap; sandbox is the default', () => {
    const insecure = lastExec(`${FROM}RUN --security=insecure ls\n`);
    expect(insecure.op.exec.security).toBe('INSECURE');
    expect(insecure.metadata?.caps?.['exec.meta.security']).toBe(true);
    const sandbox = lastExec(`${FROM}RUN --security=sandbox ls\n`);
    expect(sandbox.op.exec.security).toBeUndefined();
    expect(sandbox.metadata?.caps?.['exec.meta.security']).toBeUndefined();
  });
});

describe('mount errors', () => {
  const at = (text: string): string[] => compileError(text).diagnostics.map((d) => `${d.code}@${d.range?.startLine ?? '?'}: ${d.message}`);

  it('values checked after expansion', () => {
    expect(at(`${FROM}ARG T=volume\nRUN --mount=type=$T,target=/x ls\n`)).toEqual(['DOCKERFILE_INVALID_FLAG@3: RUN: --mount: unsupported mount type "volume"']);
    expect(at(`${FROM}RUN --mount=type=cache,target=/c,size=1g ls\n`)).toEqual(["DOCKERFILE_INVALID_FLAG@2: RUN: --mount: unexpected key 'size' for mount type 'cache'"]);
    expect(at(`${FROM}RUN --mount=type=secret,id=s,env=TOKEN ls\n`)).toEqual(["DOCKERFILE_INVALID_FLAG@2: RUN: --mount: unexpected key 'env' in 'env=TOKEN'"]);
  });

  it('every mount is parsed before any is converted', () => {
    expect(at(`${FROM}RUN --mount=target=/ --mount=bogus=1 ls\n`)).toEqual(["DOCKERFILE_INVALID_FLAG@2: RUN: --mount: unexpected key 'bogus' in 'bogus=1'"]);
  });

  it('targets, sources and stages', () => {
    expect(at(`${FROM}RUN --mount=target=. ls\n`)).toEqual(['DOCKERFILE_INVALID_FLAG@2: RUN: --mount: invalid mount target "/"']);
    expect(at(`${FROM}RUN --mount=type=ssh,src=x ls\n`)).toEqual(['DOCKERFILE_INVALID_FLAG@2: RUN: --mount: ssh does not support source']);
    expect(at(`${FROM}RUN --mount=source=../x,target=/x ls\n`)).toEqual(['CONTEXT_PATH_ESCAPE@2: RUN: --mount: source "../x" is outside the build context']);
    expect(at(`${FROM}RUN --mount=from=Bad/Ref,target=/x ls\n`)[0]).toMatch(/^DOCKERFILE_UNKNOWN_STAGE@2: RUN: --mount from=Bad\/Ref is neither a stage nor a valid image reference/);
  });
});
