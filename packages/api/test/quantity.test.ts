import t from 'tap';
import { ApiError } from '../src/errors/index.js';
import {
  Quantity,
  type QuantityFormat,
  QUANTITY_MAX_DIGITS,
  compareQuantities,
  parseQuantity,
  quantityFromBytes,
  quantityFromInt,
  quantityFromMillis,
  quantityFromScaled,
  sumQuantities,
  tryParseQuantity,
  zeroQuantity,
} from '../src/quantity/index.js';

// Expected canonical strings follow upstream's tests (k8s.io/apimachinery/pkg/api/resource:
// TestQuantityParse, TestQuantityString and its "alternate" spellings, TestQuantityParseEmit,
// TestParseQuantity, the sub-nano tests) and, where upstream has no case, its CanonicalizeBytes
// rules. value() and milliValue() were computed independently with exact fractions.

const q = parseQuantity;

/** The error tryParseQuantity returns for input; fails the test if it parsed. */
function parseError(input: string): ApiError {
  const got = tryParseQuantity(input);
  if (got instanceof ApiError) return got;
  throw new Error(`${JSON.stringify(input)} parsed as ${got.toString()}`);
}
const REGEXP_HINT = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

// input, canonical string, format, value(), milliValue()
const valid: [string, string, QuantityFormat, bigint, bigint][] = [
  ["0", "0", 'DecimalSI', 0n, 0n],
  ["00", "0", 'DecimalSI', 0n, 0n],
  ["-0", "0", 'DecimalSI', 0n, 0n],
  ["0.0", "0", 'DecimalSI', 0n, 0n],
  ["0n", "0", 'DecimalSI', 0n, 0n],
  ["0u", "0", 'DecimalSI', 0n, 0n],
  ["0m", "0", 'DecimalSI', 0n, 0n],
  ["0k", "0", 'DecimalSI', 0n, 0n],
  ["0M", "0", 'DecimalSI', 0n, 0n],
  ["0G", "0", 'DecimalSI', 0n, 0n],
  ["0T", "0", 'DecimalSI', 0n, 0n],
  ["0Ki", "0", 'BinarySI', 0n, 0n],
  ["0Mi", "0", 'BinarySI', 0n, 0n],
  ["0Gi", "0", 'BinarySI', 0n, 0n],
  ["0Ti", "0", 'BinarySI', 0n, 0n],
  ["0e3", "0", 'DecimalExponent', 0n, 0n],
  ["0e999999999999", "0", 'DecimalExponent', 0n, 0n], // zero whatever the exponent
  ["1", "1", 'DecimalSI', 1n, 1000n],
  ["2", "2", 'DecimalSI', 2n, 2000n],
  ["9", "9", 'DecimalSI', 9n, 9000n],
  ["01", "1", 'DecimalSI', 1n, 1000n],
  ["+5", "5", 'DecimalSI', 5n, 5000n],
  ["-1", "-1", 'DecimalSI', -1n, -1000n],
  ["5.", "5", 'DecimalSI', 5n, 5000n],
  ["1.", "1", 'DecimalSI', 1n, 1000n],
  [".5", "500m", 'DecimalSI', 1n, 500n],
  ["0.5", "500m", 'DecimalSI', 1n, 500n],
  ["+.5", "500m", 'DecimalSI', 1n, 500n],
  ["1.G", "1G", 'DecimalSI', 1000000000n, 1000000000000n],
  [".001", "1m", 'DecimalSI', 1n, 1n],
  [".0001k", "100m", 'DecimalSI', 1n, 100n],
  ["5n", "5n", 'DecimalSI', 1n, 1n],
  ["4u", "4u", 'DecimalSI', 1n, 1n],
  ["3m", "3m", 'DecimalSI', 1n, 3n],
  ["100m", "100m", 'DecimalSI', 1n, 100n],
  ["1000m", "1", 'DecimalSI', 1n, 1000n],
  ["1500m", "1500m", 'DecimalSI', 2n, 1500n],
  ["5000m", "5", 'DecimalSI', 5n, 5000n],
  ["1.5", "1500m", 'DecimalSI', 2n, 1500n],
  ["1.08", "1080m", 'DecimalSI', 2n, 1080n],
  ["1080000000n", "1080m", 'DecimalSI', 2n, 1080n],
  ["1.08u", "1080n", 'DecimalSI', 1n, 1n],
  ["1000u", "1m", 'DecimalSI', 1n, 1n],
  ["8k", "8k", 'DecimalSI', 8000n, 8000000n],
  ["50k", "50k", 'DecimalSI', 50000n, 50000000n],
  ["1000", "1k", 'DecimalSI', 1000n, 1000000n],
  ["1000000", "1M", 'DecimalSI', 1000000n, 1000000000n],
  ["7M", "7M", 'DecimalSI', 7000000n, 7000000000n],
  ["1G", "1G", 'DecimalSI', 1000000000n, 1000000000000n],
  ["1000M", "1G", 'DecimalSI', 1000000000n, 1000000000000n],
  ["0.001T", "1G", 'DecimalSI', 1000000000n, 1000000000000n],
  ["6G", "6G", 'DecimalSI', 6000000000n, 6000000000000n],
  ["5T", "5T", 'DecimalSI', 5000000000000n, 5000000000000000n],
  ["40T", "40T", 'DecimalSI', 40000000000000n, 40000000000000000n],
  ["300T", "300T", 'DecimalSI', 300000000000000n, 300000000000000000n],
  ["2P", "2P", 'DecimalSI', 2000000000000000n, 2000000000000000000n],
  ["1E", "1E", 'DecimalSI', 1000000000000000000n, 1000000000000000000000n],
  ["12E", "12E", 'DecimalSI', 12000000000000000000n, 12000000000000000000000n],
  ["1000E", "1e21", 'DecimalSI', 1000000000000000000000n, 1000000000000000000000000n], // DecimalSI has no suffix past E: upstream falls back to e
  ["5000E", "5e21", 'DecimalSI', 5000000000000000000000n, 5000000000000000000000000n],
  ["1000000E", "1e24", 'DecimalSI', 1000000000000000000000000n, 1000000000000000000000000000n],
  ["100.035k", "100035", 'DecimalSI', 100035n, 100035000n],
  ["10.035M", "10035k", 'DecimalSI', 10035000n, 10035000000n],
  ["9.01", "9010m", 'DecimalSI', 10n, 9010n],
  ["8.1k", "8100", 'DecimalSI', 8100n, 8100000n],
  ["7.123456M", "7123456", 'DecimalSI', 7123456n, 7123456000n],
  ["6.987654321G", "6987654321", 'DecimalSI', 6987654321n, 6987654321000n],
  ["5.444T", "5444G", 'DecimalSI', 5444000000000n, 5444000000000000n],
  ["40.1T", "40100G", 'DecimalSI', 40100000000000n, 40100000000000000n],
  ["300.2T", "300200G", 'DecimalSI', 300200000000000n, 300200000000000000n],
  ["2.5P", "2500T", 'DecimalSI', 2500000000000000n, 2500000000000000000n],
  ["1.01E", "1010P", 'DecimalSI', 1010000000000000000n, 1010000000000000000000n],
  ["0.001", "1m", 'DecimalSI', 1n, 1n],
  ["0.0005k", "500m", 'DecimalSI', 1n, 500n],
  ["0.00050k", "500m", 'DecimalSI', 1n, 500n],
  ["0.00500", "5m", 'DecimalSI', 1n, 5n],
  ["0.05000", "50m", 'DecimalSI', 1n, 50n],
  ["3.001n", "4n", 'DecimalSI', 1n, 1n], // finer than 1n rounds away from zero
  ["0.9n", "1n", 'DecimalSI', 1n, 1n],
  ["1.5n", "2n", 'DecimalSI', 1n, 1n],
  ["0.1n", "1n", 'DecimalSI', 1n, 1n],
  ["0.0000000001", "1n", 'DecimalSI', 1n, 1n],
  ["0.0000000005", "1n", 'DecimalSI', 1n, 1n],
  ["0.00000012345", "124n", 'DecimalSI', 1n, 1n],
  ["0.00000012354", "124n", 'DecimalSI', 1n, 1n],
  ["-1.5", "-1500m", 'DecimalSI', -2n, -1500n], // value() rounds away from zero
  ["-100m", "-100m", 'DecimalSI', -1n, -100n],
  ["-0.1", "-100m", 'DecimalSI', -1n, -100n],
  ["-0.0000000001", "-1n", 'DecimalSI', -1n, -1n],
  ["999999999999999999", "999999999999999999", 'DecimalSI', 999999999999999999n, 999999999999999999000n],
  ["999999999999999999.1", "999999999999999999100m", 'DecimalSI', 1000000000000000000n, 999999999999999999100n],
  ["-999999999999999999.1", "-999999999999999999100m", 'DecimalSI', -1000000000000000000n, -999999999999999999100n],
  ["1000000000000000000", "1E", 'DecimalSI', 1000000000000000000n, 1000000000000000000000n],
  ["9223372036854775807", "9223372036854775807", 'DecimalSI', 9223372036854775807n, 9223372036854775807000n],
  ["9223372036854775808", "9223372036854775808", 'DecimalSI', 9223372036854775808n, 9223372036854775808000n], // decimal values are not capped at int64
  ["-9223372036854775809", "-9223372036854775809", 'DecimalSI', -9223372036854775809n, -9223372036854775809000n],
  ["10000000000000000000000m", "10E", 'DecimalSI', 10000000000000000000n, 10000000000000000000000n],
  ["1.0000000000000000001E", "1000000000000000000100m", 'DecimalSI', 1000000000000000001n, 1000000000000000000100n],
  ["9999999999999999999999999999999999999999999999999999999999999999", "9999999999999999999999999999999999999999999999999999999999999999", 'DecimalSI', 9999999999999999999999999999999999999999999999999999999999999999n, 9999999999999999999999999999999999999999999999999999999999999999000n], // 64 digits: the largest accepted
  ["1Ki", "1Ki", 'BinarySI', 1024n, 1024000n],
  ["8Ki", "8Ki", 'BinarySI', 8192n, 8192000n],
  ["6Ki", "6Ki", 'BinarySI', 6144n, 6144000n],
  ["7Mi", "7Mi", 'BinarySI', 7340032n, 7340032000n],
  ["6Gi", "6Gi", 'BinarySI', 6442450944n, 6442450944000n],
  ["5Ti", "5Ti", 'BinarySI', 5497558138880n, 5497558138880000n],
  ["4Pi", "4Pi", 'BinarySI', 4503599627370496n, 4503599627370496000n],
  ["3Ei", "3Ei", 'BinarySI', 3458764513820540928n, 3458764513820540928000n],
  ["10Ti", "10Ti", 'BinarySI', 10995116277760n, 10995116277760000n],
  ["100Ti", "100Ti", 'BinarySI', 109951162777600n, 109951162777600000n],
  ["128Mi", "128Mi", 'BinarySI', 134217728n, 134217728000n],
  ["100Mi", "100Mi", 'BinarySI', 104857600n, 104857600000n],
  ["300Mi", "300Mi", 'BinarySI', 314572800n, 314572800000n],
  ["307200Ki", "300Mi", 'BinarySI', 314572800n, 314572800000n],
  ["1024Mi", "1Gi", 'BinarySI', 1073741824n, 1073741824000n],
  ["1536Mi", "1536Mi", 'BinarySI', 1610612736n, 1610612736000n],
  ["1.5Gi", "1536Mi", 'BinarySI', 1610612736n, 1610612736000n], // upstream's own example
  ["0.5Gi", "512Mi", 'BinarySI', 536870912n, 536870912000n],
  ["1500Ki", "1500Ki", 'BinarySI', 1536000n, 1536000000n], // whole Ki but not whole Mi
  ["1024Ki", "1Mi", 'BinarySI', 1048576n, 1048576000n],
  ["1025Ki", "1025Ki", 'BinarySI', 1049600n, 1049600000n],
  ["1001Gi", "1001Gi", 'BinarySI', 1074815565824n, 1074815565824000n],
  ["1025024Mi", "1001Gi", 'BinarySI', 1074815565824n, 1074815565824000n],
  ["1024Gi", "1Ti", 'BinarySI', 1099511627776n, 1099511627776000n],
  ["0.5Mi", "512Ki", 'BinarySI', 524288n, 524288000n],
  ["0.5Ki", "512", 'BinarySI', 512n, 512000n], // below 1Ki prints as DecimalSI
  ["1.5Ki", "1536", 'BinarySI', 1536n, 1536000n], // not a whole number of Ki
  ["1.1Ki", "1126400m", 'BinarySI', 1127n, 1126400n], // not whole: prints as DecimalSI
  ["0.1Gi", "107374182400m", 'BinarySI', 107374183n, 107374182400n],
  ["100.035Ki", "102435840m", 'BinarySI', 102436n, 102435840n],
  ["0.05Gi", "53687091200m", 'BinarySI', 53687092n, 53687091200n],
  ["0.025Ti", "27487790694400m", 'BinarySI', 27487790695n, 27487790694400n],
  [".001Ki", "1024m", 'BinarySI', 2n, 1024n],
  [".000001Ki", "1024u", 'DecimalSI', 1n, 2n], // below 1 the format becomes DecimalSI
  [".000000001Ki", "1024n", 'DecimalSI', 1n, 1n],
  [".000000000001Ki", "2n", 'DecimalSI', 1n, 1n],
  ["0.000000000001Ki", "2n", 'DecimalSI', 1n, 1n],
  ["0.00000000000000000000001Ki", "1n", 'DecimalSI', 1n, 1n],
  ["7Ei", "7Ei", 'BinarySI', 8070450532247928832n, 8070450532247928832000n],
  ["8Ei", "9223372036854775807", 'BinarySI', 9223372036854775807n, 9223372036854775807000n], // BinarySI is capped at 2^63-1
  ["9Ei", "9223372036854775807", 'BinarySI', 9223372036854775807n, 9223372036854775807000n],
  ["9223372036854775807Ki", "9223372036854775807", 'BinarySI', 9223372036854775807n, 9223372036854775807000n],
  ["99999999999999999999999999999999999999999999999999999999999999999999999Ki", "9223372036854775807", 'BinarySI', 9223372036854775807n, 9223372036854775807000n], // capped, not refused
  ["-1Ki", "-1Ki", 'BinarySI', -1024n, -1024000n],
  ["-1.5Gi", "-1536Mi", 'BinarySI', -1610612736n, -1610612736000n],
  ["-0.5Ki", "-512", 'BinarySI', -512n, -512000n],
  ["-9Ei", "-9223372036854775807", 'BinarySI', -9223372036854775807n, -9223372036854775807000n],
  ["1e3", "1e3", 'DecimalExponent', 1000n, 1000000n],
  ["1E3", "1e3", 'DecimalExponent', 1000n, 1000000n],
  ["1e+3", "1e3", 'DecimalExponent', 1000n, 1000000n],
  ["1e03", "1e3", 'DecimalExponent', 1000n, 1000000n],
  ["1e0", "1", 'DecimalExponent', 1n, 1000n],
  ["1e1", "10", 'DecimalExponent', 10n, 10000n],
  ["1E-3", "1e-3", 'DecimalExponent', 1n, 1n],
  ["1E6", "1e6", 'DecimalExponent', 1000000n, 1000000000n],
  ["1e9", "1e9", 'DecimalExponent', 1000000000n, 1000000000000n],
  ["1E12", "1e12", 'DecimalExponent', 1000000000000n, 1000000000000000n],
  ["1e13", "10e12", 'DecimalExponent', 10000000000000n, 10000000000000000n],
  ["1e14", "100e12", 'DecimalExponent', 100000000000000n, 100000000000000000n],
  ["1e15", "1e15", 'DecimalExponent', 1000000000000000n, 1000000000000000000n],
  ["1E18", "1e18", 'DecimalExponent', 1000000000000000000n, 1000000000000000000000n],
  ["1e21", "1e21", 'DecimalExponent', 1000000000000000000000n, 1000000000000000000000000n],
  ["12e6", "12e6", 'DecimalExponent', 12000000n, 12000000000n],
  ["300e6", "300e6", 'DecimalExponent', 300000000n, 300000000000n],
  ["3e3", "3e3", 'DecimalExponent', 3000n, 3000000n],
  ["80e-3", "80e-3", 'DecimalExponent', 1n, 80n],
  ["1.2e3", "1200", 'DecimalExponent', 1200n, 1200000n],
  ["1.3E+6", "1300e3", 'DecimalExponent', 1300000n, 1300000000n],
  ["1.40e9", "1400e6", 'DecimalExponent', 1400000000n, 1400000000000n],
  ["1.53E12", "1530e9", 'DecimalExponent', 1530000000000n, 1530000000000000n],
  ["1.6e15", "1600e12", 'DecimalExponent', 1600000000000000n, 1600000000000000000n],
  ["1.7E18", "1700e15", 'DecimalExponent', 1700000000000000000n, 1700000000000000000000n],
  ["0.5e0", "500e-3", 'DecimalExponent', 1n, 500n],
  ["0.5e-1", "50e-3", 'DecimalExponent', 1n, 50n],
  ["0.5e-2", "5e-3", 'DecimalExponent', 1n, 5n],
  [".001e12", "1e9", 'DecimalExponent', 1000000000n, 1000000000000n],
  ["0.001e0", "1e-3", 'DecimalExponent', 1n, 1n],
  ["1000e-12", "1e-9", 'DecimalExponent', 1n, 1n],
  ["1.1E-9", "2e-9", 'DecimalExponent', 1n, 1n],
  ["0.5e-9", "1e-9", 'DecimalExponent', 1n, 1n],
  ["1e-100", "1e-9", 'DecimalExponent', 1n, 1n],
  ["-1e-100", "-1e-9", 'DecimalExponent', -1n, -1n],
  ["1e-999999999999999999999", "1e-9", 'DecimalExponent', 1n, 1n], // an exponent of any length rounds up to 1n
  ["15e-10", "2e-9", 'DecimalExponent', 1n, 1n],
  ["1000000000000000000001e-30", "2e-9", 'DecimalExponent', 1n, 1n],
  ["999999999999999999999e-30", "1e-9", 'DecimalExponent', 1n, 1n],
  ["1e63", "1e63", 'DecimalExponent', 1000000000000000000000000000000000000000000000000000000000000000n, 1000000000000000000000000000000000000000000000000000000000000000000n],
  ["-1e63", "-1e63", 'DecimalExponent', -1000000000000000000000000000000000000000000000000000000000000000n, -1000000000000000000000000000000000000000000000000000000000000000000n],
];

