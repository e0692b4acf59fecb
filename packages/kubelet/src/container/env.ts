// The environment a container starts with, as upstream's makeEnvironmentVariables
// (pkg/kubelet/kubelet_pods.go): envFrom first, then env (winning over it, each value expanded
// against what came before and the Service variables), then the Service variables not already
// set. A missing ConfigMap, Secret or key that is not optional stops the container with
// CreateContainerConfigError; envFrom keys that are not valid names are skipped and reported.
import type { ConfigMap, Container, EnvFromSource, EnvVar as ApiEnvVar, Pod, Secret } from '@kubets/api';
import type { ObjectSource } from '../sources/types.js';
import { ContainerConfigError } from './errors.js';
import { expand, lookupIn } from './expand.js';
import { podFieldValue, type PodRuntimeFields } from './field-ref.js';
import { resourceFieldValue } from './resource-field-ref.js';
import { serviceEnvironment, servicesForPod, type EnvVar } from './service-env.js';

export type { EnvVar } from './service-env.js';

export interface EnvironmentContext extends PodRuntimeFields {
  source: ObjectSource;
  /** Where the `kubernetes` Service lives. Default 'default'. */
  masterServiceNamespace?: string;
  /** The node's allocatable (cpu, memory, ephemeral-storage): what unset limits read as. */
  allocatable?: Record<string, string | number>;
}

/** envFrom keys dropped because they are not valid variable names; the caller makes the Event. */
export interface SkippedEnvKeys {
  kind: 'ConfigMap' | 'Secret';
  namespace: string;
  name: string;
  keys: string[];
  /** Upstream's Event reason and message for it. */
  reason: 'InvalidEnvironmentVariableNames';
  message: string;
}

export interface Environment {
  env: EnvVar[];
  skipped: SkippedEnvKeys[];
}

/** Throws ContainerConfigError (CreateContainerConfigError) when a required source is missing. */
export async function makeEnvironment(pod: Pod, container: Container, ctx: EnvironmentContext): Promise<Environment> {
  try {
    return await buildEnvironment(pod, container, ctx);
  } catch (e) {
    if (e instanceof ContainerConfigError) throw e;
    throw new ContainerConfigError(e instanceof Error ? e.message : String(e));
  }
}

async function buildEnvironment(pod: Pod, container: Container, ctx: EnvironmentContext): Promise<Environment> {
  const namespace = pod.metadata?.namespace ?? 'default';
  const serviceEnv = await servicesEnvFor(pod, namespace, ctx);
  const objects = new PodObjects(ctx.source, namespace);
  const declared = new Map<string, string>();
  const skipped: SkippedEnvKeys[] = [];
  for (const from of container.envFrom ?? []) {
    const found = await envFromValues(from, objects, namespace);
    if (found !== undefined) addEnvFrom(declared, found, skipped);
  }
  const lookup = lookupIn(declared, serviceEnv);
  for (const variable of container.env ?? []) {
    const value = await envValue(variable, pod, container, ctx, objects, lookup);
    if (value !== undefined) declared.set(variable.name, value);
  }
  const env: EnvVar[] = [...declared].map(([name, value]) => ({ name, value }));
  for (const [name, value] of serviceEnv) if (!declared.has(name)) env.push({ name, value });
  return { env, skipped };
}

async function servicesEnvFor(pod: Pod, namespace: string, ctx: EnvironmentContext): Promise<Map<string, string>> {
  const master = ctx.masterServiceNamespace ?? 'default';
  const links = pod.spec?.enableServiceLinks ?? true;
  const lists = await Promise.all(namespace === master ? [ctx.source.services(master)] : [ctx.source.services(master), ctx.source.services(namespace)]);
  const services = servicesForPod(lists.flat(), namespace, links, master);
  return new Map(serviceEnvironment(services).map((v) => [v.name, v.value]));
}

interface EnvFromValues {
  kind: 'ConfigMap' | 'Secret';
  name: string;
  namespace: string;
  prefix: string;
  data: Record<string, string>;
}

/** The keys of one envFrom source; undefined when it is optional and missing. */
async function envFromValues(from: EnvFromSource, objects: PodObjects, namespace: string): Promise<EnvFromValues | undefined> {
  const prefix = from.prefix ?? '';
  if (from.configMapRef) {
    const name = from.configMapRef.name ?? '';
    const cm = await objects.configMap(name, from.configMapRef.optional === true);
    return cm && { kind: 'ConfigMap', name, namespace, prefix, data: cm.data ?? {} };
  }
  if (from.secretRef) {
    const name = from.secretRef.name ?? '';
    const secret = await objects.secret(name, from.secretRef.optional === true);
    return secret && { kind: 'Secret', name, namespace, prefix, data: decodeSecretData(secret) };
  }
  return undefined;
}

