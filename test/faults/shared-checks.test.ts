import { afterEach, describe, expect, it } from "vitest";
import type { GreenApiCall } from "../fakes/fake-green-api.js";
import { type Harness, startHarness, type TestInstance } from "../kit/app-harness.js";
import { connectionOwner } from "../kit/socket-owner.js";
import { eventually } from "../kit/wait.js";
import { Cluster } from "./cluster.js";

/**
 * Issue #14: the state checks are BullMQ shard jobs, so two ROLE=worker processes share them,
 * and a worker killed with -9 leaves its share to the other within one check interval. Each
 * getStateInstance at the fake GREEN-API is put down to the process that sent it (its TCP
 * connection's owner, test/kit/socket-owner.ts).
 */

const INSTANCES = 100;
const INTERVAL_MS = 2_000;
/** A check lands up to 10 % after its slot, and a loaded machine answers a little late. */
const TAKEOVER_BOUND_MS = INTERVAL_MS + 1_500;

describe("two worker processes share the state checks", () => {
  let h: Harness;
  let cluster: Cluster | undefined;
  afterEach(async () => {
    cluster?.killAll();
    await h.close();
  });

  it(
    "each runs about half; after kill -9 of one the other checks every instance within an interval",
    { timeout: 60_000 },
    async () => {
      const fleet: TestInstance[] = Array.from({ length: INSTANCES }, (_, i) => ({
        name: `shop${i}`,
        idInstance: String(1104000000 + i),
        apiTokenInstance: `token${i}`.padEnd(50, "0"),
      }));
      h = await startHarness({
        start: false,
        instances: fleet,
        env: {
          STATE_POLL_INTERVAL_MS: String(INTERVAL_MS),
          // The fleet cap is not what this tests: 100 instances at 2 s is its default 50/s exactly.
          GREEN_API_REQUESTS_PER_SECOND: "0",
          GREEN_API_TIMEOUT_MS: "5000",
        },
      });
      for (const instance of fleet) h.greenApi.instance(instance.idInstance).state = "authorized";
      const cl = new Cluster(h);
      cluster = cl;
      const serverPort = Number(new URL(h.greenApi.apiUrl).port);
      h.greenApi.identifyCaller = (port) => {
        const pids = cl.processes.flatMap((p) => (p.child.pid ? [p.child.pid] : []));
        const pid = connectionOwner(port, serverPort, pids);
        return pid === undefined ? undefined : String(pid);
      };
      const [first, second] = await Promise.all([cl.spawn("worker"), cl.spawn("worker")]);
      const pids = [String(first.child.pid), String(second.child.pid)];
      const checks = (): GreenApiCall[] =>
        h.greenApi.calls.filter((c) => c.method === "getStateInstance" && c.status === 200);

      // Both running: six rounds of the fleet (12 shard jobs of 50) after both had started.
      const from = h.greenApi.calls.length;
      await eventually(
        () =>
          h.greenApi.calls.slice(from).filter((c) => c.method === "getStateInstance").length >=
          6 * INSTANCES,
        "six rounds of checks with both workers",
        30_000,
      );
      const shared = h.greenApi.calls
        .slice(from)
        .filter((c) => c.method === "getStateInstance" && c.status === 200);
      const byFirst = shared.filter((c) => c.caller === pids[0]).length;
      const bySecond = shared.filter((c) => c.caller === pids[1]).length;
      const share = byFirst / (byFirst + bySecond);
      // Every check was put down to one of the two (none unattributed), and each ran about half:
      // BullMQ alone gave the less busy worker most jobs (71/29 in the bench); the two take turns
      // (alerts/check-turns.ts), so 12 shard jobs split near 6/6. On a busy 2-core machine a
      // worker that was slow to its turn has been seen to end 4/8 (twice in full runs): the bound
      // is three jobs off (3/9), which still fails a worker that takes (nearly) all of them.
      expect(byFirst + bySecond).toBeGreaterThanOrEqual(shared.length * 0.95);
      expect(share, `first ${byFirst}, second ${bySecond}`).toBeGreaterThan(0.24);
      expect(share, `first ${byFirst}, second ${bySecond}`).toBeLessThan(0.76);

      // kill -9 of one: from then on the survivor checks every instance, within one interval.
      first.child.kill("SIGKILL");
      await first.exited;
      const killedAt = Date.now();
      const survivor = pids[1];
      const takenOver = () =>
        fleet.every((i) =>
          checks().some(
            (c) => c.idInstance === i.idInstance && c.caller === survivor && c.at >= killedAt,
          ),
        );
      await eventually(takenOver, "the survivor to check every instance", 4 * INTERVAL_MS);
      const lastFirst = Math.max(
        ...fleet.map((i) =>
          Math.min(
            ...checks()
              .filter(
                (c) => c.idInstance === i.idInstance && c.caller === survivor && c.at >= killedAt,
              )
              .map((c) => c.at),
          ),
        ),
      );
      const takeoverMs = lastFirst - killedAt;
      console.info(
        `two workers: shares ${byFirst}/${bySecond}; survivor had every instance ${takeoverMs} ms after kill -9`,
      );
      expect(takeoverMs).toBeLessThanOrEqual(TAKEOVER_BOUND_MS);
      // Nothing more from the dead one.
      expect(checks().filter((c) => c.caller === pids[0] && c.at > killedAt + 100)).toEqual([]);
    },
  );
});
