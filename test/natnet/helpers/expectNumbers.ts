import { expect } from "vitest";

/**
 * Asserts `actual` is the value printed as `printed`, to every digit printed: either `printed` names
 * this very float32 (it rounds to it), or `actual` lies within half a unit of the last printed digit.
 * The first clause accepts the README's DEC values whose 9th digit is off by one but still names the
 * float32 on the wire (e.g. 0.0847831667 for 0.08478316664695740).
 */
export function expectPrinted(actual: number | undefined, printed: string): void {
  expect(actual, `expected ${printed}`).toBeTypeOf("number");
  const value = actual as number;
  const expected = Number(printed);
  if (Math.fround(expected) === value) return;
  const halfUnit = 0.5 * 10 ** (exponentOf(expected) - significantDigits(printed) + 1);
  expect(Math.abs(value - expected), `${value} vs ${printed} (± ${halfUnit})`).toBeLessThanOrEqual(
    halfUnit * (1 + 1e-9),
  );
}

export function expectPrintedAll(actual: readonly number[] | undefined, printed: readonly string[]): void {
  expect(actual?.length).toBe(printed.length);
  printed.forEach((value, i) => expectPrinted(actual?.[i], value));
}

/** Within half a unit of the printed value's last decimal place (printf "%.2f" and the like). */
export function expectRounded(actual: number | undefined, printed: string): void {
  const decimals = printed.split(".")[1]?.length ?? 0;
  expect(actual, `expected ≈ ${printed}`).toBeTypeOf("number");
  expect(Math.abs((actual as number) - Number(printed)), `${actual} vs ${printed}`).toBeLessThanOrEqual(
    0.5 * 10 ** -decimals + 1e-12,
  );
}

function significantDigits(printed: string): number {
  const mantissa = printed.replace(/^[-+]/, "").split(/e/i)[0] ?? "";
  return Math.max(1, mantissa.replace(".", "").replace(/^0+/, "").length);
}

function exponentOf(value: number): number {
  return value === 0 ? 0 : Math.floor(Math.log10(Math.abs(value)));
}

/** pytest.approx's default (relative 1e-6, absolute 1e-12): how python_natnet's tests compare TEST values. */
export function expectApprox(actual: number | undefined, expected: number, relative = 1e-6): void {
  expect(actual, `expected ≈ ${expected}`).toBeTypeOf("number");
  const tolerance = Math.max(relative * Math.abs(expected), 1e-12);
  expect(Math.abs((actual as number) - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

export function expectApproxAll(actual: readonly number[] | undefined, expected: readonly number[]): void {
  expect(actual?.length).toBe(expected.length);
  expected.forEach((value, i) => expectApprox(actual?.[i], value));
}
