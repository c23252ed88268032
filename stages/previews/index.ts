export {
  BUILT_IN_CALIBRATION,
  type CameraCalibration,
  loadCalibration,
  type RigCalibration,
} from "./calibration.js";
export { type ClipEvent, clipEventId, clipEvents, type ClipKind } from "./clipEvents.js";
export { encodeCappedGif, gifLadder } from "./encodeGif.js";
export { PreviewError } from "./PreviewError.js";
export { projectGelCentre } from "./projection.js";
export { previewFrames } from "./previewFrames.js";
export {
  CLIPS_DIR,
  type EpisodePreviews,
  type PreviewOptions,
  renderEpisodePreviews,
  type WrittenGif,
} from "./renderPreviews.js";
