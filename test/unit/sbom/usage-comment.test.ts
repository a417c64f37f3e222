import { describe, expect, it } from 'vitest';
import { formatUsage, formatUsageComment, parseUsageComment, type Usage } from '../../../src/sbom/usage-comment.js';

describe('usage comments', () => {
  it.each([
    [{ role: 'base', stage: 'final' }, undefined, 'gosh: FROM (target stage final)'],
    [{ role: 'build', stage: 'build' }, undefined, 'gosh: FROM (stage build)'],
    [{ role: 'copy', stage: 'final' }, undefined, 'gosh: COPY --from (stage final)'],
    [{ role: 'mount', stage: '0' }, undefined, 'gosh: RUN --mount (stage 0)'],
    [{ role: 'base' }, 'tools/Dockerfile', 'gosh: FROM (tools/Dockerfile, target stage)'],
  ] as [Usage, string | undefined, string][])('%j in %s → %s', (usage, dockerfile, text) => {
    expect(formatUsage(usage, dockerfile)).toBe(text);
    expect(parseUsageComment(text, dockerfile)).toEqual({ ok: true, usages: [usage] });
  });

  it('sorts and dedupes the usages of one relationship (sbom-lock.md §7.3)', () => {
    const usages: Usage[] = [{ role: 'build', stage: 'build' }, { role: 'copy', stage: 'final' }, { role: 'build', stage: 'build' }];
    const text = formatUsageComment(usages);
    expect(text).toBe('gosh: COPY --from (stage final); gosh: FROM (stage build)');
    expect(parseUsageComment(text)).toEqual({ ok: true, usages: [{ role: 'copy', stage: 'final' }, { role: 'build', stage: 'build' }] });
  });

  it.each([
    ['gosh: ADD (stage x)', undefined, 'cannot read usage'],
    ['gosh: COPY --from (target stage x)', undefined, 'only FROM names the target stage'],
    ['gosh: FROM (a/Dockerfile, stage x)', undefined, 'should not name a Dockerfile'],
    ['gosh: FROM (stage x)', 'a/Dockerfile', 'should name a/Dockerfile'],
    ['', undefined, 'cannot read usage'],
  ])('refuses %j', (text, dockerfile, reason) => {
    const r = parseUsageComment(text, dockerfile);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });
});
