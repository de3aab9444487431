import type { ConnectionOptions, Queue } from "bullmq";
import { z } from "zod";
import { defineJobKind, openQueue } from "../jobs/job-kind.js";

export const QR_QUEUE_NAME = "qr-sessions";

/** Job data carries ids only; everything else is read from the session record each poll. */
export const qrJobSchema = z.object({
  instance: z.string().min(1),
  sessionId: z.string().min(1),
});
export type QrJob = z.infer<typeof qrJobSchema>;

/** Attempts after an unexpected error (a Redis blip mid-poll): the session resumes from its record. */
export const QR_JOB_ATTEMPTS = 5;

/** The QR sessions' queue: one job per live session, run by QrWorker. */
export const qrJobs = defineJobKind<QrJob>({
  queueName: QR_QUEUE_NAME,
  schema: qrJobSchema,
  defaultJobOptions: {
    attempts: QR_JOB_ATTEMPTS,
    backoff: { type: "exponential", delay: 1000 },
    removeOnComplete: { count: 1000 },
    removeOnFail: { count: 1000 },
  },
});

/** A queue of its own (the bench); the app's parts take theirs from `Queues`. */
export function createQrQueue(connection: ConnectionOptions, prefix: string): Queue<QrJob> {
  return openQueue(qrJobs, connection, prefix);
}

export async function enqueueQrSession(queue: Queue<QrJob>, job: QrJob): Promise<void> {
  await queue.add("qr-session", job, { jobId: qrJobId(job) });
}

/** GREEN-API shows a new QR about every 20 s: each live session needs one edit that often. */
export const QR_ROTATION_MS = 20_000;

/**
 * The share of the QR edits' budget (QR_EDITS_PER_SECOND) live sessions may use. Rotations arrive at random moments, so a
 * budget used in full is a queue that never drains (measured: 560 sessions on 28 edits/s missed
 * 7 % of their QRs); at 90 % the wait for a slot stays well under a second.
 */
const BUDGET_UTILISATION = 0.9;

/**
 * How many QR sessions run at once across every worker: QR_MAX_SESSIONS, or as many as the QR
 * edits' budget keeps up with (28 edits/s × 20 s × 0.9 = 504). Beyond it QRs would be missed now and then
 * for everyone; instead, later sessions wait their turn in the queue.
 */
export function sessionCapacity(editsPerSecond: number, maxSessions?: number): number {
  const sustainable = (editsPerSecond * QR_ROTATION_MS * BUDGET_UTILISATION) / 1000;
  return maxSessions ?? Math.max(1, Math.floor(sustainable));
}

/** Applies the capacity to the queue, for every worker at once (BullMQ's global concurrency). */
export async function applySessionCapacity(queue: Queue<QrJob>, capacity: number): Promise<void> {
  await queue.setGlobalConcurrency(capacity);
}

/** 0 when a new session would start at once, else its place in the line (1 = next). */
export async function placeInLine(queue: Queue<QrJob>, capacity: number): Promise<number> {
  const counts = await queue.getJobCounts("active", "waiting", "prioritized");
  const busy = (counts.active ?? 0) + (counts.waiting ?? 0) + (counts.prioritized ?? 0);
  return busy < capacity ? 0 : busy - capacity + 1;
}

/** Takes a session that has not started out of the queue; false when a worker already has it. */
export async function withdrawQrSession(queue: Queue<QrJob>, job: QrJob): Promise<boolean> {
  return (await queue.remove(qrJobId(job))) === 1;
}

function qrJobId(job: QrJob): string {
  // BullMQ custom ids must not contain ":"; names and session ids never do.
  return `qr-${job.instance}-${job.sessionId}`;
}
