import fc from 'fast-check';
import t from 'tap';
import { ApiError, FieldPath, formatFieldError } from '../src/errors/index.js';
import {
  type LabelOperator,
  type LabelRequirement,
  LabelMatcher,
  formatLabelSelector,
  labelSelectorFromObject,
  labelSelectorFromSet,
  labelSelectorToString,
  newLabelRequirement,
  parseLabelSelector,
  validateLabelSelector,
  validatedLabelSelectorFromSet,
} from '../src/selectors/index.js';

const SEED = 1337;

const NAME_PART_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

type Asserts = Pick<typeof t, 'ok' | 'equal' | 'fail'>;

/** Runs fn, which must throw a 400 BadRequest ApiError; returns its message. */
function badRequestMessage(t: Asserts, fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    t.ok(e instanceof ApiError, 'throws an ApiError');
    if (!(e instanceof ApiError)) return '';
    t.equal(e.code, 400);
    t.equal(e.status.reason, 'BadRequest');
    return e.message;
  }
  t.fail('did not throw');
  return '';
}

t.test('parse: valid selectors and their canonical strings', async (t) => {
  const table: [string, string][] = [
    ['', ''],
    ['   ', ''],
    ['x=a', 'x=a'],
    ['x==a', 'x==a'],
    ['x!=a', 'x!=a'],
    ['x=a,y=b,z=c', 'x=a,y=b,z=c'],
    ['z=c,y=b,x=a', 'x=a,y=b,z=c'],
    ['x=,z= ', 'x=,z='],
    ['x= ,z= ', 'x=,z='],
    ['x', 'x'],
    ['!x', '!x'],
    ['! x', '!x'],
    ['x>1', 'x>1'],
    ['x<1', 'x<1'],
    ['x>1,z<5', 'x>1,z<5'],
    ['x > 10', 'x>10'],
    ['x in (a)', 'x in (a)'],
    ['x in (b,a)', 'x in (a,b)'],
    ['x in (a,a,b)', 'x in (a,b)'],
    ['x notin (b , a)', 'x notin (a,b)'],
    ['x in ()', 'x in ()'],
    ['x in (,a)', 'x in (,a)'],
    ['x in (a,)', 'x in (,a)'],
    ['x in (foo,,baz),y,z notin ()', 'x in (,baz,foo),y,z notin ()'],
    ['x in(a)', 'x in (a)'],
    ['  x  =  a  ,  y  ', 'x=a,y'],
    ['\tx\n=\ra', 'x=a'],
    ['x=a,x!=b', 'x=a,x!=b'],
    ['x!=b,x=a', 'x!=b,x=a'],
    ['example.com/app=web', 'example.com/app=web'],
    // Sorted by key: '!canary' sorts as 'canary'.
    ['app.kubernetes.io/name in (web, api),!canary', 'app.kubernetes.io/name in (api,web),!canary'],
    ['!b,a', 'a,!b'],
    ['in=notin', 'in=notin'],
    ['x in (in,notin)', 'x in (in,notin)'],
    ['in in (in)', 'in in (in)'],
    ['!in', '!in'],
    ['notin', 'notin'],
    ['constructor', 'constructor'],
    ['Key_1.x-Y=Val.ue_1-A', 'Key_1.x-Y=Val.ue_1-A'],
    [`${'k'.repeat(63)}=${'v'.repeat(63)}`, `${'k'.repeat(63)}=${'v'.repeat(63)}`],
  ];
  for (const [input, canonical] of table) {
    const sel = parseLabelSelector(input);
    t.equal(sel.toString(), canonical, JSON.stringify(input));
    t.equal(parseLabelSelector(canonical).toString(), canonical, `${JSON.stringify(canonical)} is a fixed point`);
  }
  t.same(parseLabelSelector('b in (z,y),a').requirements, [
    { key: 'a', operator: 'exists', values: [] },
    { key: 'b', operator: 'in', values: ['y', 'z'] },
  ]);
  t.ok(parseLabelSelector('').isEmpty());
  t.notOk(parseLabelSelector('x').isEmpty());
});

