import { access } from "./access.js";
import { alerts } from "./alerts.js";
import { audit } from "./audit.js";
import { code } from "./code.js";
import { common } from "./common.js";
import { fleet } from "./fleet.js";
import { greenApi } from "./green-api.js";
import { history } from "./history.js";
import { link } from "./link.js";
import { qr } from "./qr.js";
import { relay } from "./relay.js";
import { setup } from "./setup.js";
import { toolkit } from "./toolkit.js";
import { webhook } from "./webhook.js";

/** English, the default: its shape is the type every other language must fill (`Texts`). */
export const en = {
  ...common,
  access,
  alerts,
  audit,
  qr,
  code,
  toolkit,
  greenApi,
  setup,
  fleet,
  webhook,
  relay,
  history,
  link,
};
