// The Cargo plugin: Cargo.lock → crates → a vendor tree cargo reads with --offline.
import type { DependencyPlugin } from '../plugin.js';
import { parseCargoLock } from './cargo-lock.js';
import { cargoDependencySet } from './crates.js';
import { assembleCargo, crateSource } from './vendor.js';

export const cargoPlugin: DependencyPlugin = {
  id: 'cargo',
  tool: 'cargo',
  read: (spec, file, bytes) => cargoDependencySet(spec, parseCargoLock(file), bytes),
  source: crateSource,
  assemble: assembleCargo,
};
