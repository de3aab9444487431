import type { Instance } from "../config/index.js";
import type { CallOptions } from "../green-api/client.js";
import type { StateHistory, StateInstance, WaSettings } from "../green-api/schemas.js";

/** The GREEN-API calls of a live /status (green-api/client.ts implements them). */
export interface StatusCalls {
  getStateInstance(instance: Instance, options?: CallOptions): Promise<StateInstance>;
  getWaSettings(instance: Instance, options?: CallOptions): Promise<WaSettings>;
  getStateInstanceHistory(instance: Instance, options?: CallOptions): Promise<StateHistory>;
}
