// The legacy way to create a kprobe, for kernels with kprobes but without the kprobe PMU (before
// 4.17): write a probe definition to tracefs's kprobe_events, open the tracepoint it creates by id,
// and remove the definition again on detach. Names carry our pid so that concurrent sessions and a
// crashed one's leftovers never collide.
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { attachPerfEvent, openPerfEvent, type Attachment, type ProgramHandle } from '../loader/attach.js';
import { tracepointEventAttr } from '../loader/attr/perf-event-attr.js';
import { tracefsRoot } from '../loader/tracefs.js';

export const KPROBE_EVENT_GROUP = 'tsbpf';

let sequence = 0;

export interface KprobeEventDefinition {
  /** Event name inside the `tsbpf` group: [A-Za-z0-9_] only. */
  readonly event: string;
  /** The line written to kprobe_events. */
  readonly line: string;
  /** The line that removes it again. */
  readonly removal: string;
}

/** `p:tsbpf/p_1234_0_vfs_read vfs_read+0` (or `r:` for a kretprobe). */
export function kprobeEventDefinition(symbol: string, offset: number, isReturn: boolean, pid: number, index: number): KprobeEventDefinition {
  const kind = isReturn ? 'r' : 'p';
  const event = `${kind}_${pid}_${index}_${symbol.replace(/[^A-Za-z0-9_]/g, '_')}`.slice(0, 63);
  const location = isReturn ? symbol : `${symbol}+${offset}`;
  return { event, line: `${kind}:${KPROBE_EVENT_GROUP}/${event} ${location}\n`, removal: `-:${KPROBE_EVENT_GROUP}/${event}\n` };
}

export function attachKprobeEvent(program: ProgramHandle, name: string, symbol: string, offset: number, isReturn: boolean, eventsFile: string): Attachment {
  const definition = kprobeEventDefinition(symbol, offset, isReturn, process.pid, sequence++);
  appendFileSync(eventsFile, definition.line);
  const remove = () => {
    try {
      appendFileSync(eventsFile, definition.removal);
    } catch {
      // already gone (tracefs remounted, or removed by hand): nothing left to clean up
    }
  };
  let perfEventFd: number;
  try {
    const id = Number.parseInt(readFileSync(join(tracefsRoot(), 'events', KPROBE_EVENT_GROUP, definition.event, 'id'), 'utf8'), 10);
    perfEventFd = openPerfEvent(tracepointEventAttr(id), { pid: -1, cpu: 0 }, name);
  } catch (error) {
    remove();
    throw error;
  }
  let attached: Attachment;
  try {
    attached = attachPerfEvent(program, perfEventFd, { target: name });
  } catch (error) {
    remove();
    throw error;
  }
  return {
    ...attached,
    close: () => {
      attached.close();
      remove();
    },
  };
}
