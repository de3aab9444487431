// GREEN-API's side of the webhook contract, for the fake: notifications of an instance are POSTed
// to the webhook URL one after another with `Authorization: Bearer <webhookUrlToken>`; any answer
// but HTTP 200 (or none) makes it wait and send the same notification again, for up to 24 h, and
// the instance's later notifications wait behind it (REAL-API.md; green-api.com/en/docs/api/
// receiving/technology-webhook-endpoint/). The wait is ~60 s in reality, shortened in tests.
import { setTimeout as sleep } from "node:timers/promises";

export interface WebhookTarget {
  url: string;
  /** The instance's webhookUrlToken; sent as `Authorization: Bearer <token>`. */
  token: string;
  /** Wait before sending a refused notification again (GREEN-API: about 60 s). */
  retryMs?: number;
  /** Give up on a notification this long after it was first sent (GREEN-API: 24 h). */
  maxAgeMs?: number;
}

export interface DeliveryRecord {
  idInstance: string;
  body: unknown;
  /** HTTP status answered; 0: no answer (network error, timeout). */
  status: number;
  attempt: number;
  at: number;
  /** The answer's Retry-After header, if any (GREEN-API documents no use of it). */
  retryAfter?: string;
}

const ANSWER_TIMEOUT_MS = 5_000;

export class WebhookDelivery {
  readonly attempts: DeliveryRecord[] = [];
  /** Notifications sent again after a refusal: what a correct receiver keeps at 0. */
  redeliveries = 0;
  /** Answers other than 200. */
  refusals = 0;
  private target: WebhookTarget | undefined;
  /** An instance's own URL and token (its applied setSettings); null: it has none. */
  private readonly instanceTargets = new Map<string, WebhookTarget | null>();
  private readonly queues = new Map<string, Array<{ body: unknown; firstAt: number }>>();
  private readonly pumping = new Set<string>();
  private readonly stop = new AbortController();

  configure(target: WebhookTarget | undefined): void {
    this.target = target;
  }

  get configured(): boolean {
    return this.target !== undefined;
  }

  /**
   * From now on the instance's notifications go to its own URL with its own token (its settings,
   * once applied), or nowhere (null), instead of the shared target; retries as the shared one's.
   */
  configureInstance(idInstance: string, target: Omit<WebhookTarget, "retryMs"> | null): void {
    this.instanceTargets.set(
      idInstance,
      target === null ? null : { retryMs: this.target?.retryMs, ...target },
    );
  }

  private targetOf(idInstance: string): WebhookTarget | undefined {
    const own = this.instanceTargets.get(idInstance);
    return own === undefined ? this.target : (own ?? undefined);
  }

  /** Queues a notification of the instance for delivery (nothing happens without a target). */
  push(idInstance: string, body: unknown): void {
    if (!this.targetOf(idInstance) || this.stop.signal.aborted) return;
    const queue = this.queues.get(idInstance) ?? [];
    queue.push({ body, firstAt: Date.now() });
    this.queues.set(idInstance, queue);
    void this.pump(idInstance);
  }

  /** Resolves once every queued notification was answered 200 or dropped (or after timeoutMs). */
  async idle(timeoutMs = 5_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if ([...this.queues.values()].every((queue) => queue.length === 0)) return true;
      await sleep(20);
    }
    return false;
  }

  close(): void {
    this.stop.abort();
  }

  private async pump(idInstance: string): Promise<void> {
    if (this.pumping.has(idInstance)) return;
    this.pumping.add(idInstance);
    try {
      const queue = this.queues.get(idInstance) ?? [];
      let attempt = 1;
      let target: WebhookTarget | undefined;
      while (
        queue.length > 0 &&
        (target = this.targetOf(idInstance)) !== undefined &&
        !this.stop.signal.aborted
      ) {
        const head = queue[0] as { body: unknown; firstAt: number };
        if (attempt > 1) this.redeliveries += 1;
        const { status, retryAfter } = await this.post(target, head.body);
        this.attempts.push({
          idInstance,
          body: head.body,
          status,
          attempt,
          at: Date.now(),
          ...(retryAfter ? { retryAfter } : {}),
        });
        if (status === 200) {
          queue.shift();
          attempt = 1;
          continue;
        }
        this.refusals += 1;
        if (Date.now() - head.firstAt >= (target.maxAgeMs ?? 24 * 3_600_000)) {
          queue.shift();
          attempt = 1;
          continue;
        }
        attempt += 1;
        await sleep(target.retryMs ?? 60_000, undefined, { signal: this.stop.signal }).catch(
          () => undefined,
        );
      }
    } finally {
      this.pumping.delete(idInstance);
    }
  }

  private async post(
    target: WebhookTarget,
    body: unknown,
  ): Promise<{ status: number; retryAfter?: string }> {
    try {
      const response = await fetch(target.url, {
        method: "POST",
        // An empty webhookUrlToken: no Authorization header (the docs: "if not required").
        headers: {
          "content-type": "application/json",
          ...(target.token === "" ? {} : { authorization: `Bearer ${target.token}` }),
        },
        // A string is sent as it is (a test of byte-for-byte relaying); anything else as JSON.
        body: typeof body === "string" ? body : JSON.stringify(body),
        signal: AbortSignal.any([AbortSignal.timeout(ANSWER_TIMEOUT_MS), this.stop.signal]),
      });
      await response.arrayBuffer().catch(() => undefined);
      const retryAfter = response.headers.get("retry-after");
      return { status: response.status, ...(retryAfter ? { retryAfter } : {}) };
    } catch {
      return { status: 0 };
    }
  }
}
