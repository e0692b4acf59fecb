// From a configuration's profiles to frameworks, as upstream merges them: a profile starts from
// the default multiPoint plugins; `disabled` removes plugins (`*`: all the defaults); an enabled
// plugin that is a default changes its weight in place, any other is appended. A plugin is then
// placed at every extension point it implements, after the plugins enabled at that point itself,
// unless that point disables it. One instance per plugin and profile, built with its pluginConfig.

import { Framework, type ProfilePlugins } from '../framework/runtime.js';
import type { Plugin } from '../framework/types.js';
import { builtInOrAbsent, defaultMultiPoint, defaultSchedulerName } from './defaults.js';
import type { KubeSchedulerConfiguration, PluginRef, PluginSet, Profile } from './types.js';

export type PluginFactory = (args?: unknown) => Plugin;
export type PluginRegistry = Readonly<Record<string, PluginFactory>>;

type Point = keyof ProfilePlugins;
const points: readonly Point[] = ['preFilter', 'filter', 'preScore', 'score'];
const method: Record<Point, string> = { preFilter: 'preFilter', filter: 'filter', preScore: 'preScore', score: 'score' };

export class ConfigError extends Error {}

function disables(set: PluginSet | undefined, name: string): boolean {
  return (set?.disabled ?? []).some((d) => d.name === name || d.name === '*');
}

/** The default multiPoint plugins with the profile's multiPoint changes merged in. */
export function mergeMultiPoint(custom: PluginSet | undefined): PluginRef[] {
  const merged = defaultMultiPoint.filter((p) => !disables(custom, p.name)).map((p) => ({ ...p }));
  for (const ref of custom?.enabled ?? []) {
    const at = merged.findIndex((p) => p.name === ref.name);
    if (at >= 0) merged[at] = { ...merged[at], ...ref };
    else merged.push({ ...ref });
  }
  return merged;
}

function pluginArgs(profile: Profile, name: string): unknown {
  return profile.pluginConfig?.find((c) => c.name === name)?.args;
}

/** The plugins a profile runs at each extension point, with score weights. */
export function profilePlugins(profile: Profile, registry: PluginRegistry): ProfilePlugins {
  const instances = new Map<string, Plugin>();
  const instance = (name: string): Plugin | undefined => {
    if (builtInOrAbsent.has(name)) return undefined;
    const factory = registry[name];
    if (factory === undefined) throw new ConfigError(`profile "${profile.schedulerName}": plugin "${name}" does not exist`);
    let p = instances.get(name);
    if (p === undefined) {
      p = factory(pluginArgs(profile, name));
      instances.set(name, p);
    }
    return p;
  };
  const multiPoint = mergeMultiPoint(profile.plugins?.multiPoint);
  const out: ProfilePlugins = { preFilter: [], filter: [], preScore: [], score: [] };
  for (const point of points) {
    const specific = profile.plugins?.[point];
    const refs = [...(specific?.enabled ?? [])];
    for (const ref of multiPoint) {
      if (!disables(specific, ref.name) && !refs.some((r) => r.name === ref.name)) refs.push(ref);
    }
    for (const ref of refs) {
      const p = instance(ref.name);
      if (p === undefined || typeof (p as unknown as Record<string, unknown>)[method[point]] !== 'function') continue;
      if (point === 'score') {
        const weight = ref.weight === undefined || ref.weight === 0 ? 1 : ref.weight;
        if (!(weight > 0)) throw new ConfigError(`profile "${profile.schedulerName}": score plugin "${ref.name}" has weight ${weight}, it must be positive`);
        out.score.push({ plugin: p as never, weight });
      } else (out[point] as Plugin[]).push(p);
    }
  }
  return out;
}

export function validateConfig(config: KubeSchedulerConfiguration): void {
  const percentages = [config.percentageOfNodesToScore, ...(config.profiles ?? []).map((p) => p.percentageOfNodesToScore)];
  for (const p of percentages) {
    if (p !== undefined && !(Number.isInteger(p) && p >= 0 && p <= 100)) throw new ConfigError(`percentageOfNodesToScore: Invalid value: ${p}: not in valid range [0-100]`);
  }
  const initial = config.podInitialBackoffSeconds ?? 1;
  const max = config.podMaxBackoffSeconds ?? 10;
  if (!(initial > 0)) throw new ConfigError(`podInitialBackoffSeconds: Invalid value: ${initial}: must be greater than 0`);
  if (!(max >= initial)) throw new ConfigError(`podMaxBackoffSeconds: Invalid value: ${max}: must be greater than or equal to PodInitialBackoffSeconds`);
  const names = new Set<string>();
  for (const p of config.profiles ?? []) {
    const name = p.schedulerName ?? defaultSchedulerName;
    if (name === '') throw new ConfigError('profiles[].schedulerName: Required value');
    if (names.has(name)) throw new ConfigError(`profiles[].schedulerName: Duplicate value: "${name}"`);
    names.add(name);
  }
}

/** One framework per profile, by schedulerName; with no profiles, upstream's default one. */
export function buildFrameworks(config: KubeSchedulerConfiguration, registry: PluginRegistry): Map<string, Framework> {
  validateConfig(config);
  const profiles = config.profiles?.length ? config.profiles : [{ schedulerName: defaultSchedulerName }];
  const out = new Map<string, Framework>();
  for (const profile of profiles) {
    const name = profile.schedulerName ?? defaultSchedulerName;
    out.set(name, new Framework(name, profilePlugins({ ...profile, schedulerName: name }, registry), profile.percentageOfNodesToScore));
  }
  return out;
}
