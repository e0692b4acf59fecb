// The garbage collector's owner graph and decisions, without a server: which nodes the graph
// builder hands to attemptToDelete and attemptToOrphan as objects come and go, virtual owners,
// and what attemptToDelete decides from the owners' state.
import t from 'tap';
import {
  AbsentOwnerCache,
  decideDeletion,
  DependencyGraph,
  GraphBuilder,
  type GraphNode,
  type GraphSink,
  type ObservedChange,
  type OwnerReference,
} from '../src/controllers/garbagecollector/testing.js';

interface Recorded {
  deletes: string[];
  rateLimited: string[];
  orphans: string[];
  invalid: { dependent: string; owner: string }[];
}

function setup() {
  const rec: Recorded = { deletes: [], rateLimited: [], orphans: [], invalid: [] };
  const sink: GraphSink = {
    attemptToDelete: (n: GraphNode, o) => (o?.rateLimited ? rec.rateLimited : rec.deletes).push(n.identity.name),
    attemptToOrphan: (n: GraphNode) => rec.orphans.push(n.identity.name),
    invalidNamespaceOwnerRef: (dep: GraphNode, ref: OwnerReference) => rec.invalid.push({ dependent: dep.identity.name, owner: ref.name }),
  };
  const graph = new DependencyGraph();
  const absent = new AbsentOwnerCache();
  const builder = new GraphBuilder(graph, absent, sink);
  const clear = () => {
    rec.deletes.length = 0;
    rec.rateLimited.length = 0;
    rec.orphans.length = 0;
    rec.invalid.length = 0;
  };
  return { rec, graph, absent, builder, clear };
}

function ref(name: string, o: Partial<OwnerReference> = {}): OwnerReference {
  return { apiVersion: 'v1', kind: 'ConfigMap', name, uid: `uid-${name}`, ...o };
}

function obj(name: string, o: { namespace?: string; kind?: string; owners?: OwnerReference[]; finalizers?: string[]; deleting?: boolean } = {}): Omit<ObservedChange, 'type'> {
  return {
    identity: { apiVersion: 'v1', kind: o.kind ?? 'ConfigMap', name, uid: `uid-${name}`, namespace: o.namespace ?? 'default' },
    owners: o.owners ?? [],
    beingDeleted: o.deleting ?? false,
    finalizers: o.finalizers ?? [],
  };
}

const add = (o: Omit<ObservedChange, 'type'>): ObservedChange => ({ type: 'add', ...o });
const del = (o: Omit<ObservedChange, 'type'>): ObservedChange => ({ type: 'delete', ...o });
const update = (before: Omit<ObservedChange, 'type'>, after: Omit<ObservedChange, 'type'>): ObservedChange => ({
  type: 'update',
  ...after,
  old: { beingDeleted: before.beingDeleted, finalizers: before.finalizers },
});

t.test('a dependent seen before its owner makes a virtual owner, which is queued to be verified', async (t) => {
  const { rec, graph, builder } = setup();
  builder.observe(add(obj('child', { owners: [ref('parent')] })));
  const parent = graph.get('uid-parent')!;
  t.ok(parent.virtual, 'the owner is virtual');
  t.same(parent.identity, { apiVersion: 'v1', kind: 'ConfigMap', name: 'parent', uid: 'uid-parent', namespace: 'default' }, 'in the dependent namespace');
  t.same([...parent.dependents].map((d) => d.identity.name), ['child']);
  t.same(rec.deletes, ['parent'], 'only the virtual owner is queued: the child is not suspected');
  builder.observe(add(obj('parent')));
  t.notOk(graph.get('uid-parent')!.virtual, 'observed at last');
  t.equal(graph.get('uid-parent'), parent, 'the same node, with its dependents');
});

t.test('an owner that goes queues each of its dependents, and is remembered as absent', async (t) => {
  const { rec, graph, absent, builder, clear } = setup();
  builder.observe(add(obj('parent')));
  builder.observe(add(obj('a', { owners: [ref('parent')] })));
  builder.observe(add(obj('b', { owners: [ref('parent'), ref('other')] })));
  builder.observe(add(obj('unrelated')));
  clear();
  builder.observe(del(obj('parent')));
  t.equal(graph.get('uid-parent'), undefined);
  t.same(rec.deletes.sort(), ['a', 'b']);
  t.ok(absent.has(obj('parent').identity), 'the absent owner cache knows');
  t.same([...graph.get('uid-other')!.dependents].map((d) => d.identity.name), ['b'], 'b still depends on its other owner');
});

