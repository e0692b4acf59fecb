// The process runtime's images: what an image name runs with on this node's own filesystem.
// There is no pulling; an image is a PATH to put first and the defaults a Dockerfile would
// give (ENTRYPOINT, CMD). Built-in entries cover node, the shell images and python; an
// --image-config file adds or overrides entries.
import { parseImageName } from './image-name.js';

export interface ImageEntry {
  /** A repository (`node`), or a repository with a tag (`node:18`) that wins over the bare name. */
  name: string;
  /** Directories put first on the container's PATH (when its env sets no PATH). */
  path: string[];
  entrypoint?: string[];
  cmd?: string[];
  /** What the image resolved to, shown as the container's imageID. */
  ref: string;
}

/** The PATH a Docker image's env usually has, after the image's own directories. */
export const standardPath = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

export type ImageLookup = { kind: 'found'; entry: ImageEntry } | { kind: 'invalid' } | { kind: 'unknown' };

export class ImageTable {
  private readonly entries = new Map<string, ImageEntry>();

  constructor(entries: Iterable<ImageEntry>) {
    for (const e of entries) this.entries.set(e.name, e);
  }

  /** Later entries replace earlier ones of the same name (the config file over the built-ins). */
  withEntries(entries: Iterable<ImageEntry>): ImageTable {
    return new ImageTable([...this.entries.values(), ...entries]);
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  lookup(image: string): ImageLookup {
    const name = parseImageName(image);
    if (name === undefined) return { kind: 'invalid' };
    const tagged = name.tag === undefined ? undefined : this.entries.get(`${name.repository}:${name.tag}`);
    const entry = tagged ?? this.entries.get(name.repository);
    return entry === undefined ? { kind: 'unknown' } : { kind: 'found', entry };
  }
}

/** The message of ErrImagePull for an image the table does not have. */
export function unknownImageMessage(image: string, table: ImageTable): string {
  const runs = table.names().join(', ');
  return `image "${image}" is not in the process runtime's image table (it runs: ${runs}; see --image-config)`;
}
