// Where a session's events are written: the output module decides the text and the stream (text or
// JSON, stdout or stderr); this sink batches what one ring-buffer drain produces into one write per
// stream switch, so a burst of printf records costs one write instead of one per record.
import { jsonFormat, textFormat, type Emission, type OutputFormat, type SourceLookup } from './output/formats.js';
import type { SourceSpan } from '../diagnostics/span.js';
import type { ActionOutput, SessionEvent } from './records.js';

/** Anything with write(string): process.stdout, a file stream, a PassThrough in tests. */
export interface TextSink {
  write(text: string): unknown;
}

export interface SessionOutput {
  /** 'text' (bpftrace's default) or 'json' (`-f json`), or a custom OutputFormat. Default 'text'. */
  readonly format?: 'text' | 'json' | OutputFormat;
  /** Default process.stdout. */
  readonly stdout?: TextSink;
  /** Default process.stderr. */
  readonly stderr?: TextSink;
  /** The script's text by file name, for the source line under runtime warnings in text output. */
  readonly source?: SourceLookup;
}

/** Characters held back before a write: enough to batch a burst of small records. */
const flushThreshold = 64 * 1024;

export class OutputSink {
  readonly format: OutputFormat | undefined;
  private readonly stdout: TextSink | undefined;
  private readonly stderr: TextSink | undefined;
  private pendingStream: Emission['stream'] = 'stdout';
  private pendingText = '';

  /**
   * `null` writes nothing (events are still available to iterators). `outputs`: how each output
   * function's events print, by kind (from the function records).
   */
  constructor(options: SessionOutput | null | undefined, private readonly outputs: ReadonlyMap<string, ActionOutput>) {
    if (options === null) {
      this.format = undefined;
      return;
    }
    const format = options?.format ?? 'text';
    this.format = format === 'text' ? textFormat(options?.source) : format === 'json' ? jsonFormat() : format;
    this.stdout = options?.stdout ?? process.stdout;
    this.stderr = options?.stderr ?? process.stderr;
  }

  event(event: SessionEvent): void {
    const format = this.format;
    if (!format) return;
    switch (event.kind) {
      case 'lost-events':
        return this.emit(format.lostEvents(event.count));
      case 'maps-at-exit':
        return this.emit(format.mapsAtExit(event.maps));
    }
    const print = this.outputs.get(event.kind)?.print;
    if (print) this.emit(print(event, format));
  }

  /** A warning from the runtime itself (a full map), as the format shows runtime errors. */
  runtimeWarning(message: string, locations: readonly SourceSpan[] = []): void {
    if (this.format) this.emit(this.format.runtimeError({ kind: 'runtime', message, locations: [...locations] }));
  }

  attachedProbes(count: number): void {
    if (this.format) this.emit(this.format.attachedProbes(count));
  }

  /** What bpftrace writes when the run ends, before the maps (text: two blank lines). */
  end(): void {
    if (this.format) this.emit(this.format.end());
  }

  emit(emission: Emission): void {
    if (emission.text === '') return;
    if (emission.stream !== this.pendingStream) this.flush();
    this.pendingStream = emission.stream;
    this.pendingText += emission.text;
    // A drain of thousands of `print(@big_map)` records would otherwise build one string of gigabytes.
    if (this.pendingText.length >= flushThreshold) this.flush();
  }

  flush(): void {
    if (this.pendingText === '') return;
    const text = this.pendingText;
    this.pendingText = '';
    (this.pendingStream === 'stdout' ? this.stdout : this.stderr)?.write(text);
  }
}
