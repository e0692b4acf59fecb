// Booleans as Go's strconv.ParseBool reads them, which is what upstream's bool flags accept
// (`--leader-elect=false`, `--leader-elect=0`, `--leader-elect=F`).

const values: Record<string, boolean> = {
  '1': true, t: true, T: true, TRUE: true, true: true, True: true,
  '0': false, f: false, F: false, FALSE: false, false: false, False: false,
};

/** strconv.ParseBool: the value, or undefined when s is not one of Go's twelve spellings. */
export function parseBool(s: string): boolean | undefined {
  return Object.hasOwn(values, s) ? values[s] : undefined;
}
