import type { Instance, InstanceRegistry } from "../config/index.js";
import { allows, isOnTeam, type Right, type Role, roleOf, type TeamLists } from "./roles.js";

/** An instance name as one user sees it, for one right. */
export type Lookup =
  | { found: true; instance: Instance; role: Role }
  /** No such instance, or one this user has no role on: the two look the same to them. */
  | { found: false; reason: "unknown" }
  /** They see it, but their role does not reach this action. */
  | { found: false; reason: "forbidden"; instance: Instance; role: Role };

/**
 * The one access model, over the configured instances: every feature asks it, none decides on its
 * own. The decisions themselves are the pure functions of roles.ts.
 */
export class Access {
  constructor(
    private readonly registry: InstanceRegistry,
    private readonly team: TeamLists,
  ) {}

  isOnTeam(userId: number): boolean {
    return isOnTeam(userId, this.team);
  }

  roleOn(userId: number, instance: Instance): Role | undefined {
    return roleOf(userId, instance, this.team);
  }

  may(userId: number, instance: Instance, right: Right): boolean {
    return allows(this.roleOn(userId, instance), right);
  }

  /** The instances this user may act on with this right, in the order of the instances file. */
  instancesFor(userId: number, right: Right): Instance[] {
    return this.registry.all().filter((instance) => this.may(userId, instance, right));
  }

  namesFor(userId: number, right: Right): string[] {
    return this.instancesFor(userId, right).map((instance) => instance.name);
  }

  lookup(userId: number, name: string, right: Right): Lookup {
    const instance = this.registry.find(name);
    const role = instance && this.roleOn(userId, instance);
    if (!instance || !role) return { found: false, reason: "unknown" };
    if (!allows(role, right)) return { found: false, reason: "forbidden", instance, role };
    return { found: true, instance, role };
  }

  /** Everyone on the team who may see this instance: its alerts' private chats by default. */
  viewersOf(name: string): number[] {
    const instance = this.registry.find(name);
    if (!instance) return [];
    const everyone = new Set([
      ...this.team.adminIds,
      ...this.team.operatorIds,
      ...this.team.viewerIds,
    ]);
    return [...everyone].filter((userId) => this.may(userId, instance, "view"));
  }
}
