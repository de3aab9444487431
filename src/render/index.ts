export { CARD_HEIGHT, CARD_WIDTH } from "./layout.js";
export { extractModuleGrid, type ModuleGrid, type QrCardInput, renderQrCard } from "./qr-card.js";
export { type CardTone, renderStatusCard, type StatusCardInput } from "./status-card.js";
