import fc from 'fast-check';
import t from 'tap';
import { ApiError } from '../src/errors/index.js';
import {
  Quantity,
  type QuantityFormat,
  QUANTITY_REGEXP,
  parseQuantity,
  quantityFromScaled,
  sumQuantities,
  tryParseQuantity,
} from '../src/quantity/index.js';

// Seeded property tests: every run explores the same cases.
const RUNS = { seed: 42, numRuns: 1000 } as const;

const DECIMAL_SUFFIXES: Record<string, number> = { '': 0, n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const NANO = 10n ** 9n;
const MAX_BINARY_NANOS = ((1n << 63n) - 1n) * NANO;

interface Parts {
  sign: '' | '+' | '-';
  int: string;
  point: boolean;
  frac: string;
  suffix: string;
}

const digits = (maxLength: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength });
const suffixArb = fc.oneof(
  fc.constantFrom(...Object.keys(DECIMAL_SUFFIXES)),
  fc.constantFrom(...Object.keys(BINARY_SUFFIXES)),
  fc
    .tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), fc.constantFrom('', '0', '00'), fc.integer({ min: 0, max: 30 }))
    .map(([e, sign, pad, n]) => `${e}${sign}${pad}${n}`),
);
// Well-formed quantities: up to 20 whole digits and exponents up to 30, so always below 10^64.
const partsArb: fc.Arbitrary<Parts> = fc
  .record({
    sign: fc.constantFrom('' as const, '+' as const, '-' as const),
    int: digits(20),
    point: fc.boolean(),
    frac: digits(14),
    suffix: suffixArb,
  })
  .map((p) => (p.point ? p : { ...p, frac: '' }))
  .filter((p) => p.int !== '' || p.frac !== '');
const text = (p: Parts) => `${p.sign}${p.int}${p.point ? '.' : ''}${p.frac}${p.suffix}`;

/** The parse result computed independently, with exact fractions: nanounits and format. */
function oracle(p: Parts): { nanos: bigint; format: QuantityFormat } {
  let num = BigInt(p.int + p.frac || '0') * NANO;
  let den = 10n ** BigInt(p.frac.length);
  let format: QuantityFormat = 'DecimalSI';
  let exp10 = 0;
  if (p.suffix in DECIMAL_SUFFIXES) exp10 = DECIMAL_SUFFIXES[p.suffix]!;
  else if (p.suffix in BINARY_SUFFIXES) {
    num <<= BigInt(BINARY_SUFFIXES[p.suffix]!);
    format = 'BinarySI';
  } else {
    exp10 = Number(p.suffix.slice(1));
    format = 'DecimalExponent';
  }
  if (exp10 >= 0) num *= 10n ** BigInt(exp10);
  else den *= 10n ** BigInt(-exp10);
  let nanos = (num + den - 1n) / den; // rounded up
  if (format === 'BinarySI' && nanos > MAX_BINARY_NANOS) nanos = MAX_BINARY_NANOS;
  if (format === 'BinarySI' && nanos > 0n && nanos < NANO) format = 'DecimalSI';
  return { nanos: p.sign === '-' ? -nanos : nanos, format };
}

const formatArb = fc.constantFrom<QuantityFormat>('DecimalSI', 'BinarySI', 'DecimalExponent');
const parsedArb = partsArb.map((p) => parseQuantity(text(p)));
// Quantities built directly, including sub-nano scales that must round, and BinarySI values
// past the 2^63-1 that parsing caps at.
const scaledArb = fc
  .tuple(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: -12, max: 25 }), formatArb)
  .map(([m, s, f]) => quantityFromScaled(m, s, f));
const smallArb = fc
  .tuple(fc.bigInt({ min: -(2n ** 40n), max: 2n ** 40n }), fc.integer({ min: -9, max: 3 }), formatArb)
  .map(([m, s, f]) => quantityFromScaled(m, s, f));
const quantityArb = fc.oneof(parsedArb, scaledArb, smallArb);

/** The exact value as a fraction num/den. */
function fraction(q: Quantity): [bigint, bigint] {
  return q.scale >= 0 ? [q.mantissa * 10n ** BigInt(q.scale), 1n] : [q.mantissa, 10n ** BigInt(-q.scale)];
}

function sameValue(a: Quantity, b: Quantity): boolean {
  return a.cmp(b) === 0 && a.mantissa === b.mantissa && a.scale === b.scale;
}

/**
 * What parsing a quantity's canonical string gives back: the value, except that a string with
 * a binary suffix caps at 2^63-1 (upstream prints 2^63 BinarySI as "8Ei", which parses as 2^63-1).
 */
function reparsedValue(q: Quantity): Quantity {
  const nanos = q.scaledValue(-9);
  if (!q.toString().endsWith('i') || (nanos <= MAX_BINARY_NANOS && nanos >= -MAX_BINARY_NANOS)) return q;
  return quantityFromScaled(nanos < 0n ? -MAX_BINARY_NANOS : MAX_BINARY_NANOS, -9, 'BinarySI');
}

