/**
 * Text drawn into images. Latin only in every language: jimp's built-in fonts have no Cyrillic,
 * so the words a person must read are in the caption, and the card repeats the gist.
 */
export const cards = {
  waiting: (instance: string) => ({
    title: `${instance}: getting a QR code`,
    lines: ["One moment..."],
  }),
  queued: (instance: string) => ({
    title: `${instance}: waiting its turn`,
    lines: ["The QR appears here when a slot frees"],
  }),
  moved: (instance: string) => ({ title: `${instance}: moved`, lines: ["See the newer message"] }),
  authorized: (instance: string, phone?: string) => ({
    title: `${instance} is authorized`,
    lines: phone ? [phone] : [],
  }),
  alreadyAuthorized: (instance: string) => ({
    title: `${instance} is already authorized`,
    lines: [],
  }),
  needsLogout: (instance: string) => ({
    title: `${instance}: log out needed`,
    lines: ["Old login data is unusable"],
  }),
  credentialsRejected: (instance: string) => ({
    title: `${instance}: credentials rejected`,
    lines: ["Check idInstance / apiTokenInstance"],
  }),
  forbidden: (instance: string) => ({
    title: `${instance}: refused (HTTP 403)`,
    lines: ["Account blocked or wrong instance"],
  }),
  quotaExceeded: (instance: string) => ({
    title: `${instance}: plan used up (HTTP 466)`,
    lines: ["Pay or change the plan, or wait"],
  }),
  expired: (instance: string) => ({
    title: `${instance}: QR expired`,
    lines: ["Tap New QR to try again"],
  }),
  cancelled: (instance: string) => ({ title: `${instance}: cancelled`, lines: [] }),
  failed: (instance: string) => ({ title: `${instance}: stopped`, lines: ["Internal error"] }),
  loggingOut: (instance: string) => ({
    title: `${instance}: logging out`,
    lines: ["One moment..."],
  }),
};
