import { describe, expect, it } from "vitest";
import {
  inspectionText,
  onResultText,
  shownUrl,
} from "../../../src/telegram/features/webhook/view.js";
import { textsFor } from "../../../src/telegram/i18n/index.js";
import type { WebhookInspection } from "../../../src/webhook-setup/webhook-setup.js";

const switched: WebhookInspection = {
  now: {
    kind: "read",
    pointsAtGreenlight: true,
    webhookUrl: "https://gl.example/x",
    stateWebhook: "yes",
  },
  switched: {
    at: Date.parse("2026-12-06T12:00:00Z"),
    userId: 1001,
    forwardUrl: "https://n8n.example/webhook/3f2a9c1e-secret-id?key=abc",
    turnedStateWebhookOn: true,
  },
  missing: [],
};

describe("/webhook's screen", () => {
  it.each(["en", "ru"] as const)(
    "%s: a private application URL is refused with its host only and the setting to name",
    (locale) => {
      const text = onResultText(
        "shop",
        { kind: "private-target", forwardUrl: "http://10.0.0.7:8080/hook?key=abc" },
        textsFor(locale),
      );
      expect(text).toContain("http://10.0.0.7:8080/…");
      expect(text).toContain("FORWARD_PRIVATE_HOSTS");
      expect(text).not.toContain("key=abc");
    },
  );

  it.each([
    ["https://n8n.example/webhook/3f2a9c1e", "https://n8n.example/…"],
    ["https://crm.example:8443/?token=abc", "https://crm.example:8443/…"],
    ["https://crm.example", "https://crm.example"],
    ["not a url", "(not a URL)"],
  ])("shows %s as %s: never a path or query, which can be a secret", (url, shown) => {
    expect(shownUrl(url)).toBe(shown);
  });

  it.each(["en", "ru"] as const)(
    "%s: no backlog line without the relay; with it, the figures",
    (locale) => {
      const t = textsFor(locale);
      const without = inspectionText("shop", switched, t);
      expect(without).not.toContain("3f2a9c1e");
      expect(without).toContain("https://n8n.example/…");
      expect(without).toContain(t.webhook.notYet);
      expect(without).not.toContain(t.webhook.backlog(0, "", undefined).slice(0, 12));

      const withBacklog = inspectionText(
        "shop",
        {
          ...switched,
          switched: {
            ...switched.switched!,
            firstNotificationAt: Date.parse("2026-12-06T12:03:00Z"),
          },
          backlog: {
            count: 12,
            bytes: 3_500,
            oldestAt: Date.parse("2026-12-06T12:10:00Z"),
            failingSince: Date.parse("2026-12-06T12:09:00Z"),
            deadLettered: 2,
          },
        },
        t,
      );
      expect(withBacklog).toContain(t.webhook.tookEffect("2026-12-06 12:03"));
      expect(withBacklog).toContain(t.webhook.backlog(12, "3.4 KB", "2026-12-06 12:10"));
      expect(withBacklog).toContain(t.webhook.failingSince("2026-12-06 12:09"));
      expect(withBacklog).toContain(t.webhook.deadLettered(2));
    },
  );
});
