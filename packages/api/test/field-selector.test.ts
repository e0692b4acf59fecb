import fc from 'fast-check';
import t from 'tap';
import { ApiError } from '../src/errors/index.js';
import {
  FieldMatcher,
  convertFieldLabel,
  escapeFieldValue,
  fieldSelectorFromSet,
  fieldsOf,
  objectMatchesFields,
  oneTermEqualFieldSelector,
  parseFieldSelector,
  parseFieldSelectorFor,
  supportedFieldsOf,
  unescapeFieldValue,
} from '../src/selectors/index.js';

const SEED = 4242;

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
    [',', ''],
    ['a=b', 'a=b'],
    ['a==b', 'a=b'],
    ['a!=b', 'a!=b'],
    ['a=', 'a='],
    ['a!=', 'a!='],
    ['b=1,a=2', 'a=2,b=1'],
    ['a=b,,c=d,', 'a=b,c=d'],
    ['metadata.name=web', 'metadata.name=web'],
    ['spec.nodeName=n1,status.phase!=Running', 'spec.nodeName=n1,status.phase!=Running'],
    ['x=a b', 'x=a b'],
    [' x = y ', ' x = y '],
    ['a=\\,b', 'a=\\,b'],
    ['a=\\=b', 'a=\\=b'],
    ['a=\\\\b', 'a=\\\\b'],
    ['a=x\\,y\\=z\\\\', 'a=x\\,y\\=z\\\\'],
    ['a==\\=', 'a=\\='],
  ];
  for (const [input, canonical] of table) {
    const sel = parseFieldSelector(input);
    t.equal(sel.toString(), canonical, JSON.stringify(input));
    t.equal(parseFieldSelector(canonical).toString(), canonical, `${JSON.stringify(canonical)} is a fixed point`);
  }
  t.same(parseFieldSelector('b!=2,a==1').requirements, [
    { field: 'a', operator: '=', value: '1' },
    { field: 'b', operator: '!=', value: '2' },
  ]);
  t.same(parseFieldSelector('a=x\\,y\\=z\\\\').requirements, [{ field: 'a', operator: '=', value: 'x,y=z\\' }]);
  t.ok(parseFieldSelector('').isEmpty());
  t.ok(FieldMatcher.everything().isEmpty());
  t.notOk(parseFieldSelector('a=b').isEmpty());
});

t.test('parse: invalid selectors name the offending part and its position', async (t) => {
  const table: [string, string][] = [
    ['a', "invalid selector: 'a'; can't understand 'a' (at position 0)"],
    ['a=b,c', "invalid selector: 'a=b,c'; can't understand 'c' (at position 4)"],
    ['a>b', "invalid selector: 'a>b'; can't understand 'a>b' (at position 0)"],
    ['a in (b)', "invalid selector: 'a in (b)'; can't understand 'a in (b)' (at position 0)"],
    ['a=b=c', "invalid field selector: unescaped character in value: '=' (at position 3)"],
    ['a!==b', "invalid field selector: unescaped character in value: '=' (at position 3)"],
    ['x=1,a=b\\', 'invalid field selector: invalid escape sequence: \\ (at position 7)'],
    ['a=\\x', 'invalid field selector: invalid escape sequence: \\x (at position 2)'],
    ['zz=1,a=\\n', 'invalid field selector: invalid escape sequence: \\n (at position 7)'],
    ['a=\\😀', 'invalid field selector: invalid escape sequence: \\😀 (at position 2)'],
  ];
  for (const [input, expected] of table) t.equal(badRequestMessage(t, () => parseFieldSelector(input)), expected, JSON.stringify(input));
  t.equal(badRequestMessage(t, () => unescapeFieldValue('a,b')), "invalid field selector: unescaped character in value: ',' (at position 1)");
});

