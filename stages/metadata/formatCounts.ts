/** "190231" → "190,231": grouped by hand, so the text never depends on the machine's locale. */
function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** A count with grouped digits: 190231 → "190,231". */
export function groupDigits(n: number): string {
  return groupThousands(String(n));
}

/** A fixed number of decimals, grouped: (1057.25, 1) → "1,057.3". */
export function fixed(value: number, digits: number): string {
  const [whole = "", fraction] = value.toFixed(digits).split(".");
  return fraction === undefined ? groupThousands(whole) : `${groupThousands(whole)}.${fraction}`;
}

/** "1 frame", "2 frames", "1,768 frames". */
export function counted(n: number, noun: string): string {
  return `${groupDigits(n)} ${noun}${n === 1 ? "" : "s"}`;
}
