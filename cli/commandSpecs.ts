/**
 * Every command of the CLI, declared once: its arguments, options and help text. commander builds
 * the parser and the help from these (cli/buildProgram.ts), the shell completions come from them
 * (cli/completion.ts) and so does README's command list (cli/commandList.ts; a test keeps it equal).
 * A command's body is its module in cli/commands/, loaded on demand and handed the raw arguments
 * after the command's name. To add a command: one entry here, and its module.
 */

import type { CommandSpec, OptionSpec } from "./CommandSpec.js";

const JSON_LINES = (what: string): OptionSpec => ({
  flags: "--json",
  description: `one JSON object per ${what} on stdout`,
});

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: "run",
    args: "",
    summary: "the live daemon: NatNet and the recorder tap → live alarms",
    description: `The live daemon: NatNet and the recorder tap (ZeroMQ, default tcp://127.0.0.1:5560; alarms and
the watchdog's stop go back on tcp://127.0.0.1:5561) → live detectors → alarms on the log (stderr),
the operator page (http://127.0.0.1:PORT/, JSON stream at /ws, the Foxglove WebSocket protocol at
/foxglove), the recorder and, with --json, one JSON line per alarm on stdout. Follows the takes:
idle → take → between → closed. --sim starts the built-in simulated rig (Motive + recorder tap)
in-process: within every two minutes, every OT fault, LED flicker, a frozen camera, a pipeline stall,
an unplugged GelSight, a take started without OT (start gate) and 11 s of OT silence (watchdog),
and a rest (a held pose while the scene is still: a quiet warning). --sim-schedule FILE plays the
faults and takes of a JSON file instead, once: {"motive": [{at, fault, body?, durationS?}], "tap":
[{at, fault, ...}], "takes": [{at, durationS, episode}]} (seconds from the start; docs/design.md).
Stops on SIGINT/SIGTERM. Every alarm is committed to the alarm journal (see alarms) before it is
sent. The port also serves GET /healthz, /readyz and /metrics (Prometheus). Exit codes: 0 stopped,
78 bad config, 75 port or ZeroMQ endpoint busy, 70 live pipeline lost (the service manager restarts
it), 1 other failures.`,
    options: [
      { flags: "--sim", description: "run on the built-in simulated rig" },
      {
        flags: "--sim-schedule <FILE>",
        description: "with --sim: play this JSON schedule instead of the demo",
      },
      { flags: "--json", description: "every alarm as one JSON line on stdout" },
      { flags: "--natnet-server <HOST>", description: "Motive's address (natnet.server)" },
      { flags: "--natnet-command-port <N>", description: "Motive's command port (natnet.commandPort)" },
      { flags: "--natnet-mode <unicast|multicast>", description: "unicast or multicast (natnet.mode)" },
      {
        flags: "--natnet-interface <ADDR>",
        description: "local interface for multicast (natnet.localInterface)",
      },
      { flags: "--tap <ENDPOINT>", description: "the recorder tap's ZeroMQ endpoint (tap.endpoint)" },
      {
        flags: "--tap-alarms <ENDPOINT>",
        description: "where alarms go back to the recorder (tap.alarmEndpoint)",
      },
      { flags: "--port <N>", description: "HTTP port of the page, /ws and /foxglove (daemon.port)" },
    ],
    load: async () => {
      const [{ run }, { startSimulatedRig }, { readSchedule }] = await Promise.all([
        import("./commands/run.js"),
        import("../sim/simulatedRig.js"),
        import("../sim/readSchedule.js"),
      ]);
      return (argv) =>
        run(argv, async (config, schedulePath) => {
          const rig = await startSimulatedRig({
            alarmEndpoint: config.tap.alarmEndpoint,
            ...(schedulePath ? { schedule: readSchedule(schedulePath) } : {}),
          });
          return {
            natnetCommandPort: rig.motive.port,
            tapEndpoint: rig.tap.endpoint,
            close: () => rig.close(),
          };
        });
    },
  },
  {
    name: "alarms",
    args: "",
    summary: "the alarm journal: every alarm the daemon raised and cleared",
    description: `The alarm journal (every alarm the daemon raised and cleared, with its take and episode file),
oldest first. The journal is journal.file, else <journal.datasetRoot>/.rigwatch/alarms.sqlite,
else ~/.local/state/rigwatch/alarms.sqlite (XDG_STATE_HOME). Only reads.`,
    options: [
      {
        flags: "--since <TIME>",
        description: "alarms stamped at or after TIME (ISO 8601, or a duration back from now: 30m, 2h, 7d)",
      },
      { flags: "--take <N>", description: "alarms raised during take (episode) N" },
      { flags: "--kind <KIND>", description: "one alarm kind (ot_loss, teleport, …, internal_error)" },
      {
        flags: "--csv",
        description:
          "one CSV row per alarm (at, run, take, episode, id, kind, state, severity, subject, t, frame, detail)",
      },
      JSON_LINES("alarm, with run, take and episode"),
    ],
    load: async () => (await import("./commands/alarms.js")).alarms,
  },
  {
    name: "sim",
    args: "",
    summary: "the simulated rig on its own (Motive + recorder tap)",
    description: `The simulated rig on its own: a Motive-like NatNet server (default 127.0.0.1:1510, NatNet 4.1,
120 Hz) for the rig's three bodies and a recorder tap publisher, on the demo schedule of
\`run --sim\`. Stops on SIGINT/SIGTERM.`,
    options: [
      { flags: "--port <N>", description: "NatNet command port (default 1510)" },
      { flags: "--version <3.0|4.1>", description: "NatNet version, 3.0 or 4.1 (default 4.1)" },
      { flags: "--rate <HZ>", description: "frames per second (default 120)" },
      { flags: "--tap <ENDPOINT>", description: "where the recorder tap publishes" },
      {
        flags: "--tap-alarms <ENDPOINT>",
        description: "rigwatch's alarm socket, so the recorder obeys the watchdog",
      },
    ],
    configFlags: false,
    load: async () => (await import("./commands/sim.js")).sim,
  },
  {
    name: "process",
    args: "<date-dir>...",
    summary: "the post-session chain: check → analyse → compress → index → detect → previews → metadata",
    description: `The post-session chain for each session folder: per take check (corrupt files renamed
*.h5.corrupt) → the analysis pass (every frame decoded once, its evidence kept in .rigwatch/) →
compress (GZIP), takes in parallel on N worker threads; then the session's active sensors, each
take's contact index (.pt + .contact.json), detect's reports and figures, the previews and
tasks.json. Stage state is kept in <date-dir>/.rigwatch/stages.json: a re-run skips finished work,
a killed run resumes, a changed file is processed again. With --queue the same chain is planned as
BullMQ jobs on that Redis for \`rigwatch worker\`s on any machine that sees the same paths.`,
    options: [
      {
        flags: "--jobs <N>",
        description: "episodes in parallel, each on its own worker thread (1–16, default 1)",
      },
      JSON_LINES("stage event and per session"),
      {
        flags: "--queue <URL>",
        description: "plan the chain as jobs on this Redis (redis://HOST:PORT) and return with the plan",
      },
      { flags: "--follow", description: "with --queue: print each job as it ends, return when the run has" },
    ],
    progress: true,
    load: async () => (await import("./commands/process.js")).processSessions,
  },
  {
    name: "worker",
    args: "",
    summary: "runs the queue's stage jobs (process --queue) on this machine",
    description: `Runs the queue's stage jobs (process --queue) until SIGINT/SIGTERM, N at a time, each on its own
worker thread; the dataset must be under the same path as on the enqueuing machine (NFS or another
shared file system). A job whose worker dies is handed to another one (queue.lockDurationMs,
queue.stalledIntervalMs); a failed job is retried queue.attempts times with backoff, except a
corrupt take (quarantined, fails once). Prints one line per job that ends.`,
    options: [
      { flags: "--queue <URL>", description: "the Redis of the queue (redis://HOST:PORT)" },
      { flags: "--jobs <N>", description: "jobs at a time, each on its own worker thread (1–16, default 1)" },
      JSON_LINES("job that ends"),
    ],
    load: async () => (await import("./commands/workerArgs.js")).workerArgs,
  },
  {
    name: "queue",
    args: "<status|retry>",
    summary: "the queue's jobs: status per stage and worker, or retry the failed ones",
    description: `status: jobs waiting, active, failed, per stage and per worker, throughput; the failed jobs with
their errors. retry: every failed job back in the queue (exit 1 when one could not be).`,
    options: [
      { flags: "--queue <URL>", description: "the Redis of the queue (redis://HOST:PORT)" },
      JSON_LINES("line"),
    ],
    configFlags: false,
    load: async () => (await import("./commands/queueArgs.js")).queueArgs,
  },
  {
    name: "check",
    args: "<file|folder>...",
    summary: "integrity of episode files; corrupt ones renamed *.h5.corrupt",
    description: "Integrity of episode files. Corrupt files are renamed *.h5.corrupt (never deleted).",
    options: [
      { flags: "--deep", description: "read every frame of every image stream (default: first and last)" },
      { flags: "--dry-run", description: "report only, rename nothing" },
      JSON_LINES("file"),
    ],
    configFlags: false,
    load: async () => (await import("./commands/check.js")).check,
  },
  {
    name: "compress",
    args: "<file|folder>...",
    summary: "BLOSC/LZF → GZIP in place, verified bit-exact",
    description: `Recompresses episode files (BLOSC, LZF, none) to GZIP, which any HDF5 reader opens without plugins.
Each file is copied to a hidden temporary file beside it, verified bit-exact, then renamed over the
original: a kill or a full disk leaves the original intact. Files already GZIP are skipped.`,
    options: [
      {
        flags: "--jobs <N>",
        description: "files compressed in parallel, each on its own worker thread (default 1)",
      },
      {
        flags: "--level <1-9>",
        description: "deflate level (default 4: within 1.05× of h5repack SHUF+GZIP=4's size)",
      },
      { flags: "--force", description: "recompress files that are already GZIP" },
      JSON_LINES("file"),
    ],
    configFlags: false,
    progress: true,
    load: async () => (await import("./commands/compress.js")).compress,
  },
  {
    name: "index",
    args: "<date-dir|files>...",
    summary: "the contact index: episode_NNN.pt and .contact.json",
    description: `The contact index (spec §4): per episode a PyTorch file episode_NNN.pt (post-trim 128×128 thumbnails
of the three cameras and both GelSights, timestamps, aligned poses, contact metrics, _contact_meta)
and its episode_NNN.contact.json summary, each written atomically.`,
    options: [
      {
        flags: "--out <DIR>",
        description: "where both files go (default: <dataset>/processed/<mode>/<task>/<date>)",
      },
      { flags: "--mode <NAME>", description: "<mode> of the processed layout (default: contact)" },
      {
        flags: "--tasks <FILE>",
        description: "tasks.json with the active sensors (default: <dataset>/tasks.json)",
      },
      JSON_LINES("episode"),
    ],
    progress: true,
    load: async () => (await import("./commands/contactIndex.js")).index,
  },
  {
    name: "detect",
    args: "<date-dir|files>...",
    summary: "every failure mode: the dataset's reports and figures",
    description: `Finds every failure mode in the episodes and writes bad_frames.json, freeze_intervals.json,
data_quality_breakdown.json and data_quality_report.csv, and draws quality_breakdown.png and a
timeline per take (timelines/<date>/episode_NNN.png). Manual verdicts already in
freeze_intervals.json are kept and honoured.`,
    options: [
      {
        flags: "--out <DIR>",
        description: "where the reports go (default: <dataset>/figures/dataset_figures)",
      },
      {
        flags: "--tasks <FILE>",
        description: "tasks.json with the active sensors (default: <dataset>/tasks.json)",
      },
      JSON_LINES("episode"),
    ],
    progress: true,
    load: async () => (await import("./commands/detect.js")).detect,
  },
  {
    name: "previews",
    args: "<date-dir|files>...",
    summary: "episode preview GIFs and a clip of every borderline event",
    description: `Episode preview GIFs (spec §6) and a short clip of every borderline event (freezes of 1–5 s, weak
spikes, single-frame teleports) with the affected sensor circled red.`,
    options: [
      {
        flags: "--out <DIR>",
        description: "where the GIFs go (default: <dataset>/figures/episode_previews/<task>/<date>)",
      },
      {
        flags: "--reports <DIR>",
        description: "detect's reports, for the manual verdicts (default: <dataset>/figures/dataset_figures)",
      },
      {
        flags: "--tasks <FILE>",
        description: "tasks.json with the active sensors (default: <dataset>/tasks.json)",
      },
      { flags: "--no-clips", description: "the episode GIFs only" },
      JSON_LINES("GIF"),
    ],
    progress: true,
    load: async () => (await import("./commands/previews.js")).previews,
  },
  {
    name: "export",
    args: "<episode.h5|date-dir>...",
    summary: "one MCAP file per take for Foxglove",
    description: `One MCAP file per take for Foxglove: colour and GelSight images as foxglove.CompressedImage (JPEG),
depth as foxglove.RawImage, every OptiTrack body as foxglove.PoseInFrame, the rig's frames
(calibration included) as foxglove.FrameTransforms on /tf, detect's events on /detect/events and the
take's live alarms on /live/alarms as foxglove.Log; protobuf with the schema in the file, chunked,
indexed, zstd. Written through a temp file and renamed, so a kill leaves no half file.`,
    options: [
      {
        flags: "--out <DIR>",
        description:
          "where the files go, as DIR/<date>/episode_NNN.mcap (default: <dataset>/exports/mcap/<task>/<date>)",
      },
      { flags: "--from <S>", description: "start at S seconds from the take's first frame (default 0)" },
      { flags: "--to <S>", description: "end at S seconds (default: the take's end)" },
      {
        flags: "--reports <DIR>",
        description: "detect's reports for the events (default: <dataset>/figures/dataset_figures)",
      },
      JSON_LINES("take"),
    ],
    progress: true,
    load: async () => (await import("./commands/export.js")).exportTakes,
  },
  {
    name: "verdict",
    args: "<event|clip.gif> keep|cut|merge|clear",
    summary: "a person's call on a borderline freeze",
    description: `Records a person's call on a borderline freeze (the event id a clip is named by) as manual_verdict
in freeze_intervals.json; the next detect honours it. clear removes the call.`,
    options: [
      {
        flags: "--reports <DIR>",
        description: "detect's reports (default: <dataset>/figures/dataset_figures, found from the event)",
      },
      JSON_LINES("verdict"),
    ],
    load: async () => (await import("./commands/verdict.js")).verdict,
  },
  {
    name: "metadata",
    args: "<date-dir>...",
    summary: "tasks.json brought up to date from detect's reports",
    description: `Brings tasks.json up to date for each session folder data/<task>/<date>/ from detect's reports: the
date in tasks.<task>.dates; per_date_notes.<date> with kind, active_sensors (detected), a generated
note summarising the session and n_episodes. A person's kind, active_sensors and note are never
overwritten (the generated text is kept in generated_note); every other field and the file's
formatting are kept byte for byte. Nothing is written when tasks.json or a report is unusable.`,
    options: [
      {
        flags: "--tasks <FILE>",
        description: "tasks.json to update (default: <dataset>/tasks.json, created if missing)",
      },
      {
        flags: "--reports <DIR>",
        description: "detect's reports (default: <dataset>/figures/dataset_figures)",
      },
      JSON_LINES("session"),
    ],
    load: async () => (await import("./commands/metadata.js")).metadata,
  },
  {
    name: "preflight",
    args: "<dataset-dir>",
    summary: "the pre-publish checklist; exit 1 when an item fails",
    description: `The pre-publish checklist (spec §8) over the folder holding data/: recordings present; a current .pt
for each; tasks.json notes for each session; bad_frames.json covering exactly the recordings; a
preview GIF for each; data_quality_breakdown.json matching bad_frames.json; every recording GZIP;
a .contact.json beside each .pt; the four reports present; detect's figures present. Prints each
item ✓/✗ with the offending files; exits 1 when any item fails, 0 when all pass. Only reads.`,
    options: [
      { flags: "--mode <NAME>", description: "<mode> of processed/<mode>/ (default: contact)" },
      { flags: "--json", description: "the whole report as one JSON object" },
    ],
    load: async () => (await import("./commands/preflight.js")).preflight,
  },
  {
    name: "publish",
    args: "<dataset-dir>",
    summary: "uploads what changed to the hub's dataset repo",
    description: `Uploads the dataset folder (data/, processed/, figures/, tasks.json, README.md; never hidden files
such as .rigwatch/ or temp files, nor *.h5.corrupt) to the hub's dataset repo with the hub's own
client, in one commit of the files that differ from the repo (compared by git/LFS oid). Files only
on the hub are listed, never deleted. The token comes from $HF_TOKEN (publish.tokenEnv) and is
never printed. The pre-publish checks (spec §8) must pass before anything is uploaded.`,
    options: [
      { flags: "--repo <NS/NAME>", description: "the dataset repo (default: publish.repo)" },
      { flags: "--dry-run", description: "print what would be added and changed, upload nothing" },
      { flags: "--public", description: "create a missing repo public (default private)" },
      {
        flags: "--skip-preflight",
        description: "upload without the pre-publish checks (tests and emergencies; warns)",
      },
      { flags: "--json", description: "one JSON object per line" },
    ],
    progress: true,
    load: async () => (await import("./commands/publish.js")).publish,
  },
  {
    name: "replay",
    args: "[episode.h5]",
    summary: "a recorded take through the live detectors, compared with detect",
    description: `Replays a recorded take through the live detectors, prints each alarm as it is raised or cleared,
then compares the live alarms with the offline result of the same take. Without a file it replays
a built-in faulted demo take (generated once into ~/.cache/rigwatch).`,
    options: [
      { flags: "--speed <N|max>", description: "multiple of real time (default max)" },
      {
        flags: "--json",
        description: 'one JSON object per line: alarms, then one {"type":"comparison"} per published list',
      },
    ],
    load: async () => {
      const [{ replay }, { demoEpisode }] = await Promise.all([
        import("./commands/replay.js"),
        import("./demoEpisode.js"),
      ]);
      return (argv) => replay(argv, () => demoEpisode((line) => console.log(line)));
    },
  },
  {
    name: "completion",
    args: "bash|zsh",
    summary: "the shell completion script (bash or zsh)",
    description: `Prints the completion script of rigwatch's commands and options for bash or zsh:
  bash: rigwatch completion bash > /etc/bash_completion.d/rigwatch   (or source <(rigwatch completion bash))
  zsh:  rigwatch completion zsh > "\${fpath[1]}/_rigwatch"`,
    options: [],
    configFlags: false,
    load: async () => (await import("./completion.js")).completionCommand(COMMANDS),
  },
];
