// metav1.LabelSelector matching as upstream's LabelSelectorAsSelector, the matchLabelKeys merge,
// and label lookups.
import t from 'tap';
import type { LabelSelector } from '../src/framework/types.js';
import { type LabelMatcher, labelValue, parseLabelSelector, withMatchLabels } from '../src/plugins/label-selector.js';

function matcher(selector: LabelSelector | undefined): LabelMatcher {
  const parsed = parseLabelSelector(selector);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed.matcher;
}

const cases: { name: string; selector: LabelSelector | undefined; labels: Record<string, string> | undefined; want: boolean }[] = [
  { name: 'a nil selector matches nothing', selector: undefined, labels: { a: 'b' }, want: false },
  { name: 'a nil selector matches nothing, not even no labels', selector: undefined, labels: undefined, want: false },
  { name: 'an empty selector matches everything', selector: {}, labels: { a: 'b' }, want: true },
  { name: 'an empty selector matches no labels', selector: { matchLabels: {}, matchExpressions: [] }, labels: undefined, want: true },
  { name: 'matchLabels match equal values', selector: { matchLabels: { app: 'web', tier: 'fe' } }, labels: { app: 'web', tier: 'fe', x: 'y' }, want: true },
  { name: 'matchLabels need every label', selector: { matchLabels: { app: 'web', tier: 'fe' } }, labels: { app: 'web' }, want: false },
  { name: 'matchLabels compare values', selector: { matchLabels: { app: 'web' } }, labels: { app: 'db' }, want: false },
  { name: 'In matches one of the values', selector: { matchExpressions: [{ key: 'env', operator: 'In', values: ['a', 'b'] }] }, labels: { env: 'b' }, want: true },
  { name: 'In needs the label', selector: { matchExpressions: [{ key: 'env', operator: 'In', values: ['a'] }] }, labels: {}, want: false },
  { name: 'NotIn matches other values', selector: { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['a'] }] }, labels: { env: 'b' }, want: true },
  { name: 'NotIn matches a missing label', selector: { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['a'] }] }, labels: {}, want: true },
  { name: 'NotIn does not match a listed value', selector: { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['a'] }] }, labels: { env: 'a' }, want: false },
  { name: 'Exists matches an empty value', selector: { matchExpressions: [{ key: 'foo', operator: 'Exists' }] }, labels: { foo: '' }, want: true },
  { name: 'Exists needs the label', selector: { matchExpressions: [{ key: 'foo', operator: 'Exists' }] }, labels: { bar: '' }, want: false },
  { name: 'DoesNotExist matches a missing label', selector: { matchExpressions: [{ key: 'foo', operator: 'DoesNotExist' }] }, labels: { bar: '' }, want: true },
  { name: 'DoesNotExist does not match a present label', selector: { matchExpressions: [{ key: 'foo', operator: 'DoesNotExist' }] }, labels: { foo: 'x' }, want: false },
  {
    name: 'matchLabels and matchExpressions are ANDed',
    selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] },
    labels: { app: 'web', env: 'prod' },
    want: false,
  },
  { name: 'labels inherited from Object.prototype are not labels', selector: { matchExpressions: [{ key: 'constructor', operator: 'Exists' }] }, labels: {}, want: false },
];

for (const c of cases) {
  t.test(c.name, async (t) => {
    t.equal(matcher(c.selector).matches(c.labels), c.want);
  });
}

t.test('invalid selectors are errors in upstream words', async (t) => {
  t.same(parseLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Gt' as 'In', values: ['1'] }] }), { error: '"Gt" is not a valid label selector operator' });
  t.match(parseLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }), { error: /for 'in', 'notin' operators, values set can't be empty/ });
  t.match(parseLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }), { error: /values set must be empty for exists and does not exist/ });
  t.match(parseLabelSelector({ matchLabels: { a: 'not valid!' } }), { error: /Invalid value: "not valid!"/ });
});

t.test('withMatchLabels ANDs key=value requirements with the selector', async (t) => {
  const merged = withMatchLabels(matcher({ matchExpressions: [{ key: 'app', operator: 'Exists' }] }), { rev: '2' });
  t.equal(merged.matches({ app: 'web', rev: '2' }), true);
  t.equal(merged.matches({ app: 'web', rev: '1' }), false);
  t.equal(merged.matches({ rev: '2' }), false);
  const fromNothing = withMatchLabels(matcher(undefined), { rev: '2' });
  t.equal(fromNothing.matches({ rev: '2' }), true, 'a nil selector with matchLabelKeys selects by the keys alone');
  t.equal(withMatchLabels(matcher({}), { rev: '2' }).matches({ rev: '3' }), false);
});

t.test('labelValue reads own labels only', async (t) => {
  t.equal(labelValue({ a: '' }, 'a'), '');
  t.equal(labelValue({ a: 'b' }, 'c'), undefined);
  t.equal(labelValue({}, 'toString'), undefined);
  t.equal(labelValue(undefined, 'a'), undefined);
});
