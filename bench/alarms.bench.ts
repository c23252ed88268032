/**
 * Alarm quality from replay (issue 15): generated takes with every fault and every hard negative
 * (rests included) through the live detectors, against the offline result of the same takes. Per
 * published list: events caught live (any alarm, and a critical one), live-only alarms (and the
 * critical ones: alarms that sound for nothing), latency; per alarm kind the ISA-18.2 / EEMUA 191
 * figures over the takes played back to back as one session (alarms per 10 min, chattering,
 * standing, floods); how every rest and every hold ended.
 *
 *   node --import tsx bench/alarms.bench.ts [--sessions 61-65] [--random 60000-60029]
 *     every-fault sessions (4 takes each, session seed = 1000 × n) and random takes (scenario seeds);
 *     "--sessions none" or "--random none" leaves one kind out
 *
 * The recorder declares each take's active sensors live; the takes here declare their scenario's.
 */
import { rmSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { lastValueFrom, toArray } from "rxjs";
import { defaultConfig } from "../config/index.js";
import { type AlarmEvent, ALARM_KINDS } from "../detectors/alarm.js";
import { FrameClock } from "../detectors/frameClock.js";
import { liveAlarms } from "../detectors/operators/liveAlarms.js";
import { EpisodeReader, replayEpisode } from "../hw/h5/index.js";
import { generateEpisode } from "../sim/episode/generate.js";
import { presetSession } from "../sim/episode/presets.js";
import type { Scenario } from "../sim/episode/scenario.js";
import type { Truth, TruthEvent } from "../sim/episode/truth.js";
import type { PublishedList } from "../sinks/reports/index.js";
import { alarmFigures, compareLive } from "../stages/alarmQuality/index.js";
import { analyseEpisode } from "../stages/detect/analyseEpisode.js";

const { values } = parseArgs({
  options: {
    sessions: { type: "string", default: "61-65" },
    random: { type: "string", default: "60000-60029" },
  },
});

const range = (text: string): number[] => {
  if (text === "none") return [];
  const [a, b = a] = text.split("-").map(Number) as [number, number?];
  if (!Number.isInteger(a) || !Number.isInteger(b) || b < a) throw new Error(`bad range "${text}"`);
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
};

interface Take {
  readonly label: string;
  readonly scenario: Scenario;
  /**
   * The session the take belongs to: its takes lie on one timeline as the generator dates them
   * (every-fault takes 3 min apart, random takes 2 min apart by seed), so the alarm figures see the
   * pauses between takes a real session has.
   */
  readonly session: string;
}

function takes(): Take[] {
  const out: Take[] = [];
  for (const n of range(values.sessions as string)) {
    presetSession("every-fault", { seed: n * 1000 }).episodes.forEach((scenario, i) =>
      out.push({
        label: `every-fault session ${n * 1000} take ${i}`,
        scenario,
        session: `every-fault ${n * 1000}`,
      }),
    );
  }
  for (const seed of range(values.random as string)) {
    const scenario = presetSession("random", { seed, count: 1 }).episodes[0] as Scenario;
    out.push({ label: `random seed ${seed}`, scenario, session: "random" });
  }
  return out;
}
const KIND_OF: Record<PublishedList, string> = {
  intensity_spikes: "intensity spike",
  pose_teleports_L: "teleport",
  pose_teleports_R: "teleport",
  ot_loss_L: "OT loss",
  ot_loss_R: "OT loss",
  pipeline_stall: "pipeline stall",
};

interface Tally {
  offline: number;
  caught: number;
  caughtCritical: number;
  liveOnly: number;
  liveOnlyCritical: number;
  latency: number[];
  criticalLatency: number[];
}
const tally = new Map<string, Tally>();
const tallyOf = (kind: string) => {
  let t = tally.get(kind);
  if (!t) {
    t = {
      offline: 0,
      caught: 0,
      caughtCritical: 0,
      liveOnly: 0,
      liveOnlyCritical: 0,
      latency: [],
      criticalLatency: [],
    };
    tally.set(kind, t);
  }
  return t;
};

/** How a truth hold or rest on an active body ended live: its alarms within the event (± padding). */
interface HoldOutcome {
  readonly take: string;
  readonly event: TruthEvent;
  readonly warned: boolean;
  readonly critical: AlarmEvent | undefined;
  readonly clearedAs: unknown;
  /** Frames from the hold's first frame to its critical alarm. */
  readonly criticalFrames: number | undefined;
}
/** The injected event behind each raised alarm, for the chattering breakdown. */
const causes = new Map<AlarmEvent, string>();
const describe = (e: TruthEvent) =>
  `${e.mode}${e.kind ? `/${e.kind}` : ""} ${e.body ?? e.side ?? ""} [${e.start},${e.end}]${e.bad ? "" : " (hard negative)"}`;
const holds: HoldOutcome[] = [];
const rests: HoldOutcome[] = [];
const nuisances: string[] = [];

const percentile = (xs: readonly number[], p: number) => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] as number;
};

