export { checkToken, type TokenOwner } from "./checkToken.js";
export { hashFile, type OidKind } from "./hashFile.js";
export { hubCall, hubFailure } from "./hubFailure.js";
export { type HubTarget, hubTarget } from "./HubTarget.js";
export {
  type DatasetListing,
  type ExcludedPath,
  listDatasetFiles,
  type LocalFile,
} from "./listDatasetFiles.js";
export { comparePlan, type FileStatus, planPublish, type PublishPlan } from "./planPublish.js";
export {
  formatSize,
  outcomeLine,
  outcomeRecord,
  planLines,
  planRecords,
  type PublishOutcome,
} from "./planReport.js";
export { PublishError, type PublishErrorCode } from "./PublishError.js";
export {
  type ExclusionReason,
  exclusionReason,
  PUBLISHED_FILES,
  PUBLISHED_FOLDERS,
} from "./publishedLayout.js";
export { REDACTED, redactor, redactTokens } from "./redact.js";
export { type RemoteFile, remoteTree } from "./remoteTree.js";
export { scrubError } from "./scrubError.js";
export { commitTitle, uploadChanges, type UploadOptions, type UploadResult } from "./uploadChanges.js";
