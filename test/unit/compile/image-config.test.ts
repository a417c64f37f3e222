// commitHistory shares one history array along a line of commits and copies when a line forks:
// every image must still see exactly its own entries.
import { describe, expect, it } from 'vitest';
import { commitHistory, emptyImageConfig, imageHistory, withConfig, type ImageConfig } from '../../../src/compile/image-config.js';
import { LINUX_AMD64 } from '../../../src/core/platform.js';

const commit = (img: ImageConfig, createdBy: string): ImageConfig => commitHistory(img, { createdBy, withLayer: false, fromOp: false, epochSeconds: undefined });
const shown = (img: ImageConfig): string[] => JSON.parse(JSON.stringify(imageHistory(img))).map((h: { created_by: string }) => h.created_by);

describe('commitHistory', () => {
  it('forks copy, lines extend, and every image keeps its own entries', () => {
    const base = emptyImageConfig(LINUX_AMD64);
    const a = commit(base, 'A');
    const b = commit(withConfig(a, { User: 'u' }), 'B');
    const c = commit(a, 'C');
    const d = commit(b, 'D');
    const e = commit(b, 'E');
    const f = commit({ ...a }, 'F');
    expect(shown(a)).toEqual(['A']);
    expect(shown(b)).toEqual(['A', 'B']);
    expect(shown(c)).toEqual(['A', 'C']);
    expect(shown(d)).toEqual(['A', 'B', 'D']);
    expect(shown(e)).toEqual(['A', 'B', 'E']);
    expect(shown(f)).toEqual(['A', 'F']);
    // the newest image of a line sees its entries in `history` itself (what JSON output reads)
    for (const [img, n] of [[c, 2], [d, 3], [e, 3], [f, 2]] as const) expect(img.history).toHaveLength(n);
    expect(base.history).toBeUndefined();
    expect(Object.keys(d)).not.toContain('HISTORY_LENGTH');
    expect(JSON.stringify(d)).toBe(JSON.stringify({ ...d, history: [...imageHistory(d)] }));
  });

  it('a history set by other means belongs wholly to its image', () => {
    const a = commit(emptyImageConfig(LINUX_AMD64), 'A');
    const replaced: ImageConfig = { ...a, history: [{ created_by: 'X' }, { created_by: 'Y' }] };
    expect(shown(commit(replaced, 'Z'))).toEqual(['X', 'Y', 'Z']);
  });
});