t.test('escaping round trips (seeded property)', async (t) => {
  t.equal(escapeFieldValue('a,b=c\\d'), 'a\\,b\\=c\\\\d');
  t.equal(unescapeFieldValue('a\\,b\\=c\\\\d'), 'a,b=c\\d');
  t.equal(unescapeFieldValue('plain'), 'plain');
  const special = fc.constantFrom(',', '=', '\\', '!', ' ', 'a', 'é', '😀');
  const valueArb = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.array(special, { maxLength: 20 }).map((a) => a.join('')));
  const fieldArb = fc.array(fc.constantFrom(...'abcXYZ019._-/ '.split('')), { minLength: 1, maxLength: 12 }).map((a) => a.join(''));
  fc.assert(
    fc.property(valueArb, (v) => unescapeFieldValue(escapeFieldValue(v)) === v),
    { seed: SEED, numRuns: 3000 },
  );
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fieldArb, fc.constantFrom<'=' | '!='>('=', '!='), valueArb), { maxLength: 6 }),
      (terms) => {
        const sel = FieldMatcher.of(terms.map(([field, operator, value]) => ({ field, operator, value })));
        const text = sel.toString();
        const back = parseFieldSelector(text);
        if (back.toString() !== text) return false;
        if (back.requirements.length !== terms.length) return false;
        // Same requirements, same matching.
        const fields: Record<string, string> = {};
        for (const [f, , v] of terms) fields[f] = v;
        return back.matches(fields) === sel.matches(fields) && back.matches({}) === sel.matches({});
      },
    ),
    { seed: SEED, numRuns: 2000 },
  );
  t.pass('round trips hold');
});

t.test('parse: nothing but a BadRequest is ever thrown (seeded fuzz)', async (t) => {
  const alphabet = fc.constantFrom('a', 'b', '=', '==', '!=', '!', ',', '\\', ' ', '.', 'é');
  const inputs = fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), fc.array(alphabet, { maxLength: 25 }).map((a) => a.join('')));
  fc.assert(
    fc.property(inputs, fc.constantFrom('pods', 'nodes', 'events', 'widgets'), (s, resource) => {
      for (const parse of [() => parseFieldSelector(s), () => parseFieldSelectorFor(resource, s)]) {
        try {
          const sel = parse();
          if (parseFieldSelector(sel.toString()).toString() !== sel.toString()) return false;
        } catch (e) {
          if (!(e instanceof ApiError) || e.code !== 400) return false;
        }
      }
      return true;
    }),
    { seed: SEED, numRuns: 5000 },
  );
  t.pass('only BadRequests');
});

t.test('matching and requiresExactMatch', async (t) => {
  const fields = { 'metadata.name': 'web', 'status.phase': 'Running', 'spec.nodeName': '' };
  const table: [string, boolean][] = [
    ['', true],
    ['metadata.name=web', true],
    ['metadata.name==web', true],
    ['metadata.name=api', false],
    ['metadata.name!=api', true],
    ['metadata.name!=web', false],
    ['metadata.name=web,status.phase=Running', true],
    ['metadata.name=web,status.phase!=Running', false],
    ['spec.nodeName=', true],
    ['spec.nodeName!=', false],
    // A missing field is the empty string.
    ['missing=', true],
    ['missing!=x', true],
    ['missing=x', false],
    ['constructor=', true],
  ];
  for (const [sel, expected] of table) t.equal(parseFieldSelector(sel).matches(fields), expected, sel);
  t.ok(parseFieldSelector('a=').matches(undefined));

  t.equal(parseFieldSelector('metadata.name=foo').requiresExactMatch('metadata.name'), 'foo');
  t.equal(parseFieldSelector('spec.nodeName=n1,metadata.name==foo').requiresExactMatch('metadata.name'), 'foo');
  t.equal(parseFieldSelector('metadata.name!=foo').requiresExactMatch('metadata.name'), undefined);
  t.equal(parseFieldSelector('spec.nodeName=n1').requiresExactMatch('metadata.name'), undefined);
  t.equal(parseFieldSelector('').requiresExactMatch('metadata.name'), undefined);

  t.equal(oneTermEqualFieldSelector('metadata.name', 'a,b').toString(), 'metadata.name=a\\,b');
  t.equal(fieldSelectorFromSet({ b: '2', a: '1' }).toString(), 'a=1,b=2');
  t.ok(fieldSelectorFromSet(undefined).isEmpty());
  t.equal(FieldMatcher.everything().and({ field: 'x', operator: '!=', value: '' }).toString(), 'x!=');
  t.equal(parseFieldSelector('a=1,b=2').transform((f, v) => (f === 'a' ? ['', ''] : [f.toUpperCase(), v])).toString(), 'B=2');
});

