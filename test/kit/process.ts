import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { builtApp } from "./app-build.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
// Every file that starts processes waits here once for this run's build of src/.
const MAIN = await builtApp();

export interface BotProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Runs greenlight as a separate process, as an operator would run it: node dist/main.js. */
export function spawnGreenlight(env: Record<string, string>): BotProcess {
  let output = "";
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}