t.test('parse: invalid selectors name the offending part and its position', async (t) => {
  const table: [string, string][] = [
    ['x=a b', "found 'b', expected: ',' or 'end of string' (at position 4)"],
    ['x y', "unable to parse requirement: found 'y', expected: in, notin, =, ==, !=, gt, lt (at position 2)"],
    [',x', "found ',', expected: !, identifier, or 'end of string' (at position 0)"],
    ['x,', "found '', expected: identifier after ',' (at position 2)"],
    ['x=a,,y', "found ',', expected: identifier after ',' (at position 4)"],
    ['x=a||y=b', `unable to parse requirement: values[0][x]: Invalid value: "a||y": ${LABEL_VALUE_MSG} (at position 2)`],
    ['x==a==b', "found '==', expected: ',' or 'end of string' (at position 4)"],
    ['!x=a', "found '=', expected: ',' or 'end of string' (at position 2)"],
    ['x=a!b', "found '!', expected: ',' or 'end of string' (at position 3)"],
    ['!', "unable to parse requirement: found '', expected: identifier (at position 1)"],
    ['!!x', "unable to parse requirement: found '!', expected: identifier (at position 1)"],
    ['=a', "found '=', expected: !, identifier, or 'end of string' (at position 0)"],
    ['(', "found '(', expected: !, identifier, or 'end of string' (at position 0)"],
    ['x=(', "unable to parse requirement: found '(', expected: identifier (at position 2)"],
    ['x !a', "unable to parse requirement: found '!', expected: in, notin, =, ==, !=, gt, lt (at position 2)"],
    ['x in a', "unable to parse requirement: found 'a' expected: '(' (at position 5)"],
    ['x in', "unable to parse requirement: found '' expected: '(' (at position 4)"],
    ['x in (a', "unable to parse requirement: found '', expected: ',' or ')' (at position 7)"],
    ['x in (a b)', "unable to parse requirement: found 'b', expected: ',' or ')' (at position 8)"],
    ['x in (=)', "unable to parse requirement: found '=', expected: ',', ')' or identifier (at position 6)"],
    ['x in (a,=)', "unable to parse requirement: found '=', expected: ',', or identifier (at position 8)"],
    ['x notin (a,', "unable to parse requirement: found '', expected: ',', or identifier (at position 11)"],
    ['Foo_=a', `unable to parse requirement: key: Invalid value: "Foo_": ${NAME_PART_MSG} (at position 0)`],
    ['  -x', `unable to parse requirement: key: Invalid value: "-x": ${NAME_PART_MSG} (at position 2)`],
    [`${'k'.repeat(64)}=a`, `unable to parse requirement: key: Invalid value: "${'k'.repeat(64)}": name part must be no more than 63 characters (at position 0)`],
    ['x=-a', `unable to parse requirement: values[0][x]: Invalid value: "-a": ${LABEL_VALUE_MSG} (at position 2)`],
    ['x in (a, -b)', `unable to parse requirement: values[0][x]: Invalid value: "-b": ${LABEL_VALUE_MSG} (at position 9)`],
    ['x>a', `unable to parse requirement: values[0]: Invalid value: "a": for 'Gt', 'Lt' operators, the value must be an integer (at position 2)`],
    ['x>1.5', `unable to parse requirement: values[0]: Invalid value: "1.5": for 'Gt', 'Lt' operators, the value must be an integer (at position 2)`],
    ['x<99999999999999999999', `unable to parse requirement: values[0]: Invalid value: "99999999999999999999": for 'Gt', 'Lt' operators, the value must be an integer (at position 2)`],
    ['x>-1', `unable to parse requirement: values[0][x]: Invalid value: "-1": ${LABEL_VALUE_MSG} (at position 2)`],
    ['x>', `unable to parse requirement: values[0]: Invalid value: "": for 'Gt', 'Lt' operators, the value must be an integer (at position 2)`],
    ['a/b/c', 'unable to parse requirement: key: Invalid value: "a/b/c": a qualified name'],
    ['x=é', 'unable to parse requirement: values[0][x]: Invalid value: "é"'],
  ];
  for (const [input, expected] of table) {
    const msg = badRequestMessage(t, () => parseLabelSelector(input));
    t.ok(msg.startsWith(expected), `${JSON.stringify(input)}\n  got:  ${msg}\n  want: ${expected}`);
  }
  // Several problems in one requirement come back as upstream's aggregate.
  t.equal(
    badRequestMessage(t, () => parseLabelSelector('x in (-a,b-)')),
    `unable to parse requirement: [values[0][x]: Invalid value: "-a": ${LABEL_VALUE_MSG}, values[1][x]: Invalid value: "b-": ${LABEL_VALUE_MSG}] (at position 6)`,
  );
});

