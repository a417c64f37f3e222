import { describe, expect, it } from 'vitest';
import { DirectiveScanner } from '../../../src/dockerfile/directives.js';

describe('DirectiveScanner', () => {
  it('reads known directives until the first other line', () => {
    const s = new DirectiveScanner();
    expect(s.scan('# syntax = docker/dockerfile:1 ')).toEqual({
      kind: 'directive',
      directive: { name: 'syntax', value: 'docker/dockerfile:1' },
    });
    expect(s.scan('#Escape=`')).toEqual({ kind: 'directive', directive: { name: 'escape', value: '`' } });
    expect(s.scan('FROM a')).toEqual({ kind: 'none' });
    expect(s.scan('# check=skip=all')).toEqual({ kind: 'none' });
  });

  it('# check= (BuildKit v0.14) is reported and ends the directives, as any unknown name in v0.13.2', () => {
    const s = new DirectiveScanner();
    expect(s.scan('# syntax=x')).toMatchObject({ kind: 'directive' });
    expect(s.scan('# CHECK = skip=all ')).toEqual({ kind: 'later', name: 'check', value: 'skip=all' });
    expect(s.scan('# escape=`')).toEqual({ kind: 'none' });
  });

  it('a plain comment, an empty value or an unknown name end the directives', () => {
    for (const first of ['# just a comment', '# escape=', '# foo=bar', '#!/bin/sh', '']) {
      const s = new DirectiveScanner();
      expect(s.scan(first)).toEqual({ kind: 'none' });
      expect(s.scan('# escape=`')).toEqual({ kind: 'none' });
    }
  });

  it('a repeat is reported', () => {
    const s = new DirectiveScanner();
    s.scan('# escape=`');
    expect(s.scan('# ESCAPE=\\')).toEqual({ kind: 'duplicate', name: 'escape' });
  });
});
