// Paths outside the test tree: the repository root and the shared folder beside it
// (`../shared`, with fixtures/sbom/... — see ../shared/design.md "Fixtures").
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is test/helpers/shared-fixture.ts). */
export const repoRoot: string = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `../shared` relative to the repository root; GOSH_SHARED_DIR overrides it. */
export const sharedDir: string = process.env['GOSH_SHARED_DIR'] ?? resolve(repoRoot, '..', 'shared');

/**
 * Absolute path of a file or directory under ../shared, e.g. `sharedFixture('fixtures/sbom/spdx')`.
 * Throws, never skips, when it is missing: a test that silently loses its input proves nothing.
 */
export function sharedFixture(relPath: string): string {
  if (!existsSync(sharedDir)) {
    throw new Error(
      `shared folder not found: ${sharedDir} (expected ../shared beside the repository; set GOSH_SHARED_DIR to override)`,
    );
  }
  const path = resolve(sharedDir, relPath);
  if (path !== sharedDir && !path.startsWith(`${sharedDir}/`)) {
    throw new Error(`shared fixture path escapes ${sharedDir}: ${relPath}`);
  }
  if (!existsSync(path)) {
    throw new Error(`shared fixture missing: ${path} (from sharedFixture(${JSON.stringify(relPath)}))`);
  }
  return path;
}
