// Upstream's rules for the pod spec fields beyond what kubets runs: DNS config, host aliases,
// topology spread, readiness and scheduling gates, OS, preemption, sidecar restart policy,
// resize policy, block devices, and the volume sources other than emptyDir, hostPath,
// configMap and secret. kubets stores and serves them as upstream does, so real manifests apply
// unchanged; messages are worded as kube-apiserver words them.

import { type FieldError, FieldPath, fieldErrors, pushInvalid } from '../errors/field.js';
import type { Container, PodSpec, Volume } from '../schemas/pod.js';
import { isDNS1123Subdomain, isQualifiedName, isValidIP } from './names.js';

function oneOf(errs: FieldError[], at: FieldPath, value: string | undefined, allowed: string[]): void {
  if (value !== undefined && !allowed.includes(value)) errs.push(fieldErrors.notSupported(at, value, allowed));
}

const maxFileMode = 0o777;

function fileMode(errs: FieldError[], at: FieldPath, mode: number | undefined): void {
  if (mode !== undefined && (mode < 0 || mode > maxFileMode)) {
    errs.push(fieldErrors.invalid(at, mode, 'must be a number between 0 and 0777 (octal), both inclusive'));
  }
}

/** A path inside a volume: relative, and never climbing out of it. */
function localDescendingPath(errs: FieldError[], at: FieldPath, path: string): void {
  if (path.startsWith('/')) errs.push(fieldErrors.invalid(at, path, 'must be a relative path'));
  if (path.split('/').includes('..')) errs.push(fieldErrors.invalid(at, path, "must not contain '..'"));
}