function holdOutcome(
  take: string,
  event: TruthEvent,
  alarms: readonly AlarmEvent[],
  clock: FrameClock,
  pad: number,
): HoldOutcome {
  const frameOf = (a: AlarmEvent) => a.frame ?? clock.frameOwning(a.t);
  const mine = alarms.filter((a) => {
    const f = frameOf(a);
    return a.subject === event.body && f >= event.start - pad && f <= event.end + pad;
  });
  const held = mine.find((a) => a.kind === "held" && a.state === "raised");
  const cleared = held && alarms.find((a) => a.id === held.id && a.state === "cleared");
  const critical = mine.find(
    (a) => a.kind === "ot_loss" && a.state === "raised" && a.severity === "critical",
  );
  return {
    take,
    event,
    warned: held !== undefined,
    critical,
    clearedAs: cleared?.detail.verdict,
    criticalFrames: critical ? frameOf(critical) - event.start : undefined,
  };
}

async function runTake(
  take: Take,
  path: string,
): Promise<{ alarms: AlarmEvent[]; truth: Truth; start: number; end: number }> {
  const config = defaultConfig();
  const { truth } = await generateEpisode(take.scenario, path);
  const inactive = ["left", "right"].filter((s) => !truth.active_sensors.includes(s as "left" | "right"));
  const activeBodies = ["motherboard", "sensor_left", "sensor_right"].filter(
    (b) => !inactive.some((s) => b === `sensor_${s}`),
  );
  const reader = await EpisodeReader.open(path);
  const clock = new FrameClock(reader.timestamps());
  reader.close();
  const alarms = await lastValueFrom(
    replayEpisode(path, { speed: "max", invalidQuatNorm: config.detect.invalidQuatNorm, activeBodies }).pipe(
      liveAlarms(config, truth.fps),
      toArray(),
    ),
  );
  const { result } = await analyseEpisode(path, {
    key: take.label,
    detect: config.detect,
    activeSensors: truth.active_sensors,
  });
  const pad = config.detect.bufferFrames;
  for (const c of compareLive(alarms, result, clock, pad)) {
    const t = tallyOf(KIND_OF[c.list]);
    t.offline += c.offlineEvents;
    t.caught += c.caught;
    t.caughtCritical += c.caughtCritical;
    t.liveOnly += c.liveOnly;
    t.liveOnlyCritical += c.liveOnlyCritical;
    t.latency.push(...c.latencyFrames);
    t.criticalLatency.push(...c.criticalLatencyFrames);
    if (c.liveOnlyCritical > 0)
      nuisances.push(`${take.label}: ${c.liveOnlyCritical} critical live-only on ${c.list}`);
  }
  for (const e of truth.events) {
    if (e.kind !== "held" || !e.body || !activeBodies.includes(e.body) || e.start < truth.trim_offset)
      continue;
    if (e.mode === "real_still") rests.push(holdOutcome(take.label, e, alarms, clock, pad));
    else if (e.bad) holds.push(holdOutcome(take.label, e, alarms, clock, pad));
  }
  // What each raise was about: the injected event (of its body or side) its frame falls in.
  for (const a of alarms) {
    if (a.state !== "raised") continue;
    const f = a.frame ?? clock.frameOwning(a.t);
    const e = truth.events.findIndex(
      (ev) =>
        (ev.body === a.subject ||
          (ev.side !== undefined && a.subject === `gel_${ev.side}`) ||
          (ev.mode === "pipeline_stall" && a.subject === "realsense")) &&
        f >= ev.start - pad &&
        f <= ev.end + pad,
    );
    causes.set(
      a,
      e >= 0
        ? `${take.label}: ${describe(truth.events[e] as TruthEvent)}`
        : f < truth.trim_offset
          ? `${take.label}: OT-uninitialised prefix [0,${truth.trim_offset - 1}]`
          : `${take.label}: no injected event (frame ${f})`,
    );
  }
  const ts = clock.timestamps;
  return { alarms, truth, start: ts[0] as number, end: ts[clock.frameCount - 1] as number };
}

