import type { Instance } from "../config/index.js";
import type { CallOptions } from "../green-api/client.js";
import type { StateHistory, StateInstance, WaSettings } from "../green-api/schemas.js";

/** The GREEN-API calls of a live /status (green-api/client.ts implements them). */
export interface StatusCalls {
  getStateInstance(instance: Instance, options?: CallOptions): Promise<StateInstance>;
  getWaSettings(instance: Instance, options?: CallOptions): Promise<WaSettings>;
  getStateInstanceHistory(instance: Instance, options?: CallOptions): Promise<StateHistory>;
}

/** A quotaExceeded notification GREEN-API sent, as the webhook stored it (green-api/quota-store.ts). */
export type { QuotaNotice } from "../green-api/quota-store.js";

/** The states GREEN-API reports for an instance (getStateInstance), as /status and alerts word them. */
export type { KnownStateInstance, StateInstance } from "../green-api/schemas.js";
export { isKnownState } from "../green-api/schemas.js";
