// `tsbpf -l [search]` and `-lv`: probe lines sorted as bpftrace sorts them, each followed with -v by
// its arguments indented four spaces; a program (`-l -e '…'` or a script) lists what its attach
// points match. Providers that list nothing here say why on stderr.
import { existsSync, statSync } from 'node:fs';
import type { ListRequest, ProgramSource } from '../arguments.js';
import type { ProviderName } from '../../parser/attach-point-ast.js';
import type { Output } from '../output-target.js';
import { readProgram, ScriptReadError } from '../script-source.js';
import type { ListedProbe, ProviderListing } from '../../model/provider.js';
import { listProvider, providerSyntax } from './catalog.js';
import { liveHost } from '../../host/live.js';
import { everything, parseSearch, SearchError, type ProbeSearch } from './search.js';
import { isGlob } from '../../btf/glob.js';

/** Prints the listing; returns the exit code. */
export async function listProbes(request: ListRequest, io: Output): Promise<number> {
  let searches: ProbeSearch[];
  try {
    searches = await searchesFor(request.what, io);
  } catch (error) {
    if (error instanceof SearchError || error instanceof ScriptReadError) {
      io.err(`ERROR: ${error.message}\n`);
      if (error instanceof SearchError && error.hint) io.err(`HINT: ${error.hint}\n`);
      return 1;
    }
    if (error instanceof ProgramError) return 1;
    throw error;
  }
  const host = liveHost();
  const listings = new Map<string, ProviderListing>();
  const explained = new Set<ProviderName>();
  const found = new Map<string, ListedProbe>();
  for (const search of searches) {
    for (const provider of search.providers) {
      // A binary's probes depend on the binary the search names.
      const key = `${provider}:${search.target ?? ''}`;
      let listing = listings.get(key);
      if (!listing) {
        listing = listProvider(provider, host, search.target);
        listings.set(key, listing);
      }
      const explanation = listing.kind === 'probes' ? listing.note : listing.reason;
      if (explanation !== undefined && search.explainMissing && !explained.has(provider)) {
        io.err(`WARNING: ${explanation}\n`);
        explained.add(provider);
      }
      if (listing.kind !== 'probes') continue;
      for (const probe of listing.probes) {
        if (!found.has(probe.line) && search.matches(probe.line, provider)) found.set(probe.line, probe);
      }
    }
  }
  const lines = [...found.keys()].sort(byteOrder);
  let text = '';
  for (const line of lines) {
    text += `${line}\n`;
    if (!request.verbose) continue;
    for (const argument of found.get(line)!.arguments?.() ?? []) text += `    ${argument}\n`;
  }
  io.out(text);
  return 0;
}

/** Thrown after a program's diagnostics have been printed. */
class ProgramError extends Error {}

async function searchesFor(what: ListRequest['what'], io: Output): Promise<ProbeSearch[]> {
  switch (what.kind) {
    case 'all':
      return [everything];
    case 'search':
      // `tsbpf -l script.bt` lists the script's probes, as bpftrace does.
      if (!isGlob(what.pattern) && !what.pattern.includes(':') && isFile(what.pattern)) return programSearches({ kind: 'file', path: what.pattern }, io);
      // bpftrace's guess: a name with a dot and neither `:` nor `*` was meant as a script file.
      if (what.pattern.includes('.') && !what.pattern.includes(':') && !what.pattern.includes('*')) {
        io.err(`WARNING: It appears that '${what.pattern}' is a filename but the file does not exist. Treating '${what.pattern}' as a search pattern.\n`);
      }
      return [parseSearch(what.pattern)];
    case 'program':
      return programSearches(what.program, io);
    default:
      return unreachable(what);
  }
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

/** The parser (and Chevrotain behind it) is loaded only for this case. */
async function programSearches(source: ProgramSource, io: Output): Promise<ProbeSearch[]> {
  const script = readProgram(source);
  const [{ parse }, { renderDiagnostics }] = await Promise.all([import('../../parser/parse.js'), import('../../diagnostics/render.js')]);
  const parsed = parse(script.text, script.fileName, { providers: providerSyntax });
  if (parsed.diagnostics.length > 0) io.err(renderDiagnostics(parsed.diagnostics, () => script.text));
  if (!parsed.program) throw new ProgramError();
  const searches: ProbeSearch[] = [];
  for (const probe of parsed.program.probes) {
    for (const point of probe.attachPoints) {
      searches.push(parseSearch(point.fields.length === 0 ? point.provider : `${point.provider}:${point.fields.join(':')}`));
    }
  }
  return searches;
}

function byteOrder(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

function unreachable(value: never): never {
  throw new Error(`unknown listing request ${JSON.stringify(value)}`);
}
