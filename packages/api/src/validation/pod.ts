// Pod spec validation, as upstream's ValidatePodSpec, for the subset of the spec kubets runs:
// containers, ports, env, resources, probes, volumes, restart policy and tolerations. The
// fields kubets only stores are checked in pod-options.ts.

import { type FieldError, FieldPath, fieldErrors, pushInvalid } from '../errors/field.js';
import { isApiError } from '../errors/status.js';
import { parseQuantity, type Quantity } from '../quantity/index.js';
import { type Container, type PodSpec, type Probe, type Toleration, type Volume, volumeSources } from '../schemas/pod.js';
import { validateContainerOptions, validateOtherVolumeSources, validatePodOptions } from './pod-options.js';
import {
  isConfigMapKey,
  isDNS1123Label,
  isDNS1123Subdomain,
  isEnvVarName,
  isQualifiedName,
  isValidLabelValue,
  isValidPortName,
  isValidPortNum,
  validateLabels,
} from './names.js';

export const restartPolicies = ['Always', 'OnFailure', 'Never'] as const;
export const protocols = ['TCP', 'UDP', 'SCTP'] as const;
const pullPolicies = ['Always', 'IfNotPresent', 'Never'];
const terminationMessagePolicies = ['File', 'FallbackToLogsOnError'];
const dnsPolicies = ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'];
const taintEffects = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

function nonNegative(errs: FieldError[], at: FieldPath, v: number | undefined): void {
  if (v !== undefined && v < 0) errs.push(fieldErrors.invalid(at, v, 'must be greater than or equal to 0'));
}

function positive(errs: FieldError[], at: FieldPath, v: number | undefined): void {
  if (v !== undefined && v <= 0) errs.push(fieldErrors.invalid(at, v, 'must be greater than 0'));
}

/** A probe or handler port: a number 1-65535 or an IANA service name. */
export function validatePortNumOrName(port: number | string, at: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (typeof port === 'number') pushInvalid(errs, at, port, isValidPortNum(port));
  else if (/^\d+$/.test(port)) errs.push(fieldErrors.invalid(at, port, 'must contain at least one letter (a-z)'));
  else pushInvalid(errs, at, port, isValidPortName(port));
  return errs;
}

function validateProbe(p: Probe | undefined, at: FieldPath, isReadiness: boolean): FieldError[] {
  if (p === undefined) return [];
  const errs: FieldError[] = [];
  const handlers = (['exec', 'httpGet', 'tcpSocket', 'grpc'] as const).filter((h) => p[h] !== undefined);
  if (handlers.length === 0) errs.push(fieldErrors.required(at, 'must specify a handler type'));
  if (handlers.length > 1) {
    errs.push(fieldErrors.forbidden(at.child(handlers[1]!), 'may not specify more than 1 handler type'));
  }
  if (p.exec !== undefined && (p.exec.command ?? []).length === 0) errs.push(fieldErrors.required(at.child('exec').child('command')));
  if (p.httpGet !== undefined) {
    errs.push(...validatePortNumOrName(p.httpGet.port, at.child('httpGet').child('port')));
    const scheme = p.httpGet.scheme;
    if (scheme !== undefined && scheme !== 'HTTP' && scheme !== 'HTTPS') {
      errs.push(fieldErrors.notSupported(at.child('httpGet').child('scheme'), scheme, ['HTTP', 'HTTPS']));
    }
  }
  if (p.tcpSocket !== undefined) errs.push(...validatePortNumOrName(p.tcpSocket.port, at.child('tcpSocket').child('port')));
  if (p.grpc !== undefined) pushInvalid(errs, at.child('grpc').child('port'), p.grpc.port, isValidPortNum(p.grpc.port));
  nonNegative(errs, at.child('initialDelaySeconds'), p.initialDelaySeconds);
  positive(errs, at.child('timeoutSeconds'), p.timeoutSeconds);
  positive(errs, at.child('periodSeconds'), p.periodSeconds);
  positive(errs, at.child('successThreshold'), p.successThreshold);
  positive(errs, at.child('failureThreshold'), p.failureThreshold);
  // Only readiness may need several successes; liveness and startup must take the first.
  if (!isReadiness && p.successThreshold !== undefined && p.successThreshold !== 1) {
    errs.push(fieldErrors.invalid(at.child('successThreshold'), p.successThreshold, 'must be 1'));
  }
  positive(errs, at.child('terminationGracePeriodSeconds'), p.terminationGracePeriodSeconds);
  return errs;
}

