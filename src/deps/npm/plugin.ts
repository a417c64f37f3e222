// The npm plugin: package-lock.json → tarballs → an npm cache `npm ci` reads offline.
import type { DependencyPlugin } from '../plugin.js';
import { assembleNpm, tarballSource } from './cache.js';
import { parsePackageLock } from './package-lock.js';
import { npmDependencySet } from './packages.js';

export const npmPlugin: DependencyPlugin = {
  id: 'npm',
  tool: 'npm',
  read: (spec, file, bytes) => npmDependencySet(spec, parsePackageLock(file), bytes),
  source: tarballSource,
  assemble: assembleNpm,
};