t.test('a dependent that goes is unlinked from its owners; a foreground owner waiting on it is queued', async (t) => {
  const { rec, graph, builder, clear } = setup();
  builder.observe(add(obj('parent')));
  builder.observe(add(obj('child', { owners: [ref('parent', { blockOwnerDeletion: true })] })));
  t.same(graph.get('uid-parent')!.blockingDependents().map((d) => d.identity.name), ['child']);
  builder.observe(update(obj('parent'), obj('parent', { deleting: true, finalizers: ['foregroundDeletion'] })));
  t.ok(graph.get('uid-parent')!.deletingDependents);
  t.same(rec.deletes.sort(), ['child', 'parent'], 'the owner and its dependents are queued when the foreground deletion starts');
  clear();
  builder.observe(del(obj('child', { owners: [ref('parent', { blockOwnerDeletion: true })] })));
  t.same(graph.get('uid-parent')!.dependents.size, 0);
  t.same(rec.deletes, ['parent'], 'the owner is looked at again: nothing blocks it now');
});

t.test('owner references removed or unblocked by an update unlink the dependent and wake a waiting owner', async (t) => {
  const { rec, graph, builder, clear } = setup();
  builder.observe(add(obj('parent')));
  builder.observe(add(obj('p2')));
  const blocking = obj('child', { owners: [ref('parent', { blockOwnerDeletion: true }), ref('p2', { blockOwnerDeletion: true })] });
  builder.observe(add(blocking));
  clear();
  const after = obj('child', { owners: [ref('p2', { blockOwnerDeletion: false })] });
  builder.observe(update(blocking, after));
  t.same(graph.get('uid-parent')!.dependents.size, 0, 'unlinked from the removed owner');
  t.same(graph.get('uid-p2')!.blockingDependents().length, 0, 'still a dependent of p2, but not blocking');
  t.same(rec.deletes.sort(), ['p2', 'parent'], 'both owners may be waiting for it');
});

t.test('deletion with the orphan finalizer queues the owner for attemptToOrphan, once', async (t) => {
  const { rec, builder } = setup();
  builder.observe(add(obj('parent')));
  const orphaning = obj('parent', { deleting: true, finalizers: ['orphan'] });
  builder.observe(update(obj('parent'), orphaning));
  builder.observe(update(orphaning, orphaning));
  t.same(rec.orphans, ['parent'], 'only the transition counts');
  t.same(rec.deletes, []);
});

t.test('an object first seen already orphaning (a restart) is queued for attemptToOrphan', async (t) => {
  const { rec, builder } = setup();
  builder.observe(add(obj('parent', { deleting: true, finalizers: ['orphan'] })));
  t.same(rec.orphans, ['parent']);
});

t.test('a namespaced owner in another namespace: OwnerRefInvalidNamespace, and the dependent is checked', async (t) => {
  const { rec, builder } = setup();
  builder.observe(add(obj('parent', { namespace: 'a' })));
  builder.observe(add(obj('child', { namespace: 'b', owners: [ref('parent')] })));
  t.same(rec.invalid, [{ dependent: 'child', owner: 'parent' }]);
  t.same(rec.deletes, ['child']);
});

t.test('a dependent seen first names its owner by a namespace the owner turns out not to have', async (t) => {
  const { rec, graph, builder } = setup();
  builder.observe(add(obj('child', { namespace: 'b', owners: [ref('parent')] })));
  builder.observe(add(obj('parent', { namespace: 'a' })));
  t.same(graph.get('uid-parent')!.identity.namespace, 'a', 'the observed identity replaces the virtual one');
  t.same(rec.invalid, [{ dependent: 'child', owner: 'parent' }]);
  t.same(rec.deletes, ['parent', 'child']);
});

