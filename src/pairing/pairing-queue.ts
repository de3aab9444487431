import type { Queue } from "bullmq";
import { z } from "zod";
import { defineJobKind } from "../jobs/job-kind.js";

export const PAIRING_QUEUE_NAME = "pairing-watch";

export const pairingJobSchema = z.object({
  instance: z.string().min(1),
  sessionId: z.string().min(1),
});
export type PairingJob = z.infer<typeof pairingJobSchema>;

/** Pairing-code watches: one job per issued code, run by PairingWatcher. */
export const pairingJobs = defineJobKind<PairingJob>({
  queueName: PAIRING_QUEUE_NAME,
  schema: pairingJobSchema,
  defaultJobOptions: {
    attempts: 3,
    backoff: { type: "exponential", delay: 1000 },
    removeOnComplete: { count: 1000 },
    removeOnFail: { count: 1000 },
  },
});

export async function enqueuePairingWatch(
  queue: Queue<PairingJob>,
  job: PairingJob,
): Promise<void> {
  await queue.add("pairing-watch", job, { jobId: `code-${job.instance}-${job.sessionId}` });
}
