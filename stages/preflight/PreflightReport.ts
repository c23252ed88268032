/** One item of the pre-publish checklist. */
export interface PreflightItem {
  readonly id: string;
  readonly title: string;
  readonly ok: boolean;
  /** The files at fault, relative to the dataset root, "/"-separated, sorted. */
  readonly offending: string[];
  /** For a failure: what to do about it. */
  readonly detail?: string;
  /** Why each offending file fails, by its path in `offending`. */
  readonly reasons?: Readonly<Record<string, string>>;
}

/** The checklist of spec §8 (and a few more) over one dataset root. */
export interface PreflightReport {
  readonly root: string;
  /** Every item passed. */
  readonly ok: boolean;
  readonly items: readonly PreflightItem[];
}

/** An item from its problems (offending path → reason): it passes when there are none. */
export function preflightItem(
  id: string,
  title: string,
  problems: ReadonlyMap<string, string>,
  fix: string,
): PreflightItem {
  if (problems.size === 0) return { id, title, ok: true, offending: [] };
  const offending = [...problems.keys()].sort();
  return {
    id,
    title,
    ok: false,
    offending,
    detail: fix,
    reasons: Object.fromEntries(offending.map((path) => [path, problems.get(path) as string])),
  };
}
