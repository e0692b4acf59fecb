// How deep a YAML text can nest, found without parsing it: the YAML parser recurses once per
// level, so a body nested a few hundred levels by indentation overflows Node's stack, and one
// nested 100,000 levels in flow collections (`a: [[[[...`) runs the process out of memory. Such
// a body must be refused before it reaches the parser.
//
// A line's indentation bounds how many block levels it sits in (each level indents at least one
// column more, and each `- ` or `? ` that opens a nested entry on the same line counts two), and
// every open flow collection (`[`, `{`) adds one. Quoted scalars and comments are skipped; a
// quote counts only where a scalar can start, so `it's` in a plain scalar does not hide what
// follows it.

/** Deeper than any real manifest, and far from where the parser overflows its stack (near 900). */
export const maxYamlDepth = 500;

const scalarStarts = new Set([' ', '\t', '\n', '\r', '[', '{', ',', ':', '-', '?']);

/** The end (exclusive) of the quoted scalar opened at `start`. */
function quotedEnd(text: string, start: number): number {
  const quote = text[start]!;
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (quote === '"' && c === '\\') i++;
    else if (c === quote) {
      // '' inside a single-quoted scalar is an escaped quote.
      if (quote === "'" && text[i + 1] === "'") i++;
      else return i + 1;
    }
  }
  return text.length;
}

/** The column of the first character of the line at `start` that is neither indentation nor an entry indicator. */
function contentColumn(text: string, start: number): number {
  let i = start;
  for (;;) {
    if (text[i] === ' ' || text[i] === '\t') i++;
    else if ((text[i] === '-' || text[i] === '?') && (text[i + 1] === ' ' || text[i + 1] === '\t')) i += 2;
    else return i - start;
  }
}

/** An upper bound on the nesting depth of the YAML in `text`. */
export function yamlDepthBound(text: string): number {
  let flow = 0;
  let lineIndent = contentColumn(text, 0);
  let deepest = lineIndent;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const startsScalar = i === 0 || scalarStarts.has(text[i - 1]!);
    if (c === '\n') {
      lineIndent = contentColumn(text, i + 1);
      deepest = Math.max(deepest, lineIndent + flow);
    } else if ((c === '"' || c === "'") && startsScalar) {
      // A quoted scalar may span lines: its continuation lines are not structure.
      i = quotedEnd(text, i) - 1;
    } else if (c === '#' && startsScalar) {
      const nl = text.indexOf('\n', i);
      i = (nl < 0 ? text.length : nl) - 1;
    } else if (c === '[' || c === '{') deepest = Math.max(deepest, lineIndent + ++flow);
    else if ((c === ']' || c === '}') && flow > 0) flow--;
  }
  return deepest;
}
