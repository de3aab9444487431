// `npm run bench -- --relay`: the webhook relay (issue #23) in one worker process (the real app,
// ROLE=worker, HTTP on), GREEN-API's side played by this process: INSTANCES instances (1,000),
// RATE notifications/s (500) for DURATION seconds (60), each instance's notifications one after
// another as GREEN-API sends them (the next after the previous one's 200; a 503 is sent again
// after REDELIVER_MS, GREEN-API's minute shortened), to an application answering in 20 ms.
//  Phase 1: the application up. Prints the delay (GREEN-API's first send → the application's 2xx,
//    GREEN-API's own resends included) p50/p99/max, lost (answered 200, never delivered),
//    out-of-order and repeated deliveries, and posts GREEN-API got no answer to within 5 s.
//  Phase 2: the application down (503) for DOWN seconds (120) while the same load is sent for
//    min(DURATION, DOWN) s; then up. Prints the backlog at its peak, the time from recovery to
//    an empty backlog, lost and out-of-order counts.
// Flags: --duration=S --down=S --rate=N --instances=N.
import { Agent, request } from "node:http";
import { cpus } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { FakeAppEndpoint } from "../test/fakes/fake-app-endpoint.js";
import { documentedInstanceToken } from "../test/kit/webhook-token.js";
import { freePort, numberFlag, startFleet } from "./fleet-setup.js";
import { percentile } from "./stats.js";
import { buildBenchProcesses, startWorker, stopWorker, workerStats } from "./worker-process.js";

const SECRET = "bench-webhook-secret-0123456789";
const REDELIVER_MS = 1_000;
const TICK_MS = 20;

interface Ledger {
  /** Per instance: the sequence numbers GREEN-API got a 200 for, in order sent. */
  accepted: Map<string, number[]>;
  /** Per instance: the sequence numbers delivered, in arrival order (repeats included). */
  delivered: Map<string, number[]>;
  delays: number[];
  refused: number;
  failedPosts: number;
  /** Answers other than 200 and 503, by status (0: none within GREEN-API's 5 s). */
  otherStatuses: Record<string, number>;
}

const newLedger = (): Ledger => ({
  accepted: new Map(),
  delivered: new Map(),
  delays: [],
  refused: 0,
  failedPosts: 0,
  otherStatuses: {},
});

const push = (map: Map<string, number[]>, key: string, value: number) => {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
};

/** GREEN-API's sending: per instance in order, 503 (or no answer) sent again later. */
function greenApiSender(
  url: string,
  ledger: () => Ledger,
  tokenOf: (idInstance: string) => string,
) {
  const target = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: 512 });
  const tails = new Map<string, Promise<void>>();
  let seq = 0;
  let firstError: string | undefined;
  const post = (idInstance: string, body: string) =>
    new Promise<number>((resolve) => {
      const req = request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: "POST",
          headers: {
            "content-type": "application/json",
            "content-length": Buffer.byteLength(body),
            // Each instance's own token: only those are relayed (the old shared one is not).
            authorization: `Bearer ${tokenOf(idInstance)}`,
          },
          timeout: 5_000,
        },
        (res) => {
          res.resume();
          res.once("end", () => resolve(res.statusCode ?? 0));
        },
      );
      let timedOut = false;
      req.once("timeout", () => {
        timedOut = true;
        req.destroy();
      });
      // -1: no answer within GREEN-API's 5 s; 0: the connection failed (reset, refused).
      req.once("error", (error) => {
        if (!timedOut) firstError ??= error.message;
        resolve(timedOut ? -1 : 0);
      });
      req.end(body);
    });
  const deliver = async (idInstance: string, n: number) => {
    const body = JSON.stringify({
      typeWebhook: "incomingMessageReceived",
      instanceData: {
        idInstance: Number(idInstance),
        wid: "11001234567@c.us",
        typeInstance: "whatsapp",
      },
      timestamp: Math.floor(Date.now() / 1000),
      idMessage: `SEQ${n}`,
      sentAt: Date.now(),
      messageData: { typeMessage: "textMessage", textMessageData: { textMessage: `bench ${n}` } },
    });
    for (let attempt = 0; attempt < 10_000; attempt += 1) {
      // The same bytes every time, as GREEN-API sends a notification again.
      const status = await post(idInstance, body);
      if (status === 200) {
        push(ledger().accepted, idInstance, n);
        return;
      }
      if (status === 503) ledger().refused += 1;
      else {
        ledger().failedPosts += 1;
        ledger().otherStatuses[status] = (ledger().otherStatuses[status] ?? 0) + 1;
      }
      await sleep(REDELIVER_MS);
    }
  };
  return {
    send(idInstance: string) {
      seq += 1;
      const n = seq;
      const next = (tails.get(idInstance) ?? Promise.resolve()).then(() => deliver(idInstance, n));
      tails.set(idInstance, next);
    },
    async idle() {
      await Promise.all([...tails.values()]);
    },
    close: () => agent.destroy(),
    firstError: () => firstError,
  };
}

/** Sends `rate`/s for `seconds`, the instances in turn. */
async function sendFor(
  sender: ReturnType<typeof greenApiSender>,
  ids: string[],
  rate: number,
  seconds: number,
): Promise<number> {
  const perTick = Math.max(1, Math.round((rate * TICK_MS) / 1000));
  const ticks = Math.round((seconds * 1000) / TICK_MS);
  const started = Date.now();
  let next = 0;
  let sent = 0;
  for (let tick = 0; tick < ticks; tick += 1) {
    for (let i = 0; i < perTick; i += 1) {
      sender.send(ids[next % ids.length] as string);
      next += 1;
      sent += 1;
    }
    const due = started + (tick + 1) * TICK_MS;
    await sleep(Math.max(0, due - Date.now()));
  }
  return sent;
}

