import type { Redis } from "ioredis";
import type { Instance } from "../config/index.js";
import type { GreenApiClient } from "../green-api/client.js";
import type { Logger } from "../shared/logger.js";
import type { CheckOptions } from "./state-probe.js";
import type { Observation } from "./transitions.js";

/**
 * How long a queue reading waits for its turn under GREEN-API's per-instance limit (1/s for
 * showMessagesQueue): no longer than a state check does, so operators' calls keep theirs.
 */
const QUEUE_TURN_WAIT_MS = 1_000;

/**
 * Reads the send queue (showMessagesQueue) of instances a shard job just saw authorized, each
 * at most once per `intervalMs` across every worker process (a Redis key that expires), so the
 * readings ride the shard jobs' spread over the interval. Writes nothing else: the readings go
 * through the intake to the watch job, which judges them (stuck-queue.ts). Bodies are customers'
 * messages: only the count and the first id are kept.
 */
export class QueueProbe {
  constructor(
    private readonly deps: {
      redis: Redis;
      prefix: string;
      greenApi: Pick<GreenApiClient, "showMessagesQueue">;
      logger: Logger;
    },
    private readonly options: { intervalMs: number },
  ) {}

  async checkEach(
    instances: readonly Instance[],
    states: ReadonlyArray<readonly [string, Observation]>,
    options: CheckOptions,
  ): Promise<Array<readonly [string, Observation]>> {
    const authorized = new Set(
      states.flatMap(([name, o]) => (o.kind === "state" && o.state === "authorized" ? name : [])),
    );
    const due = await this.due(instances.filter((instance) => authorized.has(instance.name)));
    const readings = await Promise.all(
      due.map(async (instance) => {
        if (!(await options.beforeCheck())) {
          // No spare turn in the fleet's budget: the next shard run of this instance tries again.
          await this.deps.redis.del(this.key(instance.name)).catch(() => undefined);
          return undefined;
        }
        const reading = await this.read(instance, options);
        return reading && ([instance.name, reading] as const);
      }),
    );
    return readings.filter((reading) => reading !== undefined);
  }

  /** The instances whose reading is due, booked in one round trip (SET NX PX per instance). */
  private async due(instances: readonly Instance[]): Promise<Instance[]> {
    if (instances.length === 0) return [];
    // A tenth short of the interval: the shard job a whole interval later (it may run a little
    // early) finds the key gone. Never under a second: GREEN-API allows one call a second.
    const holdMs = Math.max(1_000, Math.floor(this.options.intervalMs * 0.9));
    const pipeline = this.deps.redis.pipeline();
    for (const instance of instances) {
      pipeline.set(this.key(instance.name), "1", "PX", holdMs, "NX");
    }
    const answers = (await pipeline.exec()) ?? [];
    return instances.filter((_, index) => answers[index]?.[1] === "OK");
  }

  private async read(instance: Instance, options: CheckOptions): Promise<Observation | undefined> {
    try {
      const queue = await this.deps.greenApi.showMessagesQueue(instance, {
        timeoutMs: options.timeoutMs,
        signal: options.signal,
        maxWaitMs: QUEUE_TURN_WAIT_MS,
      });
      const head = queue[0]?.id;
      return { kind: "queue", size: queue.length, at: Date.now(), ...(head ? { head } : {}) };
    } catch (error) {
      // No reading says nothing: the queue's clock goes on from the last one.
      if (!options.signal.aborted) {
        this.deps.logger.debug({ err: error, instance: instance.name }, "queue not read");
      }
      return undefined;
    }
  }

  private key(instance: string): string {
    return `${this.deps.prefix}:alerts:queue-read:${instance}`;
  }
}
