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

  it('a plain comment, an empty value or an unknown name end the directives', () => {
    for (const first of ['# just a comment', '# escape=', '# foo=bar', '#!/bin/sh', '']) {
      const s = new DirectiveScanner();
      expect(s.scan(first)).toEqual({ kind: 'none' });
      expect(s.scan('# escape=`')).toEqual({ kind: 'none' });
    }
  });

  it('a repeat is reported', () => {
    const s = new DirectiveScanner();
    s.scan('# check=a');
    expect(s.scan('# CHECK=b')).toEqual({ kind: 'duplicate', name: 'check' });
  });
});