t.test('valid quantities: canonical string, format, value() and milliValue()', async (t) => {
  for (const [input, canonical, format, value, milli] of valid) {
    const got = q(input);
    t.equal(got.toString(), canonical, `${JSON.stringify(input)} prints as ${canonical}`);
    t.equal(got.format, format, `${JSON.stringify(input)} is ${format}`);
    t.equal(got.value(), value, `${JSON.stringify(input)} value()`);
    t.equal(got.milliValue(), milli, `${JSON.stringify(input)} milliValue()`);
  }
});

t.test('valid quantities with an explicit sign', async (t) => {
  for (const [input, canonical, format] of valid) {
    if (input.startsWith('-') || input.startsWith('+')) continue;
    const plus = q(`+${input}`);
    t.equal(plus.toString(), canonical, `+${input}`);
    t.equal(plus.format, format, `+${input} format`);
    const minus = q(`-${input}`);
    t.equal(minus.toString(), canonical === '0' ? '0' : `-${canonical}`, `-${input}`);
    t.equal(minus.format, format, `-${input} format`);
    t.equal(minus.cmp(q(input).neg()), 0, `-${input} is the negation of ${input}`);
  }
});

t.test('canonical strings parse back to themselves', async (t) => {
  for (const [input, canonical] of valid) {
    const again = q(canonical);
    t.equal(again.toString(), canonical, `${canonical} is canonical`);
    t.equal(again.cmp(q(input)), 0, `${canonical} equals ${JSON.stringify(input)}`);
  }
});

