import { describe, expect, it } from "vitest";
import { checkInitData, signInitData } from "../../../src/link-page/mini-app-auth.js";

const TOKEN = "123456:ABCdefGhIJKlmnOPQRstuVWXyz0123456789";
const NOW = 1_800_000_000_000;
const HOUR = 3_600_000;
const user = JSON.stringify({ id: 1001, first_name: "Ann" });
const fresh = String(Math.floor((NOW - 60_000) / 1000));

describe("checkInitData: Telegram's Mini App initData, per the Bot API", () => {
  it.each<[string, string, string]>([
    [
      "signed by our bot, a minute old",
      signInitData({ auth_date: fresh, user, query_id: "q" }, TOKEN),
      "ok",
    ],
    [
      "with a signature field inside the checked string",
      signInitData({ auth_date: fresh, user, signature: "sig" }, TOKEN),
      "ok",
    ],
    [
      "with a signature field outside the checked string",
      `${signInitData({ auth_date: fresh, user }, TOKEN)}&signature=sig`,
      "ok",
    ],
    ["signed by another bot", signInitData({ auth_date: fresh, user }, "999:other"), "forged"],
    [
      "a field changed after signing",
      signInitData({ auth_date: fresh, user }, TOKEN).replace("1001", "1002"),
      "forged",
    ],
    [
      "older than an hour",
      signInitData({ auth_date: String(Math.floor((NOW - HOUR - 1000) / 1000)), user }, TOKEN),
      "stale",
    ],
    ["without a user", signInitData({ auth_date: fresh }, TOKEN), "no-user"],
    ["without a hash", `auth_date=${fresh}&user=${encodeURIComponent(user)}`, "malformed"],
    ["empty", "", "malformed"],
    [
      "with two hashes",
      `${signInitData({ auth_date: fresh, user }, TOKEN)}&hash=${"0".repeat(64)}`,
      "malformed",
    ],
  ])("%s → %s", (_name, raw, verdict) => {
    const result = checkInitData(raw, TOKEN, NOW, HOUR);
    expect(result.ok ? "ok" : result.reason).toBe(verdict);
    if (result.ok) expect(result.userId).toBe(1001);
  });
});
