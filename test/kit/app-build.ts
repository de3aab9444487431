// greenlight as an operator runs it: dist/, compiled from src/ as `npm start` compiles it first
// (prestart: tsc -p tsconfig.build.json). Built once per test run, by the first test file that
// needs it; the others wait for that build (test/setup/app-build.ts gives the run its folder).
// Before, every process compiled src through tsx on start: ~1.3 s of CPU each, ~25 per run.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { inject } from "vitest";
import type {} from "../setup/app-build.js"; // brings in the ProvidedContext declaration
import { eventually } from "./wait.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const DIST_MAIN = join(ROOT, "dist", "main.js");
const TSC = join(ROOT, "node_modules", "typescript", "bin", "tsc");
/** Far more than a full build takes on a loaded 2-core machine (~90 s at load 15). */
const BUILD_TIMEOUT_MS = 300_000;
/** tsc's exit codes: 0, or 2 when it reported type errors but still wrote every file. */
const EMITTED = new Set([0, 2]);

interface BuildResult {
  code: number | null;
  output: string;
}

function compile(): Promise<BuildResult> {
  return new Promise((resolve) => {
    let output = "";
    const child = spawn(process.execPath, [TSC, "-p", "tsconfig.build.json"], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const collect = (chunk: Buffer) => (output += chunk.toString());
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    const timer = setTimeout(() => {
      output += `\nstopped after ${BUILD_TIMEOUT_MS / 1000} s`;
      child.kill("SIGKILL");
    }, BUILD_TIMEOUT_MS);
    const done = (code: number | null) => {
      clearTimeout(timer);
      resolve({ code, output: output.slice(-4_000) });
    };
    child.on("exit", done);
    child.on("error", (error) => {
      output += `\n${error.message}`;
      done(null);
    });
  });
}

async function buildOnce(): Promise<string> {
  const dir = inject("appBuildDir");
  const result = join(dir, "result.json");
  let built: BuildResult;
  try {
    // mkdir is atomic: exactly one test file of the run compiles, the others read its result.
    mkdirSync(join(dir, "compiling"));
    built = await compile();
    writeFileSync(result, JSON.stringify(built));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    await eventually(() => existsSync(result), "the build of src/ into dist/", BUILD_TIMEOUT_MS);
    built = JSON.parse(readFileSync(result, "utf8")) as BuildResult;
  }
  if (built.code === null || !EMITTED.has(built.code))
    throw new Error(`tsc -p tsconfig.build.json failed (exit ${built.code}):\n${built.output}`);
  // tsc's incremental build trusts dist/.tsbuildinfo, not the files next to it.
  if (!existsSync(DIST_MAIN))
    throw new Error(
      `${DIST_MAIN} is missing after the build: delete dist/ and run the tests again`,
    );
  return DIST_MAIN;
}

let building: Promise<string> | undefined;

/** The path of dist/main.js, built from the current src/ during this run. */
export function builtApp(): Promise<string> {
  building ??= buildOnce();
  return building;
}
