import { join } from "node:path";
import { reportsDir } from "../../dataset/index.js";
import { REPORT_FILES } from "../../detect/runDetect.js";

/** A report of spec §5 in the dataset's `figures/dataset_figures/`. */
export function reportPath(root: string, name: keyof typeof REPORT_FILES): string {
  return join(reportsDir(root), REPORT_FILES[name]);
}
