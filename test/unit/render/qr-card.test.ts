import { Jimp } from "jimp";
import QRCode from "qrcode";
import { describe, expect, it } from "vitest";
import {
  CARD_HEIGHT,
  CARD_WIDTH,
  extractModuleGrid,
  renderQrCard,
} from "../../../src/render/index.js";
import { QR_AREA, QUIET_MODULES, qrGeometry } from "../../../src/render/layout.js";
import { rgbaToGray } from "../../../src/render/gray-image.js";
import { decodePng, noisePng, scan, whatsappRef } from "./helpers.js";
import { renderQrCardNaive } from "../../../bench/naive-render.js";

interface Case {
  name: string;
  payload: string;
  width: number;
  margin: number;
}

const cases: Case[] = [
  { name: "short text, v1", payload: "hello", width: 200, margin: 4 },
  { name: "100-char ref", payload: whatsappRef(100), width: 264, margin: 2 },
  { name: "100-char ref, margin 1", payload: whatsappRef(100, 2), width: 300, margin: 1 },
  { name: "228-char ref (GREEN-API-like)", payload: whatsappRef(228, 3), width: 264, margin: 2 },
  {
    name: "228-char ref, non-integer module size",
    payload: whatsappRef(228, 4),
    width: 250,
    margin: 3,
  },
  {
    name: "60-char ref, non-integer module size",
    payload: whatsappRef(60, 5),
    width: 233,
    margin: 4,
  },
  { name: "400-char payload, big version", payload: whatsappRef(400, 6), width: 300, margin: 1 },
  // qrcode rounds the image down to 184 px here, clipping the last module column and row.
  { name: "clipped last module", payload: whatsappRef(100, 100), width: 185, margin: 2 },
];

function expectedModules(payload: string): {
  size: number;
  dark: (r: number, c: number) => boolean;
} {
  const qr = QRCode.create(payload, {});
  const { size, data } = qr.modules;
  return { size, dark: (r, c) => data[r * size + c] === 1 };
}

/** Checks the QR square is pure black/white, drawn at an integer scale, with the right modules. */
async function expectCrispGrid(card: Buffer, payload: string): Promise<void> {
  const img = await decodePng(card);
  expect([img.width, img.height]).toEqual([CARD_WIDTH, CARD_HEIGHT]);
  const px = (x: number, y: number) => img.data[(y * img.width + x) * 4] as number;
  let [left, top, right, bottom] = [img.width, QR_AREA, -1, -1];
  for (let y = 0; y < QR_AREA; y++) {
    for (let x = 0; x < img.width; x++) {
      const p = (y * img.width + x) * 4;
      const v = img.data[p] as number;
      if (v !== 0 && v !== 255) throw new Error(`gray pixel ${v} at ${x},${y}`);
      if (img.data[p + 1] !== v || img.data[p + 2] !== v)
        throw new Error(`colour pixel at ${x},${y}`);
      if (v === 0) {
        left = Math.min(left, x);
        right = Math.max(right, x);
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
      }
    }
  }
  const { size, dark } = expectedModules(payload);
  const side = right - left + 1;
  expect(bottom - top + 1).toBe(side);
  expect(side % size).toBe(0);
  const scale = side / size;
  expect(scale).toBe(qrGeometry(size).scale);
  expect(side).toBeLessThanOrEqual(560);
  // Quiet zone of at least 4 modules on every side of the square.
  for (const gap of [left, top, img.width - 1 - right, QR_AREA - 1 - bottom]) {
    expect(gap).toBeGreaterThanOrEqual(QUIET_MODULES * scale);
  }
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const want = dark(r, c) ? 0 : 255;
      for (let dy = 0; dy < scale; dy++) {
        for (let dx = 0; dx < scale; dx++) {
          const got = px(left + c * scale + dx, top + r * scale + dy);
          if (got !== want)
            throw new Error(`module ${r},${c} pixel ${dx},${dy} is ${got}, want ${want}`);
        }
      }
    }
  }
}

describe("extractModuleGrid", () => {
  it.each(cases)("recovers the exact modules: $name", async ({ payload, width, margin }) => {
    const img = await Jimp.read(await QRCode.toBuffer(payload, { width, margin }));
    const grid = extractModuleGrid(
      rgbaToGray(img.width, img.height, new Uint8Array(img.bitmap.data)),
    );
    const { size, dark } = expectedModules(payload);
    const want = Array.from({ length: size }, (_, r) =>
      Array.from({ length: size }, (_, c) => dark(r, c)),
    );
    expect(grid).toEqual(want);
  });

  it("returns null for noise and for a blank image", async () => {
    const noise = await Jimp.read(await noisePng(264, 264, 7));
    expect(extractModuleGrid(rgbaToGray(264, 264, new Uint8Array(noise.bitmap.data)))).toBeNull();
    expect(
      extractModuleGrid({ width: 50, height: 50, data: new Uint8Array(2500).fill(255) }),
    ).toBeNull();
    expect(extractModuleGrid({ width: 50, height: 50, data: new Uint8Array(2500) })).toBeNull();
  });
});

