// `-l` for the probes of a binary: `uprobe:/bin/bash:*` lists its functions, `usdt:/path:*` its USDT
// notes, as bpftrace lists them (the binary's full path in every line). The binary is named in the
// search (`uprobe:libc:*` resolves as an attach point's target does; a path glob names several).
import type { Host } from '../model/host.js';
import type { ListedProbe, ProviderListing } from '../model/provider.js';
import { functionTargets } from '../elf/functions.js';
import { readUsdtProbes } from '../elf/usdt.js';
import { isTargetPattern } from '../elf/target-pattern.js';
import type { ElfFile } from '../elf/elf-file.js';

/** The binaries a search's target names (none when it names none that exist). */
function binaries(target: string, host: Host): readonly string[] {
  if (isTargetPattern(target)) return host.userTargets(target, undefined);
  const resolution = host.userTarget(target, undefined);
  return resolution.kind === 'found' ? [resolution.path] : [];
}

function listBinaries(
  provider: string, search: string | undefined, host: Host, example: string, probesOf: (elf: ElfFile) => readonly string[],
): ProviderListing {
  const target = search?.split(':')[0];
  if (!target) return { kind: 'unlisted', reason: `-l lists ${provider} probes of a binary: name it, as in -l '${provider}:${example}'` };
  const paths = binaries(target, host);
  if (paths.length === 0) return { kind: 'unlisted', reason: `${provider} target ${target}: no such file` };
  const probes: ListedProbe[] = [];
  for (const path of paths) {
    let elf: ElfFile;
    try {
      elf = host.openElf(path);
    } catch {
      continue;
    }
    for (const name of probesOf(elf)) probes.push({ line: `${provider}:${path}:${name}` });
  }
  return { kind: 'probes', probes };
}

/** uprobe/uretprobe: every function the binary defines (its .symtab and .dynsym). */
export function functionListing(provider: string, host: Host, search: string | undefined): ProviderListing {
  return listBinaries(provider, search, host, '/bin/bash:*', (elf) => [...functionTargets(elf).keys()]);
}

/** usdt: every USDT note, as `provider:name`. */
export function usdtListing(provider: string, host: Host, search: string | undefined): ProviderListing {
  return listBinaries(provider, search, host, '/path/to/binary:*', (elf) => readUsdtProbes(elf).map((probe) => `${probe.provider}:${probe.name}`));
}
