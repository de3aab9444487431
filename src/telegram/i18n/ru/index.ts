import type { Texts } from "../index.js";
import { alerts } from "./alerts.js";
import { audit } from "./audit.js";
import { common } from "./common.js";
import { qr } from "./qr.js";

export const ru: Texts = { ...common, alerts, audit, qr };
