/**
 * What the final message of a QR session or a pairing code says once the instance is linked
 * again: who linked it and when, and the backlog GREEN-API now sends (showMessagesQueue).
 */
export interface Closure {
  /** First name of whoever started the QR session or asked for the code. */
  by?: string;
  at: number;
  /** `link`: the phone's owner did it on a /link page the person in `by` made. */
  via?: "link";
  /** Messages waiting in GREEN-API's queue (kept 24 h); absent when the queue could not be read. */
  queued?: { count: number };
}
