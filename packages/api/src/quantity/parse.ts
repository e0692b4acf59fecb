// Parsing quantity strings, with upstream's rules (k8s.io/apimachinery ParseQuantity):
//
//   <quantity> ::= <sign>? <digits>? ('.' <digits>?)? <suffix>      (at least one digit)
//   <suffix>   ::= "" | n u m k M G T P E | Ki Mi Gi Ti Pi Ei | (e|E) <sign>? <digits>
//
// - The value is exact, then rounded away from zero to nanounits: "1.5n" is 2n, "1e-100" is 1n.
// - A BinarySI value is capped, silently, at 2^63-1 in magnitude ("8Ei" parses as
//   9223372036854775807), and one below 1 in magnitude becomes DecimalSI ("0.5Ki" is 512).
// - Decimal values are not capped upstream (inf.Dec); we refuse those with more than
//   QUANTITY_MAX_DIGITS digits before the decimal point ("1e999999999"), so no input can make
//   us build a huge BigInt. Binary values never reach that bound: they are capped first.
//
// Where upstream accepts or rejects by accident we take the grammar above instead: upstream
// parses "", "+", "-", ".", "Ki" and "e3" (no digits at all) as zero but rejects "Pi" and "e-10",
// and wraps exponents beyond int32 ("1e4294967297" is 10). We reject every digit-less number,
// round any tiny exponent to 1n and refuse any exponent that makes the value too large.

import { type ApiError, badRequest, isApiError } from '../errors/index.js';
import { type Quantity, type QuantityFormat, quantityFromScaled } from './quantity.js';

/** Upstream's regular expression, quoted in every format error as upstream does. */
export const QUANTITY_REGEXP = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';

/**
 * The most digits a parsed value may have before its decimal point (so |value| < 10^64).
 * Not an upstream limit; far beyond any real resource amount (int64 is 19 digits).
 */
export const QUANTITY_MAX_DIGITS = 64;

const FORMAT_HINT = `quantities must match the regular expression '${QUANTITY_REGEXP}'`;

const DECIMAL_SUFFIXES: ReadonlyMap<string, number> = new Map([
  ['', 0],
  ['n', -9],
  ['u', -6],
  ['m', -3],
  ['k', 3],
  ['M', 6],
  ['G', 9],
  ['T', 12],
  ['P', 15],
  ['E', 18],
]);
const BINARY_SUFFIXES: ReadonlyMap<string, number> = new Map([
  ['Ki', 10],
  ['Mi', 20],
  ['Gi', 30],
  ['Ti', 40],
  ['Pi', 50],
  ['Ei', 60],
]);

const NANOS_PER_UNIT = 1_000_000_000n;
const MAX_BINARY_NANOS = ((1n << 63n) - 1n) * NANOS_PER_UNIT;

// Digits finer than 10^-70 are folded into a sticky "something non-zero follows" bit, so a
// megabyte of fraction costs no BigInt. Exact: the rounding step is 10^-9 and the largest
// multiplier 2^60, and 61 extra decimal places are enough for 10^61 to be divisible by 2^60.
const FINEST_DIGIT = -70;

// An exponent this long is beyond every bound below, whatever its digits.
const MAX_EXPONENT_DIGITS = 15;

/** Shows an input in a message: quoted, escaped, and cut short if long. */
function show(s: string): string {
  if (s.length <= 80) return JSON.stringify(s);
  return `${JSON.stringify(s.slice(0, 40)).slice(0, -1)}..." (${s.length} characters)`;
}

