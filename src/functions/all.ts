// Every function record (builtins written without parentheses included), one line per file: adding a
// function is its file and a line here.
export { buf } from './buf.js';
export { cat } from './cat.js';
export { clear, zero } from './clear-zero.js';
export { comm } from './comm.js';
export { debugf } from './debugf.js';
export { elapsed } from './elapsed.js';
export { exit } from './exit.js';
export { join } from './join.js';
export { kaddr } from './kaddr.js';
export { deleteElement, hasKey, len } from './map-elements.js';
export { ncpus } from './ncpus.js';
export { ntop } from './ntop.js';
export { print } from './print.js';
export { pid, tid, uid, gid } from './process-ids.js';
export { printf } from './printf.js';
export { signal } from './signal.js';
export { kstack, ustack } from './stack.js';
export { str } from './str.js';
export { strcontains } from './strcontains.js';
export { strerror } from './strerror.js';
export { strftime } from './strftime.js';
export { strlen } from './strlen.js';
export { strncmp } from './strncmp.js';
export { ksym, usym } from './symbols.js';
export { system } from './system.js';
export { cpu, nsecs, rand, cgroup, curtask, jiffies } from './task-values.js';
export { time } from './time.js';
