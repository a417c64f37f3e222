import { compareCodeUnits } from '../core/canonical.js';
import type { Platform } from '../core/platform.js';
import type { OpConstraints } from './constraints.js';
import { dedupedInputIndex, type Output, type Vertex } from './vertex.js';

export type NetworkMode = 'sandbox' | 'host' | 'none';
export type SecurityMode = 'sandbox' | 'insecure';
export type CacheSharing = 'shared' | 'private' | 'locked';

const NET_MODE = { sandbox: 0, host: 1, none: 2 } as const;
const SECURITY_MODE = { sandbox: 0, insecure: 1 } as const;
const MOUNT_TYPE = { bind: 0, secret: 1, ssh: 2, cache: 3, tmpfs: 4 } as const;
const SHARING = { shared: 0, private: 1, locked: 2 } as const;

/** A mount of an exec op; `source` undefined means scratch. */
export type Mount =
  | {
      readonly kind: 'bind';
      readonly target: string;
      readonly source: Output | undefined;
      readonly selector?: string;
      readonly readonly?: boolean;
      /** a writable mount whose changes are dropped (cap exec.mount.bind.readwrite-nooutput) */
      readonly noOutput?: boolean;
    }
  | {
      readonly kind: 'cache';
      readonly target: string;
      readonly id: string;
      readonly sharing?: CacheSharing;
      readonly source?: Output;
      readonly selector?: string;
      readonly readonly?: boolean;
    }
  | { readonly kind: 'tmpfs'; readonly target: string; readonly sizeBytes?: number; readonly readonly?: boolean; readonly selector?: string }
  | {
      readonly kind: 'secret';
      readonly target: string;
      readonly id: string;
      readonly uid?: number;
      readonly gid?: number;
      readonly mode?: number;
      readonly optional?: boolean;
    }
  | {
      readonly kind: 'ssh';
      /** default /run/buildkit/ssh_agent.<n> */
      readonly target?: string;
      readonly id: string;
      readonly uid?: number;
      readonly gid?: number;
      readonly mode?: number;
      readonly optional?: boolean;
    };

export interface SecretEnv {
  readonly id: string;
  readonly name: string;
  readonly optional?: boolean;
}

/** pb.ProxyEnv */
export interface ProxyEnv {
  readonly httpProxy?: string;
  readonly httpsProxy?: string;
  readonly ftpProxy?: string;
  readonly noProxy?: string;
  readonly allProxy?: string;
}

export interface ExecSpec {
  readonly args: readonly string[];
  readonly env: readonly string[];
  readonly cwd: string;
  readonly user?: string;
  /** the root filesystem; undefined = scratch */
  readonly root: Output | undefined;
  readonly rootReadonly?: boolean;
  readonly mounts?: readonly Mount[];
  readonly network?: NetworkMode;
  readonly security?: SecurityMode;
  readonly hostname?: string;
  readonly extraHosts?: readonly { readonly host: string; readonly ip: string }[];
  readonly ulimits?: readonly { readonly name: string; readonly soft: number; readonly hard: number }[];
  readonly cgroupParent?: string;
  /** proxy variables the executor adds to the environment, kept out of the command's own env */
  readonly proxyEnv?: ProxyEnv;
  readonly secretEnv?: readonly SecretEnv[];
  readonly platform?: Platform;
  readonly constraints?: OpConstraints;
}

/** The outputs of one exec: the root and every writable bind mount, by target. */
export interface ExecResult {
  readonly vertex: Vertex;
  readonly root: Output | undefined;
  mountOutput(target: string): Output | undefined;
}

const DEFAULT_SECRET_MODE = 0o400;
const DEFAULT_SSH_MODE = 0o600;

/**
 * Builds an exec op the way BuildKit's llb does: non-secret mounts sorted by target, outputs
 * numbered over writable non-cache non-tmpfs mounts, secret and ssh mounts appended after.
 */
