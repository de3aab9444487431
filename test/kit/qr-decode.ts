import { Jimp } from "jimp";
import jsQRModule from "jsqr";

// jsqr is CommonJS with an ES-style default: under NodeNext the callable is `.default`.
const jsQR = jsQRModule.default;

/** Reads a PNG as a phone camera would: the QR payload, or null when nothing scannable is there. */
export async function scanPng(png: Buffer): Promise<string | null> {
  const image = await Jimp.read(png);
  const { data, width, height } = image.bitmap;
  return jsQR(new Uint8ClampedArray(data), width, height)?.data ?? null;
}
