import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { documentedInstanceToken } from "../../kit/webhook-token.js";

/**
 * `npm run webhook-tokens`: how an operator learns each instance's own webhookUrlToken (hole 1)
 * without greenlight ever sending it anywhere: printed to their terminal, one line per instance.
 */
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), "greenlight-tokens-"));
const SECRET = "webhook-secret-0123456789abcdef";
const file = join(dir, "instances.json");
writeFileSync(
  file,
  JSON.stringify([
    { name: "shop", idInstance: "1101000001", apiTokenInstance: "a".repeat(50) },
    { name: "support", idInstance: "1101000002", apiTokenInstance: "b".repeat(50) },
  ]),
);
const env = {
  PATH: process.env.PATH ?? "",
  BOT_TOKEN: "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ_abc",
  OPERATOR_IDS: "111",
  INSTANCES_FILE: file,
};
const cli = (extraEnv: Record<string, string>, args: string[] = []) =>
  run(process.execPath, ["--import", "tsx", "src/webhook-tokens.ts", ...args], {
    env: { ...env, ...extraEnv },
    cwd: new URL("../../..", import.meta.url).pathname,
  });

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("npm run webhook-tokens", () => {
  it("prints `name idInstance token` per instance, the token by the README's formula (keyed by BOT_TOKEN and WEBHOOK_SECRET)", async () => {
    const { stdout } = await cli({ WEBHOOK_SECRET: SECRET }, ["1109999999"]);
    const token = (id: string) => documentedInstanceToken(env.BOT_TOKEN, SECRET, id);
    expect(stdout.trim().split("\n")).toEqual([
      `shop 1101000001 ${token("1101000001")}`,
      `support 1101000002 ${token("1101000002")}`,
      `- 1109999999 ${token("1109999999")}`,
    ]);
  });

  it("says in one line that WEBHOOK_SECRET is needed, and prints nothing", async () => {
    const failed = await cli({}).catch(
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failed).toMatchObject({ code: 2, stdout: "" });
    expect((failed as { stderr: string }).stderr).toMatch(
      /^greenlight: WEBHOOK_SECRET: is not set/,
    );
  });
});
