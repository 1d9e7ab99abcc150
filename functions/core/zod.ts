/**
 * The project's zod: the tree-shakable `zod/mini` API, with English messages. Classic zod
 * cannot be tree-shaken by esbuild and brings every locale (~450 KB) into each Lambda;
 * mini costs a few tens of KB — as long as it is imported as a namespace and used by
 * property (`import * as z from '#core/zod.ts'`), never passed around as an object.
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';