t.test('parsed values are kept exactly, normalized, to nanounits', async (t) => {
  const cases: [string, bigint, number][] = [
    ['100m', 1n, -1],
    ['1.5n', 2n, -9],
    ['1Ki', 1024n, 0],
    ['12e6', 12n, 6],
    ['-2500', -25n, 2],
    ['0', 0n, 0],
    ['0Gi', 0n, 0],
    ['1e-100', 1n, -9],
  ];
  for (const [input, mantissa, scale] of cases) {
    const got = q(input);
    t.equal(got.mantissa, mantissa, `${input} mantissa`);
    t.equal(got.scale, scale, `${input} scale`);
  }
  t.equal(q('1e3').cmp(q('1000')), 0);
  t.equal(q(`1${'0'.repeat(QUANTITY_MAX_DIGITS - 19)}E`).toString(), '1e63', 'the largest accepted power of ten');
  t.equal(q('0.1e64').toString(), '1e63');
  t.same(q('1000m'), q('1'), 'equal values in one format have equal fields');
});

t.test('a very long number is parsed without building a huge BigInt', async (t) => {
  const zeros = '0'.repeat(1_000_000);
  const start = Date.now();
  t.equal(q(`0.${zeros}1`).toString(), '1n', 'a megabyte of fraction rounds to 1n');
  t.equal(q(`1.${zeros}`).toString(), '1');
  t.equal(q(`-0.${zeros}1Ei`).toString(), '-1n');
  t.equal(q(`${zeros}1Ki`).toString(), '1Ki', 'leading zeros');
  t.equal(q(`0.${zeros}Ki`).toString(), '0');
  t.equal(q(`1.${'9'.repeat(1_000_000)}Ki`).toString(), '2Ki', 'rounding carries through the sticky digits');
  t.ok(Date.now() - start < 5000, 'fast enough');
});

