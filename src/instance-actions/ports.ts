import type { Instance } from "../config/index.js";

/** The two GREEN-API account calls the actions make (green-api/client.ts implements them). */
export interface InstanceCalls {
  /** GREEN-API's `isLogout`. */
  logout(instance: Instance): Promise<boolean>;
  /** GREEN-API's `isReboot`. */
  reboot(instance: Instance): Promise<boolean>;
}

/** Where each action is recorded (audit/audit-log.ts). */
export interface ActionAudit {
  record(entry: {
    action: "logout" | "reboot";
    userId: number;
    chatId: number;
    instance: string;
    result: string;
  }): Promise<void>;
}
