import { readFileSync, existsSync, statSync } from 'node:fs';
import { join, relative, resolve, isAbsolute } from 'node:path';
import { fail } from '../core/errors.js';
import type { SourceFile } from '../core/source.js';
import { parseDockerignore } from '../config/dockerignore.js';

/** The files of a build context the compiler reads, loaded from a local directory. */
export interface LocalContext {
  readonly dir: string;
  readonly dockerfile: SourceFile;
  readonly excludePatterns: readonly string[];
}

/**
 * Reads the Dockerfile (`filename` relative to the context) and its ignore file:
 * `<Dockerfile>.dockerignore` wins over `.dockerignore`, as in BuildKit.
 */
export function readLocalContext(dir: string, filename: string): LocalContext {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) fail('CLI_USAGE', `context directory ${dir} does not exist`);
  const dockerfilePath = isAbsolute(filename) ? filename : join(root, filename);
  if (!existsSync(dockerfilePath)) fail('DOCKERFILE_NOT_FOUND', `failed to read ${filename}: no such file in ${dir}`);
  const name = isAbsolute(filename) ? relative(root, filename) : filename;
  const text = readFileSync(dockerfilePath, 'utf8');
  const specific = `${dockerfilePath}.dockerignore`;
  const generic = join(root, '.dockerignore');
  const ignorePath = existsSync(specific) ? specific : existsSync(generic) ? generic : undefined;
  const excludePatterns = ignorePath !== undefined ? parseDockerignore(readFileSync(ignorePath, 'utf8')) : [];
  return { dir: root, dockerfile: { name: name.split('/').pop() ?? name, text }, excludePatterns };
}
