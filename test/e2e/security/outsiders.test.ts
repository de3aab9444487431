import { afterEach, describe, expect, it } from "vitest";
import { GROUP_CHAT, type Harness, STRANGER } from "../../kit/app-harness.js";
import { eventually } from "../../kit/wait.js";
import { httpUrl, startWatching } from "../alerts/kit.js";

/**
 * Issue #22, hole 6: outsiders must not make the bot do unthrottled work. A stranger's pasted
 * tokens cost one delete and one reply per cooldown, not one each; refusals are debug lines and
 * a counter, never a WARN per update.
 */
const GREEN_API_TOKEN = "d75b3a66374942c5b3c019c698abc2067e151558acbd412345";

/** Updates run concurrently: waits until each of them is done, not only the last one sent. */
function allHandled(h: Harness, updateIds: number[]): Promise<unknown> {
  return eventually(
    () =>
      updateIds.every((id) =>
        h.logLines.some((l) => l.includes(`"updateId":${id},`) && l.includes("update handled")),
      ),
    `${updateIds.length} updates handled`,
  );
}

describe("strangers cost little (hole 6)", () => {
  let h: Harness;
  afterEach(async () => h.close());

  it("40 pasted tokens from a stranger in a group: one delete, one reply, no WARN line", async () => {
    h = await startWatching({ env: { STATE_POLL_INTERVAL_MS: "0" } });
    h.telegram.botIsAdminIn(GROUP_CHAT);
    const sent: number[] = [];
    for (let i = 0; i < 40; i++) {
      const { updateId } = h.telegram.userSends({
        chatId: GROUP_CHAT,
        fromId: STRANGER,
        chatType: "group",
        text: `look ${i} ${GREEN_API_TOKEN}`,
      });
      sent.push(updateId);
    }
    await allHandled(h, sent);
    await eventually(
      () => h.telegram.callsOf("sendMessage").some((c) => c.params.chat_id === GROUP_CHAT),
      "the one reply",
    );
    expect(h.telegram.callsOf("deleteMessage")).toHaveLength(1);
    expect(
      h.telegram.callsOf("sendMessage").filter((c) => c.params.chat_id === GROUP_CHAT),
    ).toHaveLength(1);
    const warnings = h.logLines.filter((line) => line.includes('"level":40'));
    expect(warnings.filter((line) => line.includes("token"))).toEqual([]);
    expect(h.logLines.join("\n")).not.toContain(GREEN_API_TOKEN);
    const metrics = await (await fetch(httpUrl(h, "/metrics"))).text();
    expect(metrics).toContain('greenlight_refusals_total{where="bot",reason="cooldown"} 39');
  });

  it("counts a stranger's refused commands by reason, with no id in the labels", async () => {
    h = await startWatching({ env: { STATE_POLL_INTERVAL_MS: "0" } });
    const sent = ["/status", "/qr shop", "/logout shop"].map(
      (text) => h.telegram.userSends({ chatId: STRANGER, fromId: STRANGER, text }).updateId,
    );
    await allHandled(h, sent);
    const metrics = await (await fetch(httpUrl(h, "/metrics"))).text();
    expect(metrics).toContain('greenlight_refusals_total{where="bot",reason="not-on-team"} 3');
    const labels = metrics
      .split("\n")
      .filter((line) => line.startsWith("greenlight_refusals_total{"))
      .map((line) => line.slice(0, line.indexOf("}") + 1));
    for (const label of labels) {
      expect(label).toMatch(/^greenlight_refusals_total\{where="[a-z-]+",reason="[a-z-]+"\}$/);
    }
  });
});
