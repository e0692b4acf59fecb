// How an image reference names an entry of the image table: `docker.io/library/node:20` and
// `node` both name `node`. Tags and digests are kept (an entry may be registered for one tag)
// but do not change what runs unless the table says so.

export interface ImageName {
  /** The repository without the default registry's prefix, e.g. `node` or `example.com/tools/jq`. */
  repository: string;
  tag?: string;
  digest?: string;
}

const defaultRegistryPrefixes = ['docker.io/library/', 'index.docker.io/library/', 'library/'];
const repositoryPattern = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?::[0-9]+)?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const tagPattern = /^[\w][\w.-]{0,127}$/;
const digestPattern = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[0-9a-fA-F]{32,}$/;

/** Parses an image reference, or returns undefined when it is not a valid one (InvalidImageName). */
export function parseImageName(image: string): ImageName | undefined {
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!digestPattern.test(digest)) return undefined;
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!tagPattern.test(tag)) return undefined;
  }
  const prefix = defaultRegistryPrefixes.find((p) => rest.startsWith(p));
  if (prefix !== undefined) rest = rest.slice(prefix.length);
  if (!repositoryPattern.test(rest)) return undefined;
  return { repository: rest, ...(tag !== undefined && { tag }), ...(digest !== undefined && { digest }) };
}
