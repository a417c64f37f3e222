import type { Owner, UserRef } from '../../llb/file.js';

/** "user[:group]" → owner; numbers (and "root") are ids, anything else a name to look up. */
export function chownOwner(spec: string): Owner {
  const [user, group] = spec.split(/:(.*)/s, 2) as [string, string | undefined];
  const ref = (v: string): UserRef => {
    if (v === 'root') return { id: 0 };
    return /^\d+$/.test(v) && Number(v) <= 0x7fffffff ? { id: Number(v) } : { name: v };
  };
  return { user: ref(user), ...(group !== undefined ? { group: ref(group) } : {}) };
}
