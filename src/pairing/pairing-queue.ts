import { type ConnectionOptions, Queue } from "bullmq";
import { z } from "zod";

export const PAIRING_QUEUE_NAME = "pairing-watch";

export const pairingJobSchema = z.object({
  instance: z.string().min(1),
  sessionId: z.string().min(1),
});
export type PairingJob = z.infer<typeof pairingJobSchema>;

export function createPairingQueue(
  connection: ConnectionOptions,
  prefix: string,
): Queue<PairingJob> {
  return new Queue<PairingJob>(PAIRING_QUEUE_NAME, {
    connection,
    prefix,
    defaultJobOptions: {
      attempts: 3,
      backoff: { type: "exponential", delay: 1000 },
      removeOnComplete: { count: 1000 },
      removeOnFail: { count: 1000 },
    },
  });
}

export async function enqueuePairingWatch(
  queue: Queue<PairingJob>,
  job: PairingJob,
): Promise<void> {
  await queue.add("pairing-watch", job, { jobId: `code-${job.instance}-${job.sessionId}` });
}
