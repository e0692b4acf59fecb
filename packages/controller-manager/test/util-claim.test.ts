// Claiming: keep what we control and still match, adopt matching orphans, release what stopped
// matching, and never touch what someone else controls.
import type { OwnerReference } from '@kubets/api';
import t from 'tap';
import { claimObjects, type ClaimActions } from '../src/controller/util/claim.js';
import type { OwnedMeta } from '../src/controller/util/controller-ref.js';

const owner: OwnedMeta = { metadata: { name: 'rs', namespace: 'ns', uid: 'rs-uid' } };
const ref = (uid: string): OwnerReference => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'x', uid, controller: true });

function obj(name: string, app: string, controller?: string, extra: { deleting?: boolean; namespace?: string } = {}): OwnedMeta {
  return { metadata: { name, namespace: extra.namespace ?? 'ns', uid: `${name}-uid`, labels: { app }, ...(controller ? { ownerReferences: [ref(controller)] } : {}), ...(extra.deleting ? { deletionTimestamp: 'now' } : {}) } };
}

function actions(o: OwnedMeta = owner, recheck: () => Promise<void> = async () => {}) {
  const log: string[] = [];
  const a: ClaimActions<OwnedMeta> = {
    owner: o,
    matches: (x) => x.metadata?.labels?.app === 'web',
    recheckOwner: async () => {
      log.push('recheck');
      await recheck();
    },
    adopt: async (x) => void log.push(`adopt ${x.metadata?.name}`),
    release: async (x) => void log.push(`release ${x.metadata?.name}`),
  };
  return { a, log };
}

t.test('owned and matching is kept; a matching orphan is adopted after one recheck of the owner', async (t) => {
  const { a, log } = actions();
  const r = await claimObjects([obj('mine', 'web', 'rs-uid'), obj('orphan', 'web'), obj('orphan2', 'web')], a);
  t.same(r.claimed.map((x) => x.metadata?.name), ['mine', 'orphan', 'orphan2']);
  t.same(log, ['recheck', 'adopt orphan', 'adopt orphan2']);
});

t.test('owned but no longer matching is released; someone else\'s is left alone', async (t) => {
  const { a, log } = actions();
  const r = await claimObjects([obj('relabelled', 'db', 'rs-uid'), obj('theirs', 'web', 'other-uid')], a);
  t.same(r.claimed, []);
  t.same(log, ['release relabelled']);
});

t.test('no adoption of an orphan being deleted, in another namespace, or by an owner being deleted', async (t) => {
  const { a, log } = actions();
  const r = await claimObjects([obj('going', 'web', undefined, { deleting: true }), obj('far', 'web', undefined, { namespace: 'other' })], a);
  t.same(r.claimed, []);
  const dying = actions({ metadata: { ...owner.metadata, deletionTimestamp: 'now' } });
  const r2 = await claimObjects([obj('orphan', 'web'), obj('relabelled', 'db', 'rs-uid')], dying.a);
  t.same(r2.claimed, []);
  t.same([...log, ...dying.log], [], 'nothing adopted or released');
});

t.test('an owner that is gone on recheck adopts nothing and reports the error', async (t) => {
  const { a, log } = actions(owner, async () => {
    throw new Error('original ReplicaSet ns/rs is gone');
  });
  const r = await claimObjects([obj('orphan', 'web'), obj('mine', 'web', 'rs-uid')], a);
  t.same(r.claimed.map((x) => x.metadata?.name), ['mine']);
  t.equal(r.errors.length, 1);
  t.same(log, ['recheck']);
});
