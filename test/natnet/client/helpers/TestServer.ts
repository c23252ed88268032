import dgram from "node:dgram";
import {
  decodePacket,
  encodeFrame,
  encodeModelDef,
  encodeServerInfo,
  type FrameOfData,
  type ModelDef,
  type NatNetMessageType,
  type NatNetVersion,
  type RigidBodyData,
  type RigidBodyDescription,
} from "../../../../hw/natnet/index.js";
import { rigidBodyFrame } from "../../../../hw/natnet/rigidBodyFrame.js";

/** A rigid body the fake Motive streams: its model-definition id and name. */
export interface TestBody {
  readonly id: number;
  readonly name: string;
}

/**
 * A tiny fake Motive on 127.0.0.1: answers NAT_CONNECT with ServerInfo, NAT_REQUEST_MODELDEF with the
 * current bodies, and streams frames to whoever connected last (unicast).
 */
export class TestServer {
  /** Message types received, in order. */
  readonly received: NatNetMessageType[] = [];
  bodies: TestBody[];
  /** Where frames go: the endpoint of the last NAT_CONNECT. */
  client: { address: string; port: number } | undefined;
  private socket: dgram.Socket | undefined;
  private boundPort = 0;

  /**
   * `multicast`: frames go to `group:port` over the loopback interface instead of to the client's
   * command socket (Motive's default mode).
   */
  constructor(
    readonly version: NatNetVersion,
    bodies: TestBody[],
    readonly multicast?: { readonly group: string; readonly port: number },
  ) {
    this.bodies = bodies;
  }

  get port(): number {
    return this.boundPort;
  }

  count(type: NatNetMessageType): number {
    return this.received.filter((t) => t === type).length;
  }

  /** Binds 127.0.0.1 on `port` (0: ephemeral, then the same port on restart). */
  async start(port = this.boundPort): Promise<void> {
    const socket = dgram.createSocket({ type: "udp4" });
    this.socket = socket;
    socket.on("message", (datagram, rinfo) => this.onMessage(datagram, rinfo));
    await new Promise<void>((resolve, reject) => {
      socket.once("error", reject);
      socket.bind(port, "127.0.0.1", () => {
        socket.off("error", reject);
        resolve();
      });
    });
    this.boundPort = socket.address().port;
    if (this.multicast !== undefined) {
      socket.setMulticastInterface("127.0.0.1");
      socket.setMulticastLoopback(true);
    }
  }

  async stop(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    this.client = undefined;
    if (socket !== undefined) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  /** Sends raw bytes to the connected client. */
  sendRaw(bytes: Uint8Array): void {
    if (this.socket === undefined || this.client === undefined) return;
    this.socket.send(bytes, this.client.port, this.client.address);
  }

  /** Streams one frame to the connected client, or to the multicast group. */
  sendFrame(frame: FrameOfData): void {
    const bytes = encodeFrame(this.version, frame);
    if (this.multicast === undefined) this.sendRaw(bytes);
    else this.socket?.send(bytes, this.multicast.port, this.multicast.group);
  }

  private onMessage(datagram: Buffer, rinfo: dgram.RemoteInfo): void {
    const message = decodePacket(datagram, this.version);
    this.received.push(message.type);
    const reply = (bytes: Uint8Array): void => {
      this.socket?.send(bytes, rinfo.port, rinfo.address);
    };
    if (message.type === "connect") {
      this.client = { address: rinfo.address, port: rinfo.port };
      reply(
        encodeServerInfo({
          type: "serverInfo",
          name: "Motive",
          appVersion: { major: 3, minor: 1, build: 0, revision: 0 },
          natnetVersion: this.version,
          highResClockFrequency: 10_000_000n,
          dataPort: this.multicast?.port ?? 1511,
          multicast: this.multicast !== undefined,
          multicastAddress: this.multicast?.group ?? "239.255.42.99",
        }),
      );
    } else if (message.type === "requestModelDef") {
      reply(encodeModelDef(this.version, modelDefOf(this.bodies)));
    }
  }
}

export function modelDefOf(bodies: readonly TestBody[]): ModelDef {
  return {
    type: "modelDef",
    descriptions: bodies.map((body): RigidBodyDescription => ({
      kind: "rigidBody",
      name: body.name,
      id: body.id,
      parentId: -1,
      offset: [0, 0, 0],
      rotationOffset: undefined,
      markers: [],
    })),
  };
}

export function rigidBody(
  id: number,
  position: readonly [number, number, number],
  orientation: readonly [number, number, number, number],
  valid: boolean,
  meanError = 0.0005,
): RigidBodyData {
  return {
    id,
    position,
    orientation,
    markers: undefined,
    meanError,
    params: valid ? 1 : 0,
    trackingValid: valid,
  };
}

export function frameOf(
  frameNumber: number,
  timestamp: number,
  rigidBodies: readonly RigidBodyData[],
  params = 0,
): FrameOfData {
  return rigidBodyFrame({ frameNumber, timestamp, rigidBodies, params, precisionTimestamps: true });
}

export { waitFor } from "../../../helpers/waitFor.js";
