// docs/errors.md is the one place every error code is described. This keeps it in step with the
// code: the codes of GoshErrorCode (read from src/core/errors.ts), the codes src/ raises (their
// string literals outside that declaration) and the catalog's headings must be the same set.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../helpers/shared-fixture.js';

const ERRORS_TS = join(repoRoot, 'src/core/errors.ts');
const CATALOG = join(repoRoot, 'docs/errors.md');

/** The members of `export type GoshErrorCode = | 'A' | 'B' …;`. */
function declaredCodes(source: string): string[] {
  const decl = /export type GoshErrorCode\s*=([^;]*);/.exec(source);
  if (decl === null) throw new Error('src/core/errors.ts: no GoshErrorCode union');
  return [...(decl[1] ?? '').matchAll(/'([A-Z][A-Z0-9_]*)'/g)].map((m) => m[1] as string);
}

/** `### \`CODE\`` headings, each with the text up to the next heading. */
function catalogSections(markdown: string): Map<string, string> {
  const sections = new Map<string, string>();
  const parts = markdown.split(/^### /m).slice(1);
  for (const part of parts) {
    const heading = /^`([A-Z][A-Z0-9_]*)`\s*$/m.exec(part.split('\n')[0] ?? '');
    if (heading === null) throw new Error(`docs/errors.md: heading "### ${part.split('\n')[0]}" is not a code in backquotes`);
    const code = heading[1] as string;
    if (sections.has(code)) throw new Error(`docs/errors.md: ${code} is listed twice`);
    sections.set(code, part.split(/^## /m)[0] ?? '');
  }
  return sections;
}

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'generated') out.push(...(await sourceFiles(path)));
    } else if (entry.name.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** Code literals in src/, except inside the GoshErrorCode declaration itself. */
async function raisedCodes(codes: readonly string[]): Promise<Map<string, string[]>> {
  const raised = new Map<string, string[]>();
  for (const file of await sourceFiles(join(repoRoot, 'src'))) {
    let text = await readFile(file, 'utf8');
    if (file === ERRORS_TS) text = text.replace(/export type GoshErrorCode\s*=[^;]*;/, '');
    for (const code of codes) {
      if (text.includes(`'${code}'`)) raised.set(code, [...(raised.get(code) ?? []), relative(repoRoot, file)]);
    }
  }
  return raised;
}

const declared = declaredCodes(await readFile(ERRORS_TS, 'utf8'));
const catalog = catalogSections(await readFile(CATALOG, 'utf8'));

describe('error catalog (docs/errors.md)', () => {
  it('reads the codes and the catalog', () => {
    expect(declared.length).toBeGreaterThan(20);
    expect(declared).toContain('DOCKERFILE_UNKNOWN_FLAG');
    expect(catalog.size).toBeGreaterThan(20);
  });

  it('lists every code of GoshErrorCode, and nothing else', () => {
    expect([...catalog.keys()].sort()).toEqual([...declared].sort());
  });

  it('describes each code with when it happens and an example message', () => {
    for (const [code, text] of catalog) {
      expect(text, code).toMatch(/^- \*\*When:\*\* \S/m);
      expect(text, code).toMatch(/^- \*\*Example:\*\* `[^`]+`/m);
    }
  });

  it('lists only codes that src/ raises', async () => {
    const raised = await raisedCodes(declared);
    const unused = declared.filter((c) => !raised.has(c));
    expect(unused, 'codes no file in src/ uses: remove them from GoshErrorCode and docs/errors.md').toEqual([]);
  });

  it('shows located Dockerfile examples with the file:line prefix', () => {
    const located = [...catalog.values()].flatMap((t) => [...t.matchAll(/`(Dockerfile:[^`]*)`/g)].map((m) => m[1] as string));
    expect(located.length).toBeGreaterThan(10);
    for (const example of located) expect(example).toMatch(/^Dockerfile:\d+: \S/);
  });
});
