// Gosh.yaml names stages (prepare.cargo[].stages, policy.network); a name the Dockerfile does not
// define would silently do nothing, so it is an error. Names compare like stage names do
// (case-insensitively); a number names a stage by index.
import { GoshError, diagnostic, type Diagnostic } from '../core/errors.js';
import type { Dockerfile } from '../dockerfile/instructions.js';
import type { CompileInput } from './compile.js';

const GOSH_YAML = 'Gosh.yaml';

function defines(dockerfile: Dockerfile, stage: string): boolean {
  if (/^[0-9]+$/.test(stage)) return Number(stage) < dockerfile.stages.length;
  return dockerfile.stages.some((s) => s.name?.toLowerCase() === stage.toLowerCase());
}

/** @throws GoshError GOSH_YAML_INVALID for every stage Gosh.yaml names that the Dockerfile lacks */
export function checkPolicyStages(input: CompileInput): void {
  const problems: Diagnostic[] = [];
  const missing = (key: string, stage: string): void => {
    problems.push(diagnostic('GOSH_YAML_INVALID', `${key}: stage ${JSON.stringify(stage)} is not defined in ${input.dockerfile.file.name}`, { file: GOSH_YAML }));
  };
  for (const [i, set] of (input.dependencies?.sets ?? []).entries()) {
    for (const stage of set.spec.stages ?? []) if (!defines(input.dockerfile, stage)) missing(`prepare.${set.plugin}[${i}].stages`, stage);
  }
  for (const stage of input.networkExceptions?.keys() ?? []) if (!defines(input.dockerfile, stage)) missing('policy.network', stage);
  if (problems.length > 0) throw new GoshError(problems);
}