t.test('per-resource supported fields', async (t) => {
  t.same(supportedFieldsOf('pods'), [
    'metadata.name',
    'metadata.namespace',
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'spec.hostNetwork',
    'status.phase',
    'status.podIP',
    'status.podIPs',
    'status.nominatedNodeName',
  ]);
  t.same(supportedFieldsOf('nodes'), ['metadata.name', 'spec.unschedulable']);
  t.same(supportedFieldsOf('namespaces'), ['status.phase', 'metadata.name']);
  t.same(supportedFieldsOf('secrets'), ['type', 'metadata.name', 'metadata.namespace']);
  t.same(supportedFieldsOf('services'), ['metadata.name', 'metadata.namespace', 'spec.clusterIP', 'spec.type']);
  t.same(supportedFieldsOf('replicasets'), ['metadata.name', 'metadata.namespace', 'status.replicas']);
  t.same(supportedFieldsOf('replicasets.apps'), ['metadata.name', 'metadata.namespace', 'status.replicas']);
  t.same(supportedFieldsOf('deployments'), ['metadata.name', 'metadata.namespace']);
  t.same(supportedFieldsOf('configmaps'), ['metadata.name', 'metadata.namespace']);
  t.ok(supportedFieldsOf('events').includes('involvedObject.uid'));
  t.ok(supportedFieldsOf('events').includes('reportingComponent'));

  t.equal(convertFieldLabel('pods', 'spec.host'), 'spec.nodeName');
  t.equal(convertFieldLabel('pods', 'status.phase'), 'status.phase');
  t.equal(badRequestMessage(t, () => convertFieldLabel('pods', 'spec.containers')), 'field label not supported: spec.containers');
});