const invalid: [string, string | RegExp][] = [
  ['', 'quantity "": must not be empty; ' + REGEXP_HINT],
  [' 1', 'quantity " 1": must not contain whitespace'],
  ['1 ', 'quantity "1 ": must not contain whitespace'],
  ['1 Gi', 'must not contain whitespace'],
  ['\t1', 'quantity "\\t1": must not contain whitespace'],
  ['12x', 'quantity "12x": unknown suffix "x"; ' + REGEXP_HINT],
  ['1.1.M', 'quantity "1.1.M": a number has at most one decimal point'],
  ['1.2.3', 'quantity "1.2.3": a number has at most one decimal point'],
  ['1+1.0M', 'quantity "1+1.0M": unknown suffix "+1.0M"'],
  ['0.1mi', 'quantity "0.1mi": unknown suffix "mi"'],
  ['0.1am', 'quantity "0.1am": unknown suffix "am"'],
  ['aoeu', 'quantity "aoeu": must start with a number'],
  ['.5i', 'quantity ".5i": unknown suffix "i"'],
  ['1i', 'quantity "1i": unknown suffix "i"'],
  ['-3.01i', 'quantity "-3.01i": unknown suffix "i"'],
  ['-3.01e-', 'quantity "-3.01e-": exponent "e-" has no digits'],
  ['1e', 'quantity "1e": exponent "e" has no digits'],
  ['1E+', 'quantity "1E+": exponent "E+" has no digits'],
  ['1ee3', 'quantity "1ee3": unknown suffix "ee3"'],
  ['1Ee3', 'quantity "1Ee3": unknown suffix "Ee3"'],
  ['1e3e3', 'unknown suffix "e3e3"'],
  ['1e3.5', 'unknown suffix "e3.5"'],
  ['1e3Ki', 'unknown suffix "e3Ki"'],
  ['1ki', 'quantity "1ki": unknown suffix "ki"'], // suffixes are case-sensitive
  ['1KI', 'unknown suffix "KI"'],
  ['1K', 'unknown suffix "K"'],
  ['1Kii', 'unknown suffix "Kii"'],
  ['1MB', 'unknown suffix "MB"'],
  ['1k3', 'unknown suffix "k3"'],
  ['0x10', 'unknown suffix "x10"'],
  ['1_000', 'unknown suffix "_000"'],
  ['1,5', 'unknown suffix ",5"'],
  ['--1', 'quantity "--1": must start with a number'],
  ['+-1', 'quantity "+-1": must start with a number'],
  // Upstream parses these digit-less strings as zero by accident; we refuse them.
  ['+', 'quantity "+": must start with a number'],
  ['-', 'quantity "-": must start with a number'],
  ['.', 'quantity ".": must start with a number'],
  ['-.', 'quantity "-.": must start with a number'],
  ['Ki', 'quantity "Ki": must start with a number'],
  ['m', 'quantity "m": must start with a number'],
  ['e3', 'quantity "e3": must start with a number'],
  ['NaN', 'must start with a number'],
  ['Infinity', 'must start with a number'],
  ['-Infinity', 'must start with a number'],
  ['\uff11', 'quantity "\uff11": must start with a number'], // FULLWIDTH DIGIT ONE
  ['1\uff10', 'quantity "1\uff10": unknown suffix "\uff10"'],
  ['\u00bd', 'must start with a number'],
  ['1\u00b5', 'unknown suffix "\u00b5"'], // micro sign is not "u"
  ['\u{1f4be}', 'must start with a number'],
  ['\ud800', 'quantity "\\ud800": must start with a number'], // a lone surrogate, escaped
  ['\u0000', 'quantity "\\u0000": must start with a number'],
  ['1\u0000', 'unknown suffix "\\u0000"'],
  // Too large: not an upstream limit, see QUANTITY_MAX_DIGITS.
  ['1e999999999', 'quantity "1e999999999": too large: at most 64 digits before the decimal point'],
  ['1e64', 'quantity "1e64": too large'],
  ['-1e64', 'quantity "-1e64": too large'],
  ['10e63', 'quantity "10e63": too large'],
  ['0.1e65', 'quantity "0.1e65": too large'],
  ['1e99999999999999999999999999', 'too large'],
  [`1${'0'.repeat(QUANTITY_MAX_DIGITS)}`, 'too large'],
  [`1${'0'.repeat(QUANTITY_MAX_DIGITS - 18)}E`, 'too large'],
];

