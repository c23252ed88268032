/**
 * Synthetic recorder episodes with injected faults and their truth (curation spec §1–§4).
 * Entry points: generateEpisode (one file + truth), presetSession (ready-made sessions), randomScenario
 * (a seeded random take), planEpisode
 * (clocks, OT and truth without writing pixels), EpisodeWriter (the recorder layout, frame by frame).
 */
export { type EpisodeHeader, EpisodeWriter, type TickImages } from "./episodeWriter.js";
export { type GenerateResult, generateEpisode, truthPathFor } from "./generate.js";
export type { Body, Camera, Compression, SensorBody, Side } from "./layout.js";
export { type EpisodePlan, planEpisode } from "./plan.js";
export { PRESETS, type PresetName, type PresetOptions, presetSession, type Session } from "./presets.js";
export {
  drawRandomScenario,
  RANDOM_FAULT_KINDS,
  type RandomDraw,
  type RandomFaultKind,
  type RandomScenarioOptions,
  randomScenario,
} from "./random.js";
export { resolveScenario } from "./resolveScenario.js";
export type { Fault, ResolvedScenario, Scenario } from "./scenario.js";
export { ScenarioError } from "./validate.js";
export { formatTruth, type Truth, type TruthEvent, type TruthKind, type TruthMode } from "./truth.js";
