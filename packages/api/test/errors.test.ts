import t from 'tap';
import { alreadyExists, conflict, expired, fieldErrors, invalid, notFound, toStatus } from '../src/index.js';

t.test('notFound names the resource and the object', async (t) => {
  const e = notFound({ group: 'apps', resource: 'deployments' }, 'web');
  t.equal(e.code, 404);
  t.equal(e.status.reason, 'NotFound');
  t.equal(e.message, 'deployments.apps "web" not found');
  t.same(e.status.details, { name: 'web', kind: 'deployments', group: 'apps' });
});

t.test('alreadyExists and conflict are 409 with distinct reasons', async (t) => {
  t.equal(alreadyExists({ group: '', resource: 'pods' }, 'p').status.reason, 'AlreadyExists');
  const c = conflict({ group: '', resource: 'pods' }, 'p', 'the object has been modified');
  t.equal(c.code, 409);
  t.equal(c.message, 'Operation cannot be fulfilled on pods "p": the object has been modified');
});

t.test('invalid lists every cause with its field', async (t) => {
  const e = invalid({ group: '', kind: 'Pod' }, 'Bad', [
    fieldErrors.invalid('metadata.name', 'Bad', 'must be lowercase'),
    fieldErrors.required('spec.containers'),
  ]);
  t.equal(e.code, 422);
  t.equal(e.message, 'Pod "Bad" is invalid: [metadata.name: Invalid value: "Bad": must be lowercase, spec.containers: Required value]');
  t.same(e.status.details?.causes, [
    { reason: 'FieldValueInvalid', message: 'Invalid value: "Bad": must be lowercase', field: 'metadata.name' },
    { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers' },
  ]);
});

t.test('expired is 410 Expired and toStatus wraps foreign errors as 500', async (t) => {
  t.equal(expired('too old resource version: 1 (5)').status.code, 410);
  const s = toStatus(new TypeError('boom'));
  t.equal(s.code, 500);
  t.equal(s.reason, 'InternalError');
  t.equal(s.kind, 'Status');
});
