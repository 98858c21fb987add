// Install footprint: bytes on disk each tool needs. tsbpf: the bundled CLI and the addon (what the
// command loads), dist/ and build/ as built, the npm dependency closure that `npm install` brings,
// and Node itself with its shared libraries. bpftrace: its Debian package's files, the shared
// libraries it loads (ldd), and the installed size of the packages those come from.
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryRoot, tsbpfCli } from './cli-tools.js';

export interface SizedItem {
  readonly name: string;
  readonly bytes: number;
}

export interface Footprint {
  readonly tsbpf: {
    /** dist/tsbpf.js + the addon: everything the command loads besides Node. */
    readonly cliBytes: number;
    readonly bundleBytes: number;
    readonly bundleSourceMapBytes: number;
    readonly addonBytes: number;
    readonly distBytes: number;
    readonly buildBytes: number;
    /** `dependencies` of package.json and what they pull in, as installed in node_modules. */
    readonly dependencyClosure: readonly SizedItem[];
    readonly dependencyClosureBytes: number;
    /** Of the closure, what the bundled CLI or the library imports at run time (the rest builds the addon). */
    readonly runtimeDependencyBytes: number;
    readonly node: { readonly path: string; readonly bytes: number; readonly libraries: readonly SizedItem[] };
  };
  readonly bpftrace?: {
    readonly packageFileBytes: number;
    readonly libraries: readonly SizedItem[];
    readonly librariesBytes: number;
    /** Libraries bpftrace loads that node does not (the system C/C++ runtime both use is left out). */
    readonly ownLibrariesBytes: number;
    /** Debian packages: bpftrace and the owners of its libraries, with Installed-Size. */
    readonly packages: readonly SizedItem[];
    readonly packagesBytes: number;
  };
}

/** Packages the CLI and the library import at run time; cmake-js and node-addon-api only build the addon. */
const runtimePackages = ['chevrotain', 'commander'];

function fileBytes(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** Apparent size of a tree, symlinks not followed; `skip` names directories left out. */
function treeBytes(path: string, skip: ReadonlySet<string> = new Set()): number {
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.isFile() ? stat.size : 0;
  let total = 0;
  for (const entry of readdirSync(path)) if (!skip.has(entry)) total += treeBytes(join(path, entry), skip);
  return total;
}

/** Package directories reached from `names`, looked up node-style from the root's node_modules. */
function dependencyClosure(names: readonly string[]): Map<string, string> {
  const found = new Map<string, string>();
  const visit = (name: string, from: string) => {
    for (let directory = from; ; directory = join(directory, '..', '..')) {
      const candidate = join(directory, 'node_modules', name);
      if (existsSync(join(candidate, 'package.json'))) {
        const real = realpathSync(candidate);
        if ([...found.values()].includes(real)) return;
        found.set(found.has(name) ? `${name} (${real})` : name, real);
        const manifest = JSON.parse(readFileSync(join(real, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
        for (const dependency of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) visit(dependency, real);
        return;
      }
      if (directory === repositoryRoot || directory === '/') return;
    }
  };
  for (const name of names) visit(name, repositoryRoot);
  return found;
}

function closureItems(packages: Map<string, string>): SizedItem[] {
  return [...packages].map(([name, path]) => ({ name, bytes: treeBytes(path, new Set(['node_modules'])) })).sort((a, b) => b.bytes - a.bytes);
}

/** Shared libraries an executable loads, resolved to real files. */
function linkedLibraries(executable: string): SizedItem[] {
  let output: string;
  try {
    output = execFileSync('ldd', [executable], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return [];
  }
  const libraries = new Map<string, number>();
  for (const line of output.split('\n')) {
    const match = /=>\s*(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
    if (!match) continue;
    const real = realpathSync(match[1]!);
    libraries.set(real, fileBytes(real));
  }
  return [...libraries].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
}

const sum = (items: readonly SizedItem[]) => items.reduce((total, item) => total + item.bytes, 0);

function commandPath(name: string): string | undefined {
  try {
    return execFileSync('which', [name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
  } catch {
    return undefined;
  }
}

function debianPackages(libraries: readonly SizedItem[]): SizedItem[] {
  const owners = new Set<string>(['bpftrace']);
  for (const library of libraries) {
    try {
      const owner = execFileSync('dpkg', ['-S', library.name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      for (const line of owner.split('\n')) {
        const name = line.split(':')[0]?.trim();
        if (name) owners.add(name.split(',')[0]!.trim());
      }
    } catch {
      // Some paths are only known under their /usr-merged alias; the file size still counts above.
    }
  }
  return [...owners]
    .map((name) => {
      try {
        const kib = execFileSync('dpkg-query', ['-W', '-f=${Installed-Size}', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
        return { name, bytes: Number(kib.trim()) * 1024 };
      } catch {
        return { name, bytes: 0 };
      }
    })
    .sort((a, b) => b.bytes - a.bytes);
}

function bpftraceFootprint(nodeLibraries: readonly SizedItem[]): Footprint['bpftrace'] {
  const executable = commandPath('bpftrace');
  if (!executable) return undefined;
  let packageFiles: string[] = [];
  try {
    packageFiles = execFileSync('dpkg', ['-L', 'bpftrace'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n').filter(Boolean);
  } catch {
    packageFiles = [executable];
  }
  const packageFileBytes = packageFiles.reduce((total, path) => {
    try {
      const stat = lstatSync(path);
      return total + (stat.isFile() ? stat.size : 0);
    } catch {
      return total;
    }
  }, 0);
  const libraries = linkedLibraries(realpathSync(executable));
  const nodeSet = new Set(nodeLibraries.map((library) => library.name));
  const packages = debianPackages(libraries);
  return {
    packageFileBytes,
    libraries,
    librariesBytes: sum(libraries),
    ownLibrariesBytes: sum(libraries.filter((library) => !nodeSet.has(library.name))),
    packages,
    packagesBytes: sum(packages),
  };
}

export function measureFootprint(): Footprint {
  const manifest = JSON.parse(readFileSync(join(repositoryRoot, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const closure = dependencyClosure(Object.keys(manifest.dependencies ?? {}));
  const items = closureItems(closure);
  const runtime = closureItems(dependencyClosure(runtimePackages));
  const addon = join(repositoryRoot, 'build', 'Release', 'tsbpf_native.node');
  const nodeLibraries = linkedLibraries(process.execPath);
  const bundleBytes = fileBytes(tsbpfCli);
  return {
    tsbpf: {
      cliBytes: bundleBytes + fileBytes(addon),
      bundleBytes,
      bundleSourceMapBytes: fileBytes(`${tsbpfCli}.map`),
      addonBytes: fileBytes(addon),
      distBytes: treeBytes(join(repositoryRoot, 'dist')),
      buildBytes: treeBytes(join(repositoryRoot, 'build')),
      dependencyClosure: items,
      dependencyClosureBytes: sum(items),
      runtimeDependencyBytes: sum(runtime),
      node: { path: process.execPath, bytes: fileBytes(realpathSync(process.execPath)), libraries: nodeLibraries },
    },
    ...(() => {
      const bpftrace = bpftraceFootprint(nodeLibraries);
      return bpftrace ? { bpftrace } : {};
    })(),
  };
}
