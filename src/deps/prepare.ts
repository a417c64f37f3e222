// From the manifests read out of the context to what compile/ needs: the dependency sets (for
// the lock and the SBOM) and, per stage, the read-only mounts its RUN steps get. A stage gets the
// packages of every manifest that names it (or, when a manifest names no stages, of every
// manifest whose tool its RUN steps call), assembled once per plugin and combination.
import type { SourceFile } from '../core/source.js';
import type { ManifestUse, PackageUse, Consumer, LockManifest, LockPackage } from '../lock/model.js';
import type { DependencyMount, DependencySet, DependencySpec } from './plugin.js';
import { DEPENDENCY_PLUGINS, dependencyPlugin } from './registry.js';
import type { PackageType } from '../lock/model.js';

/** A manifest as read from the build context; `file.name` is its context-relative path. */
export interface ManifestInput {
  readonly plugin: PackageType;
  readonly spec: DependencySpec;
  readonly file: SourceFile;
  readonly bytes: Uint8Array;
}

/** What compile/ asks about a stage. */
export interface StageRef {
  /** the `AS` name as written, absent for an unnamed stage */
  readonly name?: string;
  readonly index: number;
  /** the text of the stage's RUN instructions */
  readonly runCommands: readonly string[];
}

export interface PreparedDependencies {
  readonly sets: readonly DependencySet[];
  /** the mounts for every RUN step of a stage, in plugin order; none when nothing applies */
  mountsForStage(stage: StageRef): readonly DependencyMount[];
}

function toolPattern(tool: string): RegExp {
  return new RegExp(`(^|[^A-Za-z0-9_.-])${tool.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9_-])`);
}

/** Stage names compare like the Dockerfile's: case-insensitively; a number names a stage by index. */
function namesStage(spec: DependencySpec, stage: StageRef): boolean {
  return (spec.stages ?? []).some((s) => s.toLowerCase() === stage.name?.toLowerCase() || s === String(stage.index));
}

/**
 * Reads every manifest with its plugin.
 * @throws GoshError located at the manifests' lines
 */
export function readDependencySets(inputs: readonly ManifestInput[]): DependencySet[] {
  return inputs.map((input) => dependencyPlugin(input.plugin).read(input.spec, input.file, input.bytes));
}

/** Reads every manifest and assembles the mounts from them (the checksums the manifests hold). */
export function prepareDependencies(inputs: readonly ManifestInput[]): PreparedDependencies {
  return dependencyMounts(readDependencySets(inputs));
}

/** The sets, and the mounts of a stage assembled from them once per plugin and combination. */
export function dependencyMounts(sets: readonly DependencySet[]): PreparedDependencies {
  const assembled = new Map<string, DependencyMount>();
  return {
    sets,
    mountsForStage(stage: StageRef): readonly DependencyMount[] {
      const mounts: DependencyMount[] = [];
      for (const plugin of DEPENDENCY_PLUGINS) {
        const runsTool = stage.runCommands.some((c) => toolPattern(plugin.tool).test(c));
        const chosen = sets
          .map((set, i) => ({ set, i }))
          .filter(({ set }) => set.plugin === plugin.id && (set.spec.stages !== undefined ? namesStage(set.spec, stage) : runsTool));
        if (chosen.length === 0) continue;
        const key = `${plugin.id}:${chosen.map((c) => c.i).join(',')}`;
        let mount = assembled.get(key);
        if (mount === undefined) {
          mount = plugin.assemble(chosen.map((c) => c.set));
          assembled.set(key, mount);
        }
        mounts.push(mount);
      }
      return mounts;
    },
  };
}

/** The lock entries of the sets: each package and manifest once, first listing wins. */
export function dependencyLockEntries(sets: readonly DependencySet[]): { packages: LockPackage[]; manifests: LockManifest[] } {
  const packages = new Map<string, LockPackage>();
  const manifests = new Map<string, LockManifest>();
  for (const set of sets) {
    if (!manifests.has(set.manifest.path)) manifests.set(set.manifest.path, set.manifest);
    for (const pkg of set.packages) if (!packages.has(pkg.purl)) packages.set(pkg.purl, pkg);
  }
  return { packages: [...packages.values()], manifests: [...manifests.values()] };
}

/** What a consumer's build uses: every package and manifest of the sets. */
export function dependencyFacts(sets: readonly DependencySet[], consumer: Consumer): { packages: PackageUse[]; manifests: ManifestUse[] } {
  const { packages, manifests } = dependencyLockEntries(sets);
  return {
    packages: packages.map((p) => ({ consumer, purl: p.purl })),
    manifests: manifests.map((m) => ({ consumer, path: m.path })),
  };
}
