import { performance } from "node:perf_hooks";
import QRCode from "qrcode";
import { renderQrCard } from "../src/render/index.js";
import { renderQrCardNaive } from "./naive-render.js";
import { median } from "./stats.js";

export interface RenderFigures {
  frames: number;
  fastMedianMs: number;
  naiveMedianMs: number;
  /** CPU time (user + system) of one fast render, averaged. */
  fastCpuMs: number;
}

/** Render time per frame, the fast pipeline against the naive jimp one, on fresh QRs. */
export async function measureRenders(frames = 60): Promise<RenderFigures> {
  const pngs = await Promise.all(
    Array.from({ length: frames }, (_, i) =>
      QRCode.toBuffer(`2@bench-${i}-${Math.random().toString(36).slice(2)}`, {
        type: "png",
        width: 264,
        margin: 2,
      }),
    ),
  );
  // Warm up fonts, caches and the JIT.
  for (const qrPng of pngs.slice(0, 5)) {
    await renderQrCard({ qrPng, label: "shop" });
    await renderQrCardNaive({ qrPng, label: "shop" });
  }
  const time = async (render: typeof renderQrCard) => {
    const times: number[] = [];
    const cpu = process.cpuUsage();
    for (const qrPng of pngs) {
      const start = performance.now();
      await render({ qrPng, label: "shop" });
      times.push(performance.now() - start);
    }
    const used = process.cpuUsage(cpu);
    return {
      median: median(times),
      cpuMs: (used.user + used.system) / 1000 / frames,
    };
  };
  const fast = await time(renderQrCard);
  const naive = await time(renderQrCardNaive);
  return {
    frames,
    fastMedianMs: fast.median,
    naiveMedianMs: naive.median,
    fastCpuMs: fast.cpuMs,
  };
}
