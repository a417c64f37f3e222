// The comment on an image relationship lists how the image is used, without line numbers
// (they churn): `gosh: COPY --from (stage final); gosh: FROM (stage build)`. A sub-image's
// uses name its Dockerfile: `gosh: FROM (tools/Dockerfile, target stage)`.
import { compareCodeUnits } from '../core/canonical.js';
import type { ImageRole } from '../lock/model.js';

export interface Usage {
  readonly role: ImageRole;
  readonly stage?: string;
}

const INSTRUCTION: Readonly<Record<ImageRole, string>> = {
  base: 'FROM',
  build: 'FROM',
  copy: 'COPY --from',
  mount: 'RUN --mount',
};

const USAGE_RE = /^gosh: (FROM|COPY --from|RUN --mount) \((?:([^,()]+), )?(target stage|stage)(?: ([^,()]+))?\)$/;

/** One usage; `dockerfile` is the consumer's Dockerfile for a sub-image, absent for the root. */
export function formatUsage(usage: Usage, dockerfile?: string): string {
  const where = `${dockerfile !== undefined ? `${dockerfile}, ` : ''}${usage.role === 'base' ? 'target stage' : 'stage'}`;
  return `gosh: ${INSTRUCTION[usage.role]} (${where}${usage.stage !== undefined ? ` ${usage.stage}` : ''})`;
}

/** All usages of one relationship, sorted and without repeats, joined by "; ". */
export function formatUsageComment(usages: readonly Usage[], dockerfile?: string): string {
  return [...new Set(usages.map((u) => formatUsage(u, dockerfile)))].sort(compareCodeUnits).join('; ');
}

export type UsageParse = { readonly ok: true; readonly usages: readonly Usage[] } | { readonly ok: false; readonly reason: string };

/** The inverse of formatUsageComment; the Dockerfile named in each usage must be `dockerfile`. */
export function parseUsageComment(comment: string, dockerfile?: string): UsageParse {
  const usages: Usage[] = [];
  for (const part of comment.split('; ')) {
    const m = USAGE_RE.exec(part);
    if (m === null) return { ok: false, reason: `cannot read usage ${JSON.stringify(part)} (expected e.g. "gosh: FROM (stage build)")` };
    const [, instruction, file, where, stage] = m;
    if (file !== dockerfile) {
      return { ok: false, reason: `usage ${JSON.stringify(part)} should ${dockerfile === undefined ? 'not name a Dockerfile' : `name ${dockerfile}`}` };
    }
    let role: ImageRole;
    if (where === 'target stage') {
      if (instruction !== 'FROM') return { ok: false, reason: `usage ${JSON.stringify(part)}: only FROM names the target stage` };
      role = 'base';
    } else {
      role = instruction === 'FROM' ? 'build' : instruction === 'COPY --from' ? 'copy' : 'mount';
    }
    usages.push({ role, ...(stage !== undefined ? { stage } : {}) });
  }
  return { ok: true, usages };
}
