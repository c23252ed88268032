/**
 * `Math.hypot` of three and four numbers without its cost. V8's builtin copies its arguments into a
 * fresh array on every call (garbage at the rig's rate: several calls per OT sample); these follow
 * its algorithm step for step (src/builtins/math.tq: Infinity wins over NaN; then each magnitude is
 * divided by the largest and the squares are Kahan-summed in argument order), so every result is
 * bitwise the builtin's and nothing computed from them changes.
 */
export function hypot3(x: number, y: number, z: number): number {
  const a = Math.abs(x);
  const b = Math.abs(y);
  const c = Math.abs(z);
  if (a === Infinity || b === Infinity || c === Infinity) return Infinity;
  if (Number.isNaN(a) || Number.isNaN(b) || Number.isNaN(c)) return Number.NaN;
  const max = Math.max(a, b, c);
  if (max === 0) return 0;
  const s = new KahanSum();
  s.addSquare(a / max);
  s.addSquare(b / max);
  s.addSquare(c / max);
  return Math.sqrt(s.sum) * max;
}

export function hypot4(w: number, x: number, y: number, z: number): number {
  const a = Math.abs(w);
  const b = Math.abs(x);
  const c = Math.abs(y);
  const d = Math.abs(z);
  if (a === Infinity || b === Infinity || c === Infinity || d === Infinity) return Infinity;
  if (Number.isNaN(a) || Number.isNaN(b) || Number.isNaN(c) || Number.isNaN(d)) return Number.NaN;
  const max = Math.max(a, b, c, d);
  if (max === 0) return 0;
  const s = new KahanSum();
  s.addSquare(a / max);
  s.addSquare(b / max);
  s.addSquare(c / max);
  s.addSquare(d / max);
  return Math.sqrt(s.sum) * max;
}

/** V8's compensated sum of squares (the optimiser keeps this object in registers: it never escapes). */
class KahanSum {
  sum = 0;
  #compensation = 0;

  addSquare(n: number): void {
    const summand = n * n - this.#compensation;
    const preliminary = this.sum + summand;
    this.#compensation = preliminary - this.sum - summand;
    this.sum = preliminary;
  }
}
