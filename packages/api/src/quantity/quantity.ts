// Resource quantities, as k8s.io/apimachinery/pkg/api/resource.Quantity: an exact decimal
// (never a float) plus the notation it was written in, so "1Gi" prints back as "1Gi" and
// "100m" as "100m". Parsing lives in parse.ts; this file is the value type, its arithmetic
// and upstream's canonical formatting (CanonicalizeBytes).

/**
 * The notation a quantity was written in, and is printed in:
 * - `DecimalSI`: `n u m "" k M G T P E` (powers of 1000), e.g. `100m`, `12M`;
 * - `BinarySI`: `Ki Mi Gi Ti Pi Ei` (powers of 1024), e.g. `128Mi`;
 * - `DecimalExponent`: `e<n>` / `E<n>`, e.g. `12e6`.
 */
export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

/** Upstream keeps every quantity to nanounits (10^-9); finer values round away from zero. */
export const QUANTITY_MIN_SCALE = -9;

// Bounds the scales accepted by the programmatic constructors and scaledValue, so a typo
// cannot ask for a 10^1e9 BigInt. Parsing has its own, tighter bound (see parse.ts).
const MAX_SCALE_MAGNITUDE = 10_000;

const DECIMAL_SUFFIXES: ReadonlyMap<number, string> = new Map([
  [-9, 'n'],
  [-6, 'u'],
  [-3, 'm'],
  [0, ''],
  [3, 'k'],
  [6, 'M'],
  [9, 'G'],
  [12, 'T'],
  [15, 'P'],
  [18, 'E'],
]);
const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'] as const;

const pow10Cache: bigint[] = [];
function pow10(n: number): bigint {
  if (n < 64) return (pow10Cache[n] ??= 10n ** BigInt(n));
  return 10n ** BigInt(n);
}

function abs(n: bigint): bigint {
  return n < 0n ? -n : n;
}

function signOf(n: bigint): -1 | 0 | 1 {
  return n === 0n ? 0 : n > 0n ? 1 : -1;
}

function decimalDigits(n: bigint): number {
  return abs(n).toString().length;
}

function checkScale(scale: number, what: string): void {
  if (!Number.isSafeInteger(scale) || Math.abs(scale) > MAX_SCALE_MAGNITUDE) {
    throw new RangeError(`${what}: scale must be an integer between -${MAX_SCALE_MAGNITUDE} and ${MAX_SCALE_MAGNITUDE}, got ${scale}`);
  }
}

