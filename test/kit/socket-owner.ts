// Which process owns a TCP connection on this machine (Linux /proc), so that a fake server can tell
// which of a test's processes called it: the connection's socket inode, then the process whose
// file descriptors include it.
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

/**
 * The inode of the loopback socket whose local port is `localPort` and remote port `remotePort`
 * (a client's end of a connection to a server on `remotePort`), from /proc/net/tcp and tcp6.
 */
function socketInode(localPort: number, remotePort: number): string | undefined {
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text: string;
    try {
      text = readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      const local = fields[1];
      const remote = fields[2];
      const inode = fields[9];
      if (!local || !remote || !inode) continue;
      const port = (address: string) => Number.parseInt(address.split(":")[1] ?? "", 16);
      if (port(local) === localPort && port(remote) === remotePort && inode !== "0") return inode;
    }
  }
  return undefined;
}

/**
 * Which of `pids` holds the client end of the connection from `clientPort` to `serverPort`, if
 * any; undefined also once the connection is closed. Call it while the request is in flight.
 */
export function connectionOwner(
  clientPort: number,
  serverPort: number,
  pids: readonly number[],
): number | undefined {
  const inode = socketInode(clientPort, serverPort);
  if (!inode) return undefined;
  const target = `socket:[${inode}]`;
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // exited
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === target) return pid;
      } catch {
        // closed meanwhile
      }
    }
  }
  return undefined;
}
