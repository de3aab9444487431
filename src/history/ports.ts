/**
 * What the incident history needs from outside (app/ wires them in). The history core imports the
 * alerts pipeline's types (it reads observe() outcomes); nothing in alerts/ imports it back.
 */

/** Incident metrics (observability/metrics.ts implements them; optional until it does). */
export interface IncidentCounters {
  incidentOpened(cause: string): void;
  incidentClosed(durationMs: number, fixedBy: string): void;
}

/** How an instance was linked again through greenlight, as pairing/closures.ts records it. */
export type LinkVia = "qr" | "code" | "link";

/** The last link of an instance through greenlight (pairing/closures.ts implements it). */
export interface FixLinks {
  linkedSince(
    instance: string,
    since: number,
  ): Promise<{ by: string; at: number; via?: LinkVia } | undefined>;
}

/** "I'm on it" (alerts/claims.ts implements it). */
export interface FixClaims {
  claimedBy(instance: string, since: number): Promise<string | undefined>;
}
