// Runs sequences of steps against one world and turns a broken rule into a readable script.
import fc from "fast-check";
import {
  describeSequence,
  describeStep,
  type FuzzKind,
  sequence,
  type Step,
} from "./generators.js";
import { FLOWS } from "./flows.js";
import { METRICS_TOKEN, type World } from "./harness.js";
import { checkSequenceEnd, checkStep, SequenceState } from "./invariants.js";
import { type Last, playStep } from "./steps.js";

export class RuleBroken extends Error {}

/** Plays the steps from a clean state; the problems of the first step that broke a rule. */
export async function runSequence(world: World, steps: Step[], ignore?: RegExp): Promise<string[]> {
  await world.reset();
  const state = new SequenceState();
  const last: Last = { who: "stranger", stranger: 0, place: "private" };
  for (const [index, step] of steps.entries()) {
    const played = await playStep(world, step, last);
    const problems = (await checkStep(world, played, state)).filter((p) => !ignore?.test(p));
    if (problems.length)
      return problems.map((p) => `step ${index + 1} (${describeStep(step)}): ${p}`);
  }
  // A QR session shows its QR a moment after its first photo: look once more after that moment.
  const photos = world.telegram
    .chatIds()
    .some((id) => world.telegram.messagesIn(id).some((m) => m.kind === "photo"));
  const after: Step = { kind: "wait", ms: photos ? QR_AFTERMATH_MS : 0 };
  const played = await playStep(world, after, last);
  const problems = [
    ...(await checkStep(world, played, state)).map((p) => `after the last step: ${p}`),
    ...(await checkSequenceEnd(world, METRICS_TOKEN)),
  ];
  return problems.filter((p) => !ignore?.test(p));
}

/** Enough for a session's first QR under load (it polls GREEN-API every 100 ms here). */
const QR_AFTERMATH_MS = 400;

/** Throws with the script if the steps break a rule. */
export async function assertSequence(world: World, steps: Step[], named = false): Promise<void> {
  const problems = await runSequence(world, steps);
  if (problems.length)
    throw new RuleBroken(
      `${problems.join("\n")}${named ? `\nscript:\n${describeSequence(steps)}` : ""}`,
    );
}

export interface FuzzOptions {
  runs: number;
  seed: number;
  maxSteps: number;
  without?: FuzzKind[];
  /** Problems to look past (a known hole, while its fix is on the way). */
  ignore?: RegExp;
  onProgress?: (done: number) => void;
}

/** fast-check over sequences; a failure's message is the shrunk sequence as a script. */
export async function fuzz(world: World, options: FuzzOptions): Promise<void> {
  let done = 0;
  const result = await fc.check(
    fc.asyncProperty(sequence(options.maxSteps, options.without), async (steps) => {
      const problems = await runSequence(world, steps, options.ignore);
      if (problems.length) throw new RuleBroken(problems.join("\n"));
      done += 1;
      options.onProgress?.(done);
    }),
    {
      numRuns: options.runs,
      seed: options.seed,
      examples: FLOWS.map((steps) => [steps] as [Step[]]),
    },
  );
  if (result.failed) {
    const steps = result.counterexample?.[0] as Step[] | undefined;
    const error =
      result.errorInstance instanceof Error
        ? result.errorInstance.message
        : String(result.errorInstance);
    throw new RuleBroken(
      `the fuzzer broke a rule (seed ${result.seed}, path ${result.counterexamplePath ?? "?"}, after ${result.numRuns} runs, ${result.numShrinks} shrinks):\n${error}\n${steps ? `shrunk script:\n${describeSequence(steps)}` : ""}`,
    );
  }
}