function toBigInt(n: bigint | number, what: string): bigint {
  if (typeof n === 'bigint') return n;
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what}: expected a safe integer, got ${n}`);
  return BigInt(n);
}

// The only way to reach the private constructor from module-level functions.
let construct: (mantissa: bigint, scale: number, format: QuantityFormat) => Quantity;

/**
 * An exact quantity: `mantissa × 10^scale`, kept normalized (no trailing zeros in the
 * mantissa, zero is `0 × 10^0`) and never finer than nanounits, plus its format.
 * Immutable: every operation returns a new Quantity.
 */
export class Quantity {
  /** The value is `mantissa × 10^scale`. */
  readonly mantissa: bigint;
  /** Base-10 exponent, always >= -9 (nanounits). */
  readonly scale: number;
  readonly format: QuantityFormat;
  #canonical: string | undefined;

  static {
    construct = (mantissa, scale, format) => new Quantity(mantissa, scale, format);
  }

  private constructor(mantissa: bigint, scale: number, format: QuantityFormat) {
    // Normalize so that equal values have equal fields (tap's t.same, Map keys by string ...).
    if (mantissa === 0n) {
      scale = 0;
    } else {
      while (mantissa % 10n === 0n) {
        mantissa /= 10n;
        scale += 1;
      }
    }
    this.mantissa = mantissa;
    this.scale = scale;
    this.format = format;
    Object.freeze(this);
  }

  sign(): -1 | 0 | 1 {
    return signOf(this.mantissa);
  }

  isZero(): boolean {
    return this.mantissa === 0n;
  }

  /** -1, 0 or 1 as this is less than, equal to or greater than `other`; formats are ignored. */
  cmp(other: Quantity): -1 | 0 | 1 {
    const sa = this.sign();
    const sb = other.sign();
    if (sa !== sb) return sa < sb ? -1 : 1;
    if (sa === 0) return 0;
    if (this.scale === other.scale) return this.mantissa === other.mantissa ? 0 : this.mantissa > other.mantissa ? 1 : -1;
    // Same sign: compare orders of magnitude first, so distant values need no big multiply.
    const ea = decimalDigits(this.mantissa) + this.scale;
    const eb = decimalDigits(other.mantissa) + other.scale;
    if (ea !== eb) return (ea > eb ? sa : -sa) as -1 | 1;
    const [a, b] = align(this, other);
    return a === b ? 0 : a > b ? 1 : -1;
  }

  equals(other: Quantity): boolean {
    return this.cmp(other) === 0;
  }

  /**
   * this + other, exactly. The result keeps this quantity's format, unless this is zero,
   * in which case it takes other's (upstream Quantity.Add: `0 + 1Gi` prints as `1Gi`).
   */
  add(other: Quantity): Quantity {
    const [a, b, scale] = align(this, other);
    return construct(a + b, scale, this.isZero() ? other.format : this.format);
  }

  /** this - other, exactly; the format follows the same rule as `add` (upstream Quantity.Sub). */
  sub(other: Quantity): Quantity {
    const [a, b, scale] = align(this, other);
    return construct(a - b, scale, this.isZero() ? other.format : this.format);
  }

  neg(): Quantity {
    return construct(-this.mantissa, this.scale, this.format);
  }

  /** this × n for an integer n (upstream Quantity.Mul); keeps the format. */
  mul(n: bigint | number): Quantity {
    return construct(this.mantissa * toBigInt(n, 'Quantity.mul'), this.scale, this.format);
  }

  /** The same value printed in another format. */
  withFormat(format: QuantityFormat): Quantity {
    return format === this.format ? this : construct(this.mantissa, this.scale, format);
  }

  /**
   * The value in units of 10^scale, rounded away from zero when inexact (upstream
   * ScaledValue, without its int64 overflow): `1.5n` at scale -9 is 2, `-0.1` at scale 0 is -1.
   */
  scaledValue(scale: number): bigint {
    checkScale(scale, 'Quantity.scaledValue');
    const m = this.mantissa;
    if (this.scale >= scale) return m * pow10(this.scale - scale);
    const drop = scale - this.scale;
    // |m| < 10^digits <= 10^drop, so the result is within one unit of zero.
    if (decimalDigits(m) <= drop) return BigInt(this.sign());
    const d = pow10(drop);
    const q = m / d; // BigInt division truncates toward zero
    return m % d === 0n ? q : q + BigInt(this.sign());
  }

  /**
   * The value in whole units, rounded away from zero (upstream Value(): `100m` is 1, `-1.5` is -2).
   * Upstream's inf.Dec-backed values can round negative fractions differently; we don't copy that.
   */
  value(): bigint {
    return this.scaledValue(0);
  }

  /** The value in thousandths, rounded away from zero (upstream MilliValue(): `1.5n` is 1). */
  milliValue(): bigint {
    return this.scaledValue(-3);
  }

  /** The canonical form, as upstream's CanonicalizeBytes: `1000m` is `1`, `1024Mi` is `1Gi`. */
  toString(): string {
    return (this.#canonical ??= canonicalize(this));
  }

  /** Quantities serialize as their canonical string, as upstream's MarshalJSON. */
  toJSON(): string {
    return this.toString();
  }
}

/** Both mantissas at the smaller of the two scales. */
function align(x: Quantity, y: Quantity): [bigint, bigint, number] {
  if (x.scale === y.scale) return [x.mantissa, y.mantissa, x.scale];
  if (x.scale < y.scale) return [x.mantissa, y.mantissa * pow10(y.scale - x.scale), x.scale];
  return [x.mantissa * pow10(x.scale - y.scale), y.mantissa, y.scale];
}

function canonicalize(q: Quantity): string {
  if (q.isZero()) return '0';
  let format = q.format;
  // Binary notation only for whole values of at least 1Ki in magnitude; anything else would
  // need rounding or reads oddly ("512" rather than "0.5Ki"), so it prints as DecimalSI.
  // (A normalized mantissa is whole exactly when the scale is not negative.)
  if (format === 'BinarySI' && (q.scale < 0 || abs(q.mantissa * pow10(q.scale)) < 1024n)) {
    format = 'DecimalSI';
  }
  if (format === 'BinarySI') {
    let v = q.mantissa * pow10(q.scale);
    let k = 0;
    // Stop at Ei, the largest suffix; upstream drops the suffix (and the magnitude) beyond it.
    while (k < BINARY_SUFFIXES.length - 1 && v % 1024n === 0n && abs(v) >= 1024n) {
      v /= 1024n;
      k += 1;
    }
    return `${v}${BINARY_SUFFIXES[k]}`;
  }
  // Largest exponent that is a multiple of 3 and keeps the mantissa whole. The mantissa has
  // no trailing zeros, so that is the scale rounded down to a multiple of 3.
  let m = q.mantissa;
  let e = q.scale;
  while (e % 3 !== 0) {
    m *= 10n;
    e -= 1;
  }
  if (format === 'DecimalSI') {
    // DecimalSI has no suffix beyond E (10^18): upstream falls back to the exponent there.
    const suffix = DECIMAL_SUFFIXES.get(e);
    if (suffix !== undefined) return `${m}${suffix}`;
  }
  return e === 0 ? `${m}` : `${m}e${e}`;
}

/**
 * `value × 10^scale` in the given format, rounded away from zero to nanounits (upstream
 * NewScaledQuantity, which is always DecimalSI, and NewDecimalQuantity).
 */
export function quantityFromScaled(value: bigint | number, scale: number, format: QuantityFormat = 'DecimalSI'): Quantity {
  const v = toBigInt(value, 'quantityFromScaled');
  checkScale(scale, 'quantityFromScaled');
  if (scale >= QUANTITY_MIN_SCALE || v === 0n) return construct(v, scale, format);
  const drop = QUANTITY_MIN_SCALE - scale;
  if (decimalDigits(v) <= drop) return construct(BigInt(signOf(v)), QUANTITY_MIN_SCALE, format);
  const d = pow10(drop);
  const q = v / d;
  return construct(v % d === 0n ? q : q + BigInt(signOf(v)), QUANTITY_MIN_SCALE, format);
}

/** A whole number of units (upstream NewQuantity): `quantityFromInt(2n)` is `2`. */
export function quantityFromInt(value: bigint | number, format: QuantityFormat = 'DecimalSI'): Quantity {
  return construct(toBigInt(value, 'quantityFromInt'), 0, format);
}

/** Thousandths of a unit (upstream NewMilliQuantity): `quantityFromMillis(1500n)` is `1500m`. */
export function quantityFromMillis(millis: bigint | number, format: QuantityFormat = 'DecimalSI'): Quantity {
  return construct(toBigInt(millis, 'quantityFromMillis'), -3, format);
}

/**
 * A byte count in BinarySI (upstream NewQuantity(n, BinarySI)): `quantityFromBytes(1n << 30n)`
 * is `1Gi`. Unlike parsing, this does not cap at 2^63-1.
 */
export function quantityFromBytes(bytes: bigint | number): Quantity {
  return construct(toBigInt(bytes, 'quantityFromBytes'), 0, 'BinarySI');
}

/** A zero in the given format. */
export function zeroQuantity(format: QuantityFormat = 'DecimalSI'): Quantity {
  return construct(0n, 0, format);
}

/** `a.cmp(b)`, for `Array.prototype.sort`. */
export function compareQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
  return a.cmp(b);
}

/**
 * The exact sum, folding `add` left from a DecimalSI zero: a zero running total takes the next
 * term's format, so summing `1Gi` terms prints in Gi as summing with upstream Add does.
 * An empty list sums to `0`.
 */
export function sumQuantities(list: Iterable<Quantity>): Quantity {
  let total = zeroQuantity();
  for (const q of list) total = total.add(q);
  return total;
}
