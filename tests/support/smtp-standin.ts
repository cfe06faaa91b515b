import net from "node:net";
import type { AddressInfo } from "node:net";

/**
 * A loopback SMTP server that never delivers: "refuse" greets every connection with 554 (service unavailable)
 * and hangs up; "hang" accepts connections and holds them silent until `release()`, a gate a test opens when
 * it is ready (e.g. once it has the answer that must not have waited for the mail).
 */
export interface SmtpStandin {
  url: string;
  /** Connections received so far. */
  readonly connections: number;
  /** Resolves at the first connection (a mail is being sent). */
  firstConnection: Promise<void>;
  /** "hang": closes the held connections (the senders fail). */
  release(): void;
  close(): Promise<void>;
}

export async function startSmtpStandin(mode: "refuse" | "hang"): Promise<SmtpStandin> {
  const held = new Set<net.Socket>();
  let connections = 0;
  let connected!: () => void;
  const firstConnection = new Promise<void>((resolve) => (connected = resolve));
  const server = net.createServer((socket) => {
    connections++;
    connected();
    socket.on("error", () => {});
    if (mode === "refuse") {
      socket.end("554 5.3.2 standin refuses service\r\n");
      return;
    }
    held.add(socket);
    socket.on("close", () => held.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const release = () => {
    for (const socket of held) socket.destroy();
  };
  return {
    url: `smtp://127.0.0.1:${port}`,
    get connections() {
      return connections;
    },
    firstConnection,
    release,
    close: () => {
      release();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
