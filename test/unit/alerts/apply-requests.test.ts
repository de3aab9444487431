import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApplyRequests } from "../../../src/alerts/apply-requests.js";
import { pino } from "pino";

const WINDOW_MS = 1_000;
const logger = pino({ level: "silent" });

/** An ApplyRequests whose adds are recorded with the (fake) time they were made at. */
function recorded() {
  const adds: number[] = [];
  const requests = new ApplyRequests(
    async () => {
      adds.push(Date.now());
    },
    WINDOW_MS,
    logger,
  );
  return { adds, requests };
}

describe("ApplyRequests: a few watch runs a second, none missed", () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it("a burst within one window makes one request at once and one at the window's end", async () => {
    const { adds, requests } = recorded();
    for (let i = 0; i < 500; i++) {
      await requests.request();
      await vi.advanceTimersByTimeAsync(1);
    }
    await vi.advanceTimersByTimeAsync(2 * WINDOW_MS);
    expect(adds).toEqual([0, 1_000]);
  });

  it("every request is followed by an add made no earlier than it, and adds stay a window apart", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 40 }),
        async (gaps) => {
          vi.setSystemTime(0);
          const { adds, requests } = recorded();
          const asked: number[] = [];
          for (const gap of gaps) {
            await vi.advanceTimersByTimeAsync(gap);
            asked.push(Date.now());
            await requests.request();
          }
          await vi.advanceTimersByTimeAsync(2 * WINDOW_MS);
          for (const at of asked) expect(adds.some((add) => add >= at)).toBe(true);
          for (let i = 1; i < adds.length; i++) {
            expect((adds[i] ?? 0) - (adds[i - 1] ?? 0)).toBeGreaterThanOrEqual(WINDOW_MS);
          }
        },
      ),
      { numRuns: 50 },
    );
  });

  it("flush at shutdown makes a deferred request now instead of dropping it", async () => {
    const { adds, requests } = recorded();
    await requests.request();
    await vi.advanceTimersByTimeAsync(100);
    await requests.request();
    await requests.flush();
    expect(adds).toEqual([0, 100]);
    await vi.advanceTimersByTimeAsync(2 * WINDOW_MS);
    expect(adds).toEqual([0, 100]);
  });
});