/**
 * Upstream prints a whole BinarySI value that is not a multiple of 1024 without a suffix
 * ("2000"), which then parses as DecimalSI and prints as "2k". That is the one way printing,
 * parsing and printing again can change the string.
 */
function unsuffixedBinary(q: Quantity, s: string): boolean {
  return q.format === 'BinarySI' && /^-?[0-9]+000$/.test(s);
}

t.test('parsing agrees with exact fractions, rounded up to nanounits', async (t) => {
  fc.assert(
    fc.property(partsArb, (p) => {
      const q = parseQuantity(text(p));
      const want = oracle(p);
      return q.scaledValue(-9) === want.nanos && q.format === want.format;
    }),
    RUNS,
  );
  t.pass('parse matches the oracle');
});

t.test('parsed quantities are normalized and never finer than a nanounit', async (t) => {
  fc.assert(
    fc.property(quantityArb, (q) => {
      if (q.isZero()) return q.scale === 0;
      return q.mantissa % 10n !== 0n && q.scale >= -9;
    }),
    RUNS,
  );
  t.pass('normalized');
});

t.test('parse(format(q)) gives q back, by cmp and by canonical string', async (t) => {
  fc.assert(
    fc.property(quantityArb, (q) => {
      const s = q.toString();
      const back = parseQuantity(s);
      const want = reparsedValue(q);
      if (!sameValue(back, want)) return false;
      return back.toString() === want.toString() || unsuffixedBinary(q, s);
    }),
    RUNS,
  );
  t.equal(parseQuantity('1.953125Ki').toString(), '2000', 'the upstream exception: BinarySI 2000 prints without a suffix');
  t.equal(parseQuantity('2000').toString(), '2k', '... and parses back as DecimalSI');
  t.equal(parseQuantity(quantityFromScaled(16n, 18, 'BinarySI').toString()).toString(), '9223372036854775807', 'and parsing caps BinarySI');
});

t.test('format is idempotent: a printed quantity reprints as itself', async (t) => {
  fc.assert(
    fc.property(quantityArb, (q) => {
      const once = parseQuantity(q.toString()).toString();
      return parseQuantity(once).toString() === once;
    }),
    RUNS,
  );
  t.pass('idempotent');
});

t.test('canonical strings have the largest exponent that keeps the number whole', async (t) => {
  const shape = /^(0|-?[1-9][0-9]*([numkMGTPE]|[KMGTPE]i|e-?[1-9][0-9]*)?)$/;
  fc.assert(
    fc.property(quantityArb, (q) => {
      const s = q.toString();
      if (!shape.test(s) || !new RegExp(QUANTITY_REGEXP).test(s)) return false;
      const [, number = '', suffix = ''] = /^(-?[0-9]+)(.*)$/.exec(s) ?? [];
      if (suffix.endsWith('i')) return suffix === 'Ei' || BigInt(number) % 1024n !== 0n;
      return !number.endsWith('000') || unsuffixedBinary(q, s);
    }),
    RUNS,
  );
  t.pass('canonical');
});

t.test('a sign in front negates', async (t) => {
  fc.assert(
    fc.property(partsArb, (p) => {
      const unsigned = text({ ...p, sign: '' });
      const q = parseQuantity(unsigned);
      return sameValue(parseQuantity(`-${unsigned}`), q.neg()) && sameValue(parseQuantity(`+${unsigned}`), q);
    }),
    RUNS,
  );
  t.pass('signs');
});

t.test('add is commutative and associative, with zero as identity', async (t) => {
  fc.assert(
    fc.property(quantityArb, quantityArb, (a, b) => sameValue(a.add(b), b.add(a))),
    RUNS,
  );
  fc.assert(
    fc.property(quantityArb, quantityArb, quantityArb, (a, b, c) => sameValue(a.add(b).add(c), a.add(b.add(c)))),
    RUNS,
  );
  fc.assert(
    fc.property(quantityArb, (a) => {
      const zero = parseQuantity('0');
      const right = a.add(zero);
      const left = zero.add(a);
      // A zero on the left takes the right's format, even when both are zero.
      const rightFormat = a.isZero() ? zero.format : a.format;
      return sameValue(right, a) && sameValue(left, a) && right.format === rightFormat && left.format === a.format;
    }),
    RUNS,
  );
  t.pass('addition laws');
});

t.test('a + b - b == a, and a - a == 0', async (t) => {
  fc.assert(
    fc.property(quantityArb, quantityArb, (a, b) => {
      const back = a.add(b).sub(b);
      return sameValue(back, a) && (a.isZero() || back.format === a.format) && a.sub(a).isZero() && a.add(a.neg()).isZero();
    }),
    RUNS,
  );
  t.pass('inverse');
});

t.test('the result of add and sub keeps the left format unless the left is zero', async (t) => {
  fc.assert(
    fc.property(quantityArb, quantityArb, (a, b) => {
      const want = a.isZero() ? b.format : a.format;
      return a.add(b).format === want && a.sub(b).format === want;
    }),
    RUNS,
  );
  t.pass('formats');
});

