// Child-process side of the determinism test: renders one case and prints its outputs as JSON.
// Run as `node --import ./scripts/ts-loader/register.mjs test/golden/sbom/emit-case.ts <dir>`.
import { loadSbomCase, renderSbomCase } from './load-case.js';

const dir = process.argv[2];
if (dir === undefined) throw new Error('usage: emit-case.ts <case dir>');
process.stdout.write(JSON.stringify(renderSbomCase(loadSbomCase(dir))));
