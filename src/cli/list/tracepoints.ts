// Tracepoints from tracefs (their arguments are the format file's fields after the common ones, as
// bpftrace -lv prints them), and raw tracepoints from the kernel's `btf_trace_<name>` typedefs
// (their arguments are the TP_PROTO parameters, named by the matching `__probestub_<name>`).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listTracepoints, readTracepointFormat, tracefsRoot, TracefsError } from '../../loader/tracefs.js';
import type { BtfReader } from '../../btf/index.js';
import type { ProviderListing } from './catalog.js';
import { declaration, kernelBtf } from './kernel-btf.js';

export function tracepointProbes(): ProviderListing {
  let events: { category: string; name: string }[];
  try {
    events = availableEvents() ?? listTracepoints();
  } catch (error) {
    if (error instanceof TracefsError) return { kind: 'unavailable', reason: error.message };
    throw error;
  }
  return {
    kind: 'probes',
    probes: events.map(({ category, name }) => ({
      line: `tracepoint:${category}:${name}`,
      arguments: () => tracepointArguments(category, name),
    })),
  };
}

/**
 * `available_events` names the events that can be enabled, which leaves out ftrace's internal
 * records (ftrace:function, …) that have directories under events/ but cannot be attached to.
 */
function availableEvents(): { category: string; name: string }[] | undefined {
  let text: string;
  try {
    text = readFileSync(join(tracefsRoot(), 'available_events'), 'utf8');
  } catch (error) {
    if (error instanceof TracefsError) throw error;
    return undefined;
  }
  const events = [];
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) events.push({ category: line.slice(0, colon), name: line.slice(colon + 1).trim() });
  }
  return events;
}

function tracepointArguments(category: string, name: string): readonly string[] {
  try {
    return readTracepointFormat(category, name).fields.filter((field) => !field.common).map((field) => field.declaration);
  } catch (error) {
    // Some events (ftrace's own) have no readable format; list them without arguments.
    if (error instanceof TracefsError) return [];
    throw error;
  }
}

const typedefPrefix = 'btf_trace_';

export function rawTracepointProbes(): ProviderListing {
  const btf = kernelBtf();
  if (!btf) return { kind: 'unlisted', reason: 'listing rawtracepoint probes needs the kernel\'s BTF (/sys/kernel/btf/vmlinux)' };
  const probes = [];
  for (const typedef of btf.types('typedef', `${typedefPrefix}*`)) {
    const name = typedef.name.slice(typedefPrefix.length);
    probes.push({ line: `rawtracepoint:${name}`, arguments: () => rawTracepointArguments(btf, name) });
  }
  return { kind: 'probes', probes };
}

/** The prototype's first parameter is the tracepoint's private data pointer, not an argument. */
function rawTracepointArguments(btf: BtfReader, name: string): readonly string[] {
  const stub = btf.findType(`__probestub_${name}`, 'func');
  const named = stub ? btf.funcPrototype(stub.id) : undefined;
  if (named) return named.params.slice(1).map((param, index) => declaration(btf, param.type, param.name || `arg${index}`));
  const prototype = btf.funcPrototype(`${typedefPrefix}${name}`);
  return prototype ? prototype.params.slice(1).map((param, index) => declaration(btf, param.type, `arg${index}`)) : [];
}
