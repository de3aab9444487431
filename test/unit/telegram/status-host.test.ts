import { describe, expect, it } from "vitest";
import { hostLine } from "../../../src/telegram/features/status/view.js";
import { textsFor } from "../../../src/telegram/i18n/index.js";

/** GREEN-API calls its universal host temporary (…/api/recommendations/using-green-api-hosts). */
describe("/status <instance> says which GREEN-API host the instance is called on", () => {
  const t = textsFor("en");
  it.each([
    ["https://api.greenapi.com", true],
    ["https://api.green-api.com", true],
    ["https://7103.api.greenapi.com", false],
    ["https://1101.api.green-api.com/", false],
  ])("%s: universal %s", (apiUrl, universal) => {
    const line = hostLine(apiUrl, t);
    expect(line).toContain(`🌐 Called on ${new URL(apiUrl).host}`);
    expect(line.includes("universal host")).toBe(universal);
    if (universal)
      expect(line).toContain(
        "put this instance's apiUrl from the GREEN-API console in the instances file",
      );
  });
});
