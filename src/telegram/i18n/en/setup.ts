/** Set-up mode (no OPERATOR_IDS yet): the bot only tells people their id. */
export const setup = {
  yourId: (id: number) =>
    [
      `👋 Your Telegram id is <code>${id}</code>.`,
      "",
      "greenlight is in set-up mode: nobody may use it yet. To make yourself its operator, add this line to <code>.env</code> and restart greenlight:",
      `<code>OPERATOR_IDS=${id}</code>`,
      "Several people: their ids separated by commas.",
    ].join("\n"),
  notSetUp: "⚙️ greenlight is not set up yet: commands do nothing until OPERATOR_IDS is set.",
};