t.test('cmp is consistent with the sign of sub, antisymmetric and agrees with fractions', async (t) => {
  fc.assert(
    fc.property(quantityArb, quantityArb, (a, b) => {
      const c = a.cmp(b);
      const [an, ad] = fraction(a);
      const [bn, bd] = fraction(b);
      const x = an * bd;
      const y = bn * ad;
      const exact = x === y ? 0 : x > y ? 1 : -1;
      return c === a.sub(b).sign() && c === -b.cmp(a) && c === exact && a.cmp(a) === 0;
    }),
    RUNS,
  );
  fc.assert(
    fc.property(fc.array(quantityArb, { maxLength: 20 }), (list) => {
      const sorted = [...list].sort((a, b) => a.cmp(b));
      return sorted.every((q, i) => i === 0 || sorted[i - 1]!.cmp(q) <= 0);
    }),
    RUNS,
  );
  t.pass('cmp');
});

t.test('value() and milliValue() are the smallest whole amounts at least as large, away from zero', async (t) => {
  // For v > 0 the result r satisfies r - 1 < v <= r, mirrored for v < 0.
  const roundsAway = (q: Quantity, unitScale: number): boolean => {
    const r = q.scaledValue(unitScale);
    const [n, d] = fraction(q);
    const unit = 10n ** BigInt(unitScale + 9);
    const nanos = (n * NANO) / d; // exact: every quantity is a whole number of nanounits
    if (nanos === 0n) return r === 0n;
    if (nanos > 0n) return (r - 1n) * unit < nanos && nanos <= r * unit;
    return r * unit <= nanos && nanos < (r + 1n) * unit;
  };
  fc.assert(
    fc.property(quantityArb, (q) => roundsAway(q, 0) && roundsAway(q, -3) && q.value() === q.scaledValue(0) && q.milliValue() === q.scaledValue(-3)),
    RUNS,
  );
  t.pass('rounding');
});

t.test('mul is repeated addition; sums do not depend on order', async (t) => {
  fc.assert(
    fc.property(quantityArb, fc.integer({ min: -5, max: 5 }), (q, n) => {
      let sum = parseQuantity('0');
      for (let i = 0; i < Math.abs(n); i++) sum = sum.add(q);
      if (n < 0) sum = sum.neg();
      return q.mul(n).cmp(sum) === 0;
    }),
    RUNS,
  );
  fc.assert(
    fc.property(fc.array(quantityArb, { maxLength: 30 }), (list) => {
      const total = sumQuantities(list);
      const reversed = sumQuantities([...list].reverse());
      const folded = list.reduce((acc, q) => acc.add(q), parseQuantity('0'));
      return sameValue(total, reversed) && sameValue(total, folded) && total.format === folded.format;
    }),
    RUNS,
  );
  t.pass('sums');
});

// Our grammar: at least one digit, at most one decimal point, then one suffix.
const GRAMMAR = /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([numkMGTPE]|[KMGTPE]i|[eE][+-]?[0-9]+)?$/;

/** Parses without ever letting anything but an ApiError escape; checks what it returns. */
function parsesCleanly(s: string): boolean {
  let got: Quantity | ApiError;
  try {
    got = tryParseQuantity(s);
    if (got instanceof ApiError) parseQuantity(s); // must throw the ApiError too
  } catch (e) {
    return e instanceof ApiError;
  }
  if (got instanceof ApiError) {
    return got.code === 400 && (s.length > 80 || got.message.startsWith(`quantity ${JSON.stringify(s)}: `));
  }
  // Anything accepted is a quantity upstream's regular expression accepts too.
  return got instanceof Quantity && new RegExp(QUANTITY_REGEXP).test(s) && GRAMMAR.test(s);
}

t.test('arbitrary strings never throw anything but an ApiError naming the input', async (t) => {
  const nearValid = fc.string({ unit: fc.constantFrom(...'0123456789.+-eEinumkKMGTP xi'), maxLength: 24 });
  for (const [name, arb] of [
    ['ascii', fc.string({ maxLength: 40 })],
    ['unicode', fc.string({ unit: 'grapheme', maxLength: 40 })],
    ['binary', fc.string({ unit: 'binary', maxLength: 40 })],
    ['near-valid', nearValid],
    ['long', fc.string({ unit: fc.constantFrom(...'0123456789.eE-+Ki'), minLength: 50, maxLength: 3000 })],
  ] as const) {
    fc.assert(fc.property(arb, parsesCleanly), { ...RUNS, numRuns: 2000 });
    t.pass(`${name} strings`);
  }
});

t.test('a string of the grammar parses unless it is too large', async (t) => {
  const nearValid = fc.string({ unit: fc.constantFrom(...'0123456789.+-eEinumkKMGTP'), maxLength: 16 });
  fc.assert(
    fc.property(nearValid, (s) => {
      const got = tryParseQuantity(s);
      if (got instanceof ApiError) return !GRAMMAR.test(s) || got.message.includes('too large');
      return GRAMMAR.test(s);
    }),
    { ...RUNS, numRuns: 5000 },
  );
  t.pass('grammar');
});
