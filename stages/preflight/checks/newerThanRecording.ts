import { statSync } from "node:fs";

/**
 * Why `product` does not stand for the current `recording`: "missing", or older than it (the
 * recording was replaced after, e.g. recompressed or re-recorded); undefined when it is current.
 * Nanosecond times; a product with the very same time counts as current, since a coarse filesystem
 * clock gives a file written right after another the same time.
 */
export function staleness(product: string, recording: string): string | undefined {
  let productTime: bigint;
  try {
    productTime = statSync(product, { bigint: true }).mtimeNs;
  } catch {
    return "missing";
  }
  return productTime < statSync(recording, { bigint: true }).mtimeNs ? "older than its recording" : undefined;
}
