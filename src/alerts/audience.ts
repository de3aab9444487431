import type { Instance, InstanceRegistry } from "../config/index.js";

/** The access model's answers the alerts need (access/access.ts implements them). */
export interface AlertAccess {
  may(userId: number, instance: Instance, right: "operate"): boolean;
  /** Team members who may see the instance. */
  viewersOf(name: string): number[];
}

/**
 * Whether an alert in this chat shows the instance's fix buttons (QR, Code, Reboot, I'm on it).
 * A private chat (positive id: its user) gets them only if its user may operate the instance; a
 * group gets them, and the access model checks whoever presses.
 */
export function buttonsShown(
  chatId: number,
  instance: Instance | undefined,
  access: Pick<AlertAccess, "may">,
): boolean {
  return chatId < 0 || (instance !== undefined && access.may(chatId, instance, "operate"));
}

/**
 * Who hears of an instance's alerts, and who gets its buttons. Configured chats
 * (ALERT_CHAT_IDS) hear of every instance; without them, each team member who may see it, in
 * their private chat.
 */
export class AlertAudience {
  constructor(
    private readonly instances: InstanceRegistry,
    private readonly access: AlertAccess,
    private readonly configuredChats: readonly number[] | undefined,
  ) {}

  chatsFor(name: string): readonly number[] {
    return this.configuredChats ?? this.access.viewersOf(name);
  }

  buttonsIn(chatId: number): (name: string) => boolean {
    return (name) => buttonsShown(chatId, this.instances.find(name), this.access);
  }
}