/** Lost: accepted and never delivered; out of order: an instance's first deliveries not ascending. */
function verdict(ledger: Ledger) {
  let accepted = 0;
  let lost = 0;
  let outOfOrder = 0;
  let repeats = 0;
  for (const [id, sent] of ledger.accepted) {
    accepted += sent.length;
    const got = ledger.delivered.get(id) ?? [];
    const firsts = [...new Set(got)];
    repeats += got.length - firsts.length;
    const have = new Set(firsts);
    lost += sent.filter((n) => !have.has(n)).length;
    for (let i = 1; i < firsts.length; i += 1) {
      if ((firsts[i] as number) < (firsts[i - 1] as number)) outOfOrder += 1;
    }
  }
  return { accepted, lost, outOfOrder, repeats };
}

export async function runRelayBench(): Promise<void> {
  const instances = numberFlag("instances", 1_000);
  const rate = numberFlag("rate", 500);
  const duration = numberFlag("duration", 60);
  const down = numberFlag("down", 120);
  buildBenchProcesses();
  const fleet = await startFleet(instances);
  const app = new FakeAppEndpoint({ delayMs: 20, keepBodies: false });
  let ledger = newLedger();
  app.onDelivered = (r) => {
    const text = r.body.toString("utf8");
    const n = Number(/"idMessage":"SEQ(\d+)"/.exec(text)?.[1]);
    const sentAt = Number(/"sentAt":(\d+)/.exec(text)?.[1]);
    push(ledger.delivered, r.idInstance ?? "", n);
    ledger.delays.push(r.at - sentAt);
  };
  const appUrl = await app.start();
  const port = await freePort();
  const worker = await startWorker({
    ...fleet.env,
    STATE_POLL_INTERVAL_MS: "0",
    HTTP_PORT: String(port),
    WEBHOOK_SECRET: SECRET,
    WEBHOOK_FORWARD_URL: appUrl,
  });
  const ids = fleet.instances.map((i) => i.idInstance);
  const botToken = String(fleet.env.BOT_TOKEN);
  const tokens = new Map(ids.map((id) => [id, documentedInstanceToken(botToken, SECRET, id)]));
  const sender = greenApiSender(
    `http://127.0.0.1:${port}/green-api/webhook`,
    () => ledger,
    (id) => tokens.get(id) ?? "",
  );
  const backlog = async () => Number((await fleet.redis.get(`${fleet.prefix}:relay:count`)) ?? 0);
  const lines: string[] = [];
  try {
    // Phase 1: the application up.
    const cpuBefore = await workerStats(worker);
    const benchCpuBefore = process.cpuUsage();
    const from = Date.now();
    const sent = await sendFor(sender, ids, rate, duration);
    await sender.idle();
    const drainDeadline = Date.now() + 60_000;
    while ((await backlog()) > 0 && Date.now() < drainDeadline) await sleep(100);
    const cpuAfter = await workerStats(worker);
    const one = verdict(ledger);
    const delays = [...ledger.delays].sort((a, b) => a - b);
    lines.push(
      `relay, app up: ${sent} notifications at ${rate}/s for ${duration} s over ${instances} instances${duration < 60 ? " (the issue asks 60 s: --duration=60)" : ""}, app answers in 20 ms`,
      `  delay (GREEN-API's first send → app's 200): p50 ${percentile(delays, 50).toFixed(0)} ms, p99 ${percentile(delays, 99).toFixed(0)} ms, max ${(delays.at(-1) ?? 0).toFixed(0)} ms`,
      `  accepted ${one.accepted}, lost ${one.lost}, out of order ${one.outOfOrder}, repeats ${one.repeats}, 503s ${ledger.refused}, failed posts ${ledger.failedPosts} ${JSON.stringify(ledger.otherStatuses)} ${sender.firstError() ?? ""}`,
      `  worker CPU ${((cpuAfter.cpuMs - cpuBefore.cpuMs) / (Date.now() - from)).toFixed(2)} core, peak RSS ${Math.round(cpuAfter.maxRssBytes / 2 ** 20)} MB; bench process (GREEN-API's sender, the app, the fakes) ${((process.cpuUsage(benchCpuBefore).user + process.cpuUsage(benchCpuBefore).system) / 1000 / (Date.now() - from)).toFixed(2)} core`,
    );

    // Phase 2: the application down for `down` s while the load goes on, then up.
    ledger = newLedger();
    app.fail("always", 503);
    const downAt = Date.now();
    const sending = Math.min(duration, down);
    const sent2 = await sendFor(sender, ids, rate, sending);
    await sender.idle();
    let peak = await backlog();
    while (Date.now() - downAt < down * 1000) {
      peak = Math.max(peak, await backlog());
      await sleep(500);
    }
    app.recover();
    const upAt = Date.now();
    const deadline = upAt + 10 * 60_000;
    while ((await backlog()) > 0 && Date.now() < deadline) await sleep(100);
    const drained = Date.now() - upAt;
    const two = verdict(ledger);
    lines.push(
      `relay, app down ${down} s (503) while ${sent2} notifications came in ${sending} s, then up:`,
      `  backlog peak ${peak}; drained ${(drained / 1000).toFixed(1)} s after the app came back (the backoff caps at 60 s)`,
      `  accepted ${two.accepted}, lost ${two.lost}, out of order ${two.outOfOrder}, repeats ${two.repeats}, 503s to GREEN-API ${ledger.refused}`,
      `one worker, ${cpus().length} × ${cpus()[0]?.model ?? "?"}, node ${process.version}`,
    );
    process.stdout.write(`${lines.join("\n")}\n`);
  } finally {
    sender.close();
    await stopWorker(worker);
    await app.stop();
    await fleet.close();
  }
}
