import { createSocket } from "node:dgram";
import { createServer } from "node:net";

/**
 * A loopback port free right now, for endpoints a child process or a socket must bind by number: TCP by
 * default (ZeroMQ, HTTP, Redis), UDP for NatNet's data port. TCP and UDP ports are separate spaces, so
 * the protocol the port is for is the one asked.
 */
export function freePort(protocol: "tcp" | "udp" = "tcp"): Promise<number> {
  return protocol === "tcp" ? freeTcpPort() : freeUdpPort();
}

function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createSocket("udp4");
    socket.once("error", reject);
    socket.bind(0, "127.0.0.1", () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}
