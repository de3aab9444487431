import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { spawnGreenlight } from "../../kit/process.js";

const token = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ_abc";

async function startWith(env: Record<string, string>) {
  const process = spawnGreenlight(env);
  const code = await process.exited;
  return { code, output: process.output().trim() };
}

describe("startup with bad configuration", () => {
  it("exits non-zero with one line naming the variable, without a stack or the value", async () => {
    const { code, output } = await startWith({ BOT_TOKEN: token, OPERATOR_IDS: "alice" });
    expect(code).toBe(2);
    expect(output.split("\n")).toHaveLength(1);
    expect(output).toMatch(/^greenlight: configuration error: OPERATOR_IDS: /);
  });

  it("names the field of the instances file at fault", async () => {
    const file = join(tmpdir(), `instances-${process.pid}.json`);
    const secret = "s3cr3t-token-value-that-must-not-leak";
    writeFileSync(
      file,
      JSON.stringify([{ name: "shop", idInstance: "abc", apiTokenInstance: secret }]),
    );
    const { code, output } = await startWith({
      BOT_TOKEN: token,
      OPERATOR_IDS: "1",
      INSTANCES_FILE: file,
    });
    expect(code).toBe(2);
    expect(output).toBe(
      `greenlight: configuration error: ${file}: [0].idInstance (instance "shop"): must be the numeric idInstance from the GREEN-API console`,
    );
    expect(output).not.toContain(secret);
  });

  it("says how to fix a missing instances file", async () => {
    const { code, output } = await startWith({
      BOT_TOKEN: token,
      OPERATOR_IDS: "1",
      INSTANCES_FILE: "/nonexistent/instances.json",
    });
    expect(code).toBe(2);
    expect(output).toContain("INSTANCES_FILE: cannot read /nonexistent/instances.json (ENOENT)");
    expect(output).toContain("instances.example.json");
  });
});
