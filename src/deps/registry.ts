// The dependency plugins, in the order their mounts are added to a RUN step.
import { cargoPlugin } from './cargo/plugin.js';
import { npmPlugin } from './npm/plugin.js';
import type { DependencyPlugin } from './plugin.js';
import type { PackageType } from '../lock/model.js';

export const DEPENDENCY_PLUGINS: readonly DependencyPlugin[] = [cargoPlugin, npmPlugin];

export function dependencyPlugin(id: PackageType): DependencyPlugin {
  const plugin = DEPENDENCY_PLUGINS.find((p) => p.id === id);
  if (plugin === undefined) throw new Error(`no dependency plugin for ${id}`);
  return plugin;
}