t.test('parseFieldSelectorFor rejects unsupported fields', async (t) => {
  t.equal(parseFieldSelectorFor('pods', 'spec.nodeName=n1,status.phase!=Succeeded').toString(), 'spec.nodeName=n1,status.phase!=Succeeded');
  t.equal(parseFieldSelectorFor('pods', 'spec.host=n1').toString(), 'spec.nodeName=n1');
  t.equal(parseFieldSelectorFor('pods', '').toString(), '');
  t.equal(parseFieldSelectorFor('deployments', 'metadata.name=web').requiresExactMatch('metadata.name'), 'web');
  t.equal(parseFieldSelectorFor('configmaps', 'metadata.namespace!=kube-system').toString(), 'metadata.namespace!=kube-system');
  t.equal(parseFieldSelectorFor('events', 'involvedObject.name=web,involvedObject.kind=Pod').toString(), 'involvedObject.kind=Pod,involvedObject.name=web');
  t.equal(parseFieldSelectorFor('secrets', 'type=kubernetes.io/tls').toString(), 'type=kubernetes.io/tls');
  t.equal(parseFieldSelectorFor('nodes', 'spec.unschedulable=false').toString(), 'spec.unschedulable=false');

  // Kinds with their own conversion func (all the core ones listed).
  const rejected: [string, string, string][] = [
    ['pods', 'spec.containers=x', 'spec.containers'],
    ['pods', 'metadata.name=a,status.foo=b', 'status.foo'],
    ['pods', ' metadata.name=a', ' metadata.name'],
    ['pods', '=a', ''],
    ['nodes', 'metadata.namespace=default', 'metadata.namespace'],
    ['namespaces', 'metadata.namespace=x', 'metadata.namespace'],
    ['services', 'spec.selector=x', 'spec.selector'],
    ['events', 'message=x', 'message'],
    ['secrets', 'data=x', 'data'],
    ['replicationcontrollers', 'spec.replicas=1', 'spec.replicas'],
    ['replicasets', 'spec.replicas=1', 'spec.replicas'],
    ['certificatesigningrequests', 'metadata.namespace=x', 'metadata.namespace'],
  ];
  for (const [resource, text, field] of rejected) {
    t.equal(badRequestMessage(t, () => parseFieldSelectorFor(resource, text)), `field label not supported: ${field}`, `${resource}: ${text}`);
  }
  // Kinds with only upstream's default conversion, and jobs, word it differently.
  t.equal(
    badRequestMessage(t, () => parseFieldSelectorFor('deployments', 'status.replicas=1')),
    '"status.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"',
  );
  t.equal(
    badRequestMessage(t, () => parseFieldSelectorFor('ingresses', 'foo.bar=baz')),
    '"foo.bar" is not a known field selector: only "metadata.name", "metadata.namespace"',
  );
  t.equal(badRequestMessage(t, () => parseFieldSelectorFor('configmaps.', 'data.key=v')), '"data.key" is not a known field selector: only "metadata.name", "metadata.namespace"');
  t.equal(badRequestMessage(t, () => parseFieldSelectorFor('jobs.batch', 'spec.x=1')), 'field label "spec.x" not supported for batchv1.Job');
  t.equal(parseFieldSelectorFor('jobs', 'status.successful=1').toString(), 'status.successful=1');
  // Syntax errors come first.
  t.match(badRequestMessage(t, () => parseFieldSelectorFor('pods', 'spec.nodeName')), /^invalid selector/);
});

