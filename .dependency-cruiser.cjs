/**
 * The one-way arrows of docs/architecture.md, checked on every `npm run lint` (and so in CI):
 * main → app/ (composition root) → telegram/, http/ → feature cores → green-api/, render/,
 * config/, shared/. A feature core declares the ports it needs; telegram/ implements them.
 */
const FEATURE_CORES =
  "^src/(qr-session|pairing|alerts|access|audit|instance-directory|instance-actions|status|webhook-setup|relay|history|link-page)/";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "core-imports-telegram-or-http",
      comment:
        "A feature core declares a port (ports.ts) and telegram/ implements it; it never reaches into telegram/ or http/.",
      severity: "error",
      from: { path: FEATURE_CORES },
      to: { path: "^src/(telegram|http|app)/" },
    },
    {
      name: "telegram-imports-green-api",
      comment:
        "Telegram features and screens reach GREEN-API through a core (instance-actions/, status/, qr-session/, pairing/), never directly.",
      severity: "error",
      from: { path: "^src/telegram/" },
      to: { path: "^src/green-api/" },
    },
    {
      name: "foundations-import-upwards",
      comment: "green-api/, render/, config/, shared/, jobs/ and observability/ know no feature.",
      severity: "error",
      from: { path: "^src/(green-api|render|config|shared|jobs)/" },
      to: {
        path: "^src/(telegram|http|app|qr-session|pairing|alerts|access|audit|instance-directory|instance-actions|status|webhook-setup|relay|history|link-page|observability)/",
      },
    },
    {
      name: "observability-knows-no-feature",
      comment:
        "observability/ is a foundation: features count through ports of their own, which its Metrics fits, and app/ passes it in. It imports foundations only (never a feature core, http/, telegram/ or app/).",
      severity: "error",
      from: { path: "^src/observability/" },
      to: { path: "^src/", pathNot: "^src/(observability|green-api|render|config|shared|jobs)/" },
    },
    {
      name: "http-imports-foundations-only",
      comment:
        "http/ serves what app/ hands it (the alerts' intake, the quota store, metrics) through functions and ports of its own (http/ports.ts): it imports no feature core, no telegram/ and no observability/.",
      severity: "error",
      from: { path: "^src/http/" },
      to: { path: "^src/", pathNot: "^src/(http|green-api|render|config|shared|jobs)/" },
    },
    {
      name: "only-main-imports-app",
      comment:
        "app/ is the composition root: within src/, only main.ts builds the app (tests and the bench are mains of their own).",
      severity: "error",
      from: { path: "^src/", pathNot: ["^src/main\\.ts$", "^src/app/"] },
      to: { path: "^src/app/" },
    },
    {
      name: "src-imports-test-or-bench",
      comment: "Production code never depends on test, benchmark or demo code.",
      severity: "error",
      from: { path: "^src/" },
      to: { path: "^(test|bench|demo)/" },
    },
    {
      name: "bench-imports-tests",
      comment:
        "The bench shares the test kit (test/kit, test/fakes: fakes, private Redis, QR decoding), never test files or test-runner code.",
      severity: "error",
      from: { path: "^bench/" },
      to: { path: "^test/", pathNot: ["^test/(kit|fakes)/[^/]+\\.ts$"] },
    },
    {
      name: "bench-kit-without-test-runner",
      comment: "What the bench imports of the kit must run without vitest.",
      severity: "error",
      from: { path: "^bench/" },
      to: { path: "\\.test\\.ts$|^test/kit/redis\\.ts$" },
    },
    {
      name: "demo-imports-tests",
      comment:
        "The demo (npm run demo) runs greenlight against the fakes: it may use test/kit and test/fakes, never test files or test-runner code.",
      severity: "error",
      from: { path: "^demo/" },
      to: { path: "\\.test\\.ts$|^test/kit/redis\\.ts$|^test/(?!kit/|fakes/)" },
    },
    {
      name: "no-circular",
      comment: "No import cycles, type-only imports included.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    exclude: { path: "(^|/)(node_modules|dist|\\.bench)/" },
  },
};
