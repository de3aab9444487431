import { Jimp } from "jimp";
import { scanPng } from "../../kit/qr-decode.js";

export interface Decoded {
  width: number;
  height: number;
  /** RGBA */
  data: Uint8Array;
}

export async function decodePng(png: Buffer): Promise<Decoded> {
  const img = await Jimp.read(png);
  return {
    width: img.bitmap.width,
    height: img.bitmap.height,
    data: new Uint8Array(img.bitmap.data),
  };
}

/** The QR payload jsQR reads from a PNG, or null. */
export const scan = scanPng;

/** Deterministic PRNG (mulberry32) so the noise images are the same on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function noisePng(width: number, height: number, seed: number): Promise<Buffer> {
  const img = new Jimp({ width, height, color: 0xffffffff });
  const next = prng(seed);
  const data = img.bitmap.data;
  for (let i = 0; i < width * height; i++) {
    const v = next() < 0.5 ? 0 : 255;
    data[i * 4] = v;
    data[i * 4 + 1] = v;
    data[i * 4 + 2] = v;
  }
  return img.getBuffer("image/png");
}

/** A WhatsApp-like pairing ref: "2@" then base64-ish fields, `length` characters in all. */
export function whatsappRef(length: number, seed = 1): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const next = prng(seed);
  let out = "2@";
  while (out.length < length) {
    out += out.length % 45 === 44 ? "," : alphabet[Math.floor(next() * alphabet.length)];
  }
  return out.slice(0, length);
}
