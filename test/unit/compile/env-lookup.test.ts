// envMap's lookups go through the lists an env list was derived from (envSetAll) and build a
// Map only for lists looked up often: every way must find what the list itself says.
import { describe, expect, it } from 'vitest';
import { envMap } from '../../../src/compile/expand.js';
import { envSetAll, type EnvList } from '../../../src/llb/state.js';

const last = (env: EnvList, key: string): string | undefined => env.filter(([k]) => k === key).at(-1)?.[1];

describe('env lookups', () => {
  it('long derivation chains, branches, replaced keys and frequently looked-up lists', () => {
    const series = (): EnvList[] => {
      const lists: EnvList[] = [[['PATH', '/bin'], ['DUP', 'first'], ['DUP', 'second']]];
      for (let i = 0; i < 60; i++) {
        const prev = lists[lists.length - 1] as EnvList;
        const pairs: [string, string][] = i % 5 === 0 ? [['PATH', `/p${i}`]] : [[`K${i}`, `v${i}`], [`K${i - 1}`, `again${i}`]];
        lists.push(envSetAll(prev, pairs));
      }
      lists.push(envSetAll(lists[10] as EnvList, [['K3', 'branch']]));
      return lists;
    };
    const keys = ['PATH', 'DUP', 'K0', 'K3', 'K9', 'K30', 'K58', 'K59', 'missing'];
    // lookups made newest first and oldest first, each list asked many times (past the scan limit)
    for (const lists of [series().reverse(), series()]) {
      for (const list of lists) for (let round = 0; round < 3; round++) for (const k of keys) expect(envMap(list).get(k)).toBe(last(list, k));
    }
  });
});
