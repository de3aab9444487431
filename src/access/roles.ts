/**
 * Who may do what, decided in one place (README "Who may do what"). Pure: the lists come from the
 * configuration, the answers from these functions, and every command, button, typed reply, list of
 * names and alert asks them through `Access`.
 *
 * - Global lists (ADMIN_IDS, OPERATOR_IDS, VIEWER_IDS) say who is on the team, and their role on
 *   every instance that does not restrict itself.
 * - An instance that lists its own `admins`, `operators` or `viewers` is private: on it only the
 *   team members it lists have a role (the one of the list they are in), plus ADMIN_IDS.
 * - Somebody listed on an instance but in no global list is not on the team and has no role:
 *   taking a user out of the global lists takes away every right they had (as before 0.2, when an
 *   instance's `operators` had to be in OPERATOR_IDS too).
 * - An instance that nobody administers (no ADMIN_IDS and no `admins` of its own) is administered
 *   by its operators: greenlight had no admins before 0.2, and such a configuration keeps every
 *   right it gave.
 */

export type Role = "viewer" | "operator" | "admin";

/** What an action needs: see the instance, act on it, or change it for everyone. */
export type Right = "view" | "operate" | "administer";

const RANK: Record<Role, number> = { viewer: 1, operator: 2, admin: 3 };
const LEAST_ROLE: Record<Right, Role> = {
  view: "viewer",
  operate: "operator",
  administer: "admin",
};

export interface TeamLists {
  adminIds: readonly number[];
  operatorIds: readonly number[];
  viewerIds: readonly number[];
}

/** The access fields of one instance in the instances file. */
export interface InstanceLists {
  name: string;
  admins?: readonly number[];
  operators?: readonly number[];
  viewers?: readonly number[];
}

export function allows(role: Role | undefined, right: Right): boolean {
  return role !== undefined && RANK[role] >= RANK[LEAST_ROLE[right]];
}

export function isOnTeam(userId: number, team: TeamLists): boolean {
  return (
    team.adminIds.includes(userId) ||
    team.operatorIds.includes(userId) ||
    team.viewerIds.includes(userId)
  );
}

export function restrictsItself(instance: InstanceLists): boolean {
  return (
    instance.admins !== undefined ||
    instance.operators !== undefined ||
    instance.viewers !== undefined
  );
}

/** The highest of the lists the user is in, or none. */
function listedRole(
  userId: number,
  lists: { admins?: readonly number[]; operators?: readonly number[]; viewers?: readonly number[] },
): Role | undefined {
  if (lists.admins?.includes(userId)) return "admin";
  if (lists.operators?.includes(userId)) return "operator";
  if (lists.viewers?.includes(userId)) return "viewer";
  return undefined;
}

/** A user's role on one instance; undefined: the instance does not exist for them. */
export function roleOf(userId: number, instance: InstanceLists, team: TeamLists): Role | undefined {
  if (team.adminIds.includes(userId)) return "admin";
  if (!isOnTeam(userId, team)) return undefined;
  const role = restrictsItself(instance)
    ? listedRole(userId, instance)
    : listedRole(userId, { operators: team.operatorIds, viewers: team.viewerIds });
  const administered = team.adminIds.length > 0 || (instance.admins?.length ?? 0) > 0;
  return role === "operator" && !administered ? "admin" : role;
}

/**
 * Ids an instance lists that get nothing from it because they are on no global list: almost
 * certainly a mistake in the configuration, worth one warning at start.
 */
export function listedOffTeam(
  instances: readonly InstanceLists[],
  team: TeamLists,
): Array<{ instance: string; userId: number }> {
  return instances.flatMap((instance) =>
    [
      ...new Set([
        ...(instance.admins ?? []),
        ...(instance.operators ?? []),
        ...(instance.viewers ?? []),
      ]),
    ]
      .filter((userId) => !isOnTeam(userId, team))
      .map((userId) => ({ instance: instance.name, userId })),
  );
}