t.test('parse: no input makes it throw anything but a BadRequest (seeded fuzz)', async (t) => {
  const alphabet = fc.constantFrom(...'ab=!(),<> \tin notin 1-_./\\é'.split(''), 'in', 'notin', '==', '!=');
  const inputs = fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), fc.array(alphabet, { maxLength: 30 }).map((a) => a.join('')));
  let parsed = 0;
  fc.assert(
    fc.property(inputs, (s) => {
      try {
        const sel = parseLabelSelector(s);
        parsed++;
        // Whatever parses, prints to a fixed point.
        return parseLabelSelector(sel.toString()).toString() === sel.toString();
      } catch (e) {
        return e instanceof ApiError && e.code === 400 && /\(at position \d+\)$/.test(e.message);
      }
    }),
    { seed: SEED, numRuns: 5000 },
  );
  t.ok(parsed > 0, `some fuzz inputs parsed (${parsed})`);
});

t.test('matching truth table', async (t) => {
  const labelSets: Record<string, Record<string, string> | undefined> = {
    none: undefined,
    empty: {},
    web: { app: 'web', tier: 'front' },
    api: { app: 'api', tier: 'back', replicas: '3' },
    bare: { app: '' },
    proto: { constructor: 'x' },
  };
  const table: [string, string[]][] = [
    ['', ['none', 'empty', 'web', 'api', 'bare', 'proto']],
    ['app', ['web', 'api', 'bare']],
    ['!app', ['none', 'empty', 'proto']],
    ['app=web', ['web']],
    ['app==web', ['web']],
    ['app!=web', ['none', 'empty', 'api', 'bare', 'proto']],
    ['app=', ['bare']],
    ['app in (web,api)', ['web', 'api']],
    ['app notin (web,api)', ['none', 'empty', 'bare', 'proto']],
    ['app in ()', ['bare']],
    ['app,tier=front', ['web']],
    ['app,!tier', ['bare']],
    ['replicas>2', ['api']],
    ['replicas>3', []],
    ['replicas<4', ['api']],
    ['replicas<3', []],
    ['tier>0', []],
    ['constructor', ['proto']],
    ['toString', []],
    ['!hasOwnProperty', ['none', 'empty', 'web', 'api', 'bare', 'proto']],
  ];
  for (const [sel, expected] of table) {
    const s = parseLabelSelector(sel);
    const got = Object.keys(labelSets).filter((k) => s.matches(labelSets[k]));
    t.same(got, expected, JSON.stringify(sel));
  }
  // Gt/Lt compare as 64-bit integers, and a non-integer label never matches.
  t.ok(parseLabelSelector('n>9').matches({ n: '10' }));
  t.ok(parseLabelSelector('n<10').matches({ n: '-5' }));
  t.ok(parseLabelSelector('n>9223372036854775806').matches({ n: '9223372036854775807' }));
  t.notOk(parseLabelSelector('n>1').matches({ n: '9223372036854775808' }));
  t.notOk(parseLabelSelector('n>1').matches({ n: '2.5' }));
  t.notOk(parseLabelSelector('n<1').matches({ n: '' }));
});

