// GREEN-API's documented webhook bodies, one per notification type, as its docs show them
// (green-api.com/en/docs/api/receiving/notifications-format/…), with the instance id and the time
// swapped in. Every one is sent to the one webhook URL of an instance (REAL-API.md).

const instanceData = (idInstance: number) => ({
  idInstance,
  wid: "11001234567@c.us",
  typeInstance: "whatsapp",
});

const unixNow = () => Math.floor(Date.now() / 1000);

/** …/notifications-format/incoming-message/TextMessage */
export const incomingMessageReceived = (idInstance: number) => ({
  typeWebhook: "incomingMessageReceived",
  instanceData: instanceData(idInstance),
  timestamp: unixNow(),
  idMessage: "F7AEC1B7086ECDC7E6E45923F5EDB825",
  senderData: {
    chatId: "79001234568@c.us",
    sender: "79001234568@c.us",
    chatName: "GREEN-API",
    senderName: "GREEN-API",
    senderContactName: "GREEN-API",
  },
  messageData: {
    typeMessage: "textMessage",
    textMessageData: { textMessage: "I use GREEN-API to send this message to you!" },
  },
});

/** …/notifications-format/outgoing-message/OutgoingMessage (same format, other type) */
export const outgoingMessageReceived = (idInstance: number) => ({
  ...incomingMessageReceived(idInstance),
  typeWebhook: "outgoingMessageReceived",
});

/** …/notifications-format/outgoing-message/OutgoingApiMessage */
export const outgoingAPIMessageReceived = (idInstance: number) => ({
  ...incomingMessageReceived(idInstance),
  typeWebhook: "outgoingAPIMessageReceived",
});

/** …/notifications-format/outgoing-message/OutgoingMessageStatus */
export const outgoingMessageStatus = (idInstance: number) => ({
  typeWebhook: "outgoingMessageStatus",
  chatId: "71231234567@c.us",
  instanceData: instanceData(idInstance),
  timestamp: unixNow(),
  idMessage: "ECE6BBEA514B66872790C3D9D52C5C19",
  status: "sent",
  sendByApi: true,
});

/** …/notifications-format/StateInstanceChanged */
export const stateInstanceChanged = (idInstance: number, stateInstance = "notAuthorized") => ({
  typeWebhook: "stateInstanceChanged",
  instanceData: instanceData(idInstance),
  timestamp: unixNow(),
  stateInstance,
});

/** …/notifications-format/DeviceInfo */
export const deviceInfo = (idInstance: number) => ({
  typeWebhook: "deviceInfo",
  instanceData: instanceData(idInstance),
  timestamp: unixNow(),
  deviceData: {
    platform: "android",
    deviceManufacturer: "Samsung",
    deviceModel: "SM-A515F",
    osVersion: "11",
    waVersion: "2.21.24.22",
    battery: 55,
  },
});

/** …/notifications-format/IncomingCall */
export const incomingCall = (idInstance: number) => ({
  from: "79001234567@c.us",
  typeWebhook: "incomingCall",
  instanceData: instanceData(idInstance),
  status: "offer",
  timestamp: unixNow(),
  idMessage: "DE12CB35A7E7DA6EA6E1A4D1F2B0C9E8",
});

/**
 * …/notifications-format/QuotaExceeded: the documented example has no `timestamp` (the table
 * lists one), and `used` / `total` are integers there (strings in the table).
 */
export const quotaExceeded = (idInstance: number) => ({
  typeWebhook: "quotaExceeded",
  instanceData: instanceData(idInstance),
  quotaData: {
    method: "correspondents",
    used: 3,
    total: 3,
    status: "CORRESPONDENTS_QUOTA_EXCEEDED",
    description:
      "Monthly quota has been exceeded. You can only send or receive messages from following chats: 10001234560@c.us, 10001234561@c.us, 10001234562@c.us. Please go to your personal account and change the tariff to business https://console.green-api.com",
  },
});

/** Every type, for "each one gets 200". */
export const DOCUMENTED_NOTIFICATIONS = {
  incomingMessageReceived,
  outgoingMessageReceived,
  outgoingAPIMessageReceived,
  outgoingMessageStatus,
  stateInstanceChanged,
  deviceInfo,
  incomingCall,
  quotaExceeded,
} as const;

/**
 * The n-th message of an instance as GREEN-API might format it: pretty-printed or not, with
 * non-ASCII text and escapes, so that any re-encoding on the way would show.
 */
export function relayedMessage(idInstance: string, n: number): string {
  const body = incomingMessageReceived(Number(idInstance));
  body.idMessage = `MSG${String(n).padStart(6, "0")}`;
  body.messageData.textMessageData.textMessage = `#${n} привет 🟢 "quoted" \\ tab\t`;
  return JSON.stringify(body, null, n % 2 ? 2 : 0);
}

/** The sequence number a relayed body carries. */
export const relayedNumberOf = (body: Buffer) =>
  Number(/"MSG(\d+)"/.exec(body.toString("utf8"))?.[1]);
