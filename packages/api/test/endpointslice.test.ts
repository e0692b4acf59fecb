// discovery.k8s.io/v1 EndpointSlice and v1 ServiceAccount: defaults and upstream's validation.
import t from 'tap';
import { resolveResource, validateObject, validateUpdate } from '../src/index.js';

const slices = resolveResource('endpointslices')!;

function slice(extra: any = {}) {
  return {
    metadata: { name: 'web-abc12', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['10.0.0.1'], conditions: { ready: true } }],
    ports: [{ name: 'http', port: 80 }],
    ...extra,
  };
}

function problems(obj: any): string[] {
  slices.applyDefaults(obj);
  return validateObject(slices, obj).map((e) => `${e.field}:${e.type}`);
}

t.test('ports default to protocol TCP and name ""', async (t) => {
  const s: any = slice({ ports: [{ port: 80 }] });
  slices.applyDefaults(s);
  t.same(s.ports, [{ port: 80, name: '', protocol: 'TCP' }]);
});

t.test('a slice of IPv4, IPv6 or FQDN addresses is valid; the service-name label is optional', async (t) => {
  t.same(problems(slice()), []);
  t.same(problems(slice({ addressType: 'IPv6', endpoints: [{ addresses: ['fd00::1'] }] })), []);
  t.same(problems(slice({ addressType: 'FQDN', endpoints: [{ addresses: ['db.example.com'] }] })), []);
  t.same(problems(slice({ metadata: { name: 'x', namespace: 'default' } })), []);
});

t.test('addressType is required and must be known', async (t) => {
  const s: any = slice();
  delete s.addressType;
  t.same(problems(s), ['addressType:FieldValueRequired']);
  t.same(problems(slice({ addressType: 'IP' })), ['addressType:FieldValueNotSupported']);
});

t.test('addresses must be valid for the addressType, 1 to 100 per endpoint', async (t) => {
  t.same(problems(slice({ endpoints: [{ addresses: ['fd00::1'] }] })), ['endpoints[0].addresses[0]:FieldValueInvalid']);
  t.same(problems(slice({ addressType: 'FQDN', endpoints: [{ addresses: ['localhost'] }] })), ['endpoints[0].addresses[0]:FieldValueInvalid']);
  t.same(problems(slice({ endpoints: [{ addresses: [] }] })), ['endpoints[0].addresses:FieldValueRequired']);
  const many = Array.from({ length: 101 }, (_, i) => `10.0.${i >> 8}.${i & 255}`);
  t.same(problems(slice({ endpoints: [{ addresses: many }] })), ['endpoints[0].addresses:FieldValueTooMany']);
});

t.test('at most 1000 endpoints and 100 ports', async (t) => {
  const endpoints = Array.from({ length: 1001 }, () => ({ addresses: ['10.0.0.1'] }));
  t.same(problems(slice({ endpoints })), ['endpoints:FieldValueTooMany']);
  const ports = Array.from({ length: 101 }, (_, i) => ({ name: `p${i}`, port: 1000 + i }));
  t.same(problems(slice({ ports })), ['ports:FieldValueTooMany']);
});

t.test('port names are unique DNS labels; protocols TCP, UDP or SCTP; hostnames DNS labels', async (t) => {
  t.same(problems(slice({ ports: [{ name: 'http', port: 80 }, { name: 'http', port: 81 }] })), ['ports[1].name:FieldValueDuplicate']);
  t.same(problems(slice({ ports: [{ name: 'Http', port: 80, protocol: 'HTTP' }] })).sort(), ['ports[0].name:FieldValueInvalid', 'ports[0].protocol:FieldValueNotSupported']);
  t.same(problems(slice({ endpoints: [{ addresses: ['10.0.0.1'], hostname: 'a.b' }] })), ['endpoints[0].hostname:FieldValueInvalid']);
});

t.test('addressType is immutable', async (t) => {
  const old = slice();
  t.same(validateUpdate('endpointslices', { ...old, addressType: 'IPv6' }, old).map((e) => e.field), ['addressType']);
  t.same(validateUpdate('endpointslices', { ...old, endpoints: [] }, old), [], 'endpoints may change');
});

t.test('a ServiceAccount with secrets, imagePullSecrets and automount is valid', async (t) => {
  const sa = resolveResource('sa')!;
  t.equal(sa.resource, 'serviceaccounts');
  const obj = { metadata: { name: 'builder', namespace: 'default' }, secrets: [{ name: 'token' }], imagePullSecrets: [{ name: 'registry' }], automountServiceAccountToken: false };
  t.same(validateObject(sa, obj), []);
});
