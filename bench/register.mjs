// `node --import ./bench/register.mjs bench/run.ts` (npm run bench): lets Node 20 run the bench's
// TypeScript with no extra dependency. The hooks in ts-hooks.mjs transpile each .ts file with the
// project's own `typescript` (types are checked by `npm run typecheck`, not here).
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
