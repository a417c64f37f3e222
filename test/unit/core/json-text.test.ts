import { describe, expect, it } from 'vitest';
import { GoshError, formatDiagnostic } from '../../../src/core/errors.js';
import { displayPath, elementPath, memberPath, parseJsonText } from '../../../src/core/json-text.js';

const parse = (text: string) => parseJsonText({ name: 'sbom.spdx.json', text });

function failure(text: string): string {
  try {
    parse(text);
  } catch (e) {
    if (e instanceof GoshError) {
      expect(e.code).toBe('SBOM_INVALID');
      return formatDiagnostic(e.primary);
    }
    throw e;
  }
  throw new Error('parsed');
}

describe('parseJsonText', () => {
  it('parses what JSON.parse parses', () => {
    const text = '{"a": [1, -2.5e3, true, false, null, "x\\n\\u00e9\\ud83d\\ude00"], "b": {}, "c": []}';
    expect(parse(text).value).toEqual(JSON.parse(text));
  });

  it('records the line and column of every member key and array element', () => {
    const { positions } = parse('{\n  "packages": [\n    {\n      "SPDXID": "x"\n    }\n  ]\n}\n');
    expect(positions.get('')).toEqual({ line: 1, column: 1 });
    expect(positions.get('packages')).toEqual({ line: 2, column: 3 });
    expect(positions.get('packages[0]')).toEqual({ line: 3, column: 5 });
    expect(positions.get('packages[0].SPDXID')).toEqual({ line: 4, column: 7 });
  });

  it('keeps "__proto__" as data', () => {
    const { value } = parse('{"__proto__": {"polluted": true}}');
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value as object)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it.each([
    ['{"a": 1,}', 'sbom.spdx.json:1: invalid JSON: expected a string key (column 9)'],
    ['{\n  "a": 1,\n  "a": 2\n}', 'sbom.spdx.json:3: invalid JSON: duplicate key "a" in $ (column 3)'],
    ['{"a": {"b": 1, "b": 1}}', 'sbom.spdx.json:1: invalid JSON: duplicate key "b" in a (column 16)'],
    ['\ufeff{}', 'sbom.spdx.json:1: invalid JSON: byte-order mark at the start of the file (column 1)'],
    ['{"a": "x\ny"}', 'sbom.spdx.json:1: invalid JSON: control character in string (escape it) (column 9)'],
    ['{"a": "\\x"}', 'sbom.spdx.json:1: invalid JSON: bad escape \\x (column 8)'],
    ['{"a": 01}', 'sbom.spdx.json:1: invalid JSON: expected "," or "}" (column 8)'],
    ['{"a": NaN}', 'sbom.spdx.json:1: invalid JSON: unexpected character "N" (column 7)'],
    ['{} {}', 'sbom.spdx.json:1: invalid JSON: unexpected data after the JSON value (column 4)'],
    ['[1, 2', 'sbom.spdx.json:1: invalid JSON: expected "," or "]" (column 6)'],
    ['', 'sbom.spdx.json:1: invalid JSON: unexpected end of input (column 1)'],
    ['{"a": "abc', 'sbom.spdx.json:1: invalid JSON: unterminated string (column 11)'],
  ])('rejects %j', (text, message) => {
    expect(failure(text)).toBe(message);
  });
});

describe('JSON paths', () => {
  it('uses dots for identifiers and brackets otherwise', () => {
    expect(memberPath('', 'packages')).toBe('packages');
    expect(memberPath(elementPath('packages', 3), 'checksums')).toBe('packages[3].checksums');
    expect(memberPath('artifact.annotations', 'org.opencontainers.image.title')).toBe('artifact.annotations["org.opencontainers.image.title"]');
    expect(displayPath('')).toBe('$');
  });
});
