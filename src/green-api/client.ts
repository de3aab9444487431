import type { z } from "zod";
import type { Instance } from "../config/index.js";
import { redactGreenApiUrl } from "../shared/redact.js";
import { failureOfStatus, GreenApiError } from "./errors.js";
import type { CallGate } from "./rate-limiter.js";
import {
  type AuthorizationCode,
  authorizationCodeSchema,
  type InstanceSettings,
  instanceSettingsSchema,
  type SettingsPatch,
  setSettingsSchema,
  getStateInstanceSchema,
  logoutSchema,
  type MessagesQueue,
  messagesQueueSchema,
  type QrAnswer,
  qrAnswerSchema,
  rebootSchema,
  type StateHistory,
  type StateInstance,
  stateHistorySchema,
  type WaSettings,
  waSettingsSchema,
} from "./schemas.js";

export interface GreenApiClientOptions {
  /** Per request; GREEN-API's qr has been seen taking tens of seconds. */
  timeoutMs: number;
  fetch?: typeof fetch;
  /**
   * Paces calls under GREEN-API's per-instance limits, for every caller and process (see
   * rate-limiter.ts). None: calls go out at once.
   */
  gate?: CallGate;
  /** Longest wait for a call's turn unless the call says otherwise (default 10 s). */
  maxGateWaitMs?: number;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Of the request itself, once its turn came. */
  timeoutMs?: number;
  /** Longest wait for the call's turn under the rate limit; past it: GreenApiError rate-limited. */
  maxWaitMs?: number;
}

const DEFAULT_MAX_GATE_WAIT_MS = 10_000;

/**
 * A typed client for the few GREEN-API methods greenlight needs, on Node's fetch. Every answer is
 * validated; every failure is a GreenApiError whose text names the instance, never its token.
 */
export class GreenApiClient {
  private readonly fetch: typeof fetch;

  constructor(private readonly options: GreenApiClientOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  qr(instance: Instance, options?: CallOptions): Promise<QrAnswer> {
    return this.call(instance, "GET", "qr", qrAnswerSchema, undefined, options);
  }

  getStateInstance(instance: Instance, options?: CallOptions): Promise<StateInstance> {
    return this.call(
      instance,
      "GET",
      "getStateInstance",
      getStateInstanceSchema,
      undefined,
      options,
    );
  }

  getWaSettings(instance: Instance, options?: CallOptions): Promise<WaSettings> {
    return this.call(instance, "GET", "getWaSettings", waSettingsSchema, undefined, options);
  }

  getStateInstanceHistory(instance: Instance, options?: CallOptions): Promise<StateHistory> {
    return this.call(
      instance,
      "GET",
      "getStateInstanceHistory",
      stateHistorySchema,
      undefined,
      options,
    );
  }

  /** The messages waiting to be sent (their ids only; see messagesQueueSchema). */
  showMessagesQueue(instance: Instance, options?: CallOptions): Promise<MessagesQueue> {
    return this.call(instance, "GET", "showMessagesQueue", messagesQueueSchema, undefined, options);
  }

  async logout(instance: Instance, options?: CallOptions): Promise<boolean> {
    const answer = await this.call(instance, "GET", "logout", logoutSchema, undefined, options);
    return answer.isLogout;
  }

  async reboot(instance: Instance, options?: CallOptions): Promise<boolean> {
    const answer = await this.call(instance, "GET", "reboot", rebootSchema, undefined, options);
    return answer.isReboot;
  }

  /** The instance's settings: its webhook URL and token (a secret: never logged), the switches. */
  async getSettings(instance: Instance, options?: CallOptions): Promise<InstanceSettings> {
    const answer = await this.call(
      instance,
      "GET",
      "getSettings",
      instanceSettingsSchema,
      undefined,
      options,
    );
    return {
      webhookUrl: answer.webhookUrl,
      webhookUrlToken: answer.webhookUrlToken,
      stateWebhook: answer.stateWebhook,
      incomingWebhook: answer.incomingWebhook,
      outgoingWebhook: answer.outgoingWebhook,
      outgoingMessageWebhook: answer.outgoingMessageWebhook,
      outgoingAPIMessageWebhook: answer.outgoingAPIMessageWebhook,
    };
  }

  /**
   * Changes only the fields given. GREEN-API's `saveSettings`; it reboots the instance and the
   * settings apply within 5 minutes (green-api.com/en/docs/api/account/SetSettings).
   */
  async setSettings(
    instance: Instance,
    patch: SettingsPatch,
    options?: CallOptions,
  ): Promise<boolean> {
    const answer = await this.call(
      instance,
      "POST",
      "setSettings",
      setSettingsSchema,
      patch,
      options,
    );
    return answer.saveSettings;
  }

  /** `phoneNumber`: digits only, country code first, no "+". */
  getAuthorizationCode(
    instance: Instance,
    phoneNumber: string,
    options?: CallOptions,
  ): Promise<AuthorizationCode> {
    return this.call(
      instance,
      "POST",
      "getAuthorizationCode",
      authorizationCodeSchema,
      { phoneNumber: Number(phoneNumber) },
      options,
    );
  }

  private async call<Schema extends z.ZodType>(
    instance: Instance,
    httpMethod: "GET" | "POST",
    method: string,
    schema: Schema,
    body: unknown,
    options: CallOptions = {},
  ): Promise<z.output<Schema>> {
    const url = `${instance.apiUrl}/waInstance${instance.idInstance}/${method}/${instance.apiTokenInstance}`;
    const fail = (
      failure: ConstructorParameters<typeof GreenApiError>[0],
      status?: number,
      detail?: string,
    ) => new GreenApiError(failure, method, instance.name, status, detail);

    // Wait for this instance's and method's turn (shared with every other caller) rather than
    // take GREEN-API's 429; a turn too far away fails like a 429 would, without the request.
    const gate = this.options.gate;
    if (gate) {
      const maxWaitMs = options.maxWaitMs ?? this.options.maxGateWaitMs ?? DEFAULT_MAX_GATE_WAIT_MS;
      const turn = await gate.take(instance, method, { maxWaitMs, signal: options.signal });
      if (!turn) throw fail("rate-limited", undefined, `no free slot within ${maxWaitMs} ms`);
    }
    const timeout = AbortSignal.timeout(options.timeoutMs ?? this.options.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;

    let response: Response;
    let text: string;
    try {
      response = await this.fetch(url, {
        method: httpMethod,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
      text = await response.text();
    } catch (error) {
      if (timeout.aborted) throw fail("timeout");
      if (options.signal?.aborted) throw options.signal.reason ?? error;
      // fetch's errors can quote the URL; keep only a scrubbed cause.
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      throw fail(
        "network",
        undefined,
        cause ?? redactGreenApiUrl(String((error as Error).message)),
      );
    }

    if (!response.ok) throw fail(failureOfStatus(response.status), response.status);

    let json: unknown;
    try {
      json = text.trim() === "" ? null : JSON.parse(text);
    } catch {
      throw fail("invalid-answer", response.status, "not JSON");
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw fail("invalid-answer", response.status, "unexpected shape");
    return parsed.data;
  }
}
