import { type ConnectionOptions, Queue } from "bullmq";
import { z } from "zod";

export const QR_QUEUE_NAME = "qr-sessions";

/** Job data carries ids only; everything else is read from the session record each poll. */
export const qrJobSchema = z.object({
  instance: z.string().min(1),
  sessionId: z.string().min(1),
});
export type QrJob = z.infer<typeof qrJobSchema>;

/** Attempts after an unexpected error (a Redis blip mid-poll): the session resumes from its record. */
export const QR_JOB_ATTEMPTS = 5;

export function createQrQueue(connection: ConnectionOptions, prefix: string): Queue<QrJob> {
  return new Queue<QrJob>(QR_QUEUE_NAME, {
    connection,
    prefix,
    defaultJobOptions: {
      attempts: QR_JOB_ATTEMPTS,
      backoff: { type: "exponential", delay: 1000 },
      removeOnComplete: { count: 1000 },
      removeOnFail: { count: 1000 },
    },
  });
}

export async function enqueueQrSession(queue: Queue<QrJob>, job: QrJob): Promise<void> {
  // BullMQ custom ids must not contain ":"; names and session ids never do.
  await queue.add("qr-session", job, { jobId: `qr-${job.instance}-${job.sessionId}` });
}