function fail(input: string, problem: string, hint = FORMAT_HINT): ApiError {
  return badRequest(`quantity ${show(input)}: ${problem}; ${hint}`);
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

interface Suffix {
  /** Decimal exponent from the suffix: SI prefix or e<n>; 0 for binary suffixes. */
  exp10: number;
  /** Binary exponent: Ki is 10 ... Ei is 60; 0 otherwise. */
  exp2: number;
  format: QuantityFormat;
}

function interpretSuffix(input: string, suffix: string): Suffix | ApiError {
  const dec = DECIMAL_SUFFIXES.get(suffix);
  if (dec !== undefined) return { exp10: dec, exp2: 0, format: 'DecimalSI' };
  const bin = BINARY_SUFFIXES.get(suffix);
  if (bin !== undefined) return { exp10: 0, exp2: bin, format: 'BinarySI' };
  const exp = /^[eE]([+-]?)([0-9]+)$/.exec(suffix);
  if (exp !== null) {
    const digits = exp[2]!.replace(/^0+/, '');
    // Too many digits to hold exactly: only its sign matters (too large, or rounds to 1n).
    const magnitude = digits.length > MAX_EXPONENT_DIGITS ? Infinity : Number(digits);
    return { exp10: exp[1] === '-' ? -magnitude : magnitude, exp2: 0, format: 'DecimalExponent' };
  }
  if (suffix.startsWith('.')) return fail(input, 'a number has at most one decimal point');
  if (/^[eE][+-]?$/.test(suffix)) return fail(input, `exponent ${show(suffix)} has no digits`);
  return fail(input, `unknown suffix ${show(suffix)}`);
}

/**
 * Parses a quantity, or returns the 400 BadRequest ApiError saying what is wrong with it.
 * Never throws, whatever the input.
 */
export function tryParseQuantity(input: string): Quantity | ApiError {
  if (typeof input !== 'string') {
    // Callers holding a JSON number should pass String(n); anything else is a programming error.
    const shown = typeof input === 'number' || typeof input === 'bigint' ? String(input) : typeof input;
    return badRequest(`quantity ${shown}: must be a string, not a ${typeof input}`);
  }
  if (input === '') return fail(input, 'must not be empty');
  if (/\s/.test(input)) return fail(input, 'must not contain whitespace');

  let i = 0;
  const negative = input[0] === '-';
  if (negative || input[0] === '+') i++;
  const intStart = i;
  while (i < input.length && isDigit(input.charCodeAt(i))) i++;
  const intDigits = input.slice(intStart, i);
  let fracDigits = '';
  if (input[i] === '.') {
    const fracStart = ++i;
    while (i < input.length && isDigit(input.charCodeAt(i))) i++;
    fracDigits = input.slice(fracStart, i);
  }
  if (intDigits === '' && fracDigits === '') {
    return fail(input, 'must start with a number (digits with an optional sign and decimal point)');
  }
  const suffix = interpretSuffix(input, input.slice(i));
  if (isApiError(suffix)) return suffix;

  // The value is sig × 10^exp10 × 2^exp2, sig being the digits without leading zeros.
  const digits = intDigits + fracDigits;
  const first = digits.search(/[1-9]/);
  if (first < 0) return quantityFromScaled(0n, 0, suffix.format);
  let sig = digits.slice(first);
  let exp10 = suffix.exp10 - fracDigits.length;
  const wholeDigits = sig.length + exp10;

  let nanos: bigint;
  if (suffix.exp2 > 0 && wholeDigits > 19) {
    // At least 10^19 before a multiplier of at least 1024: far past the cap.
    nanos = MAX_BINARY_NANOS;
  } else if (wholeDigits > QUANTITY_MAX_DIGITS) {
    return fail(
      input,
      `too large: at most ${QUANTITY_MAX_DIGITS} digits before the decimal point are supported`,
      'use a smaller number or unit',
    );
  } else {
    let sticky = false;
    if (exp10 < FINEST_DIGIT) {
      const keep = sig.length - (FINEST_DIGIT - exp10);
      if (keep <= 0) {
        // Entirely below 10^-70 (and non-zero): rounds up to the smallest unit.
        sig = '';
        sticky = true;
      } else {
        sticky = /[1-9]/.test(sig.slice(keep));
        sig = sig.slice(0, keep);
      }
      exp10 = FINEST_DIGIT;
    }
    const n = BigInt(sig === '' ? '0' : sig) << BigInt(suffix.exp2);
    const shift = exp10 + 9; // n × 10^shift nanounits
    if (shift >= 0) {
      nanos = n * 10n ** BigInt(shift);
    } else {
      const d = 10n ** BigInt(-shift);
      nanos = n / d;
      if (sticky || n % d !== 0n) nanos += 1n; // away from zero: the sign is applied below
    }
    if (suffix.exp2 > 0 && nanos > MAX_BINARY_NANOS) nanos = MAX_BINARY_NANOS;
  }

  // A binary value below 1 would have to round to print in binary units: upstream switches it to DecimalSI.
  const format = suffix.format === 'BinarySI' && nanos < NANOS_PER_UNIT ? 'DecimalSI' : suffix.format;
  return quantityFromScaled(negative ? -nanos : nanos, -9, format);
}

/** Parses a quantity (`100m`, `0.5`, `128Mi`, `1e3`), throwing a 400 BadRequest ApiError if it is not one. */
export function parseQuantity(input: string): Quantity {
  const q = tryParseQuantity(input);
  if (isApiError(q)) throw q;
  return q;
}
