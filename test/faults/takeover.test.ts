// Takeover with the DEFAULT lease and BullMQ lock (SESSION_LOCK_MS unset): a live QR session whose
// worker died, or froze, goes on from another process on its own message within 20 s, and never
// has two pollers. The restart case is test/e2e/qr/crash-resume.test.ts.
import { afterEach, describe, expect, it } from "vitest";
import type { GreenApiCall } from "../fakes/fake-green-api.js";
import type { StoredMessage } from "../fakes/fake-telegram.js";
import {
  type Harness,
  OPERATOR,
  SHOP,
  startHarness,
  SUPPORT,
  type TestInstance,
} from "../kit/app-harness.js";
import { photoMessages, qrShownAt, waitForQr } from "../kit/chat.js";
import type { BotProcess } from "../kit/process.js";
import { connectionOwner } from "../kit/socket-owner.js";
import { pause } from "../kit/wait.js";
import { Cluster, sessionsRunBy } from "./cluster.js";

const INSTANCES = [SHOP, SUPPORT];
/** The promise: the next QR on the same message within this of the death. */
const TAKEOVER_BUDGET_MS = 20_000;

describe("takeover with the default lease: kill -9 and SIGSTOP of a worker, another one running", () => {
  let h: Harness;
  let cluster: Cluster;
  afterEach(async () => {
    cluster.killAll();
    await h.close();
  });

  /** A ROLE=all process with the sessions, and a ROLE=worker process that runs none yet. */
  async function setUp(): Promise<{
    holder: BotProcess;
    other: BotProcess;
    live: Map<TestInstance, StoredMessage>;
  }> {
    h = await startHarness({
      start: false,
      instances: INSTANCES,
      qrRotateMs: 3_600_000,
      // Every lease and lock setting at its default (an empty value is unset), polls every 1 s.
      // GREEN-API's timeout too: a loaded machine must not make a poller give up on its request
      // before the fake has put it down to its process.
      env: {
        SESSION_LOCK_MS: "",
        QR_POLL_INTERVAL_MS: "",
        QR_TIMEOUT_MS: "",
        GREEN_API_TIMEOUT_MS: "",
      },
    });
    cluster = new Cluster(h);
    // Each GREEN-API request is put down to the process that sent it, while it is in flight.
    const serverPort = Number(new URL(h.greenApi.apiUrl).port);
    h.greenApi.identifyCaller = (port) => {
      const pids = cluster.processes.flatMap((p) => (p.child.pid ? [p.child.pid] : []));
      const pid = connectionOwner(port, serverPort, pids);
      return pid === undefined ? undefined : String(pid);
    };
    const holder = await cluster.spawn("all");
    const live = new Map<TestInstance, StoredMessage>();
    for (const instance of INSTANCES) {
      h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: `/qr ${instance.name}` });
      const payload = h.greenApi.instance(instance.idInstance).currentQrPayload();
      live.set(instance, await waitForQr(h, payload, OPERATOR, 20_000));
    }
    expect([...sessionsRunBy(holder)].sort()).toEqual(INSTANCES.map((i) => i.name).sort());
    const other = await cluster.spawn("worker");
    return { holder, other, live };
  }

  /** Rotates every instance's QR, and waits for each new one on the session's own message. */
  async function nextQrsShown(
    live: Map<TestInstance, StoredMessage>,
    since: number,
  ): Promise<Record<string, number | undefined>> {
    const next = new Map(
      INSTANCES.map((i) => [i, h.greenApi.instance(i.idInstance).rotateQr()] as const),
    );
    const figures: Record<string, number | undefined> = {};
    for (const [instance, message] of live) {
      const payload = next.get(instance) as string;
      const left = Math.max(1, TAKEOVER_BUDGET_MS - (Date.now() - since));
      const shown = await waitForQr(h, payload, OPERATOR, left);
      expect(shown.messageId, `${instance.name} on its own message`).toBe(message.messageId);
      const at = await qrShownAt(shown, payload);
      figures[instance.name] = at && at - since;
    }
    return figures;
  }

  /**
   * The instance's qr calls, each put down to a process: two calls from different processes are
   * never within one second of each other (two pollers at once would be, every second).
   */
  function expectOnePollerAtATime(instance: TestInstance): GreenApiCall[] {
    // The QR source's requests: qr polls and, with QR_SOURCE=auto (the default), socket opens.
    const calls = [
      ...h.greenApi.callsOf("qr", instance.idInstance),
      ...h.greenApi.callsOf("scanqrcode", instance.idInstance),
    ].sort((a, b) => a.at - b.at);
    expect(
      calls.filter((c) => c.caller === undefined),
      "every qr call traced to a process",
    ).toEqual([]);
    for (const [i, call] of calls.entries()) {
      const before = calls[i - 1];
      if (before && before.caller !== call.caller)
        expect(
          call.at - before.at,
          `${instance.name}: pid ${before.caller} then pid ${call.caller}`,
        ).toBeGreaterThanOrEqual(1_000);
    }
    return calls;
  }

  it("kill -9 of the worker running the sessions: the next QRs are on their messages within 20 s, from the other worker", async () => {
    const { holder, other, live } = await setUp();

    holder.child.kill("SIGKILL");
    const killedAt = Date.now();
    await holder.exited;
    const figures = await nextQrsShown(live, killedAt);
    console.log(
      `kill -9, second worker running, default settings: next QR after (ms) ${JSON.stringify(figures)}`,
    );

    expect([...sessionsRunBy(other)].sort()).toEqual(INSTANCES.map((i) => i.name).sort());
    expect(photoMessages(h)).toHaveLength(INSTANCES.length);
    expect(h.telegram.callsOf("sendPhoto")).toHaveLength(INSTANCES.length);
    for (const instance of INSTANCES) {
      const callers = new Set(expectOnePollerAtATime(instance).map((c) => c.caller));
      expect(callers).toEqual(new Set([String(holder.child.pid), String(other.child.pid)]));
    }
  }, 90_000);

  it("a worker frozen past its lease (SIGSTOP), then woken: its successor polls, it never polls beside it", async () => {
    const { holder, other, live } = await setUp();

    holder.child.kill("SIGSTOP");
    const frozenAt = Date.now();
    const figures = await nextQrsShown(live, frozenAt);
    console.log(
      `SIGSTOP, second worker running, default settings: next QR after (ms) ${JSON.stringify(figures)}`,
    );
    expect([...sessionsRunBy(other)].sort()).toEqual(INSTANCES.map((i) => i.name).sort());

    holder.child.kill("SIGCONT");
    const wokenAt = Date.now();
    // A few of its ticks, timers and lock renewals: all of them find their lease gone.
    await pause(5_000);
    await nextQrsShown(live, Date.now());

    for (const instance of INSTANCES) {
      const calls = expectOnePollerAtATime(instance);
      const woken = calls.filter((c) => c.at >= wokenAt && c.caller === String(holder.child.pid));
      expect(woken, `${instance.name}: qr calls of the woken worker`).toEqual([]);
    }
    expect(photoMessages(h)).toHaveLength(INSTANCES.length);
    expect(h.telegram.callsOf("sendPhoto")).toHaveLength(INSTANCES.length);
    // Still alive and well: it stepped back rather than crashed.
    expect(holder.child.exitCode).toBeNull();
    expect(holder.output()).toContain("QR session lease lost");
  }, 90_000);
});
