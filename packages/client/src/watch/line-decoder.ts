// Framing of a watch stream: one JSON document per line. Chunks arrive as the network cuts
// them, so a line may be split across chunks (even inside a multi-byte character) and a chunk
// may hold several lines; this turns chunks back into whole lines.

export class LineDecoder {
  private readonly decoder = new TextDecoder('utf-8');
  private partial = '';

  /** The lines completed by this chunk (blank lines dropped). */
  push(chunk: Uint8Array | string): string[] {
    this.partial += typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    const parts = this.partial.split('\n');
    this.partial = parts.pop() ?? '';
    return parts.filter((l) => l.trim() !== '');
  }

  /** At the end of the stream: a last line that had no newline, if any. */
  end(): string[] {
    this.partial += this.decoder.decode();
    const rest = this.partial;
    this.partial = '';
    return rest.trim() === '' ? [] : [rest];
  }
}
