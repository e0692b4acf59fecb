// Validation of the remaining kinds: Namespace, Node, Endpoints, Event, Lease and Binding.

import { type FieldError, FieldPath, fieldErrors } from '../errors/field.js';
import type { Binding } from '../schemas/binding.js';
import type { Endpoints } from '../schemas/endpoints.js';
import type { Event } from '../schemas/event.js';
import type { Lease } from '../schemas/lease.js';
import type { Namespace } from '../schemas/namespace.js';
import type { Node } from '../schemas/node.js';
import { isDNS1123Label, isQualifiedName, isValidIP, isValidLabelValue, isValidPortNum } from './names.js';
import { protocols } from './pod.js';

const taintEffects = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

export function validateNamespace(ns: Namespace): FieldError[] {
  const errs: FieldError[] = [];
  (ns.spec?.finalizers ?? []).forEach((f, i) => {
    for (const m of isQualifiedName(f)) errs.push(fieldErrors.invalid(FieldPath.root('spec').child('finalizers').index(i), f, m));
  });
  const phase = ns.status?.phase;
  if (phase !== undefined && phase !== 'Active' && phase !== 'Terminating') {
    errs.push(fieldErrors.notSupported(FieldPath.root('status').child('phase'), phase, ['Active', 'Terminating']));
  }
  return errs;
}

export function validateNode(node: Node): FieldError[] {
  const errs: FieldError[] = [];
  const taintsAt = FieldPath.root('spec').child('taints');
  const seen = new Set<string>();
  (node.spec?.taints ?? []).forEach((t, i) => {
    const at = taintsAt.index(i);
    if (t.key === '') errs.push(fieldErrors.required(at.child('key')));
    else for (const m of isQualifiedName(t.key)) errs.push(fieldErrors.invalid(at.child('key'), t.key, m));
    if (t.value !== undefined) for (const m of isValidLabelValue(t.value)) errs.push(fieldErrors.invalid(at.child('value'), t.value, m));
    if (!taintEffects.includes(t.effect)) errs.push(fieldErrors.notSupported(at.child('effect'), t.effect, taintEffects));
    const key = `${t.key}:${t.effect}`;
    if (seen.has(key)) errs.push(fieldErrors.duplicate(at, key));
    seen.add(key);
  });
  (node.status?.addresses ?? []).forEach((a, i) => {
    const at = FieldPath.root('status').child('addresses').index(i);
    if (a.address === '') errs.push(fieldErrors.required(at.child('address')));
    if ((a.type === 'InternalIP' || a.type === 'ExternalIP') && a.address !== '') {
      for (const m of isValidIP(a.address)) errs.push(fieldErrors.invalid(at.child('address'), a.address, m));
    }
  });
  return errs;
}

export function validateEndpoints(ep: Endpoints): FieldError[] {
  const errs: FieldError[] = [];
  (ep.subsets ?? []).forEach((s, i) => {
    const at = FieldPath.root('subsets').index(i);
    for (const field of ['addresses', 'notReadyAddresses'] as const) {
      (s[field] ?? []).forEach((a, j) => {
        for (const m of isValidIP(a.ip)) errs.push(fieldErrors.invalid(at.child(field).index(j).child('ip'), a.ip, m));
        if (a.hostname !== undefined && a.hostname !== '') {
          for (const m of isDNS1123Label(a.hostname)) errs.push(fieldErrors.invalid(at.child(field).index(j).child('hostname'), a.hostname, m));
        }
      });
    }
    const ports = s.ports ?? [];
    ports.forEach((p, j) => {
      const pa = at.child('ports').index(j);
      if (ports.length > 1 && !p.name) errs.push(fieldErrors.required(pa.child('name')));
      // Like a Service's port name, which it mirrors: a DNS label.
      if (p.name) for (const m of isDNS1123Label(p.name)) errs.push(fieldErrors.invalid(pa.child('name'), p.name, m));
      for (const m of isValidPortNum(p.port)) errs.push(fieldErrors.invalid(pa.child('port'), p.port, m));
      const protocol = p.protocol ?? 'TCP';
      if (!(protocols as readonly string[]).includes(protocol)) errs.push(fieldErrors.notSupported(pa.child('protocol'), protocol, protocols));
    });
  });
  return errs;
}

export function validateEvent(ev: Event): FieldError[] {
  const errs: FieldError[] = [];
  const ns = ev.metadata?.namespace ?? '';
  const involvedNs = ev.involvedObject?.namespace ?? '';
  // An event lives in its object's namespace (or in default, for cluster-scoped objects).
  if (involvedNs !== '' && involvedNs !== ns) {
    errs.push(fieldErrors.invalid(FieldPath.root('involvedObject').child('namespace'), involvedNs, 'does not match event.namespace'));
  }
  if (ev.type !== undefined && ev.type !== '' && ev.type !== 'Normal' && ev.type !== 'Warning') {
    errs.push(fieldErrors.notSupported(FieldPath.root('type'), ev.type, ['Normal', 'Warning']));
  }
  if (ev.count !== undefined && ev.count < 0) errs.push(fieldErrors.invalid(FieldPath.root('count'), ev.count, 'must be greater than or equal to 0'));
  return errs;
}

export function validateLease(lease: Lease): FieldError[] {
  const errs: FieldError[] = [];
  const at = FieldPath.root('spec');
  const d = lease.spec?.leaseDurationSeconds;
  if (d !== undefined && d <= 0) errs.push(fieldErrors.invalid(at.child('leaseDurationSeconds'), d, 'must be greater than 0'));
  const t = lease.spec?.leaseTransitions;
  if (t !== undefined && t < 0) errs.push(fieldErrors.invalid(at.child('leaseTransitions'), t, 'must be greater than or equal to 0'));
  return errs;
}

export function validateBinding(b: Binding): FieldError[] {
  const errs: FieldError[] = [];
  const kind = b.target?.kind ?? '';
  if (kind !== '' && kind !== 'Node') errs.push(fieldErrors.notSupported(FieldPath.root('target').child('kind'), kind, ['Node']));
  if (!b.target?.name) errs.push(fieldErrors.required(FieldPath.root('target').child('name')));
  return errs;
}
