import { deflateSync } from "node:zlib";

/** A raw 8-bit image: 1 channel = grayscale, 3 = RGB, 4 = RGBA; rows packed without padding. */
export interface RawImage {
  width: number;
  height: number;
  channels: 1 | 3 | 4;
  data: Uint8Array;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const COLOR_TYPE = { 1: 0, 3: 2, 4: 6 } as const;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) {
    c = (CRC_TABLE[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
  }
  return ~c >>> 0;
}

function chunk(type: string, body: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + body.length);
  out.writeUInt32BE(body.length, 0);
  out.write(type, 4, "latin1");
  out.set(body, 8);
  // The CRC covers the type and the body, not the length.
  out.writeUInt32BE(crc32(out.subarray(4, 8 + body.length)), 8 + body.length);
  return out;
}

/**
 * Encodes an 8-bit PNG. A row equal to the one above is written with the "Up" filter (all zeros);
 * any other row unfiltered. Cards repeat rows a lot (a QR module is N identical rows), and this
 * keeps the per-row work in native memcmp/memcpy instead of a per-byte JS loop.
 */
export function encodePng(
  image: RawImage,
  options: { level?: number; strategy?: number } = {},
): Buffer {
  const { width, height, channels, data } = image;
  const stride = width * channels;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`bad PNG size ${width}x${height}`);
  }
  if (data.length !== stride * height) {
    throw new RangeError(`PNG data is ${data.length} bytes, expected ${stride * height}`);
  }
  const src = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  // Zero-filled, so an "Up" row needs only its filter byte.
  const filtered = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    const out = y * (stride + 1);
    const row = y * stride;
    if (y > 0 && src.compare(src, row - stride, row, row, row + stride) === 0) {
      filtered[out] = 2;
    } else {
      src.copy(filtered, out + 1, row, row + stride);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = COLOR_TYPE[channels];
  // Bytes 10-12 (compression, filter method, interlace) stay 0.
  return Buffer.concat([
    SIGNATURE,
    chunk("IHDR", ihdr),
    chunk(
      "IDAT",
      deflateSync(filtered, { level: options.level ?? 6, strategy: options.strategy ?? 0 }),
    ),
    chunk("IEND", new Uint8Array(0)),
  ]);
}
