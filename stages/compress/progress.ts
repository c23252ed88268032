/**
 * The steps of one compression, in order. A progress bar follows `copied`/`verified`; the kill tests
 * stop the process at each of them to prove the original survives.
 */
export type CompressProgress =
  | { readonly step: "copied"; readonly dataset: string; readonly index: number; readonly total: number }
  /** The temporary file is closed and fsynced. */
  | { readonly step: "written" }
  | { readonly step: "verified"; readonly dataset: string; readonly index: number; readonly total: number }
  /** Verified; the rename over the original comes next. */
  | { readonly step: "replacing" };
