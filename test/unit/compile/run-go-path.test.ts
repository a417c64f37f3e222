import { describe, expect, it } from 'vitest';
import { goPathBase, goPathClean, goPathJoin } from '../../../src/compile/dispatch/run-go-path.js';

describe("Go's path package", () => {
  it.each([
    ['', '.'],
    ['/', '/'],
    ['a/', 'a'],
    ['//a//b/', '/a/b'],
    ['/a/../..', '/'],
    ['./x/.', 'x'],
    ['../a', '../a'],
  ])('Clean(%j) = %j', (input, want) => expect(goPathClean(input)).toBe(want));

  it.each([
    [['/', ''], '/'],
    [['/', 'a/../../b'], '/b'],
    [['/', '/w', 'ctx/'], '/w/ctx'],
    [['', ''], ''],
  ])('Join(%j) = %j', (parts, want) => expect(goPathJoin(...parts)).toBe(want));

  it.each([
    ['', '.'],
    ['///', '/'],
    ['a/b/', 'b'],
    ['tok', 'tok'],
  ])('Base(%j) = %j', (input, want) => expect(goPathBase(input)).toBe(want));
});
