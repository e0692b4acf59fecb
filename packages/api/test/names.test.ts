import fc from 'fast-check';
import t from 'tap';
import { FieldPath, formatFieldError } from '../src/errors/index.js';
import {
  annotationsSize,
  isCIdentifier,
  isConfigMapKey,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isEnvVarName,
  isQualifiedName,
  isValidCIDR,
  isValidIP,
  isValidIPv4Address,
  isValidIPv6Address,
  isValidLabelValue,
  isValidPathSegmentName,
  isValidPathSegmentPrefix,
  isValidPercent,
  isValidPortName,
  isValidPortNum,
  nameIsDNS1035Label,
  nameIsDNSLabel,
  nameIsDNSSubdomain,
  regexError,
  validateAnnotations,
  validateGenerateName,
  validateLabels,
  validateObjectName,
} from '../src/validation/index.js';

const SEED = 20240611;

// The exact upstream messages (k8s.io/apimachinery/pkg/util/validation).
const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const NAME_PART_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

t.test('regexError reproduces upstream formatting, double spaces included', async (t) => {
  t.equal(regexError('m', 'f'), "m (regex used for validation is 'f')");
  t.equal(regexError('m', 'f', 'a'), "m (e.g. 'a', regex used for validation is 'f')");
  t.equal(regexError('m', 'f', 'a', 'b'), "m (e.g. 'a',  or 'b', regex used for validation is 'f')");
});

t.test('isDNS1123Subdomain', async (t) => {
  const valid = ['a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', '0', '01', '0-1', 'a.a', 'ab.a', 'a1.a', 'a.1', '0.a', '1.2.3.4', 'example.com', 'a'.repeat(253), `${'a'.repeat(63)}.${'b'.repeat(63)}`];
  for (const v of valid) t.same(isDNS1123Subdomain(v), [], `valid: ${v.length > 40 ? `${v.length} chars` : v}`);
  const invalid = ['', 'A', 'ABC', 'aBc', 'A1', 'a_1', 'a..1', '-', 'a-', '-a', '.a', 'a.', 'a@b', 'a,b', 'a b', 'é', '1.2.3.4.'];
  for (const v of invalid) t.same(isDNS1123Subdomain(v), [SUBDOMAIN_MSG], `invalid: ${JSON.stringify(v)}`);
  t.same(isDNS1123Subdomain('a'.repeat(254)), ['must be no more than 253 characters']);
  t.same(isDNS1123Subdomain(`-${'a'.repeat(253)}`), ['must be no more than 253 characters', SUBDOMAIN_MSG]);
});

t.test('isDNS1123Label', async (t) => {
  for (const v of ['a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', '0', '01', '0-1', '1-0', 'a'.repeat(63)]) t.same(isDNS1123Label(v), [], v);
  for (const v of ['', 'A', 'ABC', 'a_1', '-', 'a-', '-a', 'a b', 'a@b', '_', 'é']) t.same(isDNS1123Label(v), [LABEL_MSG], JSON.stringify(v));
  // A valid subdomain that is not a label: upstream says why.
  t.same(isDNS1123Label('a.b'), ['must not contain dots']);
  t.same(isDNS1123Label('a'.repeat(64)), ['must be no more than 63 characters']);
  t.same(isDNS1123Label(`${'a'.repeat(63)}-`), ['must be no more than 63 characters', LABEL_MSG]);
});

t.test('isDNS1035Label', async (t) => {
  for (const v of ['a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', 'a'.repeat(63)]) t.same(isDNS1035Label(v), [], v);
  for (const v of ['0', '01', '0-1', '1-0', '', 'A', 'a_1', '-', 'a-', '-a', 'a.b']) t.same(isDNS1035Label(v), [DNS1035_MSG], JSON.stringify(v));
  t.same(isDNS1035Label('a'.repeat(64)), ['must be no more than 63 characters']);
});

