/**
 * A kept notification as stored in Redis: "<deliveryId>\n<queuedAt>\n<contentType>\n" then the
 * body, byte for byte (relay-store.ts).
 */
export interface QueuedNotification {
  deliveryId: string;
  queuedAt: number;
  contentType: string;
  body: Buffer;
  /** Bytes of the whole entry (what the caps count). */
  size: number;
}

export function encodeEntry(entry: Omit<QueuedNotification, "size">): Buffer {
  const contentType = entry.contentType.replace(/[\r\n]/g, " ");
  const header = `${entry.deliveryId}\n${entry.queuedAt}\n${contentType}\n`;
  return Buffer.concat([Buffer.from(header, "utf8"), entry.body]);
}

export function decodeEntry(raw: Buffer): QueuedNotification | undefined {
  const first = raw.indexOf(10);
  const second = first < 0 ? -1 : raw.indexOf(10, first + 1);
  const third = second < 0 ? -1 : raw.indexOf(10, second + 1);
  if (third < 0) return undefined;
  const queuedAt = Number(raw.subarray(first + 1, second).toString("utf8"));
  if (!Number.isFinite(queuedAt)) return undefined;
  return {
    deliveryId: raw.subarray(0, first).toString("utf8"),
    queuedAt,
    contentType: raw.subarray(second + 1, third).toString("utf8"),
    body: raw.subarray(third + 1),
    size: raw.length,
  };
}