t.test('fieldsOf renders each kind as upstream does', async (t) => {
  const pod = {
    metadata: { name: 'web-1', namespace: 'default' },
    spec: { nodeName: 'n1', restartPolicy: 'Always', schedulerName: 'default-scheduler', serviceAccountName: 'sa', hostNetwork: true },
    status: { phase: 'Running', podIP: '10.0.0.9', podIPs: [{ ip: '10.0.0.9' }, { ip: 'fd00::9' }], nominatedNodeName: 'n2' },
  };
  t.same(fieldsOf('pods', pod), {
    'metadata.name': 'web-1',
    'metadata.namespace': 'default',
    'spec.nodeName': 'n1',
    'spec.restartPolicy': 'Always',
    'spec.schedulerName': 'default-scheduler',
    'spec.serviceAccountName': 'sa',
    'spec.hostNetwork': 'true',
    'status.phase': 'Running',
    'status.podIP': '10.0.0.9',
    'status.nominatedNodeName': 'n2',
  });
  t.same(fieldsOf('pods', { metadata: { name: 'p' } }), {
    'metadata.name': 'p',
    'metadata.namespace': '',
    'spec.nodeName': '',
    'spec.restartPolicy': '',
    'spec.schedulerName': '',
    'spec.serviceAccountName': '',
    'spec.hostNetwork': 'false',
    'status.phase': '',
    'status.podIP': '',
    'status.nominatedNodeName': '',
  });
  t.equal(fieldsOf('pods', { spec: { serviceAccount: 'old' } })['spec.serviceAccountName'], 'old');
  t.equal(fieldsOf('pods', { status: { podIP: '10.1.1.1' } })['status.podIP'], '10.1.1.1');

  t.same(fieldsOf('nodes', { metadata: { name: 'n1' }, spec: { unschedulable: true } }), {
    'metadata.name': 'n1',
    'metadata.namespace': '',
    'spec.unschedulable': 'true',
  });
  t.equal(fieldsOf('nodes', { metadata: { name: 'n1' } })['spec.unschedulable'], 'false');
  t.equal(fieldsOf('namespaces', { metadata: { name: 'x' }, status: { phase: 'Terminating' } })['status.phase'], 'Terminating');
  t.equal(fieldsOf('secrets', { type: 'Opaque' }).type, 'Opaque');
  t.same(fieldsOf('services', { spec: { clusterIP: 'None', type: 'ClusterIP' } }), {
    'metadata.name': '',
    'metadata.namespace': '',
    'spec.clusterIP': 'None',
    'spec.type': 'ClusterIP',
  });
  t.equal(fieldsOf('replicasets', { status: { replicas: 3 } })['status.replicas'], '3');
  t.equal(fieldsOf('replicasets', {})['status.replicas'], '0');
  t.equal(fieldsOf('replicationcontrollers', { status: { replicas: 2 } })['status.replicas'], '2');
  t.equal(fieldsOf('jobs', { status: { succeeded: 1 } })['status.successful'], '1');
  t.equal(fieldsOf('certificatesigningrequests', { spec: { signerName: 'kubernetes.io/kubelet-serving' } })['spec.signerName'], 'kubernetes.io/kubelet-serving');

  const event = {
    metadata: { name: 'web.1', namespace: 'default' },
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'web', uid: 'u1', apiVersion: 'v1', resourceVersion: '7', fieldPath: 'spec.containers{c}' },
    reason: 'Scheduled',
    type: 'Normal',
    reportingComponent: 'default-scheduler',
  };
  t.same(fieldsOf('events', event), {
    'metadata.name': 'web.1',
    'metadata.namespace': 'default',
    'involvedObject.kind': 'Pod',
    'involvedObject.namespace': 'default',
    'involvedObject.name': 'web',
    'involvedObject.uid': 'u1',
    'involvedObject.apiVersion': 'v1',
    'involvedObject.resourceVersion': '7',
    'involvedObject.fieldPath': 'spec.containers{c}',
    reason: 'Scheduled',
    reportingComponent: 'default-scheduler',
    // No source.component: the reporting controller stands in.
    source: 'default-scheduler',
    type: 'Normal',
  });
  t.equal(fieldsOf('events', { ...event, source: { component: 'kubelet' } }).source, 'kubelet');

  t.same(fieldsOf('configmaps', { metadata: { name: 'c', namespace: 'ns' }, data: { a: 'b' } }), { 'metadata.name': 'c', 'metadata.namespace': 'ns' });
  for (const junk of [undefined, null, 5, 'x', [], { metadata: 'x' }, { spec: [] }]) {
    t.equal(fieldsOf('pods', junk)['metadata.name'], '', `junk ${JSON.stringify(junk)}`);
  }
});

t.test('selecting objects end to end', async (t) => {
  const pods = [
    { metadata: { name: 'a', namespace: 'default' }, spec: { nodeName: 'n1' }, status: { phase: 'Running' } },
    { metadata: { name: 'b', namespace: 'default' }, spec: { nodeName: 'n2' }, status: { phase: 'Pending' } },
    { metadata: { name: 'c', namespace: 'kube-system' }, spec: {}, status: { phase: 'Pending' } },
  ];
  const names = (text: string): string[] => {
    const sel = parseFieldSelectorFor('pods', text);
    return pods.filter((p) => objectMatchesFields('pods', p, sel)).map((p) => p.metadata.name);
  };
  t.same(names(''), ['a', 'b', 'c']);
  t.same(names('spec.nodeName=n1'), ['a']);
  t.same(names('spec.host=n2'), ['b']);
  // The scheduler's "unscheduled pods" selector.
  t.same(names('spec.nodeName=,status.phase!=Succeeded,status.phase!=Failed'), ['c']);
  t.same(names('metadata.namespace!=kube-system,status.phase=Pending'), ['b']);
  t.same(names('spec.hostNetwork=false'), ['a', 'b', 'c']);
});
