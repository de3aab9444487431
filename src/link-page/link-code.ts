import { isSupportedCountry } from "libphonenumber-js/max";
import type { InstanceRegistry } from "../config/index.js";
import type { GreenApiClient } from "../green-api/client.js";
import type { PairingStore } from "../pairing/pairing-store.js";
import { type CountryCode, groupPairingCode, parseTypedPhone } from "../pairing/phone.js";
import type { Logger } from "../shared/logger.js";
import type { LinkRecord } from "./link-rules.js";
import type { LinkService } from "./link-service.js";

/**
 * What the page's "Link with phone number instead" gets: the code (on the page only, the one
 * place besides the session's chat the link may show a secret), or why not, in a word the page
 * turns into a sentence. Never the number back: the page already has it, nothing else should.
 */
export type LinkCodeAnswer =
  | { kind: "code"; code: string }
  | { kind: "bad-number"; reason: string }
  | { kind: "cooldown"; seconds: number }
  | { kind: "already-linked" }
  | { kind: "failed" };

/** The state check and the code request each get this long (GREEN-API: getStateInstance 1/s). */
const CALL_TIMEOUT_MS = 5_000;

/**
 * A pairing code for a link's visitor: the same number reading as /code (parseTypedPhone), the
 * same per-instance cooldown (PairingStore.takeCooldown: a code asked here counts for /code and
 * the other way round), the same rule that only a logged-out instance gets one. The link's own
 * QR session notices the login and credits the link, as with a scan.
 */
export class LinkCodes {
  constructor(
    private readonly deps: {
      links: LinkService;
      greenApi: GreenApiClient;
      instances: InstanceRegistry;
      pairingStore: PairingStore;
      logger: Logger;
    },
    private readonly options: { cooldownMs: number; defaultCountry?: CountryCode },
  ) {}

  async request(
    record: LinkRecord,
    typed: string,
    country: string | undefined,
  ): Promise<LinkCodeAnswer> {
    const instance = this.deps.instances.find(record.instance);
    if (!instance) return { kind: "failed" };
    const picked = isCountry(country) ? country : this.options.defaultCountry;
    const phone = parseTypedPhone(typed, picked ? { defaultCountry: picked } : {});
    if (!phone.ok) return { kind: "bad-number", reason: phone.reason };
    const waitMs = await this.deps.pairingStore.takeCooldown(
      instance.name,
      this.options.cooldownMs,
    );
    if (waitMs > 0) return { kind: "cooldown", seconds: Math.ceil(waitMs / 1000) };
    const { greenApi, logger } = this.deps;
    try {
      const timeouts = { timeoutMs: CALL_TIMEOUT_MS, maxWaitMs: CALL_TIMEOUT_MS };
      const state = await greenApi.getStateInstance(instance, timeouts);
      if (state === "authorized") return { kind: "already-linked" };
      const answer = await greenApi.getAuthorizationCode(instance, phone.digits);
      if (!answer.status || !answer.code) return { kind: "failed" };
      await this.deps.links.codeRequested(record);
      return { kind: "code", code: groupPairingCode(answer.code) };
    } catch (error) {
      // Never the number in a log line; the instance and the failure are enough.
      logger.warn({ err: error, instance: instance.name }, "link page: pairing code failed");
      return { kind: "failed" };
    }
  }
}

function isCountry(country: string | undefined): country is CountryCode {
  return country !== undefined && /^[A-Z]{2}$/.test(country) && isSupportedCountry(country);
}