t.test('invalid quantities: a 400 ApiError that names the input and the problem', async (t) => {
  for (const [input, message] of invalid) {
    const err = tryParseQuantity(input);
    t.ok(err instanceof ApiError, `${JSON.stringify(input)} is refused`);
    if (!(err instanceof ApiError)) continue;
    t.equal(err.code, 400, `${JSON.stringify(input)} code`);
    t.equal(err.reason, 'BadRequest', `${JSON.stringify(input)} reason`);
    t.match(err.message, message, `${JSON.stringify(input)} message`);
    t.throws(() => q(input), err, `parseQuantity(${JSON.stringify(input)}) throws the same error`);
  }
});

t.test('error messages shorten a long input', async (t) => {
  const err = parseError(`${'1'.repeat(100_000)}x`);
  t.equal(err.message.length < 400, true, 'the message stays short');
  t.match(err.message, `quantity "${'1'.repeat(40)}..." (100001 characters): unknown suffix "x"`);
  const huge = parseError('9'.repeat(100_000));
  t.match(huge.message, /^quantity "9{40}\.\.\." \(100000 characters\): too large/);
});

t.test('non-string input is refused with an ApiError', async (t) => {
  const unprintable = {
    toString(): string {
      throw new Error('no');
    },
  };
  for (const bad of [5, null, undefined, {}, 1n, Symbol('x'), unprintable]) {
    const err = parseError(bad as unknown as string);
    t.equal(err.code, 400, `a ${typeof bad} is refused`);
    t.match(err.message, `must be a string, not a ${typeof bad}`);
  }
  t.equal(parseError(5 as unknown as string).message, 'quantity 5: must be a string, not a number');
});

