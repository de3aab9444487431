import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

/**
 * docs/architecture.md's claim that src/'s folders depend one way, checked on the real imports:
 * depcruise's JSON (every import, type-only ones included) collapsed to the top-level folders of
 * src/, which must have no cycle. depcruise's own no-circular rule sees modules only; two folders
 * can import each other through files that form no module cycle (http/ ↔ observability/ did).
 */

type FolderGraph = ReadonlyMap<string, ReadonlySet<string>>;

interface CruiseJson {
  modules: Array<{ source: string; dependencies: Array<{ resolved: string }> }>;
}

const topFolder = (path: string) => /^src\/([^/]+)\//.exec(path)?.[1];

/** The folder graph: an edge a → b when a file under src/a/ imports one under src/b/. */
function folderGraph(cruise: CruiseJson): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const module of cruise.modules) {
    const from = topFolder(module.source);
    if (!from) continue;
    for (const dependency of module.dependencies) {
      const to = topFolder(dependency.resolved);
      if (!to || to === from) continue;
      graph.set(from, (graph.get(from) ?? new Set()).add(to));
    }
  }
  return graph;
}

/** One cycle of the graph as a path ["a", "b", "a"], or undefined when there is none. */
function findCycle(graph: FolderGraph): string[] | undefined {
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (node: string): string[] | undefined => {
    const at = path.indexOf(node);
    if (at >= 0) return [...path.slice(at), node];
    if (done.has(node)) return undefined;
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    done.add(node);
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

const graphOf = (edges: Record<string, readonly string[]>): FolderGraph =>
  new Map(Object.entries(edges).map(([from, to]) => [from, new Set(to)]));

describe("the folder graph's cycle finder (pure)", () => {
  it.each([
    ["one way", { app: ["http", "alerts"], http: ["shared"], alerts: ["shared"] }, undefined],
    [
      "two folders importing each other",
      { http: ["observability"], observability: ["http"] },
      ["http", "observability", "http"],
    ],
    ["a longer loop", { a: ["b"], b: ["c"], c: ["a"], d: ["a"] }, ["a", "b", "c", "a"]],
    ["a diamond is no cycle", { a: ["b", "c"], b: ["d"], c: ["d"] }, undefined],
  ] as const)("%s", (_, edges, cycle) => {
    expect(findCycle(graphOf(edges))).toEqual(cycle);
  });

  it("collapses files to their top folder, ignoring imports inside a folder", () => {
    const graph = folderGraph({
      modules: [
        { source: "src/http/server.ts", dependencies: [{ resolved: "src/http/ports.ts" }] },
        {
          source: "src/telegram/features/qr.ts",
          dependencies: [{ resolved: "src/telegram/bot.ts" }, { resolved: "src/alerts/x.ts" }],
        },
        { source: "test/kit/x.ts", dependencies: [{ resolved: "src/app/index.ts" }] },
        { source: "src/app/index.ts", dependencies: [{ resolved: "node:os" }] },
      ],
    });
    expect(graph).toEqual(new Map([["telegram", new Set(["alerts"])]]));
  });
});

describe("src/'s folders (depcruise's JSON)", () => {
  it("depend one way: no cycle between top-level folders", { timeout: 120_000 }, async () => {
    const { stdout } = await promisify(execFile)(
      "node_modules/.bin/depcruise",
      ["src", "--config", ".dependency-cruiser.cjs", "--output-type", "json"],
      { maxBuffer: 64 * 1024 * 1024, timeout: 110_000 },
    );
    const graph = folderGraph(JSON.parse(stdout) as CruiseJson);
    expect(graph.get("app")?.has("alerts")).toBe(true); // the graph is the real one
    expect(findCycle(graph)).toBeUndefined();
  });
});