t.test('everything, nothing, add, requiresExactMatch', async (t) => {
  const all = LabelMatcher.everything();
  const none = LabelMatcher.nothing();
  t.ok(all.isEmpty());
  t.ok(all.matches({ a: 'b' }));
  t.ok(all.matches(undefined));
  t.equal(all.toString(), '');
  t.notOk(none.isEmpty());
  t.ok(none.matchesNothing());
  t.notOk(none.matches({}));
  t.notOk(none.matches({ a: 'b' }));
  t.equal(none.toString(), '');
  t.equal(none.add(newLabelRequirement('a', 'exists')), none);

  const sel = all.add(newLabelRequirement('z', '=', ['']), newLabelRequirement('a', 'in', ['y', 'x']));
  t.equal(sel.toString(), 'a in (x,y),z=');
  t.equal(all.toString(), '', 'add does not mutate');

  const s = parseLabelSelector('app=web,tier in (front),env in (a,b),x!=y');
  t.equal(s.requiresExactMatch('app'), 'web');
  t.equal(s.requiresExactMatch('tier'), 'front');
  t.equal(s.requiresExactMatch('env'), undefined);
  t.equal(s.requiresExactMatch('x'), undefined);
  t.equal(s.requiresExactMatch('missing'), undefined);
  t.equal(parseLabelSelector('app==web').requiresExactMatch('app'), 'web');
});

t.test('newLabelRequirement validates as upstream NewRequirement', async (t) => {
  t.same(newLabelRequirement('a', 'notin', ['c', 'b', 'c']), { key: 'a', operator: 'notin', values: ['b', 'c'] });
  t.equal(badRequestMessage(t, () => newLabelRequirement('a', 'in', [])), "values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty");
  t.equal(badRequestMessage(t, () => newLabelRequirement('a', '=', ['x', 'y'])), 'values: Invalid value: ["x","y"]: exact-match compatibility requires one single value');
  t.equal(badRequestMessage(t, () => newLabelRequirement('a', 'exists', ['x'])), 'values: Invalid value: ["x"]: values set must be empty for exists and does not exist');
  t.equal(badRequestMessage(t, () => newLabelRequirement('a', 'gt', ['1', '2'])), `values: Invalid value: ["1","2"]: for 'Gt', 'Lt' operators, exactly one value is required`);
  t.equal(
    badRequestMessage(t, () => newLabelRequirement('a', 'bogus' as LabelOperator, [])),
    'operator: Unsupported value: "bogus": supported values: "in", "notin", "=", "==", "!=", "gt", "lt", "exists", "!"',
  );
  t.equal(
    badRequestMessage(t, () => newLabelRequirement('a_', 'in', [])),
    `[key: Invalid value: "a_": ${NAME_PART_MSG}, values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty]`,
  );
});

t.test('sets', async (t) => {
  t.equal(labelSelectorFromSet({ b: '2', a: '1' }).toString(), 'a=1,b=2');
  t.ok(labelSelectorFromSet({}).isEmpty());
  t.ok(labelSelectorFromSet(undefined).isEmpty());
  t.ok(labelSelectorFromSet({ a: '1' }).matches({ a: '1', b: '2' }));
  t.notOk(labelSelectorFromSet({ a: '1' }).matches({ a: '2' }));
  t.equal(validatedLabelSelectorFromSet({ app: 'web' }).toString(), 'app=web');
  badRequestMessage(t, () => validatedLabelSelectorFromSet({ app: 'not valid' }));
});

