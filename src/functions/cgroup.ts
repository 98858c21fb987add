// cgroupid(path): the cgroup v2 id of a cgroupfs directory, read when the script is compiled (its inode
// number, as bpftrace's name_to_handle_at gives it). cgroup_path(id[, filter]): the id as the paths it
// has in the mounted hierarchies, looked up in userspace when printed — `unified:/user.slice/…` for
// cgroup2, the mount's name for v1 ones (v2 first, then v1 by name, joined with commas), filtered by a
// wildcard over those names, as bpftrace prints it.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { u64 } from '../model/types.js';
import { arity, needInteger, needLiteral } from '../check/call-rule.js';
import { storeFormatted } from './formatted-number.js';
import type { FunctionRecord } from './record.js';

export const cgroupid: FunctionRecord = {
  name: 'cgroupid',
  check(context, call) {
    if (!arity(context, call, 1, 1)) return u64;
    const path = needLiteral(context, call, 0);
    if (path === undefined) return u64;
    const id = context.host.cgroupId(path);
    if (id === undefined) context.diagnostics.error(call.arguments[0]!.span, `cgroupid(): no cgroup at ${path}`, 'cgroup v2 directories are under the cgroup2 mount (see /proc/mounts)');
    else context.setConstant(call, id);
    return u64;
  },
  lower: (lowering, call, type) => ({ kind: 'constant', value: lowering.program.probe.facts.constants.get(call)!, type }),
};

export const cgroupPath: FunctionRecord = {
  name: 'cgroup_path',
  check(context, call) {
    if (!arity(context, call, 1, 2)) return u64;
    needInteger(context, call, 0);
    const filter = call.arguments.length > 1 ? needLiteral(context, call, 1) : undefined;
    return { kind: 'formatted', by: filter === undefined ? 'cgroup_path' : `cgroup_path:${filter}` };
  },
  lower: (lowering, call, type) => storeFormatted(lowering, lowering.lower(call.arguments[0]!), type),
  valueText(value, by) {
    const filter = by.includes(':') ? by.slice(by.indexOf(':') + 1) : '*';
    const matches = wildcard(filter);
    return hierarchies()
      .filter((hierarchy) => matches.test(hierarchy.name))
      .map((hierarchy) => ({ name: hierarchy.name, path: pathOf(BigInt.asUintN(64, value), hierarchy.root) }))
      .filter((found) => found.path !== undefined)
      .map((found) => `${found.name}:${found.path}`)
      .join(',');
  },
};

/** The mounted cgroup hierarchies: cgroup2 ones named `unified`, then v1 ones by their mount's name. */
function hierarchies(): { name: string; root: string }[] {
  const mounts = readFileSync('/proc/mounts', 'utf8').split('\n').map((line) => line.split(' '));
  const v2 = mounts.filter((fields) => fields[2] === 'cgroup2').map((fields) => ({ name: 'unified', root: fields[1]! }));
  const v1 = mounts.filter((fields) => fields[2] === 'cgroup').map((fields) => ({ name: basename(fields[1]!), root: fields[1]! }));
  return [...v2, ...v1.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))];
}

const found = new Map<string, string>();

/** The directory under `root` whose inode is `id`, relative to `root` (`/` for the root itself). */
function pathOf(id: bigint, root: string): string | undefined {
  const key = `${id}:${root}`;
  const cached = found.get(key);
  if (cached !== undefined && inode(join(root, cached)) === id) return cached;
  if (inode(root) === id) return remember(key, '/');
  let entries: string[];
  try {
    entries = readdirSync(root, { recursive: true, encoding: 'utf8' });
  } catch {
    return undefined;
  }
  for (const entry of entries) {
    if (inode(join(root, entry)) === id) return remember(key, `/${entry}`);
  }
  return undefined;
}

function remember(key: string, path: string): string {
  found.set(key, path);
  return path;
}

function inode(path: string): bigint | undefined {
  try {
    const stat = statSync(path, { bigint: true });
    return stat.isDirectory() ? stat.ino : undefined;
  } catch {
    return undefined;
  }
}

/** A bpftrace wildcard (`*` for any run of characters) as a whole-name pattern. */
function wildcard(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}
