import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { FakeAppEndpoint } from "../fakes/fake-app-endpoint.js";
import { type Harness, SHOP, startHarness } from "../kit/app-harness.js";
import { type BotProcess, spawnGreenlight } from "../kit/process.js";
import { documentedInstanceToken } from "../kit/webhook-token.js";
import { eventually } from "../kit/wait.js";
import { relayedMessage, relayedNumberOf } from "../fakes/green-api-notifications.js";

const WEBHOOK_SECRET = "webhook-secret-0123456789abcdef";
const COUNT = 60;

/** A port free now, so that a restarted greenlight listens where GREEN-API already sends. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("webhook relay: kill -9 mid-stream, then a restart", () => {
  let h: Harness;
  let app: FakeAppEndpoint;
  const processes: BotProcess[] = [];
  afterEach(async () => {
    for (const p of processes.splice(0)) {
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGKILL");
    }
    await h.close();
    await app.stop();
  });

  async function spawn(env: Record<string, string>): Promise<BotProcess> {
    const p = spawnGreenlight({ ...env, LOG_LEVEL: "info" });
    processes.push(p);
    await eventually(() => p.output().includes("greenlight is running"), "greenlight up", 30_000);
    return p;
  }

  it(
    "every notification GREEN-API got a 200 for reaches the application, in order (a repeat keeps its delivery id)",
    { timeout: 60_000 },
    async () => {
      // An application slow enough that a backlog is waiting in Redis when the process dies.
      app = new FakeAppEndpoint({ delayMs: 25 });
      const appUrl = await app.start();
      const port = await freePort();
      h = await startHarness({ start: false, instances: [SHOP] });
      const env = {
        ...h.env,
        HTTP_PORT: String(port),
        HTTP_HOST: "127.0.0.1",
        WEBHOOK_SECRET,
        WEBHOOK_FORWARD_URL: appUrl,
        // The dead process's lease lapses FORWARD_TIMEOUT_MS + 3 s after its last forward.
        FORWARD_TIMEOUT_MS: "1000",
      };
      const first = await spawn(env);
      h.greenApi.setWebhook({
        url: `http://127.0.0.1:${port}/green-api/webhook`,
        token: documentedInstanceToken(h.env.BOT_TOKEN as string, WEBHOOK_SECRET, SHOP.idInstance),
        retryMs: 100,
      });
      const sent = Array.from({ length: COUNT }, (_, i) => relayedMessage(SHOP.idInstance, i + 1));
      for (const body of sent) h.greenApi.sendWebhook(SHOP.idInstance, body);
      await eventually(() => app.delivered.length >= 10, "the stream under way");
      first.child.kill("SIGKILL");
      await first.exited;
      const deliveredBeforeRestart = app.delivered.length;
      expect(deliveredBeforeRestart).toBeLessThan(COUNT);

      await spawn(env);
      expect(await h.greenApi.webhooks.idle(30_000)).toBe(true);
      await eventually(
        () => new Set(app.delivered.map((r) => r.deliveryId)).size === COUNT,
        `all ${COUNT} delivered`,
        30_000,
      );
      // At least once: a notification forwarded just before the kill may come again, with the
      // same delivery id; the first of each id, in order, is exactly what GREEN-API sent.
      const firstOfEach = new Map<string, Buffer>();
      for (const r of app.delivered) {
        if (r.deliveryId && !firstOfEach.has(r.deliveryId)) firstOfEach.set(r.deliveryId, r.body);
      }
      const bodies = [...firstOfEach.values()];
      expect(bodies.map(relayedNumberOf)).toEqual(sent.map((_, i) => i + 1));
      expect(bodies.map((b) => b.toString("utf8"))).toEqual(sent);
      expect(app.delivered.length - COUNT).toBeLessThanOrEqual(2);
      // GREEN-API's sends that hit the dead process were sent again: expected here.
      h.greenApi.webhooks.refusals = 0;
      h.greenApi.webhooks.redeliveries = 0;
    },
  );
});