t.test('cmp across formats', async (t) => {
  const cases: [string, string, -1 | 0 | 1][] = [
    ['1Gi', '1073741824', 0],
    ['1Gi', '1G', 1],
    ['1Ki', '1k', 1],
    ['1Ki', '1024', 0],
    ['1024m', '1.024', 0],
    ['100m', '50m', 1],
    ['50m', '100m', -1],
    ['10000T', '100Gi', 1],
    ['1e21', '1000E', 0],
    ['1e3', '1k', 0],
    ['0', '-0', 0],
    ['0', '0Ki', 0],
    ['-1', '1', -1],
    ['1n', '0', 1],
    ['-1n', '0', -1],
    ['999999999n', '1', -1],
    ['1000000001n', '1', 1],
    ['-1Ki', '-1000', -1],
    ['-1', '-1Ki', 1],
    ['9223372036854775808', '8Ei', 1], // 8Ei is capped at 2^63-1
    ['1e63', '9Ei', 1],
    ['-1e63', '1n', -1],
  ];
  for (const [a, b, want] of cases) {
    t.equal(q(a).cmp(q(b)), want, `${a} cmp ${b}`);
    t.equal(q(b).cmp(q(a)), -want, `${b} cmp ${a}`);
    t.equal(compareQuantities(q(a), q(b)), want);
    t.equal(q(a).equals(q(b)), want === 0, `${a} equals ${b}`);
  }
});

t.test('add and sub: exact, and the result keeps the left format', async (t) => {
  const cases: [string, '+' | '-', string, string, QuantityFormat][] = [
    ['500m', '+', '0.5', '1', 'DecimalSI'],
    ['1Ki', '+', '1', '1025', 'BinarySI'],
    ['1', '+', '1Ki', '1025', 'DecimalSI'],
    ['0.1', '+', '0.2', '300m', 'DecimalSI'],
    ['1Gi', '+', '1Gi', '2Gi', 'BinarySI'],
    ['1Gi', '+', '512Mi', '1536Mi', 'BinarySI'],
    ['1Gi', '+', '1G', '2073741824', 'BinarySI'],
    ['1G', '+', '1Gi', '2073741824', 'DecimalSI'],
    ['1e3', '+', '1k', '2e3', 'DecimalExponent'],
    ['1Gi', '+', '100m', '1073741824100m', 'BinarySI'],
    ['1n', '+', '999999999n', '1', 'DecimalSI'],
    ['8Ei', '+', '8Ei', '18446744073709551614', 'BinarySI'], // sums are not capped
    ['1e63', '+', '1e63', '2e63', 'DecimalExponent'], // nor bounded
    // Upstream TestAdd / TestSub.
    ['10', '+', '1e1', '20', 'DecimalSI'],
    ['10', '-', '1e1', '0', 'DecimalSI'],
    ['1Ki', '-', '1', '1023', 'BinarySI'],
    ['1', '-', '1Ki', '-1023', 'DecimalSI'],
    ['1Gi', '-', '1Gi', '0', 'BinarySI'],
    ['1', '-', '1n', '999999999n', 'DecimalSI'],
    ['-1Ki', '-', '1Ki', '-2Ki', 'BinarySI'],
    // A zero left operand takes the right operand's format (TestQuantityAddZeroPreservesSuffix).
    ['0', '+', '1Gi', '1Gi', 'BinarySI'],
    ['0', '+', '100m', '100m', 'DecimalSI'],
    ['1Gi', '+', '0', '1Gi', 'BinarySI'],
    ['100m', '+', '0', '100m', 'DecimalSI'],
    ['0', '-', '1Gi', '-1Gi', 'BinarySI'],
    ['1Gi', '-', '0', '1Gi', 'BinarySI'],
    ['0Ki', '+', '1e3', '1e3', 'DecimalExponent'],
  ];
  for (const [a, op, b, want, format] of cases) {
    const got = op === '+' ? q(a).add(q(b)) : q(a).sub(q(b));
    t.equal(got.toString(), want, `${a} ${op} ${b}`);
    t.equal(got.format, format, `${a} ${op} ${b} format`);
  }
});

