import { z } from "zod";

/**
 * Every threshold rigwatch uses, with the curation spec's defaults. Objects are strict so a misspelt
 * key in a config file is an error, not a silently ignored setting.
 */
const positive = () => z.number().positive();
const fraction = () => z.number().min(0).max(1);

const configObject = z.strictObject({
  detect: z
    .strictObject({
      /** Active body's pose bitwise identical for at least this long = OT loss (spec §3). */
      freezeThresholdS: positive().default(0.25),
      /** No OT sample for at least this long = OT loss (spec §3). */
      otGapS: positive().default(0.1),
      /** Quaternion norm below this (or any NaN) = invalid sample, never a teleport endpoint. */
      invalidQuatNorm: positive().default(0.5),
      /** Published spike and teleport intervals are padded by this many frames each side. */
      bufferFrames: z.number().int().min(0).default(3),
      teleport: z
        .strictObject({
          velocityMps: positive().default(5),
          angularRadS: positive().default(15),
          /** "or": either speed flags a teleport (spec default); "and": both must. */
          combine: z.enum(["or", "and"]).default("or"),
        })
        .prefault({}),
      spike: z
        .strictObject({
          /** A frame is a spike when its tactile intensity exceeds the baseline by this much (uint8 scale). */
          tauIntensity: positive().default(30),
          /** Baseline = this percentile of the episode's intensity. */
          percentile: z.number().min(50).max(100).default(99.9),
          /** Half-width of the running median the baseline is taken from, so spikes cannot lift it. */
          medianHalfWindow: z.number().int().min(1).default(7),
          /** Live: frames of a take before spike alarms may fire (the baseline is still settling). */
          warmupFrames: z.number().int().min(1).default(30),
        })
        .prefault({}),
      stall: z
        .strictObject({
          dupFraction: fraction().default(0.3),
          windowS: positive().default(1),
        })
        .prefault({}),
      classifier: z
        .strictObject({
          windowS: positive().default(1),
          maxPairs: z.number().int().min(1).default(32),
          stallDupFraction: fraction().default(0.3),
          stillCameraMotion: positive().default(2),
          stillTactileMotion: positive().default(3),
          ambiguousCameraMotion: positive().default(4),
          ambiguousTactileMotion: positive().default(5),
        })
        .prefault({}),
      trim: z
        .strictObject({
          /** OT streams "steadily" when no gap exceeds this ... */
          maxGapS: positive().default(0.5),
          /** ... for at least this long. */
          steadyS: positive().default(1),
          /** OT that starts this soon after the first camera frame is not an uninitialised prefix. */
          startGraceS: z.number().min(0).default(0.1),
        })
        .prefault({}),
      active: z
        .strictObject({
          /** A side is active if its body moves more than this during the take (metres). */
          minMotionM: positive().default(0.05),
          /** ... or its gel is in contact for at least this many frames (flicker frames excluded). */
          minContactFrames: z.number().int().min(1).default(10),
        })
        .prefault({}),
      contact: z
        .strictObject({
          tau: positive().default(8),
          /** A frame is "in contact" when `mixed` exceeds this. */
          contactMixed: positive().default(0.4),
          driftWarning: positive().default(5),
          medianFrames: z.number().int().min(1).default(300),
          smoothFrames: z.number().int().min(1).default(30),
        })
        .prefault({}),
    })
    .prefault({}),
  natnet: z
    .strictObject({
      /** Motive's address. */
      server: z.string().min(1).default("127.0.0.1"),
      commandPort: z.number().int().min(1).max(65535).default(1510),
      dataPort: z.number().int().min(1).max(65535).default(1511),
      mode: z.enum(["unicast", "multicast"]).default("unicast"),
      multicastGroup: z.string().default("239.255.42.99"),
      /** Local address facing Motive (multicast join, command socket); empty = any. */
      localInterface: z.string().default(""),
    })
    .prefault({}),
  daemon: z
    .strictObject({
      /** HTTP port of the operator page (/) and the JSON stream (/ws). */
      port: z.number().int().min(0).max(65535).default(8080),
      /** Without a token the page listens on loopback only. */
      token: z.string().default(""),
      logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace"]).default("info"),
      /** The Foxglove WebSocket protocol at /foxglove on the same port (same token rules as the page). */
      foxglove: z
        .strictObject({
          enabled: z.boolean().default(true),
          /** Browser origins that may connect besides the page's own: Foxglove's web app. */
          origins: z.array(z.string()).default(["https://app.foxglove.dev"]),
        })
        .prefault({}),
      /** Refused inputs (tap messages, NatNet datagrams) are logged at most once per this many seconds, with their counts. */
      rejectLogIntervalS: positive().default(5),
    })
    .prefault({}),
  live: z
    .strictObject({
      /** A live alarm clears only after its condition has been absent this long (no flapping). */
      clearAfterS: positive().default(0.2),
      /**
       * A held pose is a warning (no sound) until the freeze diagnosis says OT loss; if it is still
       * held this long (seconds from the value's first appearance), it is critical whatever the evidence.
       */
      heldCriticalS: positive().default(5),
      /** Frames a live spike waits to see the intensity come back down (a step is contact, not flicker). */
      spikeConfirmFrames: z.number().int().min(1).default(2),
      /** Bodies whose OT is watched live; empty = every body Motive streams (the take's active sensors are not known yet). */
      bodies: z.array(z.string().min(1)).default([]),
      /** Start gate (spec §7): at take start every active body must have sent a valid sample this recently. */
      startGateS: positive().default(2),
      /** Watchdog (spec §7): this long without a valid sample on an active body stops the take. */
      watchdogS: positive().default(10),
      /** A camera whose content has not changed for this long is stale (30 Hz: 15 ticks). */
      cameraStaleS: positive().default(0.5),
      /** A GelSight missing from the ticks this long is stale (unplugged). Its frames repeat by design
       * (re-sampled onto camera ticks, identical at rest), so it is judged on presence, not content. */
      gelStaleS: positive().default(1),
      /** A stale stream clears only after fresh content for this long, so slow streams do not flap. */
      staleClearS: positive().default(1),
      /**
       * An `internal_error` (a detector or sink that threw and was reset) clears once the reset part
       * has worked this long (source time) without throwing again.
       */
      internalErrorClearS: positive().default(5),
    })
    .prefault({}),
  tap: z
    .strictObject({
      /** The recorder's PUB socket (ticks, takes); rigwatch connects to it. */
      endpoint: z.string().min(1).default("tcp://127.0.0.1:5560"),
      /** rigwatch's PUB socket for alarms and commands back to the recorder; rigwatch binds it. */
      alarmEndpoint: z.string().min(1).default("tcp://127.0.0.1:5561"),
      /** No tap message for this long = the recorder's stream is lost (it sends a hello every 0.5 s). */
      silentAfterS: positive().default(1.5),
      /**
       * A message stamped further ahead of this machine's clock than this is refused: the recorder
       * shares the clock, so a time from the future is a fault, and one tick from it must not move the
       * live detectors' clock (the watchdog would stop the take).
       */
      maxAheadS: positive().default(1),
      /** A message stamped longer ago than this is refused (it cannot speak for now). */
      maxBehindS: positive().default(30),
      /**
       * A second sender id on the tap replaces the current one only after the current has been silent
       * this long (a restarted recorder); before that its messages are refused, never a "restart".
       */
      senderTakeoverS: positive().default(1),
    })
    .prefault({}),
  stages: z
    .strictObject({
      /** The daemon runs the post-session stages itself when a take or a session closes. */
      auto: z.boolean().default(true),
      /** Worker threads for the stages (episodes in parallel). */
      jobs: z.number().int().min(1).max(16).default(1),
      /**
       * The folders whose recordings the daemon curates: a take's file named on the tap is resolved
       * (links, `..`) and must be `<dataset>/data/<task>/<date>/episode_NNN.h5` at or below one of them;
       * anything else is refused with an alarm and nothing is renamed or created. `~` is the home folder
       * of the user the daemon runs as.
       */
      dataRoots: z
        .array(
          z
            .string()
            .min(1)
            .refine(
              (p) => p.startsWith("/") || p === "~" || p.startsWith("~/"),
              "must be absolute or start with ~",
            ),
        )
        .default(["~"]),
      /** A closed take's stages start once its file has not changed for this long (the recorder may still flush it). */
      settleS: z.number().min(0).default(2),
      /**
       * A Redis (`redis://HOST:PORT`) whose `rigwatch worker`s run the daemon's post-session chain: a
       * closed session is enqueued as `process --queue` would, instead of run on the daemon's own
       * pool. Empty: the daemon's pool. A Redis it cannot reach when a session ends is a `stage_queue`
       * alarm, and that session runs on the daemon's pool instead.
       */
      queue: z
        .string()
        .default("")
        .refine((u) => u === "" || /^rediss?:\/\/[^/]/.test(u), "must be redis://HOST:PORT, or empty"),
    })
    .prefault({}),
  queue: z
    .strictObject({
      /** Tries of a stage job before it fails (a corrupt file fails at once: retrying cannot fix it). */
      attempts: z.number().int().min(1).max(100).default(3),
      /** First retry after this long, doubling each time. */
      backoffMs: z.number().int().min(0).default(5_000),
      /** A worker's hold on a job; renewed at half this while it runs, lost when the worker dies. */
      lockDurationMs: z.number().int().min(500).default(30_000),
      /** How often workers look for jobs whose holder died (stalled) and hand them to another. */
      stalledIntervalMs: z.number().int().min(500).default(30_000),
      /** Finished jobs are kept this long: their ids stop a second enqueue of the same work. */
      keepFinishedS: z
        .number()
        .int()
        .min(0)
        .default(7 * 24 * 3600),
    })
    .prefault({}),
  previews: z
    .strictObject({
      /** Folder of the rig's five calibration files; empty = the built-in copy (config/calibration). */
      calibrationDir: z.string().default(""),
      /** Frames of an episode GIF, evenly spread over [startFraction, endFraction] of the kept frames. */
      frames: z.number().int().min(2).max(600).default(60),
      startFraction: fraction().default(0.02),
      endFraction: fraction().default(0.98),
      /** Display time of one episode-GIF frame. */
      frameDelayMs: z.number().int().min(20).max(10_000).default(100),
      /** Hard cap on any GIF's size (spec §6: 4 MB). */
      maxBytes: z.number().int().min(10_000).default(4_000_000),
      /** Palette of the first try; shrunk in steps of 32 (after the resolution) down to minColours. */
      colours: z.number().int().min(2).max(256).default(256),
      minColours: z.number().int().min(2).max(256).default(128),
      clips: z
        .strictObject({
          /** Borderline freezes: candidates this long (seconds, inclusive) get a clip. */
          freezeMinS: positive().default(1),
          freezeMaxS: positive().default(5),
          /** A spike whose peak is within this of the episode's threshold is weak (uint8 intensity). */
          weakSpikeMargin: positive().default(10),
          /** Context shown before and after the event. */
          contextS: z.number().min(0).default(1),
          frames: z.number().int().min(2).max(600).default(60),
          frameDelayMs: z.number().int().min(20).max(10_000).default(50),
        })
        .prefault({}),
    })
    .prefault({}),
  publish: z
    .strictObject({
      /** The hub dataset repository, "namespace/name". */
      repo: z.string().default(""),
      /** The hub's address (a local stand-in in tests). */
      hubUrl: z.string().default("https://huggingface.co"),
      /** Environment variable holding the write token; the token itself never goes in a config file. */
      tokenEnv: z.string().min(1).default("HF_TOKEN"),
      branch: z.string().min(1).default("main"),
    })
    .prefault({}),
  journal: z
    .strictObject({
      /** The alarm journal's SQLite file; empty = beside the dataset's `.rigwatch/`, else the user's state folder. */
      file: z.string().default(""),
      /** The dataset root the recorder writes into: the journal goes to `<datasetRoot>/.rigwatch/alarms.sqlite`. */
      datasetRoot: z.string().default(""),
      /** Alarms older than this are deleted from the journal (at start and once an hour). */
      retentionDays: positive().default(365),
    })
    .prefault({}),
  export: z
    .strictObject({
      /** JPEG quality of the colour and GelSight images in an MCAP export (sharp/libjpeg-turbo). */
      jpegQuality: z.number().int().min(1).max(100).default(85),
      /** zstd level of the MCAP chunks: 1 is the fastest; images are JPEG already, depth compresses. */
      zstdLevel: z.number().int().min(-7).max(19).default(1),
      /** Uncompressed bytes of one MCAP chunk: the writer's memory per file, and a reader's seek unit. */
      chunkBytes: z
        .number()
        .int()
        .min(64 * 1024)
        .max(64 * 1024 * 1024)
        .default(4 * 1024 * 1024),
    })
    .prefault({}),
  session: z
    .strictObject({
      /** Between takes, this long without a new take closes the session (stages start). */
      idleTimeoutS: positive().default(900),
    })
    .prefault({}),
});

// A tick the tap lets through may run the live clock ahead by up to tap.maxAheadS; the watchdog
// must never be able to bite on that alone (no stop without an OT fault behind it).
export const configSchema = configObject.refine((c) => c.tap.maxAheadS < c.live.watchdogS, {
  path: ["tap", "maxAheadS"],
  message: "must be less than live.watchdogS",
});

export type Config = z.infer<typeof configSchema>;
type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };
export type ConfigOverrides = DeepPartial<Config>;