export function exec(spec: ExecSpec): ExecResult {
  const caps = new Set<string>(['exec.meta.base']);
  const bindLike: { target: string; source: Output | undefined; selector?: string; readonly: boolean; noOutput: boolean; cacheId?: string; sharing?: CacheSharing; tmpfsSize?: number; kind: 'bind' | 'cache' | 'tmpfs' }[] = [
    { kind: 'bind', target: '/', source: spec.root, readonly: spec.rootReadonly === true, noOutput: false },
  ];
  const secrets: Extract<Mount, { kind: 'secret' }>[] = [];
  const sshMounts: Extract<Mount, { kind: 'ssh' }>[] = [];
  for (const m of spec.mounts ?? []) {
    switch (m.kind) {
      case 'bind':
        bindLike.push({ kind: 'bind', target: m.target, source: m.source, ...(m.selector !== undefined ? { selector: m.selector } : {}), readonly: m.readonly === true, noOutput: m.noOutput === true });
        break;
      case 'cache':
        bindLike.push({ kind: 'cache', target: m.target, source: m.source, ...(m.selector !== undefined ? { selector: m.selector } : {}), readonly: m.readonly === true, noOutput: true, cacheId: m.id, sharing: m.sharing ?? 'shared' });
        break;
      case 'tmpfs':
        bindLike.push({ kind: 'tmpfs', target: m.target, source: undefined, ...(m.selector !== undefined ? { selector: m.selector } : {}), readonly: m.readonly === true, noOutput: true, ...(m.sizeBytes !== undefined ? { tmpfsSize: m.sizeBytes } : {}) });
        break;
      case 'secret':
        secrets.push(m);
        break;
      case 'ssh':
        sshMounts.push(m);
        break;
    }
  }
  // stable sort by target, as Go's sort.Slice does for distinct targets
  bindLike.sort((a, b) => compareCodeUnits(a.target, b.target));

  const inputs: Output[] = [];
  const mounts: Record<string, unknown>[] = [];
  const outputsByTarget = new Map<string, number>();
  let nextOutput = 0;
  for (const m of bindLike) {
    const input = m.source !== undefined ? dedupedInputIndex(inputs, m.source) : -1;
    let output = -1;
    if (!m.noOutput && !m.readonly && m.kind === 'bind') {
      output = nextOutput++;
      outputsByTarget.set(m.target, output);
    }
    const pm: Record<string, unknown> = { input, dest: m.target, output };
    if (m.readonly) pm['readonly'] = true;
    if (m.selector !== undefined && m.selector !== '') {
      pm['selector'] = m.selector;
      caps.add('exec.mount.selector');
    }
    if (m.kind === 'cache') {
      pm['mountType'] = MOUNT_TYPE.cache;
      pm['cacheOpt'] = { ID: m.cacheId, sharing: SHARING[m.sharing ?? 'shared'] };
      caps.add('exec.mount.cache').add('exec.mount.cache.sharing');
    } else if (m.kind === 'tmpfs') {
      pm['mountType'] = MOUNT_TYPE.tmpfs;
      pm['TmpfsOpt'] = m.tmpfsSize !== undefined ? { size: m.tmpfsSize } : {};
      caps.add('exec.mount.tmpfs');
      if (m.tmpfsSize !== undefined && m.tmpfsSize > 0) caps.add('exec.mount.tmpfs.size');
    } else if (m.source !== undefined) {
      caps.add('exec.mount.bind');
    }
    mounts.push(pm);
  }
  for (const s of secrets) {
    mounts.push({
      dest: s.target,
      mountType: MOUNT_TYPE.secret,
      secretOpt: { ID: s.id, uid: s.uid ?? 0, gid: s.gid ?? 0, mode: s.mode ?? DEFAULT_SECRET_MODE, optional: s.optional === true },
    });
    caps.add('exec.mount.secret');
  }
  // shared, not copied: env lists are never changed in place (state.ts hands out one per EnvList)
  let env: readonly string[] = spec.env;
  sshMounts.forEach((s, i) => {
    const target = s.target ?? `/run/buildkit/ssh_agent.${i}`;
    if (i === 0 && !env.some((e) => e.startsWith('SSH_AUTH_SOCK='))) env = [...env, `SSH_AUTH_SOCK=${target}`];
    mounts.push({
      dest: target,
      mountType: MOUNT_TYPE.ssh,
      SSHOpt: { ID: s.id, uid: s.uid ?? 0, gid: s.gid ?? 0, mode: s.mode ?? DEFAULT_SSH_MODE, optional: s.optional === true },
    });
    caps.add('exec.mount.ssh');
  });

  const meta: Record<string, unknown> = {
    args: [...spec.args],
    env,
    cwd: spec.cwd,
    ...(spec.user !== undefined && spec.user !== '' ? { user: spec.user } : {}),
    ...(spec.hostname !== undefined ? { hostname: spec.hostname } : {}),
    ...(spec.extraHosts !== undefined && spec.extraHosts.length > 0 ? { extraHosts: spec.extraHosts.map((h) => ({ Host: h.host, IP: h.ip })) } : {}),
    ...(spec.ulimits !== undefined && spec.ulimits.length > 0 ? { ulimit: spec.ulimits.map((u) => ({ Name: u.name, Soft: u.soft, Hard: u.hard })) } : {}),
    ...(spec.cgroupParent !== undefined ? { cgroupParent: spec.cgroupParent } : {}),
    ...(spec.proxyEnv !== undefined ? { proxyEnv: proxyEnvWire(spec.proxyEnv) } : {}),
    removeMountStubsRecursive: true,
  };
  if (spec.proxyEnv !== undefined) caps.add('exec.meta.proxyenv');
  if (spec.ulimits !== undefined && spec.ulimits.length > 0) caps.add('exec.meta.ulimit');
  if (spec.cgroupParent !== undefined) caps.add('exec.meta.cgroup.parent');
  const network = spec.network ?? 'sandbox';
  const security = spec.security ?? 'sandbox';
  if (network !== 'sandbox') caps.add('exec.meta.network');
  if (security !== 'sandbox') caps.add('exec.meta.security');
  const execBody: Record<string, unknown> = {
    meta,
    mounts,
    network: NET_MODE[network],
    security: SECURITY_MODE[security],
  };
  if (spec.secretEnv !== undefined && spec.secretEnv.length > 0) {
    execBody['secretenv'] = spec.secretEnv.map((s) => ({ ID: s.id, name: s.name, optional: s.optional === true }));
    caps.add('exec.secretenv').add('exec.mount.secret');
  }
  const constraints: OpConstraints = { ...spec.constraints, ...(spec.platform !== undefined ? { platform: spec.platform } : {}) };
  const vertex: Vertex = { inputs, body: { exec: execBody }, platformSpecific: true, constraints, caps: [...caps].sort(compareCodeUnits) };
  const rootIndex = outputsByTarget.get('/');
  return {
    vertex,
    root: rootIndex !== undefined ? { vertex, index: rootIndex } : undefined,
    mountOutput(target: string): Output | undefined {
      const index = outputsByTarget.get(target);
      return index !== undefined ? { vertex, index } : undefined;
    },
  };
}

/** pb.ProxyEnv with its empty fields left out, as proto3 encodes them */
function proxyEnvWire(p: ProxyEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of ['httpProxy', 'httpsProxy', 'ftpProxy', 'noProxy', 'allProxy'] as const) {
    const value = p[key];
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}