t.test('an owner reference with the wrong kind makes the dependent suspect', async (t) => {
  const { rec, builder } = setup();
  builder.observe(add(obj('parent')));
  builder.observe(add(obj('child', { owners: [ref('parent', { kind: 'Secret' })] })));
  t.same(rec.deletes, ['child']);
  t.same(rec.invalid, []);
});

t.test('a virtual delete removes a virtual owner and queues its dependents', async (t) => {
  const { rec, graph, absent, builder, clear } = setup();
  builder.observe(add(obj('child', { owners: [ref('ghost')] })));
  clear();
  builder.virtualDelete(graph.get('uid-ghost')!.identity);
  t.equal(graph.get('uid-ghost'), undefined);
  t.same(rec.deletes, ['child']);
  t.ok(absent.has(obj('ghost').identity));
});

t.test('a virtual owner named by other coordinates too stays, under the other identity', async (t) => {
  const { rec, graph, builder, clear } = setup();
  builder.observe(add(obj('c1', { owners: [ref('ghost')] })));
  builder.observe(add(obj('c2', { owners: [ref('ghost', { kind: 'Secret' })] })));
  clear();
  builder.virtualDelete(obj('ghost').identity);
  const ghost = graph.get('uid-ghost')!;
  t.ok(ghost, 'kept');
  t.equal(ghost.identity.kind, 'Secret', 'takes the identity c2 gives it');
  t.same(rec.deletes, ['c1'], 'the dependent that named the absent identity is checked');
  t.same(rec.rateLimited, ['ghost'], 'the other identity is verified in turn');
});

t.test('a virtual delete of coordinates other than the observed object only touches dependents naming them', async (t) => {
  const { rec, graph, builder, clear } = setup();
  builder.observe(add(obj('parent')));
  builder.observe(add(obj('good', { owners: [ref('parent')] })));
  builder.observe(add(obj('bad', { owners: [ref('parent', { kind: 'Secret' })] })));
  clear();
  builder.virtualDelete({ ...obj('parent').identity, kind: 'Secret' });
  t.ok(graph.get('uid-parent'), 'the observed owner stays');
  t.same(rec.deletes, ['bad']);
});

t.test('attemptToDelete: an object with a live owner stays; stale references go', async (t) => {
  const item = { finalizers: [], hasDependents: false, aDependentIsDeletingDependents: false };
  t.same(decideDeletion({ solid: [ref('a')], dangling: [], waitingForDependentsDeletion: [] }, item), { action: 'keep' });
  t.same(decideDeletion({ solid: [ref('a')], dangling: [ref('b')], waitingForDependentsDeletion: [ref('c')] }, item), { action: 'removeReferences', ownerUids: ['uid-b', 'uid-c'] });
});

t.test('attemptToDelete: no owner left means delete, in the background unless the object asked otherwise', async (t) => {
  const refs = { solid: [], dangling: [ref('a')], waitingForDependentsDeletion: [] };
  const item = { finalizers: [] as string[], hasDependents: true, aDependentIsDeletingDependents: false };
  t.same(decideDeletion(refs, item), { action: 'delete', policy: 'Background' });
  t.same(decideDeletion(refs, { ...item, finalizers: ['orphan'] }), { action: 'delete', policy: 'Orphan' });
  t.same(decideDeletion(refs, { ...item, finalizers: ['foregroundDeletion'] }), { action: 'delete', policy: 'Foreground' });
});

t.test('attemptToDelete: a dependent of a foreground owner goes in the foreground when it has dependents of its own', async (t) => {
  const refs = { solid: [], dangling: [], waitingForDependentsDeletion: [ref('a')] };
  t.same(decideDeletion(refs, { finalizers: [], hasDependents: true, aDependentIsDeletingDependents: false }), { action: 'deleteForeground', unblockFirst: false });
  t.same(decideDeletion(refs, { finalizers: [], hasDependents: true, aDependentIsDeletingDependents: true }), { action: 'deleteForeground', unblockFirst: true });
  t.same(decideDeletion(refs, { finalizers: [], hasDependents: false, aDependentIsDeletingDependents: false }), { action: 'delete', policy: 'Background' });
});
