// Behaviour that follows today's bpftrace where tsbpf once differed (issue 14): each case is the
// program a bpftrace user would write and the output today's bpftrace prints.
import { atExit, type Case } from '../case.js';

export const parityCases: Case[] = [
  {
    name: '?: with printf in both branches runs as an if/else statement',
    program: 'BEGIN { nsecs ? printf("yes\\n") : printf("no\\n"); 0 ? printf("yes\\n") : printf("no\\n"); exit(); }',
    expect: `yes\nno\n${atExit()}`,
  },
  {
    name: '?: over buffers of different lengths takes the longer buffer type, each keeps its own length',
    program: 'BEGIN { print(nsecs ? buf("hi", 2) : buf("bye", 3)); print(0 ? buf("hi", 2) : buf("bye", 3)); $b = 1 ? buf("x", 1) : buf("four", 4); printf("%r\\n", $b); exit(); }',
    expect: `hi\nbye\nx\n${atExit()}`,
  },
  {
    name: 'delete() returns whether the element was there',
    program: 'BEGIN { @a[1] = 1; @a[3] = 3; $x = delete(@a, 2); $y = delete(@a, 1); print(($x, $y)); if (delete(@a[3])) { printf("gone\\n"); } if (!delete(@a, 3)) { printf("already\\n"); } exit(); }',
    expect: `(false, true)\ngone\nalready\n${atExit()}`,
  },
];
