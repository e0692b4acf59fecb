// Validation primitives, as k8s.io/apimachinery/pkg/util/validation (and the newer
// pkg/api/validate/content it delegates to): each `is...` function returns the list of
// upstream-worded problems with a value, empty when the value is valid. The `validate...`
// helpers turn them into FieldErrors for object validation, as
// k8s.io/apimachinery/pkg/api/validation and pkg/apis/meta/v1/validation do.
//
// Lengths are counted in UTF-8 bytes, as Go's len() counts them.

import { type FieldError, FieldPath, fieldErrors } from '../errors/index.js';

// ---------------------------------------------------------------------------
// Message helpers (upstream MaxLenError, RegexError, EmptyError, InclusiveRangeError)

/** `must be no more than N characters` */
export function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

/**
 * Upstream RegexError, byte for byte, including its double space before each ` or `:
 * `msg (e.g. 'a',  or 'b', regex used for validation is 'fmt')`.
 */
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  let out = `${msg} (e.g. `;
  examples.forEach((ex, i) => {
    if (i > 0) out += ' or ';
    out += `'${ex}', `;
  });
  return `${out}regex used for validation is '${fmt}')`;
}

/** `must be non-empty` */
export function emptyError(): string {
  return 'must be non-empty';
}

/** `must be between LO and HI, inclusive` */
export function inclusiveRangeError(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`;
}

const encoder = new TextEncoder();

/** The length of a string in UTF-8 bytes (Go's len()). */
export function byteLength(s: string): number {
  // Fast path: pure ASCII strings are as long in bytes as in code units.
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(s)) return s.length;
  return encoder.encode(s).length;
}

// ---------------------------------------------------------------------------
// DNS names

const dns1123LabelFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const dns1123LabelErrMsg =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
/** A DNS (RFC 1123) label's max length. */
export const DNS1123_LABEL_MAX_LENGTH = 63;
const dns1123LabelRegexp = new RegExp(`^${dns1123LabelFmt}$`);

const dns1123SubdomainFmt = `${dns1123LabelFmt}(\\.${dns1123LabelFmt})*`;
const dns1123SubdomainErrorMsg =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
/** A DNS (RFC 1123) subdomain's max length. */
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
const dns1123SubdomainRegexp = new RegExp(`^${dns1123SubdomainFmt}$`);

const dns1035LabelFmt = '[a-z]([-a-z0-9]*[a-z0-9])?';
const dns1035LabelErrMsg =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
/** A DNS (RFC 1035) label's max length. */
export const DNS1035_LABEL_MAX_LENGTH = 63;
const dns1035LabelRegexp = new RegExp(`^${dns1035LabelFmt}$`);

/** A DNS label (RFC 1123): lowercase alphanumerics and '-', at most 63 characters. */
export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123_LABEL_MAX_LENGTH) errs.push(maxLenError(DNS1123_LABEL_MAX_LENGTH));
  if (!dns1123LabelRegexp.test(value)) {
    if (dns1123SubdomainRegexp.test(value)) {
      // A valid subdomain but not a valid label: since length was checked, it must be dots.
      errs.push('must not contain dots');
    } else {
      errs.push(regexError(dns1123LabelErrMsg, dns1123LabelFmt, 'my-name', '123-abc'));
    }
  }
  return errs;
}

/** A DNS subdomain (RFC 1123): dot-separated DNS labels, at most 253 characters. */
export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!dns1123SubdomainRegexp.test(value)) {
    errs.push(regexError(dns1123SubdomainErrorMsg, dns1123SubdomainFmt, 'example.com'));
  }
  return errs;
}

/** A DNS label (RFC 1035): as RFC 1123 but starting with a letter, at most 63 characters. */
export function isDNS1035Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1035_LABEL_MAX_LENGTH) errs.push(maxLenError(DNS1035_LABEL_MAX_LENGTH));
  if (!dns1035LabelRegexp.test(value)) {
    errs.push(regexError(dns1035LabelErrMsg, dns1035LabelFmt, 'my-name', 'abc-123'));
  }
  return errs;
}

// ---------------------------------------------------------------------------
// Qualified names (label keys) and label values

const qualifiedNameCharFmt = '[A-Za-z0-9]';
const qualifiedNameExtCharFmt = '[-A-Za-z0-9_.]';
const qualifiedNameFmt = `(${qualifiedNameCharFmt}${qualifiedNameExtCharFmt}*)?${qualifiedNameCharFmt}`;
const qualifiedNameErrMsg =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
/** The max length of the name part of a qualified name. */
export const QUALIFIED_NAME_MAX_LENGTH = 63;
const qualifiedNameRegexp = new RegExp(`^${qualifiedNameFmt}$`);

/**
 * A "qualified name" (the format of label keys, annotation keys, finalizers, condition
 * types ...): an optional DNS subdomain prefix and '/', then a name of at most 63
 * characters matching `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`.
 */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0]!;
  } else if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) {
      errs.push(`prefix part ${emptyError()}`);
    } else {
      for (const msg of isDNS1123Subdomain(prefix)) errs.push(`prefix part ${msg}`);
    }
  } else {
    errs.push(
      `a qualified name ${regexError(qualifiedNameErrMsg, qualifiedNameFmt, 'MyName', 'my.name', '123-abc')}` +
        " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    );
    return errs;
  }
  if (name.length === 0) {
    errs.push(`name part ${emptyError()}`);
  } else if (byteLength(name) > QUALIFIED_NAME_MAX_LENGTH) {
    errs.push(`name part ${maxLenError(QUALIFIED_NAME_MAX_LENGTH)}`);
  }
  if (!qualifiedNameRegexp.test(name)) {
    errs.push(`name part ${regexError(qualifiedNameErrMsg, qualifiedNameFmt, 'MyName', 'my.name', '123-abc')}`);
  }
  return errs;
}

const labelValueFmt = `(${qualifiedNameFmt})?`;
const labelValueErrMsg =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
/** A label value's max length. */
export const LABEL_VALUE_MAX_LENGTH = 63;
const labelValueRegexp = new RegExp(`^${labelValueFmt}$`);

/** A label value: empty, or at most 63 characters of the qualified-name alphabet. */
export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > LABEL_VALUE_MAX_LENGTH) errs.push(maxLenError(LABEL_VALUE_MAX_LENGTH));
  if (!labelValueRegexp.test(value)) {
    errs.push(regexError(labelValueErrMsg, labelValueFmt, 'MyValue', 'my_value', '12345'));
  }
  return errs;
}

// ---------------------------------------------------------------------------
// Identifiers, ports, percentages, environment variables, ConfigMap keys

const cIdentifierFmt = '[A-Za-z_][A-Za-z0-9_]*';
const cIdentifierErrMsg =
  "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_'";
const cIdentifierRegexp = new RegExp(`^${cIdentifierFmt}$`);

/** An identifier in C (format only, no length limit). */
export function isCIdentifier(value: string): string[] {
  if (!cIdentifierRegexp.test(value)) return [regexError(cIdentifierErrMsg, cIdentifierFmt, 'my_name', 'MY_NAME', 'MyName')];
  return [];
}

/** A valid, non-zero port number: an integer from 1 to 65535. */
export function isValidPortNum(port: number): string[] {
  if (Number.isInteger(port) && port >= 1 && port <= 65535) return [];
  return [inclusiveRangeError(1, 65535)];
}

/** A value in an inclusive integer range. */
export function isInRange(value: number, min: number, max: number): string[] {
  if (Number.isInteger(value) && value >= min && value <= max) return [];
  return [inclusiveRangeError(min, max)];
}

const portNameCharsetRegexp = /^[-a-z0-9]+$/;
const portNameOneLetterRegexp = /[a-z]/;

/**
 * A port name (IANA_SVC_NAME, RFC 6335): at most 15 characters of [-a-z0-9], at least
 * one letter, no '--', not beginning or ending with '-'.
 */
export function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (byteLength(port) > 15) errs.push(maxLenError(15));
  if (!portNameCharsetRegexp.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!portNameOneLetterRegexp.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.length > 0 && (port.startsWith('-') || port.endsWith('-'))) errs.push('must not begin or end with a hyphen');
  return errs;
}

const percentFmt = '[0-9]+%';
const percentErrMsg = "a valid percent string must be a numeric string followed by an ending '%'";
const percentRegexp = new RegExp(`^${percentFmt}$`);

/** A percentage: digits followed by '%'. */
export function isValidPercent(percent: string): string[] {
  if (!percentRegexp.test(percent)) return [regexError(percentErrMsg, percentFmt, '1%', '93%')];
  return [];
}

function hasChDirPrefix(value: string): string[] {
  if (value === '.') return ["must not be '.'"];
  if (value === '..') return ["must not be '..'"];
  if (value.startsWith('..')) return ["must not start with '..'"];
  return [];
}

const envVarNameFmt = '[-._a-zA-Z][-._a-zA-Z0-9]*';
const envVarNameFmtErrMsg =
  "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit";
const envVarNameRegexp = new RegExp(`^${envVarNameFmt}$`);

/** An environment variable name (upstream IsEnvVarName). */
export function isEnvVarName(value: string): string[] {
  const errs: string[] = [];
  if (!envVarNameRegexp.test(value)) {
    errs.push(regexError(envVarNameFmtErrMsg, envVarNameFmt, 'my.env-name', 'MY_ENV.NAME', 'MyEnvName1'));
  }
  errs.push(...hasChDirPrefix(value));
  return errs;
}

const configMapKeyFmt = '[-._a-zA-Z0-9]+';
const configMapKeyErrMsg = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'";
const configMapKeyRegexp = new RegExp(`^${configMapKeyFmt}$`);

/** A key of a ConfigMap's or Secret's data. */
export function isConfigMapKey(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!configMapKeyRegexp.test(value)) {
    errs.push(regexError(configMapKeyErrMsg, configMapKeyFmt, 'key.name', 'KEY_NAME', 'key-name'));
  }
  errs.push(...hasChDirPrefix(value));
  return errs;
}

// ---------------------------------------------------------------------------
// IP addresses and CIDRs (upstream's "sloppy" parsing, k8s.io/utils/net ParseIPSloppy:
// IPv4 octets may carry leading zeros, read as decimal)

/** The 4 bytes of an IPv4 address, or undefined. */
function parseIPv4(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^[0-9]+$/.test(p)) return undefined;
    // Leading zeros are allowed (and ignored); the value decides.
    const digits = p.replace(/^0+/, '');
    const n = digits === '' ? 0 : Number.parseInt(digits, 10);
    if (digits.length > 3 || n > 255) return undefined;
    out.push(n);
  }
  return out;
}

/** The 16 bytes of an IPv6 address (possibly with an embedded IPv4 tail), or undefined. */
function parseIPv6(s: string): number[] | undefined {
  if (s.length === 0) return undefined;
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (part: string, allowV4Tail: boolean): number[] | undefined => {
    if (part === '') return [];
    const items = part.split(':');
    const bytes: number[] = [];
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      if (allowV4Tail && i === items.length - 1 && item.includes('.')) {
        const v4 = parseIPv4(item);
        if (v4 === undefined) return undefined;
        bytes.push(...v4);
        continue;
      }
      if (!/^[0-9A-Fa-f]{1,4}$/.test(item)) return undefined;
      const n = Number.parseInt(item, 16);
      bytes.push(n >> 8, n & 0xff);
    }
    return bytes;
  };
  if (halves.length === 1) {
    const bytes = groupsOf(halves[0]!, true);
    return bytes !== undefined && bytes.length === 16 ? bytes : undefined;
  }
  const head = groupsOf(halves[0]!, false);
  const tail = groupsOf(halves[1]!, true);
  if (head === undefined || tail === undefined) return undefined;
  // '::' stands for at least one group of zeros.
  if (head.length + tail.length > 14) return undefined;
  return [...head, ...new Array<number>(16 - head.length - tail.length).fill(0), ...tail];
}

/** Whether a string is an IPv4 or IPv6 address, parsed as upstream (sloppily) parses it. */
export function parseIP(s: string): { family: 4 | 6; bytes: number[] } | undefined {
  if (s.includes(':')) {
    const b = parseIPv6(s);
    return b === undefined ? undefined : { family: 6, bytes: b };
  }
  const b = parseIPv4(s);
  return b === undefined ? undefined : { family: 4, bytes: b };
}

/** An IPv4 or IPv6 address. */
export function isValidIP(value: string): string[] {
  if (parseIP(value) === undefined) return ['must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'];
  return [];
}

function isV4Mapped(bytes: readonly number[]): boolean {
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return false;
  return bytes[10] === 0xff && bytes[11] === 0xff;
}

/** An IPv4 address (including, as upstream, an IPv4-mapped IPv6 address). */
export function isValidIPv4Address(value: string): string[] {
  const ip = parseIP(value);
  if (ip === undefined || (ip.family === 6 && !isV4Mapped(ip.bytes))) return ['must be a valid IPv4 address'];
  return [];
}

/** An IPv6 address (not an IPv4 or IPv4-mapped one). */
export function isValidIPv6Address(value: string): string[] {
  const ip = parseIP(value);
  if (ip === undefined || ip.family === 4 || isV4Mapped(ip.bytes)) return ['must be a valid IPv6 address'];
  return [];
}

/** A CIDR: an address, '/', and a prefix length no longer than the address. */
export function isValidCIDR(value: string): string[] {
  const bad = ['must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'];
  const slash = value.indexOf('/');
  if (slash < 0) return bad;
  const ip = parseIP(value.slice(0, slash));
  const mask = value.slice(slash + 1);
  if (ip === undefined || !/^[0-9]+$/.test(mask)) return bad;
  const digits = mask.replace(/^0+/, '');
  const bits = digits === '' ? 0 : Number.parseInt(digits.slice(0, 4), 10);
  if (digits.length > 3 || bits > (ip.family === 4 ? 32 : 128)) return bad;
  return [];
}

// ---------------------------------------------------------------------------
// Path segments (names that become part of a URL path or an etcd key)

/** `may not contain '/'`, `may not contain '%'`: a name that will have a suffix appended. */
export function isValidPathSegmentPrefix(name: string): string[] {
  const errs: string[] = [];
  for (const c of ['/', '%']) if (name.includes(c)) errs.push(`may not contain '${c}'`);
  return errs;
}

/** A name that can be used safely as a path segment: not '.' or '..', no '/' or '%'. */
export function isValidPathSegmentName(name: string): string[] {
  for (const bad of ['.', '..']) if (name === bad) return [`may not be '${bad}'`];
  return isValidPathSegmentPrefix(name);
}

/** Upstream path.ValidatePathSegmentName: prefix-aware path segment check. */
export function validatePathSegmentName(name: string, prefix: boolean): string[] {
  return prefix ? isValidPathSegmentPrefix(name) : isValidPathSegmentName(name);
}

// ---------------------------------------------------------------------------
// Name validators for metadata.name (upstream ValidateNameFunc)

/**
 * Validates a metadata.name for a kind. `prefix` is true when the value is a
 * generateName, which will have random characters appended (so a trailing '-' is fine).
 */
export type ValidateNameFunc = (name: string, prefix: boolean) => string[];

// Upstream maskTrailingDash: replaces the final two characters of a name ending in '-' with "a".
function maskTrailingDash(name: string): string {
  if (name.endsWith('-')) return name.length >= 2 ? `${name.slice(0, -2)}a` : 'a';
  return name;
}

/** Names that must be DNS subdomains (most kinds). */
export const nameIsDNSSubdomain: ValidateNameFunc = (name, prefix) =>
  isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);

/** Names that must be DNS (RFC 1123) labels (namespaces, services ...). */
export const nameIsDNSLabel: ValidateNameFunc = (name, prefix) => isDNS1123Label(prefix ? maskTrailingDash(name) : name);

/** Names that must be DNS (RFC 1035) labels. */
export const nameIsDNS1035Label: ValidateNameFunc = (name, prefix) =>
  isDNS1035Label(prefix ? maskTrailingDash(name) : name);

/** Namespace names are DNS labels. */
export const validateNamespaceName: ValidateNameFunc = nameIsDNSLabel;

/** ServiceAccount names are DNS subdomains. */
export const validateServiceAccountName: ValidateNameFunc = nameIsDNSSubdomain;

// ---------------------------------------------------------------------------
// FieldError-producing helpers for object validation

function toPath(p: FieldPath | string): FieldPath {
  return typeof p === 'string' ? FieldPath.root(p) : p;
}

function sortedEntries(m: Record<string, unknown>): [string, unknown][] {
  return Object.keys(m)
    .sort()
    .map((k) => [k, m[k]]);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A label key: one Invalid error at `path` per problem (upstream ValidateLabelName). */
export function validateLabelName(key: string, path: FieldPath | string): FieldError[] {
  return isQualifiedName(key).map((msg) => fieldErrors.invalid(path, key, msg));
}

/**
 * metadata.labels and matchLabels: every key a qualified name, every value a label value.
 * Errors are reported at the map's path, as upstream reports them; keys are visited in
 * sorted order so the result is deterministic.
 */
export function validateLabels(labels: Record<string, string> | null | undefined, path: FieldPath | string): FieldError[] {
  const errs: FieldError[] = [];
  if (labels === null || labels === undefined) return errs;
  if (!isRecord(labels)) return [fieldErrors.typeInvalid(path, labels, 'must be an object of string values')];
  for (const [k, v] of sortedEntries(labels)) {
    errs.push(...validateLabelName(k, path));
    if (typeof v !== 'string') {
      errs.push(fieldErrors.typeInvalid(toPath(path).key(k), v, 'must be a string'));
      continue;
    }
    for (const msg of isValidLabelValue(v)) errs.push(fieldErrors.invalid(path, v, msg));
  }
  return errs;
}

/** The total size limit of an object's annotations (keys plus values), in bytes: 256 KiB. */
export const TOTAL_ANNOTATION_SIZE_LIMIT_BYTES = 256 * 1024;

/** The total size of annotations in bytes, as upstream counts it (keys plus values). */
export function annotationsSize(annotations: Record<string, string>): number {
  let total = 0;
  for (const [k, v] of Object.entries(annotations)) {
    total += byteLength(k) + (typeof v === 'string' ? byteLength(v) : 0);
  }
  return total;
}

/**
 * metadata.annotations: every key a qualified name (case-insensitively: keys are
 * lowercased before the check), and keys plus values at most 256 KiB in total.
 */
export function validateAnnotations(
  annotations: Record<string, string> | null | undefined,
  path: FieldPath | string,
): FieldError[] {
  const errs: FieldError[] = [];
  if (annotations === null || annotations === undefined) return errs;
  if (!isRecord(annotations)) return [fieldErrors.typeInvalid(path, annotations, 'must be an object of string values')];
  for (const [k, v] of sortedEntries(annotations)) {
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push(fieldErrors.invalid(path, k, msg));
    if (typeof v !== 'string') errs.push(fieldErrors.typeInvalid(toPath(path).key(k), v, 'must be a string'));
  }
  if (annotationsSize(annotations) > TOTAL_ANNOTATION_SIZE_LIMIT_BYTES) {
    // Upstream field.TooLong(path, "", limit): the value is not shown.
    errs.push({ type: 'FieldValueTooLong', field: String(path), detail: `must have at most ${TOTAL_ANNOTATION_SIZE_LIMIT_BYTES} bytes` });
  }
  return errs;
}

/**
 * metadata.name of an object being created, at `path` (usually `metadata.name`):
 * Required when empty, otherwise the kind's own rules (`validate`) plus the rules every
 * name must meet to be a URL path segment and etcd key segment (not '.' or '..', no '/'
 * or '%'), as kube-apiserver applies them.
 */
export function validateObjectName(
  name: string | null | undefined,
  validate: ValidateNameFunc,
  path: FieldPath | string,
): FieldError[] {
  if (name === null || name === undefined || name === '') {
    return [fieldErrors.required(path, 'name or generateName is required')];
  }
  if (typeof name !== 'string') return [fieldErrors.typeInvalid(path, name, 'must be a string')];
  const errs = validate(name, false).map((msg) => fieldErrors.invalid(path, name, msg));
  for (const msg of isValidPathSegmentName(name)) errs.push(fieldErrors.invalid(path, name, msg));
  return errs;
}

/** metadata.generateName: the kind's rules for a prefix, plus the path-segment prefix rules. */
export function validateGenerateName(
  generateName: string,
  validate: ValidateNameFunc,
  path: FieldPath | string,
): FieldError[] {
  const errs = validate(generateName, true).map((msg) => fieldErrors.invalid(path, generateName, msg));
  for (const msg of isValidPathSegmentPrefix(generateName)) errs.push(fieldErrors.invalid(path, generateName, msg));
  return errs;
}
