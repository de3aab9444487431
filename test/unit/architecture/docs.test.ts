import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * The documentation as a reader meets it: the README, the CHANGELOG and docs/*.md link to each
 * other by file and heading (a page split or a heading renamed must not leave a dead link), name
 * only source files that exist, cite no issue numbers a reader cannot open, and the README keeps
 * measured figures out of the user's path (they live in docs/benchmarks.md and performance.md).
 */

const root = normalize(join(dirname(fileURLToPath(import.meta.url)), "../../.."));
const pages = [
  "README.md",
  "CHANGELOG.md",
  ...readdirSync(join(root, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`),
];
const read = (page: string) => readFileSync(join(root, page), "utf8");

/** The text outside fenced code blocks, where a reader sees prose, links and headings. */
function prose(markdown: string): string {
  let inFence = false;
  return markdown
    .split("\n")
    .filter((line) => {
      if (line.startsWith("```")) inFence = !inFence;
      return !inFence && !line.startsWith("```");
    })
    .join("\n");
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes. */
function headingAnchor(heading: string): string {
  const text = heading.replace(/\[([^\]]*)\]\([^)]*\)/g, "$1").replace(/`/g, "");
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}_\- ]/gu, "")
    .replace(/ /g, "-");
}

/** Every anchor a page offers; a repeated heading gets -1, -2… as on GitHub. */
function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const line of prose(markdown).split("\n")) {
    const heading = /^#{1,6}\s+(.*)$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const base = headingAnchor(heading.trim());
    const count = seen.get(base);
    anchors.add(count === undefined ? base : `${base}-${count + 1}`);
    seen.set(base, (count ?? -1) + 1);
  }
  return anchors;
}

/** Relative link targets of a page: markdown links and HTML images, outside code. */
function relativeLinks(markdown: string): string[] {
  const text = prose(markdown).replace(/`[^`\n]*`/g, "");
  const targets = [
    ...[...text.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1] ?? ""),
    ...[...text.matchAll(/<img[^>]*\ssrc="([^"]+)"/g)].map((match) => match[1] ?? ""),
  ];
  return targets.filter((target) => !/^[a-z]+:/i.test(target));
}

/** Where a link of `page` leads, or why it leads nowhere. */
function deadEnd(page: string, target: string): string | undefined {
  const [path = "", anchor] = target.split("#");
  const file = path === "" ? page : normalize(join(dirname(page), path));
  if (!existsSync(join(root, file))) return `${page}: ${target}: no file ${file}`;
  if (anchor === undefined || !file.endsWith(".md")) return undefined;
  return anchorsOf(read(file)).has(anchor)
    ? undefined
    : `${page}: ${target}: no heading #${anchor} in ${file}`;
}

describe("the documentation", () => {
  it("finds GitHub's anchors for the headings it links to", () => {
    expect(headingAnchor("A QR that is never stale")).toBe("a-qr-that-is-never-stale");
    expect(headingAnchor("At fleet scale, in short")).toBe("at-fleet-scale-in-short");
    expect(headingAnchor("/code: link with a phone number")).toBe("code-link-with-a-phone-number");
    expect(headingAnchor("Fleet watching (`npm run bench -- --fleet`)")).toBe(
      "fleet-watching-npm-run-bench------fleet",
    );
    expect([...anchorsOf("# Soak\n```\n# not a heading\n```\n## Soak\n")]).toEqual([
      "soak",
      "soak-1",
    ]);
  });

  it("links only to files and headings that exist (README, CHANGELOG, docs/)", () => {
    const dead = pages.flatMap((page) =>
      relativeLinks(read(page)).flatMap((target) => deadEnd(page, target) ?? []),
    );
    expect(dead).toEqual([]);
  });

  it("names only files of the repository that exist (`src/…`, `test/…`, `bench/…` in code spans)", () => {
    const missing = pages.flatMap((page) =>
      [...prose(read(page)).matchAll(/`((?:src|test|bench|docs)\/[^`\s<>*]+)`/g)]
        .map((match) => (match[1] ?? "").replace(/:\d+$/, ""))
        .filter((path) => !existsSync(join(root, path)))
        .map((path) => `${page}: ${path}`),
    );
    expect(missing).toEqual([]);
  });

  it("cites no issue numbers a reader cannot open", () => {
    const citations = pages.flatMap((page) =>
      [
        ...prose(read(page))
          .replace(/`[^`\n]*`/g, "`…`")
          .matchAll(/.{0,30}#\d+.{0,10}/g),
      ].map((match) => `${page}: …${match[0]}…`),
    );
    expect(citations).toEqual([]);
  });

  it("keeps measured figures (percentiles, peak RSS) out of the README: they go to docs/", () => {
    const figures = prose(read("README.md"))
      .split("\n")
      .filter((line) => /\bp(50|95|99)\b|peak RSS/i.test(line));
    expect(figures).toEqual([]);
  });
});
