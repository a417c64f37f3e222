// The metadata of a subrequest answer, byte for byte. The expected texts are what the builtin
// frontend returned for the same input (BUILDX_EXPERIMENTAL=1 docker buildx build --print=…).
import { describe, expect, it } from 'vitest';
import type { Outline } from '../../../src/compile/outline.js';
import {
  describeMetadata,
  goMarshalIndent,
  outlineMetadata,
  targetsMetadata,
} from '../../../src/frontend/subrequest-results.js';

const text = (b: Uint8Array | undefined): string => new TextDecoder().decode(b);
const at = (startLine: number, endLine = startLine) => ({ startLine, endLine });

const OUTLINE: Outline = {
  name: 'final',
  description: '',
  args: [
    { name: 'BASE', description: '', value: 'busybox:local', range: at(1) },
    { name: 'FOO', description: 'foo arg', value: 'bar', range: at(9) },
    { name: 'UNUSED', description: '', value: '', range: at(10) },
  ],
  secrets: [
    { name: 'mysecret', required: true, range: at(11) },
    { name: 'other', required: false, range: at(14) },
  ],
  ssh: [{ name: 'default', required: false, range: at(11) }],
};

describe('outlineMetadata', () => {
  it('result.txt: the tables BuildKit prints', () => {
    const md = outlineMetadata(OUTLINE, new Uint8Array());
    expect(text(md['result.txt'])).toBe(
      [
        'TARGET: final',
        '',
        'BUILD ARG   VALUE           DESCRIPTION',
        'BASE        busybox:local   ',
        'FOO         bar             foo arg',
        'UNUSED                      ',
        '',
        'SECRET     REQUIRED',
        'mysecret   true',
        'other      ',
        '',
        'SSH       REQUIRED',
        'default   ',
        '',
        '',
      ].join('\n'),
    );
    expect(text(md['version'])).toBe('1.0.0');
  });

  it('result.json: Go field order, empty fields left out, one range per line, the source as base64', () => {
    const md = outlineMetadata(
      { name: '', description: '', args: [{ name: 'A', description: 'x<y', value: '', range: at(2, 3) }], secrets: [], ssh: [] },
      new TextEncoder().encode('FROM a\n'),
    );
    const raw = text(md['result.json']);
    expect(raw).toContain('\n  "args": [\n    {\n      "name": "A",\n      "description": "x\\u003cy",\n');
    expect(JSON.parse(raw)).toEqual({
      args: [{ name: 'A', description: 'x<y', location: { ranges: [{ start: { line: 2 }, end: { line: 2 } }, { start: { line: 3 }, end: { line: 3 } }] } }],
      sources: ['RlJPTSBhCg=='],
    });
    expect(Object.keys(JSON.parse(raw) as object)).toEqual(['args', 'sources']);
    // without a name or description there is no TARGET section
    expect(text(md['result.txt'])).toBe('BUILD ARG   VALUE   DESCRIPTION\nA                   x<y\n\n');
  });

  it('an empty outline prints nothing', () => {
    const md = outlineMetadata({ name: '', description: '', args: [], secrets: [], ssh: [] }, new Uint8Array());
    expect(text(md['result.txt'])).toBe('');
  });

  it('an unnamed described target is "(default)"', () => {
    const md = outlineMetadata({ name: '', description: 'd', args: [], secrets: [], ssh: [] }, new Uint8Array());
    expect(text(md['result.txt'])).toBe('TARGET:      (default)\nDESCRIPTION: d\n\n');
  });
});

describe('targetsMetadata', () => {
  it('marks the default target; an unnamed default is "(default)"', () => {
    const md = targetsMetadata(
      [
        { name: 'build', isDefault: false, description: 'builds things', base: '${BASE}', platform: '', range: at(7) },
        { name: '', isDefault: false, description: '', base: 'a', platform: '$P', range: at(9) },
        { name: 'final', isDefault: true, description: '', base: 'build', platform: '', range: at(13) },
      ],
      new Uint8Array(),
    );
    expect(text(md['result.txt'])).toBe('TARGET          DESCRIPTION\nbuild           builds things\n                \nfinal (default) \n');
    const json = JSON.parse(text(md['result.json'])) as { targets: object[]; sources: string[] };
    expect(json.targets[1]).toEqual({ base: 'a', platform: '$P', location: { ranges: [{ start: { line: 9 }, end: { line: 9 } }] } });
    expect(Object.keys(json.targets[2] ?? {})).toEqual(['name', 'default', 'base', 'location']);
    expect(json.sources).toEqual(['']);
  });
});

describe('describeMetadata', () => {
  it('lists outline, targets and describe as BuildKit does', () => {
    const md = describeMetadata();
    expect(text(md['result.txt'])).toBe(
      'NAME                 VERSION DESCRIPTION\n' +
        'outline              1.0.0   List all parameters current build target supports\n' +
        'targets              1.0.0   List all targets current build supports\n' +
        'subrequests.describe 1.0.0   List available subrequest types\n',
    );
    const json = JSON.parse(text(md['result.json'])) as Record<string, unknown>[];
    expect(json.map((r) => [r['name'], r['opts'], r['inputs'], r['refs']])).toEqual([
      ['frontend.outline', [{ name: 'target', description: 'Target build stage' }], null, null],
      ['frontend.targets', [], null, null],
      ['frontend.subrequests.describe', null, null, null],
    ]);
  });
});

describe('goMarshalIndent', () => {
  it('escapes as Go does', () => {
    expect(goMarshalIndent({ s: '<a&b>\b\f\n\u2028\\b' })).toBe('{\n  "s": "\\u003ca\\u0026b\\u003e\\u0008\\u000c\\n\\u2028\\\\b"\n}');
  });
});
