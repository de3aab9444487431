/**
 * Card geometry shared by the QR and status cards: both are the same size so that editing a
 * Telegram message from one to the other does not make it jump.
 */
export const CARD_WIDTH = 640;
/** The square on top that holds the QR code (or the status symbol). */
export const QR_AREA = 640;
/** The strip under the square that holds the label. */
export const LABEL_STRIP_HEIGHT = 80;
export const CARD_HEIGHT = QR_AREA + LABEL_STRIP_HEIGHT;
/** The QR code's largest side in pixels: about 500-560 px scans well from another screen. */
export const QR_MAX = 560;
/** The quiet zone the QR specification asks for, in modules. */
export const QUIET_MODULES = 4;
/** Horizontal padding for text. */
export const TEXT_PADDING = 24;

/** Integer pixels per module and the top-left offset for an n×n module grid in the QR square. */
export function qrGeometry(n: number): { scale: number; offset: number } {
  const scale = Math.max(
    1,
    Math.min(Math.floor(QR_MAX / n), Math.floor(QR_AREA / (n + 2 * QUIET_MODULES))),
  );
  return { scale, offset: Math.floor((QR_AREA - n * scale) / 2) };
}
