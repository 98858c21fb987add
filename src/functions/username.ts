// username: the current uid, printed as its name in /etc/passwd as bpftrace prints it (the first
// entry with that uid; empty when there is none). The program keeps the uid; userspace reads the file
// when it prints, so the name is the one of that moment, as in bpftrace.
import { readFileSync } from 'node:fs';
import { mov32 } from '../bpf/index.js';
import { u32 } from '../model/types.js';
import { builtinAsText } from './formatted-number.js';

/** The login name of `uid` in /etc/passwd; '' when no entry has it or the file cannot be read. */
export function passwdName(uid: bigint, passwd = '/etc/passwd'): string {
  let text: string;
  try {
    text = readFileSync(passwd, 'utf8');
  } catch {
    return '';
  }
  const wanted = String(uid);
  for (const line of text.split('\n')) {
    const fields = line.split(':');
    if (fields.length >= 3 && fields[2] === wanted) return fields[0]!;
  }
  return '';
}

export const username = builtinAsText('username', (lowering) => {
  const temp = lowering.e.callHelper('get_current_uid_gid', [])!;
  // The uid is the lower half.
  const target = lowering.e.pool.writable(temp);
  lowering.e.emit(mov32(target, target));
  return { kind: 'register', temp, type: u32 };
}, (uid) => passwdName(uid));
