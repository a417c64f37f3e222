import { describe, expect, it } from 'vitest';
import { GoshError } from '../../../src/core/errors.js';
import { envFromList, expandWord, expandWords, processWord, processWords } from '../../../src/dockerfile/words.js';

const env = new Map([
  ['A', 'x y'],
  ['B', ''],
]);

describe('words', () => {
  it('processWord keeps spaces, processWords splits', () => {
    expect(processWord('$A-"$A"', env)).toBe('x y-x y');
    expect(processWords('$A-"$A"', env)).toEqual(['x', 'y-x y']);
  });

  it('used lists only variables that were set', () => {
    expect([...expandWord('${A}${B}${C}${D:-$A}', env).used].sort()).toEqual(['A', 'B']);
    expect([...expandWords('$C', env).used]).toEqual([]);
  });

  it('keys are case-sensitive', () => {
    expect(processWord('$a|$A', env)).toBe('|x y');
  });

  it('the escape option: backtick escapes, backslash is literal', () => {
    expect(processWord('C:\\`$A', env, { escape: '`' })).toBe('C:\\$A');
    expect(processWord('C:\\`$A', env)).toBe('C:`x y');
  });

  it('${VAR?msg} throws DOCKERFILE_EXPANSION with the given location', () => {
    let caught: unknown;
    try {
      expandWord('${C?set C first}', env, { file: 'Dockerfile', range: { startLine: 4, endLine: 4 } });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(GoshError);
    expect((caught as GoshError).primary).toMatchObject({
      code: 'DOCKERFILE_EXPANSION',
      file: 'Dockerfile',
      range: { startLine: 4, endLine: 4 },
    });
    expect((caught as GoshError).message).toBe('Dockerfile:4: failed to process "${C?set C first}": C: set C first');
  });

  it('envFromList: later entries win, a bare name is empty', () => {
    expect([...envFromList(['A=1', 'B', 'A=2', 'C=x=y'])]).toEqual([
      ['A', '2'],
      ['B', ''],
      ['C', 'x=y'],
    ]);
  });
});
