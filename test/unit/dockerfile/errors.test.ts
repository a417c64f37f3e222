import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../../src/core/errors.js';
import {
  duplicateFlag,
  expansionFailed,
  invalidFlagValue,
  missingFlagValue,
  stageCycle,
  targetNotFound,
  unknownFlag,
  unknownInstruction,
} from '../../../src/dockerfile/errors.js';

const where = { file: 'Dockerfile', range: { startLine: 7, endLine: 7 } };

describe('dockerfile diagnostics catalog', () => {
  it('one message style with codes', () => {
    const cases = [
      [
        unknownFlag('copy', 'chmodd', ['chown', 'chmod'], where),
        'DOCKERFILE_UNKNOWN_FLAG',
        'Dockerfile:7: COPY: unknown flag --chmodd (did you mean --chmod?)',
      ],
      [duplicateFlag('copy', 'from', where), 'DOCKERFILE_INVALID_FLAG', 'Dockerfile:7: COPY: duplicate flag --from'],
      [
        missingFlagValue('run', 'mount', where),
        'DOCKERFILE_INVALID_FLAG',
        'Dockerfile:7: RUN: missing a value on flag --mount',
      ],
      [
        invalidFlagValue('run', 'network', 'invalid network mode "x"', where),
        'DOCKERFILE_INVALID_FLAG',
        'Dockerfile:7: RUN: --network: invalid network mode "x"',
      ],
      [
        unknownInstruction('COPPY', ['COPY', 'RUN'], where),
        'DOCKERFILE_UNKNOWN_INSTRUCTION',
        'Dockerfile:7: unknown instruction COPPY (did you mean COPY?)',
      ],
      [
        expansionFailed('${A?}', 'A: is not allowed to be unset', where),
        'DOCKERFILE_EXPANSION',
        'Dockerfile:7: failed to process "${A?}": A: is not allowed to be unset',
      ],
      [
        targetNotFound('biuld', ['build']),
        'DOCKERFILE_UNKNOWN_STAGE',
        'target stage "biuld" could not be found (did you mean build?)',
      ],
    ] as const;
    for (const [d, code, text] of cases) {
      expect(d.code).toBe(code);
      expect(formatDiagnostic(d)).toBe(text);
    }
  });

  it('a cycle carries the rest of the path as notes', () => {
    const d = stageCycle('a', where, [
      { message: 'then COPY uses stage a', file: 'Dockerfile', range: { startLine: 9, endLine: 9 } },
    ]);
    expect(formatDiagnostic(d)).toBe(
      'Dockerfile:7: circular dependency detected on stage a\n  note: Dockerfile:9: then COPY uses stage a',
    );
  });
});
