// Lint rules and the import boundaries of ../shared/design.md: each src/ folder may import only
// the folders listed for it; pure layers may not log, touch the clock or randomness.
import tseslint from 'typescript-eslint';

const folders = ['core', 'config', 'dockerfile', 'lock', 'sbom', 'llb', 'deps', 'resolve', 'compile', 'gateway', 'frontend', 'cli', 'bin'];

/** folder -> folders it may import (besides itself) */
const allowed = {
  core: [],
  config: ['core'],
  dockerfile: ['core'],
  lock: ['core'],
  sbom: ['core', 'lock'],
  llb: ['core'],
  deps: ['core', 'lock', 'llb'],
  resolve: ['core', 'dockerfile', 'lock'],
  compile: ['core', 'config', 'dockerfile', 'lock', 'llb', 'deps', 'resolve'],
  gateway: ['core', 'llb'],
  frontend: ['core', 'config', 'dockerfile', 'lock', 'sbom', 'llb', 'deps', 'resolve', 'compile', 'gateway'],
  cli: ['core', 'config', 'dockerfile', 'lock', 'sbom', 'llb', 'deps', 'resolve', 'compile'],
  bin: ['core', 'config', 'frontend', 'cli', 'gateway'],
};

/** packages a folder may not import */
const bannedPackages = {
  core: ['pino', '@grpc/grpc-js', 'protobufjs', 'dockerfile-ast', 'yaml'],
  config: ['pino', '@grpc/grpc-js', 'protobufjs', 'dockerfile-ast'],
  dockerfile: ['pino', '@grpc/grpc-js', 'protobufjs', 'node:fs', 'node:fs/promises'],
  lock: ['pino', '@grpc/grpc-js', 'protobufjs', 'dockerfile-ast', 'node:fs', 'node:fs/promises'],
  sbom: ['pino', '@grpc/grpc-js', 'protobufjs', 'dockerfile-ast', 'node:fs', 'node:fs/promises'],
  llb: ['pino', '@grpc/grpc-js', 'dockerfile-ast', 'node:fs/promises'],
  deps: ['pino', '@grpc/grpc-js', 'protobufjs', 'dockerfile-ast', 'node:fs', 'node:fs/promises'],
  resolve: ['pino', '@grpc/grpc-js', 'protobufjs', 'dockerfile-ast', 'node:fs', 'node:fs/promises'],
  compile: ['pino', '@grpc/grpc-js', 'protobufjs', 'dockerfile-ast', 'node:fs', 'node:fs/promises', 'node:process'],
  gateway: ['dockerfile-ast'],
};

const pure = ['core', 'config', 'dockerfile', 'lock', 'sbom', 'llb', 'deps', 'resolve', 'compile'];

function boundary(folder) {
  const forbidden = folders.filter((f) => f !== folder && !allowed[folder].includes(f));
  const patterns = forbidden.map((f) => ({
    group: [`../${f}/*`, `../../${f}/*`, `../${f}`, `../../${f}`],
    message: `src/${folder} may not import src/${f} (see ../shared/design.md boundaries)`,
  }));
  patterns.push({ group: ['../log.js', '../../log.js'], message: 'only gateway, frontend, cli and bin log' });
  if (folder === 'gateway' || folder === 'frontend' || folder === 'cli' || folder === 'bin') patterns.pop();
  const paths = (bannedPackages[folder] ?? []).map((name) => ({ name, message: `not in src/${folder}` }));
  return {
    files: [`src/${folder}/**/*.ts`],
    rules: { 'no-restricted-imports': ['error', { patterns, paths }] },
  };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.tmp/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
    },
  },
  ...folders.map(boundary),
  {
    files: pure.map((f) => `src/${f}/**/*.ts`),
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'no clocks in pure layers' },
        { object: 'Math', property: 'random', message: 'no randomness in pure layers' },
        { object: 'crypto', property: 'randomUUID', message: 'no randomness in pure layers' },
        { object: 'String', property: 'localeCompare', message: 'locale-dependent order' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'no clocks in pure layers' },
        { selector: "CallExpression[callee.property.name='localeCompare']", message: 'use compareCodeUnits/compareUtf8' },
      ],
    },
  },
  {
    // the CLI prints to stdout on purpose; the frontend never may
    files: ['src/cli/**/*.ts', 'src/bin/gosh.ts', 'bench/**/*.ts', 'test/**/*.ts', 'scripts/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'vitest.config.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
