import { codeList, quoteInput } from "../html.js";

export const common = {
  unknownInstance: (input: string, names: readonly string[]) =>
    `Unknown instance “${quoteInput(input)}”. Known: ${codeList(names)}`,
  unknownCommand: (name: string) => `Unknown command /${quoteInput(name)}. /help lists yours.`,
  temporarilyUnavailable: "⚠️ greenlight is temporarily unavailable, try again in a moment.",
  callbacks: {
    notAllowed: "Not allowed.",
    stale: "This button is no longer valid.",
  },
};
