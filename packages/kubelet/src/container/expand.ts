// $(VAR) expansion in env values, command and args, with upstream's rules
// (third_party/forked/golang/expansion): `$$` is a literal `$`, a reference to an unknown
// variable is left as written, and a `$(` without its `)` is kept as is.

/** Resolves one variable name; answers undefined when it is unknown. */
export type VariableLookup = (name: string) => string | undefined;

/** Looks a name up in each context in turn, the first that has it winning. */
export function lookupIn(...contexts: Array<ReadonlyMap<string, string>>): VariableLookup {
  return (name) => {
    for (const vars of contexts) {
      const value = vars.get(name);
      if (value !== undefined) return value;
    }
    return undefined;
  };
}

/** Expands every $(VAR) in input; unknown references stay as `$(VAR)`. */
export function expand(input: string, lookup: VariableLookup): string {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const read = readReference(input.slice(cursor + 1));
    out += read.name !== undefined ? (lookup(read.name) ?? `$(${read.name})`) : read.literal;
    cursor += read.advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}

interface Reference {
  /** The variable named, when the text after `$` is a complete `(name)`. */
  name?: string;
  /** What to write instead when it is not a reference. */
  literal: string;
  /** Characters consumed after the `$`. */
  advance: number;
}

/** Reads what follows a `$`: an escaped `$`, a `(name)`, or something that is neither. */
function readReference(rest: string): Reference {
  if (rest[0] === '$') return { literal: '$', advance: 1 };
  if (rest[0] === '(') {
    const close = rest.indexOf(')', 1);
    if (close >= 0) return { name: rest.slice(1, close), literal: '', advance: close + 1 };
    return { literal: '$(', advance: 1 };
  }
  return { literal: '$' + rest[0], advance: 1 };
}
