import { setTimeout as sleep } from "node:timers/promises";

/** No wait in a bench may hang it: each gives up after this long. */
const WAIT_MS = 20_000;

/**
 * Polls `probe` every 10 ms until it gives a value: fine-grained, since the benches measure the
 * latency of what they wait for (the tests' `eventually` polls every 50 ms).
 */
export async function until<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`bench: timed out waiting for ${what}`);
    await sleep(10);
  }
}
