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
  /** `--no-warnings`: compile-time warnings are not printed. */
  readonly noWarnings: boolean;
  /** `--include FILE` (repeatable): included before the script's C definitions. */
  readonly includeFiles: readonly string[];
  /** `-I DIR` (repeatable): where `#include` also looks. */
  readonly includeDirs: readonly string[];
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

export type Invocation = { readonly kind: 'help' } | { readonly kind: 'version' } | { readonly kind: 'info' } | ListRequest | RunRequest;

/** A command line that does not say what to do; exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

interface ParsedOptions {
  e?: string;
  list?: boolean;
  pid?: number;
  cmd?: string;
  output?: string;
  f: OutputFormatName;
  quiet?: boolean;
  B?: BufferingMode;
  unsafe?: boolean;
  warnings: number | false;
  aot?: string;
  I?: string[];
  include?: string[];
  emitLlvm?: string;
  emitElf?: string;
  verbose?: boolean;
  debug?: DebugStage[];
  dryRun?: boolean;
  version?: boolean;
  info?: boolean;
}

/** `-h`, in the layout of today's bpftrace (USAGE, OPTIONS, …), listing what tsbpf accepts. */
export const usageText = `tsbpf - a bpftrace-style tracing language compiled straight to eBPF

USAGE:
    tsbpf [options] filename
    tsbpf [options] - <stdin input>
    tsbpf [options] -e 'program'
    arguments after the filename or -e 'program' are the positional parameters $1, $2, ...

OPTIONS:
    -e 'program'   execute this program
    -l, --list [search|filename]
                   list kernel probes or probes in a program
    -v, --verbose  verifier statistics per program; with -l, also show probe arguments
    -h, --help     show this help message
    -V, --version  tsbpf version
    --info         print information about kernel BPF support

    -p, --pid PID  filter actions and enable USDT probes on PID
    -c, --cmd CMD  run CMD and enable USDT probes on resulting process

    -o, --output FILE
                   redirect tsbpf output to FILE
    -f FORMAT      output format ('text', 'json')
    -B MODE        output buffering mode ('line', 'full', 'none')
    -q, --quiet    keep messages quiet
    -k, --warnings emit a warning when probe read helpers return an error
    --no-warnings  disable all warning messages

    -I DIR         add the directory to the include search path
    --include FILE add an #include file before preprocessing
    --unsafe       allow unsafe/destructive functionality

TROUBLESHOOTING OPTIONS:
    --dry-run      load the programs into the verifier, then stop before attaching
    -d, --debug STAGE
                   debug info for various stages of tsbpf execution
                   ('all', 'ast', 'asm', 'verifier')

CONFIGURATION:
    BPFTRACE_MAX_STRLEN and BPFTRACE_MAX_MAP_KEYS in the environment, and
    config = { max_strlen = N; max_map_keys = N } in a script, set string
    and map sizes as in bpftrace.

EXAMPLES:
    tsbpf -e 'tracepoint:syscalls:sys_enter_nanosleep { printf("PID %d sleeping...\\n", pid); }'
        trace processes calling sleep
    tsbpf -e 'tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }'
        count syscalls by process name
    tsbpf -e 'tracepoint:syscalls:sys_enter_openat { printf("%s %s\\n", comm, str(args.filename)); }'
        trace file opens with process name and path
    tsbpf -e 'profile:hz:99 { @[kstack] = count(); }'
        profile kernel stacks at 99 Hertz
    tsbpf -e 'tracepoint:block:block_rq_issue { @ = hist(args.bytes); }'
        histogram of block I/O request sizes
    tsbpf -c 'ls /tmp' -e 'tracepoint:syscalls:sys_enter_openat /pid == cpid/ { @opens = count(); }'
        count the file opens of one command
    tsbpf -l '*sleep*'
        list probes containing "sleep"
    tsbpf -lv 'tracepoint:syscalls:sys_enter_nanosleep'
        show the arguments of a tracepoint
`;

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
    .option('-e <program>')
    .option('-l, --list')
    .option('-p, --pid <pid>', '', positiveInteger)
    .option('-c, --cmd <command>')
    .option('-o, --output <file>')
    .addOption(new Option('-f <format>').choices(['text', 'json']).default('text'))
    .option('-q, --quiet')
    .addOption(new Option('-B <mode>').choices(['none', 'line', 'full']))
    .option('--unsafe')
    .option('-I <dir>', '', (value: string, previous: string[] | undefined) => [...(previous ?? []), value])
    .option('--include <file>', '', (value: string, previous: string[] | undefined) => [...(previous ?? []), value])
    .option('-k, --warnings', '', (_value: string, previous: number | false) => (previous === false ? 1 : previous + 1), 0)
    // Commander reads --no-warnings as warnings = false.
    .option('--no-warnings')
    // bpftrace's LLVM and ahead-of-time flags: refused with the reason (see interpret).
    .option('--aot <file>')
    .option('--emit-llvm <file>')
    .option('--emit-elf <file>')
    .option('-v, --verbose')
    .option('-d, --debug <stage>', '', collectStages)
    .option('--dry-run')
    .option('-V, --version')
    .option('--info')
    .helpOption('-h, --help')
    .argument('[script-and-args...]')
    .configureHelp({ formatHelp: () => usageText })
    // After a mistake, the usage follows what commander says is wrong (bpftrace's shape).
    .showHelpAfterError(true)
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
  const options = command.opts<ParsedOptions>();
  // Commander keeps the last of -k and --no-warnings; bpftrace refuses the pair in either order.
  if (options.warnings === false || argv.includes('--no-warnings')) {
    if (argv.some((word) => word === '--warnings' || /^-[a-zA-Z]*k[a-zA-Z]*$/.test(word))) throw new UsageError('-k, --warnings conflicts with --no-warnings');
    return interpret({ ...options, warnings: false }, command.args);
  }
  return interpret(options, command.args);
}