t.test('no floating point drift', async (t) => {
  t.equal(q('0.1').add(q('0.2')).cmp(q('300m')), 0, '0.1 + 0.2 == 300m exactly');
  t.same(q('0.1').add(q('0.2')), q('300m'));
  const thousand = Array.from({ length: 1000 }, () => q('1m'));
  t.equal(sumQuantities(thousand).toString(), '1', '1000 x 1m == 1');
  t.equal(sumQuantities(thousand).cmp(q('1')), 0);
  const tenths = Array.from({ length: 10 }, () => q('0.1'));
  t.equal(sumQuantities(tenths).toString(), '1');
  const nanos = Array.from({ length: 1000 }, () => q('1n'));
  t.equal(sumQuantities(nanos).toString(), '1u');
  let x = q('1');
  for (let i = 0; i < 10; i++) x = x.sub(q('0.1'));
  t.ok(x.isZero(), '1 - 10 x 0.1 == 0 exactly');
});

t.test('sumQuantities', async (t) => {
  t.equal(sumQuantities([]).toString(), '0');
  t.equal(sumQuantities([]).format, 'DecimalSI');
  t.equal(sumQuantities([q('1Gi'), q('1Gi'), q('1Gi')]).toString(), '3Gi', 'takes the format of the first term');
  t.equal(sumQuantities([q('100m'), q('1Gi')]).toString(), '1073741824100m');
  t.equal(sumQuantities([q('250m'), q('250m'), q('0.5'), q('-1')]).toString(), '0');
  t.equal(sumQuantities(new Set([q('1'), q('2')])).toString(), '3', 'any iterable');
});

t.test('neg, mul, sign and isZero', async (t) => {
  t.equal(q('9.01').neg().toString(), '-9010m'); // upstream TestQuantityNeg
  t.equal(q('1Gi').neg().toString(), '-1Gi');
  t.equal(q('1Gi').neg().format, 'BinarySI');
  t.equal(q('-1Gi').neg().toString(), '1Gi');
  t.equal(q('0').neg().toString(), '0');
  t.ok(q('0').neg().isZero());
  t.equal(q('100m').mul(3n).toString(), '300m');
  t.equal(q('1Gi').mul(2).toString(), '2Gi');
  t.equal(q('1Gi').mul(-1).toString(), '-1Gi');
  t.equal(q('1Gi').mul(0n).toString(), '0');
  t.equal(q('9223372036854775807').mul(2n).toString(), '18446744073709551614');
  t.throws(() => q('1').mul(1.5), RangeError);
  for (const [s, sign] of [['1', 1], ['1n', 1], ['-1n', -1], ['0', 0], ['-0', 0], ['0Ki', 0], ['-1Ki', -1]] as const) {
    t.equal(q(s).sign(), sign, `sign(${s})`);
    t.equal(q(s).isZero(), sign === 0, `isZero(${s})`);
  }
});

t.test('value(), milliValue() and scaledValue() round away from zero', async (t) => {
  t.equal(q('100m').value(), 1n);
  t.equal(q('-100m').value(), -1n);
  t.equal(q('1.5').value(), 2n);
  t.equal(q('-1.5').value(), -2n);
  t.equal(q('2').value(), 2n);
  t.equal(q('1.5n').milliValue(), 1n);
  t.equal(q('-1.5n').milliValue(), -1n);
  t.equal(q('1001u').milliValue(), 2n);
  t.equal(q('1e63').value(), 10n ** 63n, 'no int64 overflow');
  t.equal(q('1e63').milliValue(), 10n ** 66n);
  t.equal(q('1Gi').scaledValue(6), 1074n, 'in millions, rounded up');
  t.equal(q('1Gi').scaledValue(-9), 1073741824n * 10n ** 9n);
  t.equal(q('1n').scaledValue(100), 1n, 'far coarser units still round up to one');
  t.equal(q('-1n').scaledValue(100), -1n);
  t.equal(q('0').scaledValue(100), 0n);
  // Upstream TestScaledValue: NewScaledQuantity(1, from).ScaledValue(to).
  const scales: [number, number, bigint][] = [
    [-9, -9, 1n], [-9, -6, 1n], [-9, -3, 1n], [-9, 0, 1n],
    [-6, -9, 1000n], [-6, -6, 1n], [-6, -3, 1n], [-6, 0, 1n],
    [-3, -9, 1000000n], [-3, -6, 1000n], [-3, -3, 1n], [-3, 0, 1n],
    [0, -9, 1000000000n], [0, -6, 1000000n], [0, -3, 1000n], [0, 0, 1n],
    [2, -2, 10000n],
  ];
  for (const [from, to, want] of scales) {
    t.equal(quantityFromScaled(1n, from).scaledValue(to), want, `1e${from} in units of 1e${to}`);
  }
  t.throws(() => q('1').scaledValue(0.5), RangeError);
  t.throws(() => q('1').scaledValue(1e9), RangeError);
});