t.test('object form: labelSelectorFromObject (upstream LabelSelectorAsSelector)', async (t) => {
  t.ok(labelSelectorFromObject(undefined).matchesNothing(), 'undefined selects nothing');
  t.ok(labelSelectorFromObject(null).matchesNothing(), 'null selects nothing');
  t.notOk(labelSelectorFromObject(null).matches({}));
  t.ok(labelSelectorFromObject({}).isEmpty(), 'empty selects everything');
  t.ok(labelSelectorFromObject({ matchLabels: {}, matchExpressions: [] }).matches({ any: 'thing' }));

  const sel = labelSelectorFromObject({
    matchLabels: { tier: 'front', app: 'web' },
    matchExpressions: [
      { key: 'env', operator: 'In', values: ['prod', 'canary'] },
      { key: 'legacy', operator: 'DoesNotExist' },
      { key: 'track', operator: 'NotIn', values: ['beta'] },
      { key: 'release', operator: 'Exists', values: [] },
    ],
  });
  t.equal(sel.toString(), 'app=web,env in (canary,prod),!legacy,release,tier=front,track notin (beta)');
  t.ok(sel.matches({ app: 'web', tier: 'front', env: 'prod', release: 'r1' }));
  t.notOk(sel.matches({ app: 'web', tier: 'front', env: 'prod', release: 'r1', legacy: 'y' }));
  t.notOk(sel.matches({ app: 'web', tier: 'front', env: 'prod', release: 'r1', track: 'beta' }));
  t.notOk(sel.matches({ app: 'web', tier: 'front', env: 'dev', release: 'r1' }));
  t.equal(parseLabelSelector(sel.toString()).toString(), sel.toString());

  t.equal(
    badRequestMessage(t, () => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'Equals', values: ['b'] }] })),
    '"Equals" is not a valid label selector operator',
  );
  t.equal(
    badRequestMessage(t, () => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] })),
    "values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty",
  );
  t.equal(
    badRequestMessage(t, () => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'In' }] })),
    "values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty",
  );
  t.equal(
    badRequestMessage(t, () => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] })),
    'values: Invalid value: ["x"]: values set must be empty for exists and does not exist',
  );
  t.match(badRequestMessage(t, () => labelSelectorFromObject({ matchLabels: { app: 'a b' } })), /^values\[0\]\[app\]: Invalid value: "a b"/);

  t.equal(labelSelectorToString({ matchLabels: { app: 'web' } }), 'app=web');
  t.equal(labelSelectorToString({}), '');
  t.equal(labelSelectorToString(undefined), '');
  t.equal(formatLabelSelector({}), '<none>');
  t.equal(formatLabelSelector(null), '<none>');
  t.equal(formatLabelSelector({ matchLabels: { app: 'web' } }), 'app=web');
  t.equal(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Nope' }] }), '<error>');
});

t.test('object form: validateLabelSelector (upstream ValidateLabelSelector)', async (t) => {
  const at = FieldPath.root('spec').child('selector');
  t.same(validateLabelSelector(undefined, at), []);
  t.same(validateLabelSelector({}, at), []);
  t.same(
    validateLabelSelector({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }, { key: 'x', operator: 'Exists' }] }, at),
    [],
  );
  const errs = validateLabelSelector(
    {
      matchLabels: { 'bad key': 'v', ok: '-bad' },
      matchExpressions: [
        { key: 'a', operator: 'In', values: [] },
        { key: 'b', operator: 'Exists', values: ['x'] },
        { key: 'c', operator: 'Equals', values: ['y'] },
        { key: 'd_', operator: 'NotIn', values: ['z', 'bad value'] },
      ],
    },
    at,
  );
  t.same(errs.map(formatFieldError), [
    `spec.selector.matchLabels: Invalid value: "bad key": ${NAME_PART_MSG}`,
    `spec.selector.matchLabels: Invalid value: "-bad": ${LABEL_VALUE_MSG}`,
    "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
    'spec.selector.matchExpressions[2].operator: Invalid value: "Equals": not a valid selector operator',
    `spec.selector.matchExpressions[3].key: Invalid value: "d_": ${NAME_PART_MSG}`,
    `spec.selector.matchExpressions[3].values[1]: Invalid value: "bad value": ${LABEL_VALUE_MSG}`,
  ]);
  t.same(errs.map((e) => e.type), [
    'FieldValueInvalid',
    'FieldValueInvalid',
    'FieldValueRequired',
    'FieldValueForbidden',
    'FieldValueInvalid',
    'FieldValueInvalid',
    'FieldValueInvalid',
  ]);
  // Malformed input (not a schema-valid object) is reported, never thrown.
  t.equal(validateLabelSelector({ matchExpressions: [null] } as never, 'sel').length, 1);
  t.equal(validateLabelSelector('app=web' as never, 'sel').length, 1);
  t.same(validateLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: 'x' }] } as never, 'sel').map((e) => e.type), ['FieldValueTypeInvalid', 'FieldValueRequired']);
  t.equal(validateLabelSelector({ matchExpressions: {} } as never, 'sel').length, 1);
  t.equal(validateLabelSelector({ matchLabels: 'x' } as never, 'sel').length, 1);
  for (const junk of ['x', [], { matchExpressions: {} }, { matchLabels: [] }, { matchExpressions: [null] }, { matchExpressions: [{ key: 'a', operator: 'In', values: 'bc' }] }, { matchExpressions: [{ operator: 'Exists' }] }]) {
    badRequestMessage(t, () => labelSelectorFromObject(junk as never));
  }
});

