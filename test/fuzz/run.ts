// `npm run fuzz -- --runs N --seed S [--steps K]`: the access fuzzer for longer than `npm test`
// runs it, with its own private Redis. Prints progress, the total time and, on a failure, the
// shrunk sequence as a script (exit 1).
import { parseArgs } from "node:util";
import { startPrivateOrGivenRedis } from "../kit/redis-server.js";
import { fuzz, RuleBroken } from "./fuzz.js";
import { FUZZ_KINDS, type FuzzKind } from "./generators.js";
import { reached } from "./invariants.js";
import { startWorld } from "./harness.js";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "1000" },
    seed: { type: "string", default: String(Date.now() % 2 ** 31) },
    steps: { type: "string", default: "8" },
    without: { type: "string", default: "" },
    ignore: { type: "string" },
  },
});
const runs = Number(values.runs);
const seed = Number(values.seed);
const maxSteps = Number(values.steps);
const without = values.without.split(",").filter(Boolean) as FuzzKind[];
if (without.some((kind) => !FUZZ_KINDS.includes(kind))) {
  process.stderr.write(`--without takes kinds of step: ${FUZZ_KINDS.join(", ")}\n`);
  process.exit(2);
}
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed) || !Number.isInteger(maxSteps)) {
  process.stderr.write(
    "usage: npm run fuzz -- --runs N --seed S [--steps K] [--without kind,kind] [--ignore regex]\n",
  );
  process.exit(2);
}

const redis = await startPrivateOrGivenRedis("fuzz");
const world = await startWorld({ redisUrl: redis.url });
const started = Date.now();
const elapsed = () => ((Date.now() - started) / 1000).toFixed(1);
process.stdout.write(`fuzzing: ${runs} sequences of up to ${maxSteps} steps, seed ${seed}\n`);
let code = 0;
try {
  await fuzz(world, {
    runs,
    seed,
    maxSteps,
    without,
    ignore: values.ignore ? new RegExp(values.ignore) : undefined,
    onProgress: (done) => {
      if (done % 100 === 0 || done === runs)
        process.stdout.write(`  ${done}/${runs} sequences, ${elapsed()} s\n`);
    },
  });
  process.stdout.write(`reached: ${JSON.stringify(reached)}\n`);
  process.stdout.write(`ok: ${runs} sequences, no rule broken, in ${elapsed()} s (seed ${seed})\n`);
} catch (error) {
  code = 1;
  process.stdout.write(
    `${error instanceof RuleBroken ? error.message : String(error)}\nafter ${elapsed()} s\n`,
  );
} finally {
  await world.close();
  await redis.stop();
}
process.exit(code);
