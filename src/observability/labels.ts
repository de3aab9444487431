/**
 * Label values of the metrics, bounded: a label takes one of a few known words or "other", never
 * an id, a name or free text (Prometheus keeps one series per value).
 */

/** Causes of an incident (GREEN-API's bad states, unreachable, stuck): anything else is "other". */
const INCIDENT_CAUSES: ReadonlySet<string> = new Set([
  "notAuthorized",
  "blocked",
  "sleepMode",
  "starting",
  "yellowCard",
  "suspended",
  "unreachable",
  "stuck",
]);
/** How an incident ended (the history's fixers): anything else is "other". */
const FIXERS: ReadonlySet<string> = new Set(["qr", "code", "reboot", "link_page", "itself"]);
/** Other spellings of the same fixers ("link-page", "by itself"…). */
const FIXER_ALIASES: Readonly<Record<string, string>> = {
  linkpage: "link_page",
  link: "link_page",
  self: "itself",
  by_itself: "itself",
  auto: "itself",
  pairing_code: "code",
};

/** A fixer as a label: one of FIXERS, or "other". */
export function fixerLabel(fixedBy: string): string {
  const word = fixedBy
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
  const known = FIXER_ALIASES[word] ?? word;
  return FIXERS.has(known) ? known : "other";
}
/** A Bot API method name as a label; the set is small and fixed by our own code. */
const API_METHOD = /^[A-Za-z]{1,40}$/;

/** An incident's cause as a label: one of INCIDENT_CAUSES, or "other". */
export function causeLabel(cause: string): string {
  return INCIDENT_CAUSES.has(cause) ? cause : "other";
}

/** A Bot API method as a label; anything not shaped like one is "other". */
export function methodLabel(method: string): string {
  return API_METHOD.test(method) ? method : "other";
}