t.test('constructors for schedulers and kubelets', async (t) => {
  // Upstream TestNewSet.
  t.equal(quantityFromInt(1n).toString(), '1');
  t.equal(quantityFromInt(1000).toString(), '1k');
  t.equal(quantityFromInt(1234000n).toString(), '1234k');
  t.equal(quantityFromInt(1024n, 'BinarySI').toString(), '1Ki');
  t.equal(quantityFromInt(1000000n, 'DecimalExponent').toString(), '1e6');
  t.equal(quantityFromInt(1024n * 1024n, 'BinarySI').toString(), '1Mi');
  // Upstream TestMilliNewSet.
  t.equal(quantityFromMillis(1n).toString(), '1m');
  t.equal(quantityFromMillis(1000n).toString(), '1');
  t.equal(quantityFromMillis(1500).toString(), '1500m');
  t.equal(quantityFromMillis(1234000n).toString(), '1234');
  t.equal(quantityFromMillis(1024n, 'BinarySI').toString(), '1024m', 'a fraction cannot print in binary units');
  t.equal(quantityFromMillis(1024n * 1024n, 'BinarySI').toString(), '1048576m');
  t.equal(quantityFromMillis(1000000n, 'DecimalExponent').toString(), '1e3');
  t.equal(quantityFromMillis(-250n).milliValue(), -250n);
  // Upstream TestNewScaledSet.
  const scaled: [bigint, number, string][] = [
    [1n, -9, '1n'], [1000n, -9, '1u'], [1n, -6, '1u'], [1000n, -6, '1m'],
    [1n, -3, '1m'], [1000n, -3, '1'], [1n, 0, '1'], [0n, -9, '0'], [0n, 0, '0'],
  ];
  for (const [v, s, want] of scaled) t.equal(quantityFromScaled(v, s).toString(), want, `${v}e${s}`);
  t.equal(quantityFromScaled(15n, -10).toString(), '2n', 'finer than nano rounds away from zero');
  t.equal(quantityFromScaled(-15n, -10).toString(), '-2n');
  t.equal(quantityFromScaled(1n, -100).toString(), '1n');
  t.equal(quantityFromScaled(-20n, -10).toString(), '-2n', 'exact');
  t.throws(() => quantityFromScaled(1n, 1.5), RangeError);
  t.throws(() => quantityFromMillis(0.5), RangeError);
  t.throws(() => quantityFromInt(Number.MAX_SAFE_INTEGER + 1), RangeError);

  t.equal(quantityFromBytes(1n << 30n).toString(), '1Gi');
  t.equal(quantityFromBytes(1536).toString(), '1536');
  t.equal(quantityFromBytes(1536n * 1024n).toString(), '1536Ki');
  t.equal(quantityFromBytes(0n).toString(), '0');
  t.equal(quantityFromBytes(1n << 70n).toString(), '1024Ei', 'not capped; Ei is the largest suffix');
  t.equal(quantityFromBytes(1n << 30n).format, 'BinarySI');
  t.equal(zeroQuantity('BinarySI').format, 'BinarySI');
  t.equal(zeroQuantity().toString(), '0');
});

t.test('withFormat, toJSON, immutability and sorting', async (t) => {
  t.equal(q('1073741824').withFormat('BinarySI').toString(), '1Gi');
  t.equal(q('1Gi').withFormat('DecimalSI').toString(), '1073741824');
  t.equal(q('1k').withFormat('DecimalExponent').toString(), '1e3');
  t.equal(q('1e3').withFormat('DecimalSI').toString(), '1k');
  const x = q('1Gi');
  t.equal(x.withFormat('BinarySI'), x);
  t.equal(JSON.stringify({ cpu: q('0.5'), memory: q('1024Mi') }), '{"cpu":"500m","memory":"1Gi"}');
  t.equal(`${q('1500m')}`, '1500m');
  t.ok(Object.isFrozen(x));
  t.throws(() => {
    (x as { mantissa: bigint }).mantissa = 1n;
  }, TypeError);
  t.equal(x.add(q('1Gi')).toString(), '2Gi');
  t.equal(x.toString(), '1Gi', 'add does not mutate');
  const sorted = ['1Gi', '100m', '1', '1Ki', '-1', '0'].map(q).sort(compareQuantities).map(String);
  t.same(sorted, ['-1', '0', '100m', '1', '1Ki', '1Gi']);
  t.ok(x instanceof Quantity);
});