function downwardApiFiles(errs: FieldError[], at: FieldPath, items: NonNullable<Volume['downwardAPI']>['items']): void {
  (items ?? []).forEach((item, i) => {
    const ia = at.index(i);
    if (item.path === '') errs.push(fieldErrors.required(ia.child('path')));
    else localDescendingPath(errs, ia.child('path'), item.path);
    fileMode(errs, ia.child('mode'), item.mode);
    if (item.fieldRef !== undefined && item.resourceFieldRef !== undefined) {
      errs.push(fieldErrors.invalid(ia, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'));
    }
    if (item.fieldRef !== undefined && item.fieldRef.fieldPath === '') errs.push(fieldErrors.required(ia.child('fieldRef').child('fieldPath')));
    if (item.resourceFieldRef !== undefined && item.resourceFieldRef.resource === '') {
      errs.push(fieldErrors.required(ia.child('resourceFieldRef').child('resource')));
    }
  });
}

const minTokenSeconds = 10 * 60;
const maxTokenSeconds = 2 ** 32;

/** The rules of the volume sources beyond emptyDir, hostPath, configMap and secret. */
export function validateOtherVolumeSources(v: Volume, at: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (v.persistentVolumeClaim !== undefined && v.persistentVolumeClaim.claimName === '') {
    errs.push(fieldErrors.required(at.child('persistentVolumeClaim').child('claimName')));
  }
  if (v.nfs !== undefined) {
    const na = at.child('nfs');
    if (v.nfs.server === '') errs.push(fieldErrors.required(na.child('server')));
    if (v.nfs.path === '') errs.push(fieldErrors.required(na.child('path')));
    else if (!v.nfs.path.startsWith('/')) errs.push(fieldErrors.invalid(na.child('path'), v.nfs.path, 'must be an absolute path'));
  }
  if (v.csi !== undefined && v.csi.driver === '') errs.push(fieldErrors.required(at.child('csi').child('driver')));
  if (v.downwardAPI !== undefined) {
    fileMode(errs, at.child('downwardAPI').child('defaultMode'), v.downwardAPI.defaultMode);
    downwardApiFiles(errs, at.child('downwardAPI').child('items'), v.downwardAPI.items);
  }
  if (v.projected !== undefined) {
    const pa = at.child('projected');
    fileMode(errs, pa.child('defaultMode'), v.projected.defaultMode);
    (v.projected.sources ?? []).forEach((s, i) => {
      const sa = pa.child('sources').index(i);
      const kinds = (['secret', 'downwardAPI', 'configMap', 'serviceAccountToken'] as const).filter((k) => s[k] !== undefined);
      if (kinds.length === 0) errs.push(fieldErrors.required(sa, 'must specify exactly 1 volume type'));
      if (kinds.length > 1) errs.push(fieldErrors.forbidden(sa.child(kinds[1]!), 'may not specify more than 1 volume type per source'));
      for (const k of ['secret', 'configMap'] as const) {
        if (s[k] !== undefined && !s[k].name) errs.push(fieldErrors.required(sa.child(k).child('name')));
      }
      if (s.downwardAPI !== undefined) downwardApiFiles(errs, sa.child('downwardAPI').child('items'), s.downwardAPI.items);
      const token = s.serviceAccountToken;
      if (token !== undefined) {
        const ta = sa.child('serviceAccountToken');
        if (token.path === '') errs.push(fieldErrors.required(ta.child('path')));
        else localDescendingPath(errs, ta.child('path'), token.path);
        const secs = token.expirationSeconds;
        if (secs !== undefined && secs < minTokenSeconds) errs.push(fieldErrors.invalid(ta.child('expirationSeconds'), secs, 'may not specify a duration less than 10 minutes'));
        if (secs !== undefined && secs > maxTokenSeconds) errs.push(fieldErrors.invalid(ta.child('expirationSeconds'), secs, 'may not specify a duration larger than 2^32 seconds'));
      }
    });
  }
  return errs;
}

/** A container's sidecar restart policy, resize policy, block devices and mount options. */
export function validateContainerOptions(c: Container, at: FieldPath, initContainer: boolean, volumes: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  if (c.restartPolicy !== undefined) {
    if (!initContainer) errs.push(fieldErrors.forbidden(at.child('restartPolicy'), 'may not be set for non-init containers'));
    else oneOf(errs, at.child('restartPolicy'), c.restartPolicy, ['Always']);
  }
  const resized = new Set<string>();
  (c.resizePolicy ?? []).forEach((p, i) => {
    const pa = at.child('resizePolicy').index(i);
    oneOf(errs, pa.child('resourceName'), p.resourceName, ['cpu', 'memory']);
    if (resized.has(p.resourceName)) errs.push(fieldErrors.duplicate(pa.child('resourceName'), p.resourceName));
    resized.add(p.resourceName);
    oneOf(errs, pa.child('restartPolicy'), p.restartPolicy, ['NotRequired', 'RestartContainer']);
  });
  (c.volumeDevices ?? []).forEach((d, i) => {
    const da = at.child('volumeDevices').index(i);
    if (d.name === '') errs.push(fieldErrors.required(da.child('name')));
    else if (!volumes.has(d.name)) errs.push(fieldErrors.notFound(da.child('name'), d.name));
    if (d.devicePath === '') errs.push(fieldErrors.required(da.child('devicePath')));
  });
  (c.volumeMounts ?? []).forEach((m, i) => {
    const ma = at.child('volumeMounts').index(i);
    oneOf(errs, ma.child('mountPropagation'), m.mountPropagation, ['None', 'HostToContainer', 'Bidirectional']);
    if (m.subPathExpr !== undefined && m.subPathExpr !== '' && m.subPath !== undefined && m.subPath !== '') {
      errs.push(fieldErrors.invalid(ma.child('subPathExpr'), m.subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
    }
  });
  return errs;
}

const maxNameservers = 3;
const maxSearchPaths = 32;

function validateDNS(spec: PodSpec, at: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const config = spec.dnsConfig;
  if (spec.dnsPolicy === 'None' && config === undefined) {
    errs.push(fieldErrors.required(at.child('dnsConfig'), 'must provide `dnsConfig` when `dnsPolicy` is None'));
  }
  if (config === undefined) return errs;
  const ca = at.child('dnsConfig');
  const nameservers = config.nameservers ?? [];
  if (spec.dnsPolicy === 'None' && nameservers.length === 0) {
    errs.push(fieldErrors.required(ca.child('nameservers'), 'must provide at least one DNS nameserver when `dnsPolicy` is None'));
  }
  if (nameservers.length > maxNameservers) {
    errs.push(fieldErrors.invalid(ca.child('nameservers'), nameservers, `must not have more than ${maxNameservers} nameservers`));
  }
  nameservers.forEach((ns, i) => pushInvalid(errs, ca.child('nameservers').index(i), ns, isValidIP(ns)));
  const searches = config.searches ?? [];
  if (searches.length > maxSearchPaths) {
    errs.push(fieldErrors.invalid(ca.child('searches'), searches, `must not have more than ${maxSearchPaths} search paths`));
  }
  // A search path may end in a dot (a fully qualified name).
  searches.forEach((s, i) => pushInvalid(errs, ca.child('searches').index(i), s, isDNS1123Subdomain(s.endsWith('.') ? s.slice(0, -1) : s)));
  (config.options ?? []).forEach((o, i) => {
    if (o.name === undefined || o.name === '') errs.push(fieldErrors.required(ca.child('options').index(i), 'Option.Name must not be empty'));
  });
  return errs;
}

function validateTopologySpread(spec: PodSpec, at: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  (spec.topologySpreadConstraints ?? []).forEach((c, i) => {
    const ca = at.child('topologySpreadConstraints').index(i);
    if (c.maxSkew <= 0) errs.push(fieldErrors.invalid(ca.child('maxSkew'), c.maxSkew, 'must be greater than zero'));
    if (c.topologyKey === '') errs.push(fieldErrors.required(ca.child('topologyKey'), 'can not be empty'));
    else pushInvalid(errs, ca.child('topologyKey'), c.topologyKey, isQualifiedName(c.topologyKey));
    oneOf(errs, ca.child('whenUnsatisfiable'), c.whenUnsatisfiable, ['DoNotSchedule', 'ScheduleAnyway']);
    if (c.minDomains !== undefined) {
      if (c.minDomains <= 0) errs.push(fieldErrors.invalid(ca.child('minDomains'), c.minDomains, 'must be greater than 0'));
      else if (c.whenUnsatisfiable !== 'DoNotSchedule') {
        errs.push(fieldErrors.invalid(ca.child('minDomains'), c.minDomains, 'can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ScheduleAnyway'));
      }
    }
    oneOf(errs, ca.child('nodeAffinityPolicy'), c.nodeAffinityPolicy, ['Honor', 'Ignore']);
    oneOf(errs, ca.child('nodeTaintsPolicy'), c.nodeTaintsPolicy, ['Honor', 'Ignore']);
    const pair = `${c.topologyKey}/${c.whenUnsatisfiable}`;
    if (seen.has(pair)) errs.push(fieldErrors.duplicate(ca, `{${c.topologyKey}, ${c.whenUnsatisfiable}}`));
    seen.add(pair);
  });
  return errs;
}

/** The pod-level fields: DNS, host aliases, topology spread, gates, OS, preemption, runtime class. */
export function validatePodOptions(spec: PodSpec, at: FieldPath): FieldError[] {
  const errs = [...validateDNS(spec, at), ...validateTopologySpread(spec, at)];
  (spec.hostAliases ?? []).forEach((h, i) => {
    const ha = at.child('hostAliases').index(i);
    pushInvalid(errs, ha.child('ip'), h.ip, isValidIP(h.ip));
    (h.hostnames ?? []).forEach((name, j) => pushInvalid(errs, ha.child('hostnames').index(j), name, isDNS1123Subdomain(name)));
  });
  (spec.readinessGates ?? []).forEach((g, i) => {
    pushInvalid(errs, at.child('readinessGates').index(i).child('conditionType'), g.conditionType, isQualifiedName(g.conditionType));
  });
  const gates = new Set<string>();
  (spec.schedulingGates ?? []).forEach((g, i) => {
    const ga = at.child('schedulingGates').index(i).child('name');
    pushInvalid(errs, ga, g.name, isQualifiedName(g.name));
    if (gates.has(g.name)) errs.push(fieldErrors.duplicate(ga, g.name));
    gates.add(g.name);
  });
  if (spec.os !== undefined) oneOf(errs, at.child('os').child('name'), spec.os.name, ['linux', 'windows']);
  oneOf(errs, at.child('preemptionPolicy'), spec.preemptionPolicy, ['PreemptLowerPriority', 'Never']);
  if (spec.runtimeClassName !== undefined) pushInvalid(errs, at.child('runtimeClassName'), spec.runtimeClassName, isDNS1123Subdomain(spec.runtimeClassName));
  return errs;
}
