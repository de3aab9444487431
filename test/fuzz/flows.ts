// Whole flows the random sequences reach only now and then: fast-check tries them first
// (`examples`), so every run, however short, has logged out, shown a QR and given a code.
import type { Step } from "./generators.js";
import type { Person, Place } from "./model.js";

const say = (who: Person, place: Place, text: string): Step => ({
  kind: "say",
  who,
  stranger: 0,
  place,
  text,
  entities: ["bot_command"],
  carrier: "message",
});
const pressSame = (index: number, who: Person | "same" = "same"): Step => ({
  kind: "press",
  who,
  stranger: 0,
  place: "same",
  pick: 0,
  data: { from: "own", index },
  late: false,
});

export const FLOWS: Step[][] = [
  // An admin logs kiosk out with Yes; a viewer then presses the same Yes.
  [say("admin", "private", "/logout kiosk"), pressSame(0), pressSame(0, "viewer")],
  // An operator asks a QR in an untrusted group: it goes to their private chat (time to show it,
  // even under load: the run asserts it saw a QR).
  [say("operator", "untrusted-group", "/qr kiosk"), { kind: "wait", ms: 1_500 }],
  // A code by typed reply; someone else replies to the same prompt.
  [
    say("operator", "private", "/code kiosk"),
    { kind: "reply", who: "same", stranger: 0, place: "same", pick: 0, text: "+7 900 777 88 99" },
    say("other-operator", "trusted-group", "/code kiosk +7 900 777 88 99"),
  ],
  // helpdesk is linked: its code needs a log out first, behind the admin's Yes.
  [say("admin", "trusted-group", "/code helpdesk +7 900 555 66 77"), pressSame(0), pressSame(0)],
  // A reboot confirmed, then a stranger presses the message's buttons.
  [say("admin", "untrusted-group", "/reboot helpdesk"), pressSame(0), pressSame(1, "stranger")],
];
