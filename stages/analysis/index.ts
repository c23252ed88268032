/** The one analysis pass per take and its evidence cache (issue 12): frames decoded once for every stage. */
export { EvidenceCache } from "./EvidenceCache.js";
export { EvidenceError } from "./EvidenceError.js";
export { EVIDENCE_STREAMS, EVIDENCE_VERSION, type EvidenceHeader } from "./evidenceLayout.js";
export { type FileIdentity, fileIdentity, sameIdentity } from "./FileIdentity.js";
export { RecordReader } from "./RecordFile.js";
// scanTake (and h5wasm with it) is loaded by EvidenceCache when a pass is due, not with this index.
export type { ScanOptions } from "./scanTake.js";
export { TakeEvidence } from "./TakeEvidence.js";
