import type { en } from "./en/index.js";

/** English defines the shape; every other language must fill all of it (see index.ts). */
export type Texts = typeof en;
