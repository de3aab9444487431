// vitest globalSetup: a folder for this run's build of src/ (test/kit/app-build.ts builds into
// dist/ the first time a test starts greenlight as a process, and leaves its result here for the
// other test files of the run). Removed at the end of the run.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    appBuildDir: string;
  }
}

// Every project of vitest.config.ts runs the globalSetup files: one folder per run, not one each.
const shared = globalThis as { greenlightAppBuildDir?: string };

export default function setup(project: TestProject): () => void {
  const owner = shared.greenlightAppBuildDir === undefined;
  shared.greenlightAppBuildDir ??= mkdtempSync(join(tmpdir(), "greenlight-build-"));
  const dir = shared.greenlightAppBuildDir;
  project.provide("appBuildDir", dir);
  return () => {
    if (!owner) return;
    rmSync(dir, { recursive: true, force: true });
    shared.greenlightAppBuildDir = undefined;
  };
}