async function main(): Promise<void> {
  const all = takes();
  const work = mkdtempSync(join(tmpdir(), "rigwatch-alarms-"));
  const sessions = new Map<string, { alarms: AlarmEvent[]; start: number; end: number }>();
  let takeSeconds = 0;
  const started = performance.now();
  try {
    for (const [n, take] of all.entries()) {
      const path = join(work, `take${n}`, "episode_000.h5");
      const { alarms, start, end } = await runTake(take, path);
      let session = sessions.get(take.session);
      if (!session) sessions.set(take.session, (session = { alarms: [], start, end }));
      // Ids made unique per take: each replay numbers its alarms from 1.
      for (const a of alarms) {
        const unique = { ...a, id: `${n}/${a.id}` };
        const cause = causes.get(a);
        if (cause !== undefined) causes.set(unique, cause);
        session.alarms.push(unique);
      }
      session.start = Math.min(session.start, start);
      session.end = Math.max(session.end, end);
      takeSeconds += end - start;
      rmSync(join(work, `take${n}`), { recursive: true, force: true });
      console.error(
        `[${n + 1}/${all.length}] ${take.label}: ${(end - start).toFixed(1)} s, ${alarms.filter((a) => a.state === "raised").length} alarms`,
      );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const minutes = takeSeconds / 60;
  console.log(
    `${all.length} takes (${values.sessions} every-fault sessions, random seeds ${values.random}), ${minutes.toFixed(1)} min of take; ran ${((performance.now() - started) / 60000).toFixed(1)} min`,
  );

  console.log("\nlive against offline, per kind (frames at 30 Hz; OT loss: a held warning counts as caught)");
  console.log(
    "kind             offline  caught  recall  critical  live-only  critical  crit./offline  latency p50/p99  critical p50/p99",
  );
  let offline = 0;
  let caught = 0;
  let liveOnlyCritical = 0;
  for (const [kind, t] of tally) {
    offline += t.offline;
    caught += t.caught;
    liveOnlyCritical += t.liveOnlyCritical;
    console.log(
      `${kind.padEnd(17)}${String(t.offline).padStart(7)}${String(t.caught).padStart(8)}${(t.offline ? t.caught / t.offline : Number.NaN).toFixed(3).padStart(8)}${String(t.caughtCritical).padStart(10)}${String(t.liveOnly).padStart(11)}${String(t.liveOnlyCritical).padStart(10)}${(t.offline ? t.liveOnlyCritical / t.offline : 0).toFixed(3).padStart(15)}${`${percentile(t.latency, 50)}/${percentile(t.latency, 99)}`.padStart(17)}${`${percentile(t.criticalLatency, 50)}/${percentile(t.criticalLatency, 99)}`.padStart(18)}`,
    );
  }
  console.log(
    `all              ${String(offline).padStart(7)}${String(caught).padStart(8)}${(caught / offline).toFixed(3).padStart(8)}${"".padStart(31)}${String(liveOnlyCritical).padStart(0)}  critical live-only / offline events = ${(liveOnlyCritical / offline).toFixed(4)}`,
  );
  for (const line of nuisances) console.log(`  nuisance: ${line}`);

  const summarise = (label: string, list: readonly HoldOutcome[]) => {
    const byRule = new Map<string, number>();
    for (const h of list) {
      const rule = h.critical
        ? String(h.critical.detail.rule)
        : `none (${String(h.clearedAs ?? "no warning")})`;
      byRule.set(rule, (byRule.get(rule) ?? 0) + 1);
    }
    const frames = list.flatMap((h) => (h.criticalFrames === undefined ? [] : [h.criticalFrames]));
    console.log(
      `${label}: ${list.length}, warned ${list.filter((h) => h.warned).length}, critical ${list.filter((h) => h.critical).length} ` +
        `(by rule: ${[...byRule].map(([r, c]) => `${r} × ${c}`).join(", ")})` +
        (frames.length
          ? `; critical p50/p99 ${percentile(frames, 50)}/${percentile(frames, 99)} frames after the hold's first frame`
          : ""),
    );
  };
  console.log("\nholds and rests on active bodies (truth)");
  summarise("OT-loss holds", holds);
  summarise("rests (real_still)", rests);
  const fiveHeld = holds.filter((h) => h.critical?.detail.rule === 5);
  if (fiveHeld.length)
    console.log(
      `  held while the scene moved (rule 5): heldS at the critical p50/p99 ${percentile(
        fiveHeld.map((h) => h.critical?.detail.heldS as number),
        50,
      )}/${percentile(
        fiveHeld.map((h) => h.critical?.detail.heldS as number),
        99,
      )} s`,
    );
  for (const r of rests.filter((h) => h.critical))
    console.log(`  rest raised a critical: ${r.take} ${r.event.body} [${r.event.start},${r.event.end}]`);

  // Per session on its own timeline, summed; rates per 10 minutes of take (the pauses between takes
  // do not count as time, their alarms do).
  const figures = (kind?: string) => {
    const out = {
      raised: 0,
      critical: 0,
      chattering: [] as string[],
      /** Chattering raises that re-raise one injected event (or none): what the alarm logic controls. */
      repeated: 0,
      standing: 0,
      floods: 0,
      floodS: 0,
      peak: 0,
    };
    for (const [name, session] of sessions) {
      const f = alarmFigures(
        kind === undefined ? session.alarms : session.alarms.filter((a) => a.kind === kind),
        session,
      );
      out.raised += f.raised;
      out.critical += f.critical;
      for (const c of f.chattering) {
        const raises = session.alarms.filter(
          (a) => a.state === "raised" && a.kind === c.kind && a.subject === c.subject,
        );
        const seen = new Set<string>();
        const why = raises.map((a) => {
          const cause = causes.get(a) ?? "?";
          if (seen.has(cause) || cause.includes("no injected event")) out.repeated++;
          seen.add(cause);
          return cause;
        });
        out.chattering.push(
          `${name}: ${c.kind} ${c.subject} × ${c.raises} within 60 s\n        ${why.join("\n        ")}`,
        );
      }
      out.standing += f.standing.length;
      out.floods += f.floods;
      out.floodS += f.floodS;
      out.peak = Math.max(out.peak, f.peakPerFloodWindow);
    }
    return out;
  };
  const per10 = (n: number) => ((n * 600) / takeSeconds).toFixed(1);
  console.log(
    `\nalarm figures (ISA-18.2 / EEMUA 191): ${minutes.toFixed(1)} min of take in ${sessions.size} sessions, each on its own timeline`,
  );
  console.log("kind              raised  critical  per 10 min  critical/10 min  chattering  standing");
  const row = (kind: string, f: ReturnType<typeof figures>) =>
    console.log(
      `${kind.padEnd(18)}${String(f.raised).padStart(6)}${String(f.critical).padStart(10)}${per10(f.raised).padStart(12)}${per10(f.critical).padStart(17)}${String(f.chattering.length).padStart(12)}${String(f.standing).padStart(10)}`,
    );
  for (const kind of ALARM_KINDS) {
    const f = figures(kind);
    if (f.raised === 0) continue;
    row(kind, f);
    for (const c of f.chattering) console.log(`    chattering: ${c}`);
  }
  const f = figures();
  row("all", f);
  console.log(
    `chattering alarms' raises that are not each a separate injected event: ${f.repeated === 0 ? "none" : f.repeated}`,
  );
  console.log(
    `floods (≥ 10 alarms in 10 min): ${f.floods}, ${(f.floodS / 60).toFixed(1)} min in flood; most alarms in any 10 min of a session: ${f.peak}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
