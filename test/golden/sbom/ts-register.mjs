// Lets plain node run this repository's TypeScript (tests only): `node --import <this file>`.
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
