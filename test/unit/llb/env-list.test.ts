// Env lists: envSetAll must behave as setting each pair in turn (remove the key, append it), and
// envStrings, which derives a list's KEY=value strings from the list it was made from, must
// give the strings of the list itself, whatever order lists are asked for in.
import { describe, expect, it } from 'vitest';
import { envSet, envSetAll, envStrings, envToArray, type EnvList } from '../../../src/llb/state.js';

/** The plain definition: one pair at a time. */
function reference(env: EnvList, pairs: readonly (readonly [string, string])[]): [string, string][] {
  let out: [string, string][] = env.map(([k, v]) => [k, v]);
  for (const [k, v] of pairs) out = [...out.filter(([x]) => x !== k), [k, v]];
  return out;
}

const plain = (env: EnvList): string[] => env.map(([k, v]) => `${k}=${v}`);

describe('env lists', () => {
  it('envSetAll sets pairs in turn: replaced keys move to the end, a key set twice keeps its last value', () => {
    const base: EnvList = [['A', '1'], ['B', '2'], ['C', '3']];
    const cases: (readonly (readonly [string, string])[])[] = [[], [['D', '4']], [['B', 'x']], [['A', 'x'], ['D', 'y'], ['A', 'z']], [['C', '1'], ['C', '2'], ['B', '9']], [['E', ''], ['E', 'e']]];
    for (const pairs of cases) expect(envSetAll(base, pairs)).toEqual(reference(base, pairs));
    expect(envSet(base, 'A', 'n')).toEqual([['B', '2'], ['C', '3'], ['A', 'n']]);
  });

  it('envStrings of derived lists, asked for in any order, are the lists’ own strings', () => {
    const lists: EnvList[] = [[['PATH', '/bin']]];
    const steps: (readonly (readonly [string, string])[])[] = [
      [['A', '1']], [['B', '2'], ['C', '3']], [['A', 'again']], [['D', '4']], [['B', 'b'], ['B', 'bb']], [['PATH', '/x']], [['E', '5']],
    ];
    for (const pairs of steps) lists.push(envSetAll(lists[lists.length - 1] as EnvList, pairs));
    // a middle list first, then the newest (derived across lists never asked for), then all
    expect(envStrings(lists[3] as EnvList)).toEqual(plain(lists[3] as EnvList));
    expect(envStrings(lists[7] as EnvList)).toEqual(plain(lists[7] as EnvList));
    for (const list of lists) expect(envStrings(list)).toEqual(plain(list));
    // a branch from an older list
    const branch = envSetAll(lists[2] as EnvList, [['A', 'branch']]);
    expect(envStrings(branch)).toEqual(plain(branch));
    // the same strings every time, and envToArray hands out a copy
    expect(envStrings(lists[5] as EnvList)).toBe(envStrings(lists[5] as EnvList));
    const copy = envToArray(lists[5] as EnvList);
    copy.push('X=1');
    expect(envStrings(lists[5] as EnvList)).toEqual(plain(lists[5] as EnvList));
  });
});