describe("renderQrCard", () => {
  it.each(cases)(
    "redraws the QR crisply and it scans: $name",
    async ({ payload, width, margin }) => {
      const card = await renderQrCard({
        qrPng: await QRCode.toBuffer(payload, { width, margin }),
        label: "shop",
      });
      await expectCrispGrid(card, payload);
      expect(await scan(card)).toBe(payload);
    },
  );

  it.each([
    ["downscaled", 300, 264],
    ["upscaled", 200, 264],
  ])("redraws an anti-aliased (bilinear-%s) QR crisply", async (_name, from, to) => {
    const payload = whatsappRef(228, 8);
    const src = await Jimp.read(await QRCode.toBuffer(payload, { width: from, margin: 2 }));
    src.resize({ w: to, h: to });
    const qrPng = await src.getBuffer("image/png");
    const card = await renderQrCard({ qrPng, label: "shop" });
    await expectCrispGrid(card, payload);
    expect(await scan(card)).toBe(payload);
  });

  it("treats a transparent background as white", async () => {
    const payload = whatsappRef(100, 9);
    const qrPng = await QRCode.toBuffer(payload, {
      width: 264,
      margin: 2,
      color: { light: "#0000" },
    });
    const card = await renderQrCard({ qrPng, label: "shop" });
    await expectCrispGrid(card, payload);
    expect(await scan(card)).toBe(payload);
  });

  it.each([
    ["Cyrillic", "Магазин «Ромашка»"],
    ["RTL with bidi overrides", "\u202Eחנות\u202C שלום עולם"],
    ["emoji", "🛒 shop 🇬🇧"],
    ["control characters", "shop\n\t\u0000name"],
    ["very long", "very-long-instance-name-".repeat(40)],
    ["empty", ""],
    ["accents", "café Ørsted"],
  ])("draws any label (%s) without breaking the QR", async (_name, label) => {
    const payload = whatsappRef(228, 10);
    const card = await renderQrCard({
      qrPng: await QRCode.toBuffer(payload, { width: 264, margin: 2 }),
      label,
    });
    await expectCrispGrid(card, payload);
    expect(await scan(card)).toBe(payload);
    // The label stays inside the strip, clear of the card edges.
    const img = await decodePng(card);
    let inked = 0;
    for (let y = QR_AREA; y < img.height; y++) {
      for (let x = 0; x < img.width; x++) {
        if ((img.data[(y * img.width + x) * 4] as number) < 128) {
          inked++;
          expect(x).toBeGreaterThanOrEqual(16);
          expect(x).toBeLessThan(img.width - 16);
        }
      }
    }
    if (label) expect(inked).toBeGreaterThan(0);
    else expect(inked).toBe(0);
  });

  it("still returns a card-sized PNG for an input that is not a QR", async () => {
    for (const [w, h] of [
      [264, 264],
      [100, 60],
      [900, 700],
    ] as const) {
      const card = await renderQrCard({ qrPng: await noisePng(w, h, w), label: "shop" });
      const img = await decodePng(card);
      expect([img.width, img.height]).toEqual([CARD_WIDTH, CARD_HEIGHT]);
    }
  });

  it("falls back to an upscale that still scans when the grid reader rejects the QR", async () => {
    // Rotated 90°: finders at the wrong corners, which the grid reader refuses on purpose.
    const payload = whatsappRef(100, 11);
    const src = await Jimp.read(await QRCode.toBuffer(payload, { width: 264, margin: 2 }));
    src.rotate(90);
    const qrPng = await src.getBuffer("image/png");
    expect(
      extractModuleGrid(rgbaToGray(src.width, src.height, new Uint8Array(src.bitmap.data))),
    ).toBeNull();
    const card = await renderQrCard({ qrPng, label: "shop" });
    expect(await scan(card)).toBe(payload);
  });

  it("rejects bytes that are not an image", async () => {
    await expect(
      renderQrCard({ qrPng: Buffer.from("not a png"), label: "shop" }),
    ).rejects.toThrow();
  });
});

describe("renderQrCardNaive", () => {
  it("renders a card-sized PNG that scans", async () => {
    const payload = whatsappRef(228, 12);
    const card = await renderQrCardNaive({
      qrPng: await QRCode.toBuffer(payload, { width: 264, margin: 2 }),
      label: "shop",
    });
    const img = await decodePng(card);
    expect([img.width, img.height]).toEqual([CARD_WIDTH, CARD_HEIGHT]);
    expect(await scan(card)).toBe(payload);
  });
});
