import { describe, expect, it } from "vitest";
import { incidentsCsv } from "../../../src/history/csv.js";
import type { HistoryIncident } from "../../../src/history/incident.js";

const incident = (fixedBy: string): HistoryIncident => ({
  cause: "blocked",
  since: Date.UTC(2026, 11, 1, 3, 0, 0),
  end: Date.UTC(2026, 11, 1, 3, 12, 30),
  fix: "code",
  fixedBy,
  escalated: true,
});

describe("the /history CSV (RFC 4180, UTC)", () => {
  it.each([
    { name: "a plain name as is", fixedBy: "Ivan", field: "Ivan" },
    {
      name: "a comma or a quote: quoted, quotes doubled",
      fixedBy: 'Ivan "Vanya", Jr',
      field: '"Ivan ""Vanya"", Jr"',
    },
    {
      name: "a formula a spreadsheet would run: an apostrophe first",
      fixedBy: "=HYPERLINK(1)",
      field: "'=HYPERLINK(1)",
    },
    { name: "a line break: quoted", fixedBy: "Ivan\nPetrov", field: '"Ivan\nPetrov"' },
  ])("$name", ({ fixedBy, field }) => {
    const [header, row, end] = incidentsCsv("shop", [incident(fixedBy)]).split(/\r\n(?=shop|$)/);
    expect(header).toBe(
      "instance,cause,started_utc,ended_utc,duration_s,claimed_by,fixed_how,fixed_by,escalated",
    );
    expect(row).toBe(
      `shop,blocked,2026-12-01T03:00:00.000Z,2026-12-01T03:12:30.000Z,750,,code,${field},yes`,
    );
    expect(end).toBe("");
  });
});
