import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { NatNetVersionLike } from "../../../hw/natnet/index.js";
import { FIXTURES } from "../../helpers/paths.js";

export const NATNET_FIXTURES = join(FIXTURES, "natnet");
export const SESSION = "natnet3.0_motive2.1_session";
export const FRAME_162734 = "natnet3.0_motive2.1_frame_162734.bin";
export const NATNET_3_0: NatNetVersionLike = { major: 3, minor: 0 };

export function readFixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(NATNET_FIXTURES, name)));
}

/** Every single-packet fixture, with the NatNet version its name states. */
export function binFixtures(): { name: string; version: NatNetVersionLike; bytes: Uint8Array }[] {
  return readdirSync(NATNET_FIXTURES)
    .filter((name) => name.endsWith(".bin"))
    .sort()
    .map((name) => ({ name, version: versionOf(name), bytes: readFixture(name) }));
}

export function versionOf(name: string): NatNetVersionLike {
  const match = /^natnet(\d+)\.(\d+)_/.exec(name);
  if (match === null) throw new Error(`no version in fixture name ${name}`);
  return { major: Number(match[1]), minor: Number(match[2]) };
}

export interface TsvDatagram {
  readonly index: number;
  readonly timeUs: bigint;
  readonly source: string;
  readonly destination: string;
  readonly messageId: number;
  readonly bytes: Uint8Array;
}

/** The session's datagrams from `…_udp_payloads.tsv`, in capture order. */
export function sessionDatagrams(): TsvDatagram[] {
  return readFileSync(join(NATNET_FIXTURES, `${SESSION}_udp_payloads.tsv`), "utf8")
    .split("\n")
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => {
      const [index, timeUs, source, destination, messageId, length, hex] = line.split("\t");
      const bytes = Uint8Array.from(Buffer.from(hex ?? "", "hex"));
      if (bytes.length !== Number(length)) throw new Error(`tsv line ${index}: length mismatch`);
      return {
        index: Number(index),
        timeUs: BigInt(timeUs ?? ""),
        source: source ?? "",
        destination: destination ?? "",
        messageId: Number(messageId),
        bytes,
      };
    });
}

/** `…_frames_expected.csv`, one record per row, every value as the CSV text. */
export function expectedFrameRows(): Record<string, string>[] {
  const [header, ...rows] = readFileSync(join(NATNET_FIXTURES, `${SESSION}_frames_expected.csv`), "utf8")
    .trim()
    .split("\n");
  const columns = (header ?? "").split(",");
  return rows.map((row) => {
    const cells = row.split(",");
    return Object.fromEntries(columns.map((column, i) => [column, cells[i] ?? ""]));
  });
}

/** One per-frame block of NaturalPoint's SampleClient output. */
export interface SampleClientFrame {
  readonly frameId: number;
  readonly timestamp: string;
  readonly softwareLatencyMs: string;
  readonly systemLatencyMs: string;
  readonly timecode: string;
  readonly otherMarkers: string[][];
  readonly rigidBodies: { id: number; error: string; valid: boolean; pose: string[] }[];
  readonly labeledMarkers: {
    modelId: number;
    markerId: number;
    occluded: boolean;
    pcSolved: boolean;
    modelSolved: boolean;
    size: string;
    position: string[];
  }[];
}

/** Parses the `FrameID : …` blocks of `…_SampleClient_output.txt`. Numbers stay as printed. */
export function sampleClientFrames(): SampleClientFrame[] {
  const text = readFileSync(join(NATNET_FIXTURES, `${SESSION}_SampleClient_output.txt`), "utf8");
  const blocks = text.split(/^FrameID : /m).slice(1);
  return blocks.map((block) => {
    const lines = block.split(/\r?\n/);
    const value = (label: string) => {
      const line = lines.find((l) => l.startsWith(`${label} : `));
      if (line === undefined) throw new Error(`SampleClient block without ${label}`);
      return line.slice(label.length + 3).trim();
    };
    const rigidBodies: SampleClientFrame["rigidBodies"] = [];
    lines.forEach((line, i) => {
      const body = /^Rigid Body \[ID=(\d+)\s+Error=([\d.]+)\s+Valid=(\d)\]/.exec(line);
      if (body === null) return;
      const pose = (lines[i + 2] ?? "").trim().split(/\s+/);
      rigidBodies.push({ id: Number(body[1]), error: body[2] ?? "", valid: body[3] === "1", pose });
    });
    const labeledMarkers = lines.flatMap((line) => {
      const m =
        /^Labeled Marker \[ModelID=(\d+), MarkerID=(\d+), Occluded=(\d), PCSolved=(\d), ModelSolved=(\d)\] \[size=([\d.]+)\] \[pos=([^\]]+)\]/.exec(
          line,
        );
      if (m === null) return [];
      return [
        {
          modelId: Number(m[1]),
          markerId: Number(m[2]),
          occluded: m[3] === "1",
          pcSolved: m[4] === "1",
          modelSolved: m[5] === "1",
          size: m[6] ?? "",
          position: (m[7] ?? "").split(","),
        },
      ];
    });
    const otherMarkers = lines
      .filter((line) => /^Other Marker \d+ : /.test(line))
      .map((line) =>
        line
          .replace(/^Other Marker \d+ : /, "")
          .trim()
          .split(/\s+/),
      );
    return {
      frameId: Number(lines[0]),
      timestamp: value("Timestamp"),
      softwareLatencyMs: value("Software latency").replace(" milliseconds", ""),
      systemLatencyMs: value("System latency").replace(" milliseconds", ""),
      timecode: value("Timecode"),
      otherMarkers,
      rigidBodies,
      labeledMarkers,
    };
  });
}
