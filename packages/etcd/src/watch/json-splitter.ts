// A streaming endpoint's request body (watch, lease keepalive) is a stream of JSON objects (the gateway decodes it with a
// streaming decoder), with or without whitespace between them. This splits the bytes into
// complete top-level values, tracking nesting and strings so braces inside strings do not count.
export class JsonSplitter {
  private buf = '';
  private depth = 0;
  private inString = false;
  private escaped = false;
  private start = -1;
  private scanned = 0;

  /** Feeds a chunk; returns the complete values it finished, parsed. Throws on malformed JSON. */
  push(chunk: string): unknown[] {
    this.buf += chunk;
    const out: unknown[] = [];
    for (let i = this.scanned; i < this.buf.length; i++) {
      const c = this.buf.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 0x5c) this.escaped = true; // backslash
        else if (c === 0x22) this.inString = false;
        continue;
      }
      if (c === 0x22 && this.depth > 0) {
        this.inString = true;
      } else if (c === 0x7b || c === 0x5b) {
        if (this.depth === 0) this.start = i;
        this.depth++;
      } else if (c === 0x7d || c === 0x5d) {
        this.depth--;
        if (this.depth < 0) throw new SyntaxError('unbalanced JSON in the request stream');
        if (this.depth === 0) {
          out.push(JSON.parse(this.buf.slice(this.start, i + 1)));
          this.start = -1;
        }
      } else if (this.depth === 0 && c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) {
        throw new SyntaxError(`invalid character ${JSON.stringify(this.buf[i])} looking for beginning of a request object`);
      }
    }
    // Keep only the unfinished value.
    if (this.depth === 0) {
      this.buf = '';
      this.scanned = 0;
    } else {
      this.buf = this.buf.slice(this.start);
      this.scanned = this.buf.length;
      this.start = 0;
    }
    return out;
  }
}
