// The command line as plain data: commander parses the options bpftrace users know, and this module
// turns them into one Invocation (run a program, list probes, print the version) or a UsageError.
// Nothing here touches the kernel or reads a script, so parsing stays cheap and testable alone.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';

export type DebugStage = 'ast' | 'asm' | 'verifier';
const debugStages: readonly (DebugStage | 'all')[] = ['ast', 'asm', 'verifier', 'all'];

export type OutputFormatName = 'text' | 'json';
export type BufferingMode = 'none' | 'line' | 'full';

/** Where the program text comes from. */
export type ProgramSource =
  | { readonly kind: 'inline'; readonly text: string }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'stdin' };

export interface RunRequest {
  readonly kind: 'run';
  readonly program: ProgramSource;
  /** `$1`, `$2`, … */
  readonly positional: readonly string[];
  readonly format: OutputFormatName;
  readonly outputFile?: string;
  /** Absent: write what each ring-buffer drain produces at once. */
  readonly buffering?: BufferingMode;
  /** `-q`: no banner. */
  readonly quiet: boolean;
  readonly unsafe: boolean;
  /** How many times `-k` was given. */
  readonly helperErrorChecks: number;
  /** `-v`: verifier statistics per program. */
  readonly verbose: boolean;
  readonly debugStages: ReadonlySet<DebugStage>;
  /** Compile and load into the verifier, attach nothing. */
  readonly dryRun: boolean;
  /** `-p PID` */
  readonly targetPid?: number;
  /** `-c CMD` */
  readonly command?: string;
}

export interface ListRequest {
  readonly kind: 'list';
  /** Probes of a program's attach points, or a search glob; neither: everything. */
  readonly what: { readonly kind: 'all' } | { readonly kind: 'search'; readonly pattern: string } | { readonly kind: 'program'; readonly program: ProgramSource };
  /** `-lv`: each probe's arguments. */
  readonly verbose: boolean;
}

export type Invocation = { readonly kind: 'help' } | { readonly kind: 'version' } | ListRequest | RunRequest;

/** A command line that does not say what to do; exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

interface ParsedOptions {
  e?: string;
  l?: boolean;
  p?: number;
  c?: string;
  o?: string;
  f: OutputFormatName;
  q?: boolean;
  B?: BufferingMode;
  unsafe?: boolean;
  k: number;
  v?: boolean;
  d?: DebugStage[];
  dryRun?: boolean;
  version?: boolean;
}

const examples = `
Examples:
  tsbpf -l 'tracepoint:syscalls:sys_enter_open*'
  tsbpf -e 'tracepoint:syscalls:sys_enter_openat { printf("%s %s\\n", comm, str(args->filename)); }'
  tsbpf -e 'tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }'
  tsbpf -c 'ls /tmp' -e 'tracepoint:syscalls:sys_enter_openat /comm == "ls"/ { @opens = count(); }'
  tsbpf script.bt arg1 arg2`;

function positiveInteger(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) <= 0 || !Number.isSafeInteger(Number(value))) throw new InvalidArgumentError('expected a process id (a positive integer)');
  return Number(value);
}

function collectStages(value: string, previous: DebugStage[] | undefined): DebugStage[] {
  if (!(debugStages as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${debugStages.join(', ')}`);
  if (value === 'all') return ['ast', 'asm', 'verifier'];
  return [...(previous ?? []), value as DebugStage];
}

function buildCommand(write: { out(text: string): void; err(text: string): void }): Command {
  return new Command('tsbpf')
    .usage('[options] [script | -e program] [-- args]')
    .description('Trace the running kernel with bpftrace-style programs compiled straight to eBPF.')
    .option('-e <program>', 'run PROGRAM')
    .option('-l', 'list probes matching a search glob (or a program\'s probes, with -e or a script)')
    .option('-p <pid>', 'trace process PID: the program sees it as its target, and ends when it exits', positiveInteger)
    .option('-c <command>', 'run COMMAND once the probes are attached, and end when it exits')
    .option('-o <file>', 'write the output to FILE instead of stdout')
    .addOption(new Option('-f <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('-q', 'quiet: no "Attached N probes" banner')
    .addOption(new Option('-B <mode>', 'stdout buffering').choices(['none', 'line', 'full']))
    .option('--unsafe', 'allow unsafe builtin functions')
    .option('-k', 'check helper return values (accepted for compatibility; repeat for more)', (_value: string, previous: number) => previous + 1, 0)
    .option('-v', 'verbose: verifier statistics per program (with -l: probe arguments)')
    .option('-d <stage>', 'print a stage: ast, asm, verifier or all (repeatable)', collectStages)
    .option('--dry-run', 'compile and load into the verifier, attach nothing')
    .option('-V, --version', 'print the version')
    .helpOption('-h, --help', 'print this help')
    .argument('[script-and-args...]', 'a script file (or - for stdin) and its positional parameters $1, $2, …')
    .addHelpText('after', examples)
    .showHelpAfterError('(run tsbpf -h for usage)')
    .exitOverride()
    .configureOutput({ writeOut: write.out, writeErr: write.err });
}

/**
 * Parses `argv` (without the node and script paths). Commander prints its own errors and the help
 * through `write`; a CommanderError other than help becomes a UsageError with an empty message.
 */
export function parseArguments(argv: readonly string[], write: { out(text: string): void; err(text: string): void }): Invocation {
  const command = buildCommand(write);
  try {
    command.parse([...argv], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.help') return { kind: 'help' };
    throw new UsageError('');
  }
  return interpret(command.opts<ParsedOptions>(), command.args);
}

function interpret(options: ParsedOptions, args: readonly string[]): Invocation {
  if (options.version) return { kind: 'version' };
  if (options.l) return listRequest(options, args);
  const [first, ...rest] = args;
  let program: ProgramSource;
  let positional: readonly string[];
  if (options.e !== undefined) {
    program = { kind: 'inline', text: options.e };
    positional = args;
  } else if (first === undefined) {
    throw new UsageError('no program given: pass a script file, - for stdin, or -e PROGRAM');
  } else {
    program = first === '-' ? { kind: 'stdin' } : { kind: 'file', path: first };
    positional = rest;
  }
  if (options.c !== undefined && options.p !== undefined) throw new UsageError('-c and -p cannot be used together');
  if (options.c !== undefined && options.c.trim() === '') throw new UsageError('-c needs a command');
  const stages = new Set(options.d ?? []);
  return {
    kind: 'run',
    program,
    positional,
    format: options.f,
    ...(options.o !== undefined ? { outputFile: options.o } : {}),
    ...(options.B !== undefined ? { buffering: options.B } : {}),
    quiet: options.q ?? false,
    unsafe: options.unsafe ?? false,
    helperErrorChecks: options.k,
    verbose: options.v ?? false,
    debugStages: stages,
    dryRun: options.dryRun ?? false,
    ...(options.p !== undefined ? { targetPid: options.p } : {}),
    ...(options.c !== undefined ? { command: options.c } : {}),
  };
}

function listRequest(options: ParsedOptions, args: readonly string[]): ListRequest {
  const verbose = options.v ?? false;
  if (options.e !== undefined) return { kind: 'list', what: { kind: 'program', program: { kind: 'inline', text: options.e } }, verbose };
  if (args.length > 1) throw new UsageError('-l takes one search pattern');
  const [pattern] = args;
  if (pattern === undefined || pattern === '') return { kind: 'list', what: { kind: 'all' }, verbose };
  if (pattern === '-') return { kind: 'list', what: { kind: 'program', program: { kind: 'stdin' } }, verbose };
  return { kind: 'list', what: { kind: 'search', pattern }, verbose };
}