t.test('isQualifiedName', async (t) => {
  const valid = [
    'simple',
    'now-with-dashes',
    '1-starts-with-num',
    '1234',
    'simple/simple',
    'now-with-dashes/simple',
    'now-with-dashes/now-with-dashes',
    'now.with.dots/simple',
    'now-with.dashes-and.dots/simple',
    '1-num.2-num/3-num',
    '1234/5678',
    '1.2.3.4/5678',
    'Uppercase_Is_OK_123',
    'example.com/Uppercase_Is_OK_123',
    'requests.storage-foo',
    'a'.repeat(63),
    `${'a'.repeat(253)}/${'b'.repeat(63)}`,
  ];
  for (const v of valid) t.same(isQualifiedName(v), [], v.length > 40 ? `${v.length} chars` : v);

  const invalid = [
    'nospecialchars%^=@',
    'cantendwithadash-',
    '-cantstartwithadash-',
    'only/one/slash',
    'Example.com/abc',
    'example_com/abc',
    'example.com/',
    '/simple',
    'a'.repeat(64),
    `${'a'.repeat(254)}/abc`,
    '',
  ];
  for (const v of invalid) t.not(isQualifiedName(v).length, 0, `invalid: ${JSON.stringify(v.length > 40 ? `${v.length} chars` : v)}`);

  t.same(isQualifiedName('a_'), [NAME_PART_MSG]);
  t.same(isQualifiedName(''), ['name part must be non-empty', NAME_PART_MSG]);
  t.same(isQualifiedName('/a'), ['prefix part must be non-empty']);
  t.same(isQualifiedName('example.com/'), ['name part must be non-empty', NAME_PART_MSG]);
  t.same(isQualifiedName('Example.com/a'), [`prefix part ${SUBDOMAIN_MSG}`]);
  t.same(isQualifiedName('a'.repeat(64)), ['name part must be no more than 63 characters']);
  t.same(isQualifiedName('a/b/c'), [
    "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
  ]);
});

t.test('isValidLabelValue', async (t) => {
  for (const v of ['', 'simple', 'now-with-dashes', '1-starts-with-num', 'end-with-num-1', '1234', 'a'.repeat(63), 'Uppercase_And.Dots']) {
    t.same(isValidLabelValue(v), [], JSON.stringify(v));
  }
  for (const v of ['nospecialchars%^=@', 'Tama-nui-te-rā.is.Māori.sun', '\\backslashes\\are\\bad', '-starts-with-dash', 'ends-with-dash-', '.starts.with.dot', 'ends.with.dot.', 'a b']) {
    t.same(isValidLabelValue(v), [LABEL_VALUE_MSG], JSON.stringify(v));
  }
  t.same(isValidLabelValue('a'.repeat(64)), ['must be no more than 63 characters']);
  // Lengths are UTF-8 bytes, as Go counts them: 32 'é' are 64 bytes.
  t.same(isValidLabelValue('é'.repeat(32)), ['must be no more than 63 characters', LABEL_VALUE_MSG]);
});

t.test('ports', async (t) => {
  for (const p of [1, 80, 443, 65535]) t.same(isValidPortNum(p), [], String(p));
  for (const p of [0, -1, 65536, 1.5, Number.NaN]) t.same(isValidPortNum(p), ['must be between 1 and 65535, inclusive'], String(p));

  for (const n of ['telnet', 're-mail-ck', 'pop3', 'a', 'a-1', '1-a', 'a-1-b-2-c', '1-a-2-b-3', 'abcdefghijklmno']) t.same(isValidPortName(n), [], n);
  t.same(isValidPortName('abcdefghijklmnop'), ['must be no more than 15 characters']);
  t.same(isValidPortName('Telnet'), ['must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)']);
  t.same(isValidPortName('1234'), ['must contain at least one letter (a-z)']);
  t.same(isValidPortName('a--b'), ['must not contain consecutive hyphens']);
  t.same(isValidPortName('-ab'), ['must not begin or end with a hyphen']);
  t.same(isValidPortName('ab-'), ['must not begin or end with a hyphen']);
  t.same(isValidPortName(''), [
    'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
    'must contain at least one letter (a-z)',
  ]);
  t.same(isValidPortName('--'), ['must contain at least one letter (a-z)', 'must not contain consecutive hyphens', 'must not begin or end with a hyphen']);
});

