export { bodyTravel } from "./bodyTravel.js";
export { type OtLossConfig, OtLossDetector, type OtLossKind, type OtLossSpan } from "./OtLossDetector.js";
export { type OtWindowEvidence, otWindowEvidence } from "./otEvidence.js";
export { rowPosition, rowQuaternion } from "./poseRows.js";
export { hypot3, hypot4 } from "./hypot.js";
export * from "./quaternion.js";
export { type TeleportConfig, TeleportDetector, type TeleportEvent } from "./TeleportDetector.js";