function quantityAt(errs: FieldError[], at: FieldPath, raw: string | number): Quantity | undefined {
  try {
    return parseQuantity(String(raw));
  } catch (e) {
    if (!isApiError(e)) throw e;
    errs.push(fieldErrors.invalid(at, raw, e.message));
    return undefined;
  }
}

function validateResources(c: Container, at: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const limits = new Map<string, Quantity>();
  for (const [name, raw] of Object.entries(c.resources?.limits ?? {})) {
    const field = at.child('limits').key(name);
    pushInvalid(errs, field, name, isQualifiedName(name));
    const q = quantityAt(errs, field, raw);
    if (q === undefined) continue;
    if (q.sign() < 0) errs.push(fieldErrors.invalid(field, raw, 'must be greater than or equal to 0'));
    limits.set(name, q);
  }
  for (const [name, raw] of Object.entries(c.resources?.requests ?? {})) {
    const field = at.child('requests').key(name);
    pushInvalid(errs, field, name, isQualifiedName(name));
    const q = quantityAt(errs, field, raw);
    if (q === undefined) continue;
    if (q.sign() < 0) errs.push(fieldErrors.invalid(field, raw, 'must be greater than or equal to 0'));
    const limit = limits.get(name);
    if (limit !== undefined && q.cmp(limit) > 0) {
      errs.push(fieldErrors.invalid(field, raw, `must be less than or equal to ${name} limit of ${limit.toString()}`));
    }
  }
  return errs;
}

function validateEnv(c: Container, at: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  (c.env ?? []).forEach((env, i) => {
    const e = at.child('env').index(i);
    if (env.name === '') errs.push(fieldErrors.required(e.child('name')));
    else pushInvalid(errs, e.child('name'), env.name, isEnvVarName(env.name));
    const from = env.valueFrom;
    if (from === undefined) return;
    const sources = (['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'] as const).filter((s) => from[s] !== undefined);
    if (sources.length !== 1) {
      errs.push(fieldErrors.invalid(e.child('valueFrom'), '', 'may not have more than one field specified at a time'));
    }
    if (env.value !== undefined && env.value !== '') {
      errs.push(fieldErrors.invalid(e.child('valueFrom'), '', 'may not be specified when `value` is not empty'));
    }
    for (const ref of [from.configMapKeyRef, from.secretKeyRef]) {
      if (ref === undefined) continue;
      if (ref.key === '') errs.push(fieldErrors.required(e.child('valueFrom').child('key')));
      else pushInvalid(errs, e.child('valueFrom').child('key'), ref.key, isConfigMapKey(ref.key));
    }
    if (from.fieldRef !== undefined && from.fieldRef.fieldPath === '') {
      errs.push(fieldErrors.required(e.child('valueFrom').child('fieldRef').child('fieldPath')));
    }
  });
  (c.envFrom ?? []).forEach((src, i) => {
    const e = at.child('envFrom').index(i);
    const n = (src.configMapRef !== undefined ? 1 : 0) + (src.secretRef !== undefined ? 1 : 0);
    if (n !== 1) errs.push(fieldErrors.invalid(e, '', 'must specify one of: `configMapRef` or `secretRef`'));
    if (src.prefix !== undefined && src.prefix !== '') pushInvalid(errs, e.child('prefix'), src.prefix, isEnvVarName(src.prefix));
  });
  return errs;
}

