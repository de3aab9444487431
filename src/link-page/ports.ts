import type { LinkRecord, LinkState } from "./link-rules.js";

/**
 * The operator's link message (telegram/link-screen.ts draws it): the link while it is alive,
 * what has happened to it, and its buttons. Edited in place on each event; never throws.
 */
export interface LinkScreen {
  show(record: LinkRecord, state: LinkState, url: string | undefined): Promise<void>;
}

/**
 * Starts a QR session for a link whose page is open and has no QR to show: in the private chat
 * of the operator who made the link (the one place the QR may be besides the page), under their
 * right, as if they had asked /qr. Does nothing when a session already runs for the instance.
 */
export interface LinkQrStarter {
  ensureRunning(record: LinkRecord): Promise<void>;
}