const envVarName = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

function addEnvFrom(declared: Map<string, string>, found: EnvFromValues, skipped: SkippedEnvKeys[]): void {
  const invalid: string[] = [];
  for (const [key, value] of Object.entries(found.data)) {
    const name = found.prefix + key;
    if (envVarName.test(name)) declared.set(name, value);
    else invalid.push(name);
  }
  if (invalid.length === 0) return;
  invalid.sort();
  const what = found.kind === 'ConfigMap' ? 'configMap' : 'secret';
  skipped.push({
    kind: found.kind,
    namespace: found.namespace,
    name: found.name,
    keys: invalid,
    reason: 'InvalidEnvironmentVariableNames',
    message: `Keys [${invalid.join(', ')}] from the EnvFrom ${what} ${found.namespace}/${found.name} were skipped since they are considered invalid environment variable names.`,
  });
}

/** One env entry's value; undefined when an optional source leaves it unset. */
async function envValue(
  variable: ApiEnvVar,
  pod: Pod,
  container: Container,
  ctx: EnvironmentContext,
  objects: PodObjects,
  lookup: (name: string) => string | undefined,
): Promise<string | undefined> {
  if (variable.value) return expand(variable.value, lookup);
  const from = variable.valueFrom;
  if (from === undefined) return variable.value ?? '';
  if (from.fieldRef) return podFieldValue(pod, from.fieldRef, ctx);
  if (from.resourceFieldRef) return resourceFieldValue(from.resourceFieldRef, pod, container, ctx.allocatable);
  if (from.configMapKeyRef) return configMapKey(from.configMapKeyRef, objects);
  if (from.secretKeyRef) return secretKey(from.secretKeyRef, objects);
  return '';
}

interface KeyRef {
  name?: string;
  key: string;
  optional?: boolean;
}

async function configMapKey(ref: KeyRef, objects: PodObjects): Promise<string | undefined> {
  const optional = ref.optional === true;
  const cm = await objects.configMap(ref.name ?? '', optional);
  if (cm === undefined) return undefined;
  const value = cm.data?.[ref.key];
  if (value !== undefined || optional) return value;
  throw new ContainerConfigError(`couldn't find key ${ref.key} in ConfigMap ${objects.namespace}/${ref.name ?? ''}`);
}

async function secretKey(ref: KeyRef, objects: PodObjects): Promise<string | undefined> {
  const optional = ref.optional === true;
  const secret = await objects.secret(ref.name ?? '', optional);
  if (secret === undefined) return undefined;
  const value = decodeSecretData(secret)[ref.key];
  if (value !== undefined || optional) return value;
  throw new ContainerConfigError(`couldn't find key ${ref.key} in Secret ${objects.namespace}/${ref.name ?? ''}`);
}

/** Secret data is base64 on the wire; a container sees the decoded text. */
export function decodeSecretData(secret: Secret): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(secret.data ?? {})) out[key] = Buffer.from(value, 'base64').toString('utf8');
  return out;
}

/** The ConfigMaps and Secrets of the pod's namespace, each read once per environment. */
class PodObjects {
  private readonly configMaps = new Map<string, ConfigMap>();
  private readonly secrets = new Map<string, Secret>();

  constructor(
    private readonly source: ObjectSource,
    readonly namespace: string,
  ) {}

  /** The ConfigMap, undefined when missing and optional; throws upstream's not-found otherwise. */
  async configMap(name: string, optional: boolean): Promise<ConfigMap | undefined> {
    const found = this.configMaps.get(name) ?? (await this.source.configMap(this.namespace, name));
    if (found === undefined) return missing(`configmap "${name}" not found`, optional);
    this.configMaps.set(name, found);
    return found;
  }

  async secret(name: string, optional: boolean): Promise<Secret | undefined> {
    const found = this.secrets.get(name) ?? (await this.source.secret(this.namespace, name));
    if (found === undefined) return missing(`secret "${name}" not found`, optional);
    this.secrets.set(name, found);
    return found;
  }
}

function missing(message: string, optional: boolean): undefined {
  if (optional) return undefined;
  throw new ContainerConfigError(message);
}

/** $(VAR) in a container's command or args, from its environment (later entries win). */
export function expandCommand(values: readonly string[] | undefined, env: readonly EnvVar[]): string[] {
  const vars = new Map(env.map((v) => [v.name, v.value]));
  const lookup = lookupIn(vars);
  return (values ?? []).map((v) => expand(v, lookup));
}
