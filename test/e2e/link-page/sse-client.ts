/**
 * A small reader of the link page's event stream (what page.js does with EventSource), keeping
 * every raw byte it received so that tests can check nothing secret went over it.
 */
export interface SseReader {
  events: Array<{ kind: string; png?: string; nextInMs?: number }>;
  raw: string;
  headers: Headers;
  status: number;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

export async function openStream(
  url: string,
  headers: Record<string, string> = {},
): Promise<SseReader> {
  const abort = new AbortController();
  const response = await fetch(url, { headers, signal: abort.signal });
  const reader: SseReader = {
    events: [],
    raw: "",
    headers: response.headers,
    status: response.status,
    ended: Promise.resolve(),
    close: () => abort.abort(),
  };
  if (!response.ok || !response.body) return reader;
  const decoder = new TextDecoder();
  let buffer = "";
  reader.ended = (async () => {
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        const text = decoder.decode(chunk, { stream: true });
        reader.raw += text;
        buffer += text;
        let end = buffer.indexOf("\n\n");
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block
            .split("\n")
            .filter((line) => line.startsWith("data: "))
            .map((line) => line.slice(6))
            .join("\n");
          if (data) reader.events.push(JSON.parse(data) as SseReader["events"][number]);
          end = buffer.indexOf("\n\n");
        }
      }
    } catch {
      // Closed by the test.
    }
  })();
  return reader;
}
