import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GoshError, formatDiagnostic } from '../../../src/core/errors.js';
import { parseCargoLock } from '../../../src/deps/cargo/cargo-lock.js';
import { parseLockToml } from '../../../src/deps/cargo/lock-toml.js';
import { repoRoot } from '../../helpers/shared-fixture.js';

const SMALL = readFileSync(join(repoRoot, 'test/fixtures/cargo/locks/small-v4.lock'), 'utf8');
const CRATES_IO = 'registry+https://github.com/rust-lang/crates.io-index';

function errors(text: string): string[] {
  try {
    parseCargoLock({ name: 'Cargo.lock', text });
  } catch (e) {
    if (e instanceof GoshError) return e.diagnostics.map(formatDiagnostic);
    throw e;
  }
  throw new Error('expected an error');
}

describe('parseLockToml', () => {
  it('reads sections, strings, integers, arrays and the lines they start on', () => {
    const sections = parseLockToml({
      name: 'Cargo.lock',
      text: '# c\nversion = 3\n\n[[package]]\nname = "a"  # trailing\nlist = [\n "x",\n \'y\', # c\n]\nflag = true\n\n[metadata]\n"checksum a" = "\\u0041\\n"\n',
    });
    expect(sections.map((s) => [s.path, s.arrayItem, s.line, s.endLine])).toEqual([
      ['', false, 1, 2],
      ['package', true, 4, 10],
      ['metadata', false, 12, 13],
    ]);
    const pkg = sections[1]?.entries;
    expect(pkg?.get('name')).toEqual({ value: 'a', line: 5 });
    expect(pkg?.get('list')).toEqual({ value: ['x', 'y'], line: 6 });
    expect(pkg?.get('flag')?.value).toBe(true);
    expect(sections[2]?.entries.get('checksum a')?.value).toBe('A\n');
    expect(sections[0]?.entries.get('version')?.value).toBe(3);
  });

  it.each([
    ['version = 3\nname = "a\n', 'Cargo.lock:2: unterminated string'],
    ['[[package]\n', 'Cargo.lock:1: expected "]]" after the header package'],
    ['a = 1\na = 2\n', 'Cargo.lock:2: key a is defined twice'],
    ['a = {x = 1}\n', 'Cargo.lock:1: unsupported value "{x = 1}" (a Cargo.lock has strings, integers and arrays)'],
    ['a = [\n"x"\n', 'Cargo.lock:1: unterminated array'],
    ['a = "x" b\n', 'Cargo.lock:1: unexpected "b" after a value'],
    ['[metadata]\n[metadata]\n', 'Cargo.lock:2: table [metadata] is defined twice'],
    ['a = """x"""\n', 'Cargo.lock:1: multi-line strings do not occur in a Cargo.lock'],
  ])('refuses %j', (text, message) => {
    expect(errors(text)).toEqual([message]);
  });
});

describe('parseCargoLock', () => {
  it('reads a v4 lock with its package ranges', () => {
    const lock = parseCargoLock({ name: 'Cargo.lock', text: SMALL });
    expect(lock.version).toBe(4);
    expect(lock.packages.map((p) => `${p.name} ${p.version} ${p.source === undefined ? 'path' : 'registry'} ${p.range.startLine}-${p.range.endLine}`)).toEqual([
      'app 0.1.0 path 5-11',
      'generic-array 0.14.7 registry 13-21',
      'hex 0.4.3 registry 23-27',
      'typenum 1.17.0 registry 29-33',
      'version_check 0.9.5 registry 35-39',
    ]);
    expect(lock.packages[1]?.dependencies).toEqual(['typenum', 'version_check']);
  });

  it('treats a lock without a version line as v2 (checksums inline)', () => {
    expect(parseCargoLock({ name: 'Cargo.lock', text: `[[package]]\nname = "a"\nversion = "1.0.0"\nsource = "${CRATES_IO}"\nchecksum = "${'a'.repeat(64)}"\n` }).version).toBe(2);
  });

  it('refuses v1 checksums in [metadata] with a hint', () => {
    expect(errors(`[[package]]\nname = "a"\nversion = "1.0.0"\nsource = "${CRATES_IO}"\n\n[metadata]\n"checksum a 1.0.0 (${CRATES_IO})" = "${'a'.repeat(64)}"\n`)).toEqual([
      'Cargo.lock:6: Cargo.lock version 1 keeps checksums in [metadata]; run `cargo update --workspace` with cargo 1.53 or newer to rewrite it',
    ]);
  });

  it('reports every problem of the file at its line', () => {
    expect(errors(`version = 9\nfoo = 1\n\n[[package]]\nname = "a"\nchecksum = "ABC"\nreplace = "b"\n\n[workspace]\n`)).toEqual([
      'Cargo.lock:1: Cargo.lock version 9 is not supported yet (expected 2, 3, 4)',
      'Cargo.lock:2: unknown top-level key "foo"',
      'Cargo.lock:4: a [[package]] needs a name and a version',
      'Cargo.lock:7: unknown key "replace" in [[package]]\n  note: expected one of: name, version, source, checksum, dependencies',
      'Cargo.lock:9: unexpected section [workspace]',
    ]);
  });

  it('accepts [[patch.unused]]', () => {
    expect(parseCargoLock({ name: 'Cargo.lock', text: 'version = 3\n\n[[patch.unused]]\nname = "x"\nversion = "1.0.0"\n' }).packages).toEqual([]);
  });
});