t.test('IP addresses and CIDRs', async (t) => {
  const ipMsg = ['must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'];
  const valid = ['0.0.0.0', '1.1.1.1', '10.9.8.7', '255.255.255.255', '010.001.0.01', '::', '::1', '2001:db8::ffff', '2001:0db8:0000:0000:0000:ff00:0042:8329', 'fe80::1', '::ffff:1.2.3.4', '::1.2.3.4', '1:2:3:4:5:6:1.2.3.4', '1:2:3:4:5:6:7::', '::2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8', 'ABCD::EF'];
  for (const ip of valid) t.same(isValidIP(ip), [], ip);
  const invalid = ['', '1', '1.2.3', '1.2.3.4.5', '256.0.0.1', '1.2.3.-4', '1.2.3.4 ', ' 1.2.3.4', 'a.b.c.d', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', '1::2::3', ':::', '12345::', 'g::1', 'fe80::1%eth0', '1.2.3.4::', '::1.2.3', '1:2:3:4:5:6:7:1.2.3.4', '1.2.3.4/32'];
  for (const ip of invalid) t.same(isValidIP(ip), ipMsg, JSON.stringify(ip));

  t.same(isValidIPv4Address('10.0.0.1'), []);
  t.same(isValidIPv4Address('::ffff:10.0.0.1'), []);
  t.same(isValidIPv4Address('::1'), ['must be a valid IPv4 address']);
  t.same(isValidIPv6Address('::1'), []);
  t.same(isValidIPv6Address('10.0.0.1'), ['must be a valid IPv6 address']);
  t.same(isValidIPv6Address('::ffff:10.0.0.1'), ['must be a valid IPv6 address']);

  const cidrMsg = ['must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'];
  for (const c of ['10.9.8.0/24', '0.0.0.0/0', '1.2.3.4/32', '10.0.0.1/8', '2001:db8::/64', '::/0', '::1/128', '::ffff:1.2.3.4/120']) t.same(isValidCIDR(c), [], c);
  for (const c of ['', '10.9.8.0', '10.9.8.0/', '10.9.8.0/33', '/24', '2001:db8::/129', '10.0.0.0/-1', '10.0.0.0/a', 'a/8', '1.2.3.4/24/1']) t.same(isValidCIDR(c), cidrMsg, JSON.stringify(c));
});

t.test('environment variable names, ConfigMap keys, C identifiers, percents', async (t) => {
  const envMsg =
    "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')";
  for (const v of ['A', 'ABC', 'AbC_123', 'abc', 'a.b', '-a', '_', 'a-b.c_d', 'my.env-name', '.a']) t.same(isEnvVarName(v), [], v);
  for (const v of ['', '1', '123', '1a', 'a b', 'a=b', 'a$', 'é']) t.same(isEnvVarName(v), [envMsg], JSON.stringify(v));
  t.same(isEnvVarName('.'), ["must not be '.'"]);
  t.same(isEnvVarName('..'), ["must not be '..'"]);
  t.same(isEnvVarName('..a'), ["must not start with '..'"]);

  const keyMsg =
    "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
  for (const v of ['a', 'ab', 'a1', '1', 'A', 'key.name', 'KEY_NAME', 'key-name', '.dotfile', 'a'.repeat(253)]) t.same(isConfigMapKey(v), [], v.slice(0, 20));
  for (const v of ['', 'a b', 'a/b', 'a:b', 'a=b']) t.same(isConfigMapKey(v), [keyMsg], JSON.stringify(v));
  t.same(isConfigMapKey('..'), ["must not be '..'"]);
  t.same(isConfigMapKey('..a'), ["must not start with '..'"]);
  t.same(isConfigMapKey('a'.repeat(254)), ['must be no more than 253 characters']);

  t.same(isCIdentifier('_a1'), []);
  t.same(isCIdentifier('1a'), [
    "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_' (e.g. 'my_name',  or 'MY_NAME',  or 'MyName', regex used for validation is '[A-Za-z_][A-Za-z0-9_]*')",
  ]);

  for (const v of ['0%', '1%', '25%', '100%', '1000%']) t.same(isValidPercent(v), [], v);
  for (const v of ['', '%', '1', '1.5%', '-1%', ' 1%', '1% ', 'a%']) {
    t.same(isValidPercent(v), ["a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"], JSON.stringify(v));
  }
});

t.test('path segment names and name validators', async (t) => {
  t.same(isValidPathSegmentName('.'), ["may not be '.'"]);
  t.same(isValidPathSegmentName('..'), ["may not be '..'"]);
  t.same(isValidPathSegmentName('a/b'), ["may not contain '/'"]);
  t.same(isValidPathSegmentName('a%b/'), ["may not contain '/'", "may not contain '%'"]);
  t.same(isValidPathSegmentName('...'), []);
  t.same(isValidPathSegmentPrefix('.'), []);
  t.same(isValidPathSegmentPrefix('a%'), ["may not contain '%'"]);

  t.same(nameIsDNSSubdomain('web.example', false), []);
  t.same(nameIsDNSSubdomain('web-', false), [SUBDOMAIN_MSG]);
  // A generateName may end in '-': random characters follow.
  t.same(nameIsDNSSubdomain('web-', true), []);
  t.same(nameIsDNSLabel('web-', true), []);
  t.same(nameIsDNS1035Label('web-', true), []);
  t.same(nameIsDNSLabel('Web-', true), [LABEL_MSG]);
  t.same(nameIsDNSLabel('a.b', false), ['must not contain dots']);
});

t.test('validateObjectName and validateGenerateName', async (t) => {
  const at = FieldPath.root('metadata').child('name');
  t.same(validateObjectName('web', nameIsDNSSubdomain, at), []);
  t.same(validateObjectName('', nameIsDNSSubdomain, at), [
    { type: 'FieldValueRequired', field: 'metadata.name', detail: 'name or generateName is required' },
  ]);
  t.same(validateObjectName(undefined, nameIsDNSSubdomain, 'metadata.name').map(formatFieldError), ['metadata.name: Required value: name or generateName is required']);
  t.same(validateObjectName('Web', nameIsDNSLabel, at).map(formatFieldError), [`metadata.name: Invalid value: "Web": ${LABEL_MSG}`]);
  // Rules every name meets, whatever the kind's own rules say.
  const anything = (): string[] => [];
  t.same(validateObjectName('.', anything, at).map(formatFieldError), [`metadata.name: Invalid value: ".": may not be '.'`]);
  t.same(validateObjectName('..', anything, at).map((e) => e.detail), ["may not be '..'"]);
  t.same(validateObjectName('a/b%c', anything, at).map((e) => e.detail), ["may not contain '/'", "may not contain '%'"]);
  t.same(validateObjectName('a/b', nameIsDNSSubdomain, at).map((e) => e.detail), [SUBDOMAIN_MSG, "may not contain '/'"]);

  const gat = FieldPath.root('metadata').child('generateName');
  t.same(validateGenerateName('web-', nameIsDNSLabel, gat), []);
  t.same(validateGenerateName('we/b-', anything, gat).map(formatFieldError), [`metadata.generateName: Invalid value: "we/b-": may not contain '/'`]);
});

t.test('validateLabels', async (t) => {
  const at = FieldPath.root('metadata').child('labels');
  t.same(validateLabels(undefined, at), []);
  t.same(validateLabels({}, at), []);
  t.same(validateLabels({ app: 'web', 'example.com/tier': 'front_end.1', empty: '' }, at), []);
  t.same(validateLabels({ 'bad key': 'v' }, at).map(formatFieldError), [`metadata.labels: Invalid value: "bad key": ${NAME_PART_MSG}`]);
  t.same(validateLabels({ ok: '-bad' }, at).map(formatFieldError), [`metadata.labels: Invalid value: "-bad": ${LABEL_VALUE_MSG}`]);
  // Keys are case-sensitive qualified names: an uppercase prefix is not a DNS subdomain.
  t.same(validateLabels({ 'Example.com/a': 'v' }, at).map((e) => e.detail), [`prefix part ${SUBDOMAIN_MSG}`]);
  // Deterministic order: sorted by key.
  t.same(
    validateLabels({ z_: 'v', a_: 'v' }, at).map((e) => e.value),
    ['a_', 'z_'],
  );
  // A non-string value (bad JSON) is reported, not thrown.
  t.same(validateLabels({ a: 5 } as unknown as Record<string, string>, at).map((e) => [e.type, e.field]), [['FieldValueTypeInvalid', 'metadata.labels[a]']]);
});

t.test('validateAnnotations', async (t) => {
  const at = FieldPath.root('metadata').child('annotations');
  t.same(validateAnnotations(undefined, at), []);
  // Annotation keys are checked lowercased: an uppercase prefix is fine.
  t.same(validateAnnotations({ 'Example.com/Some-Thing': 'any value at all, even with spaces and = signs' }, at), []);
  t.same(validateAnnotations({ 'kubectl.kubernetes.io/last-applied-configuration': '{"a":1}' }, at), []);
  t.same(validateAnnotations({ 'a b': 'x' }, at).map(formatFieldError), [`metadata.annotations: Invalid value: "a b": ${NAME_PART_MSG}`]);

  // The limit is on keys plus values: 256 KiB exactly is fine, one byte more is not.
  const limit = 262144;
  const atLimit = { k: 'x'.repeat(limit - 1) };
  t.equal(annotationsSize(atLimit), limit);
  t.same(validateAnnotations(atLimit, at), []);
  const over = { k: 'x'.repeat(limit) };
  const errs = validateAnnotations(over, at);
  t.same(errs, [{ type: 'FieldValueTooLong', field: 'metadata.annotations', detail: 'must have at most 262144 bytes' }]);
  t.equal(formatFieldError(errs[0]!), 'metadata.annotations: Too long: must have at most 262144 bytes');
  // Bytes, not characters: 'é' is two bytes.
  t.equal(validateAnnotations({ k: 'é'.repeat(limit / 2) }, at).length, 1);
  t.equal(validateAnnotations({ a: 'x'.repeat(limit / 2), b: 'y'.repeat(limit / 2 - 2) }, at).length, 0);
  t.equal(validateAnnotations({ a: 'x'.repeat(limit / 2), b: 'y'.repeat(limit / 2 - 1) }, at).length, 1);
});

t.test('properties: nothing throws; labels are subdomains; valid values stay valid (seeded)', async (t) => {
  const fns = [isDNS1123Label, isDNS1123Subdomain, isDNS1035Label, isQualifiedName, isValidLabelValue, isValidPortName, isValidIP, isValidCIDR, isEnvVarName, isConfigMapKey, isValidPercent, isValidPathSegmentName];
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
      for (const f of fns) {
        const r = f(s);
        if (!Array.isArray(r) || r.some((m) => typeof m !== 'string' || m === '')) return false;
      }
      // Every DNS-1123 label is a DNS-1123 subdomain; every DNS-1035 label is a DNS-1123 label.
      if (isDNS1123Label(s).length === 0 && isDNS1123Subdomain(s).length !== 0) return false;
      if (isDNS1035Label(s).length === 0 && isDNS1123Label(s).length !== 0) return false;
      // A valid label value of length > 0 is a valid qualified name and vice versa for unprefixed names.
      if (s !== '' && !s.includes('/') && (isValidLabelValue(s).length === 0) !== (isQualifiedName(s).length === 0)) return false;
      return true;
    }),
    { seed: SEED, numRuns: 2000 },
  );
  const labelChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-'.split(''));
  fc.assert(
    fc.property(fc.array(labelChar, { minLength: 1, maxLength: 63 }), (chars) => {
      const s = chars.join('');
      const ok = /^[a-z0-9]/.test(s) && /[a-z0-9]$/.test(s);
      return (isDNS1123Label(s).length === 0) === ok;
    }),
    { seed: SEED, numRuns: 1000 },
  );
  t.pass('properties hold');
});
