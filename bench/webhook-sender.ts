// GREEN-API's side of `npm run bench -- --fleet --webhooks`, in a process of its own so that the
// bench's main process runs only the fakes and reads Redis: posts stateInstanceChanged
// notifications to the worker's webhook at a rate, the instances in turn, alternating logged out
// and authorized. Parameters come in over IPC ({ start }); each notification's state goes out as it
// is sent ({ sent }, batched per tick: the fake GREEN-API answers as the notifications say), then
// the figures ({ result }). node:http with a keep-alive agent: at 500/s fetch's per-request
// objects cost more than the sending.
import { Agent, request } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { percentile } from "./stats.js";

export interface SenderParams {
  url: string;
  secret: string;
  idInstances: string[];
  /** Notifications a second, all instances together. */
  rate: number;
  seconds: number;
}

export interface SenderResult {
  sent: number;
  /** From the first notification sent to the last one answered. */
  sendingMs: number;
  /** Notifications that waited for their instance's previous one to be answered first. */
  waitedForPrevious: number;
  answerMs: { p50: number; p99: number; max: number };
  /** HTTP status → count; 0 is no answer (error or GREEN-API's 5 s). */
  statuses: Record<string, number>;
  firstError?: string;
  /** Each instance's last state sent. */
  last: Record<string, string>;
  cpuMs: number;
  maxRssBytes: number;
}

export type SenderMessage =
  { ready: true } | { sent: Array<[idInstance: string, state: string]> } | { result: SenderResult };

/** GREEN-API waits this long for an answer before it counts the notification as not delivered. */
const ANSWER_WAIT_MS = 5_000;
/** Ticks of 20 ms: rate/50 notifications each. */
const TICK_MS = 20;

const send = (message: SenderMessage) => process.send?.(message);

async function run(params: SenderParams): Promise<SenderResult> {
  const target = new URL(params.url);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const answers: number[] = [];
  const statuses: Record<string, number> = {};
  let firstError: string | undefined;
  let batch: Array<[string, string]> = [];

  const post = (idInstance: string, state: string): Promise<void> => {
    batch.push([idInstance, state]);
    const body = JSON.stringify({
      typeWebhook: "stateInstanceChanged",
      instanceData: { idInstance: Number(idInstance), typeInstance: "whatsapp" },
      timestamp: Math.floor(Date.now() / 1000),
      stateInstance: state,
    });
    const started = performance.now();
    return new Promise<void>((resolve) => {
      const done = (status: number, error?: unknown) => {
        if (error !== undefined)
          firstError ??= error instanceof Error ? error.message : String(error);
        answers.push(performance.now() - started);
        statuses[status] = (statuses[status] ?? 0) + 1;
        resolve();
      };
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
            authorization: `Bearer ${params.secret}`,
          },
          timeout: ANSWER_WAIT_MS,
        },
        (res) => {
          res.resume();
          res.once("end", () => done(res.statusCode ?? 0));
          res.once("error", (error) => done(0, error));
        },
      );
      req.once("timeout", () => req.destroy(new Error(`no answer in ${ANSWER_WAIT_MS} ms`)));
      req.once("error", (error) => done(0, error));
      req.end(body);
    });
  };

  // GREEN-API's order: an instance's next notification only after its previous one was answered.
  const previous = new Map<string, Promise<void>>();
  const busy = new Set<string>();
  const last: Record<string, string> = {};
  let waitedForPrevious = 0;
  const enqueue = (idInstance: string, state: string) => {
    if (busy.has(idInstance)) waitedForPrevious += 1;
    busy.add(idInstance);
    last[idInstance] = state;
    const next = (previous.get(idInstance) ?? Promise.resolve()).then(() =>
      post(idInstance, state),
    );
    previous.set(idInstance, next);
    void next.then(() => {
      if (previous.get(idInstance) === next) {
        previous.delete(idInstance);
        busy.delete(idInstance);
      }
    });
  };

  const perTick = Math.max(1, Math.round((params.rate * TICK_MS) / 1000));
  const ticks = Math.round((params.seconds * 1000) / TICK_MS);
  const count = params.idInstances.length;
  const started = Date.now();
  let cursor = 0;
  for (let tick = 0; tick < ticks; tick++) {
    const due = started + tick * TICK_MS;
    if (due > Date.now()) await sleep(due - Date.now());
    for (let k = 0; k < perTick; k++) {
      const idInstance = params.idInstances[cursor % count] as string;
      const round = Math.floor(cursor / count);
      cursor += 1;
      enqueue(idInstance, round % 2 === 0 ? "notAuthorized" : "authorized");
    }
    if (batch.length > 0) send({ sent: batch });
    batch = [];
  }
  // Those that waited for their instance's previous answer go out now, one after another.
  while (previous.size > 0) {
    await Promise.all(previous.values());
    if (batch.length > 0) send({ sent: batch });
    batch = [];
  }
  const sendingMs = Date.now() - started;
  agent.destroy();
  answers.sort((a, b) => a - b);
  const cpu = process.cpuUsage();
  return {
    sent: answers.length,
    sendingMs,
    waitedForPrevious,
    answerMs: {
      p50: percentile(answers, 50),
      p99: percentile(answers, 99),
      max: answers.at(-1) ?? Number.NaN,
    },
    statuses,
    ...(firstError === undefined ? {} : { firstError }),
    last,
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}

process.once("message", (message: { start?: SenderParams }) => {
  if (!message.start) return;
  void run(message.start).then((result) => {
    // Disconnecting once the result is written lets the process exit.
    process.send?.({ result } satisfies SenderMessage, () => process.disconnect());
  });
});
send({ ready: true });
