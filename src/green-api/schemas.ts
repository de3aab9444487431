import { z } from "zod";

/** Answers of the GREEN-API account methods greenlight uses (green-api.com/en/docs/api/account). */

export const qrAnswerSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("qrCode"), message: z.string().min(1) }),
  z.object({ type: z.literal("error"), message: z.string() }),
  z.object({ type: z.literal("alreadyLogged"), message: z.string().optional() }),
]);
export type QrAnswer = z.infer<typeof qrAnswerSchema>;

export const stateInstanceSchema = z.enum([
  "notAuthorized",
  "authorized",
  "blocked",
  "sleepMode",
  "starting",
  "yellowCard",
  "suspended",
]);
export type StateInstance = z.infer<typeof stateInstanceSchema>;

/** The body can be `null` while an instance is being created: treat that as starting. */
export const getStateInstanceSchema = z
  .object({ stateInstance: stateInstanceSchema })
  .nullable()
  .transform((answer) => answer?.stateInstance ?? "starting");

export const waSettingsSchema = z.object({
  phone: z.string().optional().default(""),
  stateInstance: stateInstanceSchema.optional(),
});
export type WaSettings = z.infer<typeof waSettingsSchema>;

export const stateHistorySchema = z
  .array(
    z.object({
      stateInstance: z.string(),
      timestamp: z.number(),
      phoneNumber: z.string().optional().nullable(),
    }),
  )
  .nullable()
  .transform((entries) => entries ?? []);
export type StateHistory = z.output<typeof stateHistorySchema>;

export const logoutSchema = z.object({ isLogout: z.boolean() });
export const rebootSchema = z.object({ isReboot: z.boolean() });

export const authorizationCodeSchema = z.object({ status: z.boolean(), code: z.string() });
export type AuthorizationCode = z.infer<typeof authorizationCodeSchema>;

/** The documented text of the one `qr` error that has a fix: log out, then scan again. */
export const NEEDS_LOGOUT_MESSAGE = "Instance has auth. You need to make log out";

export function isNeedsLogout(answer: QrAnswer): boolean {
  return answer.type === "error" && answer.message.toLowerCase().includes("make log out");
}
