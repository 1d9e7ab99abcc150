/**
 * The project's zod: the tree-shakable `zod/mini` API, with English messages. Classic zod
 * cannot be tree-shaken by esbuild and brings every locale (~450 KB) into each Lambda;
 * mini costs ~35 KB. Import `z` from here, never from 'zod' directly.
 */
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

z.config(en());

export { z };
