// Lets plain Node 20 run this repository's TypeScript without a build, for the bench and for
// tests that need a child process: `node --import ./scripts/ts-loader/register.mjs file.ts`.
// Types are checked by `npm run typecheck`, not here.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
