import { createHash } from "node:crypto";
import { Jimp } from "jimp";
import jsQRModule from "jsqr";

// jsqr is CommonJS with an ES-style default: under NodeNext the callable is `.default`.
const jsQR = jsQRModule.default;

/**
 * Payloads already read, by the PNG's hash. A scan costs ~60 ms of CPU, and waitForQr re-reads
 * every photo of a chat every 50 ms: without this, a test waiting for a QR kept half a core busy
 * and slowed the app it was waiting for. The same bytes always scan the same.
 */
const scanned = new Map<string, string | null>();
const MAX_REMEMBERED = 2_000;

/** Reads a PNG as a phone camera would: the QR payload, or null when nothing scannable is there. */
export async function scanPng(png: Buffer): Promise<string | null> {
  const key = createHash("sha256").update(png).digest("hex");
  const known = scanned.get(key);
  if (known !== undefined) return known;
  const image = await Jimp.read(png);
  const { data, width, height } = image.bitmap;
  const payload = jsQR(new Uint8ClampedArray(data), width, height)?.data ?? null;
  if (scanned.size >= MAX_REMEMBERED) scanned.clear();
  scanned.set(key, payload);
  return payload;
}