function interpret(options: ParsedOptions, args: readonly string[]): Invocation {
  if (options.version) return { kind: 'version' };
  if (options.info) return { kind: 'info' };
  if (options.aot !== undefined) throw new UsageError('--aot: tsbpf has no ahead-of-time mode; it compiles at every start, in milliseconds');
  if (options.emitLlvm !== undefined) throw new UsageError('--emit-llvm: tsbpf has no LLVM stage; it writes BPF bytecode itself (-d asm prints it)');
  if (options.emitElf !== undefined) throw new UsageError('--emit-elf: tsbpf loads its programs directly and writes no ELF object (-d asm prints the bytecode)');
  if (options.list) return listRequest(options, args);
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
  if (options.cmd !== undefined && options.pid !== undefined) throw new UsageError('-c and -p cannot be used together');
  // Today's bpftrace refuses the old -kk (it reported every helper's failures).
  if (options.warnings !== false && options.warnings > 1) throw new UsageError('-kk has been deprecated. Use a single -k for runtime warnings for errors in map lookups and probe reads.');
  if (options.cmd !== undefined && options.cmd.trim() === '') throw new UsageError('-c needs a command');
  const stages = new Set(options.debug ?? []);
  return {
    kind: 'run',
    program,
    positional,
    format: options.f,
    ...(options.output !== undefined ? { outputFile: options.output } : {}),
    ...(options.B !== undefined ? { buffering: options.B } : {}),
    quiet: options.quiet ?? false,
    unsafe: options.unsafe ?? false,
    helperErrorChecks: options.warnings === false ? 0 : options.warnings,
    noWarnings: options.warnings === false,
    includeFiles: options.include ?? [],
    includeDirs: options.I ?? [],
    verbose: options.verbose ?? false,
    debugStages: stages,
    dryRun: options.dryRun ?? false,
    ...(options.pid !== undefined ? { targetPid: options.pid } : {}),
    ...(options.cmd !== undefined ? { command: options.cmd } : {}),
  };
}

function listRequest(options: ParsedOptions, args: readonly string[]): ListRequest {
  const verbose = options.verbose ?? false;
  if (options.e !== undefined) return { kind: 'list', what: { kind: 'program', program: { kind: 'inline', text: options.e } }, verbose };
  if (args.length > 1) throw new UsageError('-l takes one search pattern');
  const [pattern] = args;
  if (pattern === undefined || pattern === '') return { kind: 'list', what: { kind: 'all' }, verbose };
  if (pattern === '-') return { kind: 'list', what: { kind: 'program', program: { kind: 'stdin' } }, verbose };
  return { kind: 'list', what: { kind: 'search', pattern }, verbose };
}