function validateContainer(c: Container, at: FieldPath, volumes: Set<string>, portNames: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  if (c.name === '') errs.push(fieldErrors.required(at.child('name')));
  else pushInvalid(errs, at.child('name'), c.name, isDNS1123Label(c.name));
  if (c.image === undefined || c.image.trim() === '') errs.push(fieldErrors.required(at.child('image')));
  else if (c.image !== c.image.trim()) {
    errs.push(fieldErrors.invalid(at.child('image'), c.image, 'must not have leading or trailing whitespace'));
  }
  if (c.imagePullPolicy !== undefined && !pullPolicies.includes(c.imagePullPolicy)) {
    errs.push(fieldErrors.notSupported(at.child('imagePullPolicy'), c.imagePullPolicy, pullPolicies));
  }
  if (c.terminationMessagePolicy !== undefined && !terminationMessagePolicies.includes(c.terminationMessagePolicy)) {
    errs.push(fieldErrors.notSupported(at.child('terminationMessagePolicy'), c.terminationMessagePolicy, terminationMessagePolicies));
  }
  (c.ports ?? []).forEach((p, i) => {
    const pa = at.child('ports').index(i);
    pushInvalid(errs, pa.child('containerPort'), p.containerPort, isValidPortNum(p.containerPort));
    if (p.hostPort !== undefined && p.hostPort !== 0) pushInvalid(errs, pa.child('hostPort'), p.hostPort, isValidPortNum(p.hostPort));
    if (p.protocol !== undefined && !(protocols as readonly string[]).includes(p.protocol)) {
      errs.push(fieldErrors.notSupported(pa.child('protocol'), p.protocol, protocols));
    }
    if (p.name !== undefined && p.name !== '') {
      pushInvalid(errs, pa.child('name'), p.name, isValidPortName(p.name));
      if (portNames.has(p.name)) errs.push(fieldErrors.duplicate(pa.child('name'), p.name));
      portNames.add(p.name);
    }
  });
  errs.push(...validateEnv(c, at));
  errs.push(...validateResources(c, at.child('resources')));
  (c.volumeMounts ?? []).forEach((m, i) => {
    const ma = at.child('volumeMounts').index(i);
    if (m.name === '') errs.push(fieldErrors.required(ma.child('name')));
    else if (!volumes.has(m.name)) errs.push(fieldErrors.notFound(ma.child('name'), m.name));
    if (m.mountPath === '') errs.push(fieldErrors.required(ma.child('mountPath')));
  });
  errs.push(...validateProbe(c.livenessProbe, at.child('livenessProbe'), false));
  errs.push(...validateProbe(c.readinessProbe, at.child('readinessProbe'), true));
  errs.push(...validateProbe(c.startupProbe, at.child('startupProbe'), false));
  return errs;
}

function validateVolumes(volumes: Volume[], at: FieldPath): { errs: FieldError[]; names: Set<string> } {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  volumes.forEach((v, i) => {
    const va = at.index(i);
    if (v.name === '') errs.push(fieldErrors.required(va.child('name')));
    else pushInvalid(errs, va.child('name'), v.name, isDNS1123Label(v.name));
    if (names.has(v.name)) errs.push(fieldErrors.duplicate(va.child('name'), v.name));
    names.add(v.name);
    const sources = volumeSources.filter((s) => v[s] !== undefined);
    if (sources.length === 0) errs.push(fieldErrors.required(va, 'must specify a volume type'));
    if (sources.length > 1) errs.push(fieldErrors.forbidden(va.child(sources[1]!), 'may not specify more than 1 volume type'));
    if (v.hostPath !== undefined && v.hostPath.path === '') errs.push(fieldErrors.required(va.child('hostPath').child('path')));
    if (v.configMap !== undefined && !v.configMap.name) errs.push(fieldErrors.required(va.child('configMap').child('name')));
    if (v.secret !== undefined && !v.secret.secretName) errs.push(fieldErrors.required(va.child('secret').child('secretName')));
    errs.push(...validateOtherVolumeSources(v, va));
  });
  return { errs, names };
}

