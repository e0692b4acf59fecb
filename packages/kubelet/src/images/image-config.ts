// --image-config: a JSON or YAML file that adds entries to the image table or overrides the
// built-in ones, e.g. `[{name: ruby, path: [/opt/ruby/bin], cmd: [irb]}]` (or `{images: [...]}`).
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import type { ImageEntry } from './image-table.js';

export class ImageConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageConfigError';
  }
}

export async function loadImageConfig(path: string): Promise<ImageEntry[]> {
  const text = await readFile(path, 'utf8');
  let doc: unknown;
  try {
    doc = parseYaml(text); // YAML is a superset of JSON, so one parser reads both
  } catch (e) {
    throw new ImageConfigError(`${path}: not JSON or YAML: ${(e as Error).message}`);
  }
  const list = Array.isArray(doc) ? doc : (doc as { images?: unknown } | null)?.images;
  if (!Array.isArray(list)) throw new ImageConfigError(`${path}: expected a list of images (or {images: [...]})`);
  return list.map((item, i) => imageEntryFrom(item, `${path}: images[${i}]`));
}

function imageEntryFrom(item: unknown, where: string): ImageEntry {
  if (typeof item !== 'object' || item === null) throw new ImageConfigError(`${where}: expected an object`);
  const { name, path, entrypoint, cmd } = item as Record<string, unknown>;
  if (typeof name !== 'string' || name === '') throw new ImageConfigError(`${where}: name must be a non-empty string`);
  // A single string is a PATH-style list, as in an image's ENV PATH.
  const dirs = typeof path === 'string' ? path.split(':').filter((d) => d !== '') : stringList(path ?? [], `${where}.path`);
  return {
    name,
    path: dirs,
    ...(entrypoint !== undefined && { entrypoint: stringList(entrypoint, `${where}.entrypoint`) }),
    ...(cmd !== undefined && { cmd: stringList(cmd, `${where}.cmd`) }),
    ref: `kubets-process://${name}@${dirs[0] ?? '/'}`,
  };
}

function stringList(value: unknown, where: string): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  throw new ImageConfigError(`${where}: expected a string or a list of strings`);
}
