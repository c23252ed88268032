/**
 * Usage text of every command, kept apart from the commands so `rigwatch help` (and a typo) answer
 * without loading h5wasm and the detectors.
 */
export const USAGE = {
  run: `rigwatch run [--sim] [--json] [--natnet-server HOST] [--natnet-command-port N]
             [--natnet-mode unicast|multicast] [--natnet-interface ADDR] [--tap ENDPOINT]
             [--tap-alarms ENDPOINT] [--port N]
  The live daemon: NatNet and the recorder tap (ZeroMQ, default tcp://127.0.0.1:5560; alarms and
  the watchdog's stop go back on tcp://127.0.0.1:5561) → live detectors → alarms on the log
  (stderr), the operator page (http://127.0.0.1:PORT/, JSON stream at /ws), the recorder and, with
  --json, one JSON line per alarm on stdout. Follows the takes: idle → take → between → closed.
  --sim starts the built-in simulated rig (Motive + recorder tap) in-process: within every two
  minutes, every OT fault, LED flicker, a frozen camera, a pipeline stall, an unplugged GelSight, a
  take started without OT (start gate) and 11 s of OT silence (watchdog). Stops on SIGINT/SIGTERM.`,
  sim: `rigwatch sim [--port N] [--version 3.0|4.1] [--rate HZ] [--tap ENDPOINT] [--tap-alarms ENDPOINT]
  The simulated rig on its own: a Motive-like NatNet server (default 127.0.0.1:1510, NatNet 4.1,
  120 Hz) for the rig's three bodies and a recorder tap publisher, on the demo schedule of
  \`run --sim\`. Stops on SIGINT/SIGTERM.`,
  compress: `rigwatch compress <file|folder>... [--jobs N] [--level 1-9] [--force] [--json]
  Recompresses episode files (BLOSC, LZF, none) to GZIP, which any HDF5 reader opens without plugins.
  Each file is copied to a hidden temporary file beside it, verified bit-exact, then renamed over
  the original: a kill or a full disk leaves the original intact. Files already GZIP are skipped.
  --jobs N    files compressed in parallel, each on its own worker thread (default 1)
  --level L   deflate level (default 4: within 1.05× of h5repack SHUF+GZIP=4's size)
  --force     recompress files that are already GZIP
  --json      one JSON object per file`,
  index: `rigwatch index <date-dir|files>... [--out DIR] [--mode NAME] [--tasks tasks.json] [--json]
  The contact index (spec §4): per episode a PyTorch file episode_NNN.pt (post-trim 128×128 thumbnails
  of the three cameras and both GelSights, timestamps, aligned poses, contact metrics, _contact_meta)
  and its episode_NNN.contact.json summary, each written atomically.
  --out DIR     where both files go (default: <dataset>/processed/<mode>/<task>/<date>, or beside the files)
  --mode NAME   <mode> of the processed layout (default: contact)
  --tasks FILE  tasks.json with per_date_notes.<date>.active_sensors (default: <dataset>/tasks.json)
  --json        one JSON object per episode on stdout`,
  process: `rigwatch process <date-dir>... [--jobs N] [--json] [--queue redis://HOST:PORT [--follow]]
  The post-session chain for each session folder: per episode check (corrupt files renamed
  *.h5.corrupt) → compress (GZIP) → index (.pt + .contact.json), episodes in parallel on N worker
  threads, then detect's session reports. Stage state is kept in <date-dir>/.rigwatch/stages.json:
  a re-run skips finished work, a killed run resumes, a changed file is processed again.
  --json    one JSON object per stage event and per session
  --queue   plan the chain as jobs in a BullMQ queue on that Redis, for \`rigwatch worker\`s on any
            machine that sees the same paths; returns at once with the plan. Enqueueing the same
            folders with the same config again while they are queued adds nothing.
  --follow  with --queue: print each job of the run as it ends, return when the run has (exit 1
            when a job failed for another reason than an unusable take)`,
  worker: `rigwatch worker --queue redis://HOST:PORT [--jobs N] [--json]
  Runs the queue's stage jobs (process --queue) until SIGINT/SIGTERM, N at a time, each on its own
  worker thread; the dataset must be under the same path as on the enqueuing machine (NFS or another
  shared file system). A job whose worker dies is handed to another one (queue.lockDurationMs,
  queue.stalledIntervalMs); a failed job is retried queue.attempts times with backoff, except a
  corrupt take (quarantined, fails once). Prints one line per job that ends (--json: an object).`,
  queue: `rigwatch queue status|retry --queue redis://HOST:PORT [--json]
  status  jobs waiting, active, failed, per stage and per worker, throughput; the failed jobs with
          their errors
  retry   every failed job back in the queue (exit 1 when one could not be)`,
  check: `rigwatch check <file|folder>... [--deep] [--dry-run] [--json]
  Integrity of episode files. Corrupt files are renamed *.h5.corrupt (never deleted).
  --deep     read every frame of every image stream (default: first and last)
  --dry-run  report only, rename nothing
  --json     one JSON object per file`,
  detect: `rigwatch detect <date-dir|files>... [--out DIR] [--tasks tasks.json] [--json]
  Finds every failure mode in the episodes and writes bad_frames.json, freeze_intervals.json,
  data_quality_breakdown.json and data_quality_report.csv. Manual verdicts already in
  freeze_intervals.json are kept and honoured.
  --out DIR     where the reports go (default: <dataset>/figures/dataset_figures, or beside the files)
  --tasks FILE  tasks.json with per_date_notes.<date>.active_sensors (default: <dataset>/tasks.json)
  --json        one JSON object per episode on stdout`,
  previews: `rigwatch previews <date-dir|files>... [--out DIR] [--reports DIR] [--no-clips] [--json]
  Episode preview GIFs (spec §6) and a short clip of every borderline event (freezes of 1–5 s, weak
  spikes, single-frame teleports) with the affected sensor circled red.
  --out DIR      where the GIFs go (default: <dataset>/figures/episode_previews/<task>/<date>)
  --reports DIR  detect's reports, for the manual verdicts (default: <dataset>/figures/dataset_figures)
  --no-clips     the episode GIFs only
  --json         one JSON object per GIF on stdout`,
  verdict: `rigwatch verdict <event> keep|cut|merge [--reports DIR]
  Records a person's call on a borderline freeze (the event id a clip is named by) as manual_verdict
  in freeze_intervals.json; the next detect honours it.
  --reports DIR  detect's reports (default: <dataset>/figures/dataset_figures, found from the event)`,
  metadata: `rigwatch metadata <date-dir>... [--tasks FILE] [--reports DIR] [--json]
  Brings tasks.json up to date for each session folder data/<task>/<date>/ from detect's reports: the
  date in tasks.<task>.dates; per_date_notes.<date> with kind, active_sensors (detected), a generated
  note summarising the session and n_episodes. A person's kind, active_sensors and note are never
  overwritten (the generated text is kept in generated_note); every other field and the file's
  formatting are kept byte for byte. Nothing is written when tasks.json or a report is unusable.
  --tasks FILE   tasks.json to update (default: <dataset>/tasks.json, created if missing)
  --reports DIR  detect's reports (default: <dataset>/figures/dataset_figures)
  --json         one JSON object per session on stdout`,
  preflight: `rigwatch preflight <dataset-dir> [--mode NAME] [--json]
  The pre-publish checklist (spec §8) over the folder holding data/: recordings present; a current .pt
  for each; tasks.json notes for each session; bad_frames.json covering exactly the recordings; a
  preview GIF for each; data_quality_breakdown.json matching bad_frames.json; every recording GZIP;
  a .contact.json beside each .pt; the four reports present. Prints each item ✓/✗ with the offending
  files; exits 1 when any item fails, 0 when all pass. Only reads.
  --mode NAME  <mode> of processed/<mode>/ (default: contact)
  --json       the whole report as one JSON object`,
  publish: `rigwatch publish <dataset-dir> [--repo NS/NAME] [--dry-run] [--public] [--skip-preflight] [--json]
  Uploads the dataset folder (data/, processed/, figures/, tasks.json, README.md; never hidden files
  such as .rigwatch/ or temp files, nor *.h5.corrupt) to the hub's dataset repo with the hub's own
  client, in one commit of the files that differ from the repo (compared by git/LFS oid). Files only
  on the hub are listed, never deleted. The token comes from $HF_TOKEN (publish.tokenEnv) and is
  never printed. The pre-publish checks (spec §8) must pass before anything is uploaded.
  --repo NS/NAME    the dataset repo (default: publish.repo)
  --dry-run         print what would be added and changed, upload nothing
  --public          create a missing repo public (default private)
  --skip-preflight  upload without the pre-publish checks (tests and emergencies; warns)
  --json            one JSON object per line`,
  replay: `rigwatch replay [episode.h5] [--speed N|max] [--json]
  Replays a recorded take through the live detectors, prints each alarm as it is raised or cleared,
  then compares the live alarms with the offline result of the same take. Without a file it replays
  a built-in faulted demo take (generated once into ~/.cache/rigwatch).
  --speed N|max  multiple of real time (default max)
  --json         one JSON object per line: alarms, then one {"type":"comparison"} per published list`,
} as const;

export const COMMON_FLAGS = `Every command takes --config FILE (JSON) and --set key=value (repeatable); environment variables
RIGWATCH__SECTION__KEY=value and RIGWATCH_CONFIG=FILE do the same. Defaults: the curation spec's.`;
