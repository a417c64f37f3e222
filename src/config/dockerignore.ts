import { posix } from 'node:path';

/**
 * .dockerignore text → exclude patterns, as moby/patternmatcher's ignorefile.ReadAll reads it:
 * comments and blank lines dropped, whitespace trimmed, paths cleaned, a leading "/" removed,
 * "!" exceptions kept.
 */
export function parseDockerignore(text: string): string[] {
  const out: string[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (const raw of lines) {
    if (raw.startsWith('#')) continue;
    let line = raw.trim();
    if (line === '') continue;
    let invert = false;
    if (line.startsWith('!')) {
      invert = true;
      line = line.slice(1).trim();
    }
    if (line.length > 0) {
      line = posix.normalize(line);
      if (line.length > 1 && line.endsWith('/')) line = line.slice(0, -1);
      if (line !== '/' && line.startsWith('/')) line = line.replace(/^\/+/, '') || '/';
    }
    out.push(invert ? `!${line}` : line);
  }
  return out;
}