// ---------------------------------------------------------------------------
// Round-trip property: any list of valid requirements prints to a string that parses
// back to the same string and the same matching behaviour.

const dnsLabel = fc
  .tuple(
    fc.constantFrom(...'abcxyz0189'.split('')),
    fc.array(fc.constantFrom(...'abz09-'.split('')), { maxLength: 6 }),
    fc.constantFrom(...'abz09'.split('')),
  )
  .map(([a, mid, z]) => a + mid.join('') + z);
const namePart = fc.oneof(
  fc.constantFrom('app', 'tier', 'in', 'notin', 'constructor', 'x', 'A', '1'),
  fc
    .tuple(fc.constantFrom(...'aZ09'.split('')), fc.array(fc.constantFrom(...'aZ09-_.'.split('')), { maxLength: 8 }), fc.constantFrom(...'bY18'.split('')))
    .map(([a, mid, z]) => a + mid.join('') + z),
);
const key = fc.oneof(
  namePart,
  fc.tuple(fc.array(dnsLabel, { minLength: 1, maxLength: 3 }), namePart).map(([p, n]) => `${p.join('.')}/${n}`),
);
const value = fc.oneof(fc.constant(''), namePart, fc.constantFrom('in', 'notin', '0', '42'));
const intValue = fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }).map(String);
const requirement: fc.Arbitrary<LabelRequirement> = fc
  .tuple(key, fc.constantFrom<LabelOperator>('in', 'notin', '=', '==', '!=', 'exists', '!', 'gt', 'lt'), fc.array(value, { minLength: 1, maxLength: 4 }), value, intValue)
  .map(([k, op, vals, one, n]) => {
    switch (op) {
      case 'in':
      case 'notin':
        return newLabelRequirement(k, op, vals);
      case 'exists':
      case '!':
        return newLabelRequirement(k, op, []);
      case 'gt':
      case 'lt':
        return newLabelRequirement(k, op, [n]);
      default:
        return newLabelRequirement(k, op, [one]);
    }
  });

t.test('round trip: parse(sel.toString()) prints and matches the same (seeded property)', async (t) => {
  const labelValue = fc.oneof(value, intValue, fc.constantFrom('-1', '7'));
  fc.assert(
    fc.property(
      fc.array(requirement, { maxLength: 6 }),
      fc.array(fc.tuple(fc.nat(), labelValue, fc.boolean()), { maxLength: 8 }),
      (reqs, picks) => {
        const sel = LabelMatcher.of(reqs);
        const text = sel.toString();
        const back = parseLabelSelector(text);
        if (back.toString() !== text) return false;
        // Label sets built from the selector's own keys, so that matching is exercised.
        const keys = reqs.map((r) => r.key);
        const labels: Record<string, string> = {};
        for (const [i, v, include] of picks) {
          if (keys.length > 0 && include) labels[keys[i % keys.length]!] = v;
        }
        const sets = [labels, {}, undefined, Object.fromEntries(reqs.filter((r) => r.values.length > 0).map((r) => [r.key, r.values[0]!]))];
        return sets.every((l) => sel.matches(l) === back.matches(l));
      },
    ),
    { seed: SEED, numRuns: 3000 },
  );
  t.pass('round trip holds');
});
