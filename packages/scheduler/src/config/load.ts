// Reading --config: a KubeSchedulerConfiguration YAML file, kubescheduler.config.k8s.io/v1.

import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { ConfigError, validateConfig } from './profiles.js';
import type { KubeSchedulerConfiguration } from './types.js';

export const configApiVersion = 'kubescheduler.config.k8s.io/v1';

export function parseConfig(text: string, source = 'config'): KubeSchedulerConfiguration {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    throw new ConfigError(`${source}: not valid YAML: ${(e as Error).message}`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new ConfigError(`${source}: expected a KubeSchedulerConfiguration object`);
  const config = doc as KubeSchedulerConfiguration;
  if (config.kind !== 'KubeSchedulerConfiguration') throw new ConfigError(`${source}: kind is ${JSON.stringify(config.kind)}, expected "KubeSchedulerConfiguration"`);
  if (config.apiVersion !== configApiVersion) {
    throw new ConfigError(`${source}: apiVersion ${JSON.stringify(config.apiVersion)} is not supported; use "${configApiVersion}"`);
  }
  validateConfig(config);
  return config;
}

export async function loadConfig(path: string): Promise<KubeSchedulerConfiguration> {
  return parseConfig(await readFile(path, 'utf8'), path);
}

export const defaultConfig = (): KubeSchedulerConfiguration => ({ apiVersion: configApiVersion, kind: 'KubeSchedulerConfiguration' });