function validateToleration(t: Toleration, at: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (t.key !== undefined && t.key !== '') pushInvalid(errs, at.child('key'), t.key, isQualifiedName(t.key));
  const op = t.operator ?? 'Equal';
  if (op === 'Exists') {
    if (t.value !== undefined && t.value !== '') {
      errs.push(fieldErrors.invalid(at.child('operator'), t.value, 'value must be empty when `operator` is \'Exists\''));
    }
  } else if (op === 'Equal') {
    if (t.key === undefined || t.key === '') {
      errs.push(fieldErrors.invalid(at.child('operator'), op, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (t.value !== undefined) pushInvalid(errs, at.child('value'), t.value, isValidLabelValue(t.value));
  } else {
    errs.push(fieldErrors.notSupported(at.child('operator'), op, ['Equal', 'Exists']));
  }
  if (t.effect !== undefined && t.effect !== '' && !taintEffects.includes(t.effect)) {
    errs.push(fieldErrors.notSupported(at.child('effect'), t.effect, taintEffects));
  }
  if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') {
    errs.push(fieldErrors.invalid(at.child('effect'), t.effect, 'effect must be \'NoExecute\' when `tolerationSeconds` is set'));
  }
  return errs;
}

export function validatePodSpec(spec: PodSpec | undefined, at: FieldPath): FieldError[] {
  if (spec === undefined) return [fieldErrors.required(at.child('containers'))];
  const errs: FieldError[] = [];
  const { errs: volumeErrs, names: volumes } = validateVolumes(spec.volumes ?? [], at.child('volumes'));
  errs.push(...volumeErrs);
  const containerNames = new Set<string>();
  const portNames = new Set<string>();
  for (const [field, list] of [['initContainers', spec.initContainers ?? []], ['containers', spec.containers ?? []]] as const) {
    list.forEach((c, i) => {
      const ca = at.child(field).index(i);
      errs.push(...validateContainer(c, ca, volumes, portNames));
      errs.push(...validateContainerOptions(c, ca, field === 'initContainers', volumes));
      if (containerNames.has(c.name)) errs.push(fieldErrors.duplicate(ca.child('name'), c.name));
      containerNames.add(c.name);
    });
  }
  if ((spec.containers ?? []).length === 0) errs.push(fieldErrors.required(at.child('containers')));
  if (spec.restartPolicy !== undefined && !(restartPolicies as readonly string[]).includes(spec.restartPolicy)) {
    errs.push(fieldErrors.notSupported(at.child('restartPolicy'), spec.restartPolicy, restartPolicies));
  }
  if (spec.dnsPolicy !== undefined && !dnsPolicies.includes(spec.dnsPolicy)) {
    errs.push(fieldErrors.notSupported(at.child('dnsPolicy'), spec.dnsPolicy, dnsPolicies));
  }
  nonNegative(errs, at.child('terminationGracePeriodSeconds'), spec.terminationGracePeriodSeconds);
  positive(errs, at.child('activeDeadlineSeconds'), spec.activeDeadlineSeconds);
  if (spec.nodeName !== undefined && spec.nodeName !== '') {
    pushInvalid(errs, at.child('nodeName'), spec.nodeName, isDNS1123Subdomain(spec.nodeName));
  }
  errs.push(...validateLabels(spec.nodeSelector ?? {}, at.child('nodeSelector')));
  (spec.tolerations ?? []).forEach((t, i) => errs.push(...validateToleration(t, at.child('tolerations').index(i))));
  if (spec.hostname !== undefined && spec.hostname !== '') pushInvalid(errs, at.child('hostname'), spec.hostname, isDNS1123Label(spec.hostname));
  if (spec.subdomain !== undefined && spec.subdomain !== '') pushInvalid(errs, at.child('subdomain'), spec.subdomain, isDNS1123Label(spec.subdomain));
  errs.push(...validatePodOptions(spec, at));
  return errs;
}

export const podSpecPath = FieldPath.root('spec');
