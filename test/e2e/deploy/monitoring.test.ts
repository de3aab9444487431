// deploy/monitoring against the code: every metric the Grafana dashboard and the Prometheus rules
// name is one a running greenlight really exports (a renamed metric would leave a panel blank
// and an alert silent), and the fleet gauges say what the watcher saw.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { type Harness, SHOP, SUPPORT } from "../../kit/app-harness.js";
import { eventually } from "../../kit/wait.js";
import { httpUrl, startWatching } from "../alerts/kit.js";

const MONITORING = fileURLToPath(new URL("../../../deploy/monitoring", import.meta.url));
const HISTOGRAM_PARTS = /_(bucket|sum|count)$/;

/** Every greenlight_* name each file of deploy/monitoring uses. */
function namesUsed(): Map<string, string[]> {
  const used = new Map<string, string[]>();
  for (const file of readdirSync(MONITORING)) {
    const text = readFileSync(join(MONITORING, file), "utf8");
    for (const [name] of text.matchAll(/\bgreenlight_[a-z0-9_]+\b/g)) {
      used.set(name, [...new Set([...(used.get(name) ?? []), file])]);
    }
  }
  return used;
}

/** The metric families /metrics declares, and their types. */
function families(exposition: string): Map<string, string> {
  const types = new Map<string, string>();
  for (const [, name, type] of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    if (name && type) types.set(name, type);
  }
  return types;
}

function exported(name: string, types: ReadonlyMap<string, string>): boolean {
  if (types.has(name)) return true;
  const base = name.replace(HISTOGRAM_PARTS, "");
  return base !== name && types.get(base) === "histogram";
}

async function scrape(h: Harness): Promise<string> {
  const answer = await fetch(httpUrl(h, "/metrics"));
  expect(answer.status).toBe(200);
  return answer.text();
}

describe("deploy/monitoring uses only metrics greenlight exports", () => {
  let h: Harness;
  afterEach(async () => h.close());

  it("every metric in the dashboard, the rules and their tests is on /metrics; the fleet gauges count the fleet", async () => {
    h = await startWatching({ instances: [SHOP, SUPPORT] });
    const used = namesUsed();
    expect(used.size).toBeGreaterThan(10);
    for (const file of ["grafana-dashboard.json", "greenlight.rules.yml"]) {
      expect([...used.values()].some((files) => files.includes(file))).toBe(true);
    }

    // Shop stays authorized, support logs out: the fleet gauges follow the watcher.
    h.greenApi.instance(SUPPORT.idInstance).state = "notAuthorized";
    const text = await eventually(async () => {
      const body = await scrape(h);
      return /^greenlight_longest_outage_seconds [1-9]/m.test(body) ? body : undefined;
    }, "support's outage on /metrics");
    const types = families(text);
    const missing = [...used].filter(([name]) => !exported(name, types));
    expect(missing).toEqual([]);
    expect(text).toMatch(/^greenlight_instances 2$/m);
    expect(text).toMatch(/^greenlight_instances_up 1$/m);
    expect(text).toMatch(/^greenlight_instance_up 1$/m); // a count: no per-instance label by default
    expect(text).toMatch(/^greenlight_redis_up 1$/m);
    expect(text).toMatch(/^greenlight_instances_stuck 0$/m);
    expect(text).toMatch(/^greenlight_telegram_budget_per_second \d+$/m);
  });

  it("METRICS_INSTANCE_LABELS=1: greenlight_instance_up names each instance", async () => {
    h = await startWatching({ instances: [SHOP, SUPPORT], env: { METRICS_INSTANCE_LABELS: "1" } });
    h.greenApi.instance(SUPPORT.idInstance).state = "notAuthorized";
    // Up once checked authorized; 0 while logged out (and before its first check).
    await eventually(async () => {
      const body = await scrape(h);
      return (
        /^greenlight_instance_up\{instance="shop"\} 1$/m.test(body) &&
        /^greenlight_instance_up\{instance="support"\} 0$/m.test(body) &&
        /^greenlight_longest_outage_seconds [1-9]/m.test(body)
      );
    }, "shop up and support down, each in its own series");
  });
});
