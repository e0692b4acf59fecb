// Every plugin kubets-scheduler can run, by upstream's name: what a profile's configuration may
// enable, each built with its pluginConfig args.

import type { PluginRegistry } from '../config/profiles.js';
import { nodeLocalPlugins } from './node-local.js';
import { topologyPlugins } from './topology.js';

export const pluginRegistry: PluginRegistry = { ...nodeLocalPlugins, ...topologyPlugins };
