import type { Owner, UserRef } from '../../llb/file.js';

/**
 * "user[:group]" → owner, as BuildKit's llb.WithUser reads --chown and USER: "root" and
 * numbers Go's strconv.ParseInt(v, 10, 32) accepts ("+5", "-1", "007") are ids (as uint32),
 * an empty part is id 0, anything else is a name looked up in the stage's /etc/passwd|group.
 */
export function chownOwner(spec: string): Owner {
  const colon = spec.indexOf(':');
  const user = colon < 0 ? spec : spec.slice(0, colon);
  const group = colon < 0 ? undefined : spec.slice(colon + 1);
  return { user: userRef(user), ...(group !== undefined ? { group: userRef(group) } : {}) };
}

function userRef(v: string): UserRef {
  if (v === 'root' || v === '') return { id: 0 };
  if (/^[+-]?\d+$/.test(v)) {
    const n = Number(v);
    if (n >= -0x80000000 && n <= 0x7fffffff) return { id: n >>> 0 };
  }
  return { name: v };
}
