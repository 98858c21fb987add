// The tsbpf command: a thin shell over the library. It parses the command line, then hands the
// work to the module for it, loaded only when needed so that `-V`, `-h` and usage errors stay fast.
// Exit codes: 0 success, 1 a user error (with a diagnostic), 2 a usage error.
import { writeFileSync } from 'node:fs';
import { parseArguments, usageText, UsageError, type Invocation } from './arguments.js';
import { processOutput, type Output } from './output-target.js';

async function main(argv: readonly string[], io: Output = processOutput): Promise<number> {
  let invocation: Invocation;
  try {
    invocation = parseArguments(argv, { out: io.out, err: io.err });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    // An empty message: commander has already said what is wrong, and shown the usage.
    if (error.message !== '') io.err(`ERROR: USAGE: ${error.message}\n\n${usageText}`);
    return 2;
  }
  switch (invocation.kind) {
    case 'help':
      return 0;
    case 'version': {
      const { packageVersion } = await import('./version.js');
      io.out(`tsbpf v${packageVersion() ?? 'unknown'}\n`);
      return 0;
    }
    case 'info': {
      const { printInfo } = await import('./info.js');
      return printInfo(io);
    }
    case 'list': {
      const { listProbes } = await import('./list/list-probes.js');
      return listProbes(invocation, io);
    }
    case 'run': {
      const { runProgram } = await import('./run.js');
      return runProgram(invocation, io);
    }
    default:
      return unreachable(invocation);
  }
}

function unreachable(value: never): never {
  throw new Error(`unknown invocation ${JSON.stringify(value)}`);
}

/**
 * The process shows as `tsbpf`, as bpftrace's shows as `bpftrace`: in ps with its arguments (the
 * title), and as the comm that probes see (the title's first 15 bytes would be `tsbpf -e 'BEGIN`).
 */
function nameProcess(argv: readonly string[]): void {
  process.title = ['tsbpf', ...argv].join(' ');
  try {
    writeFileSync('/proc/self/comm', 'tsbpf');
  } catch {
    // Without procfs the title is all there is.
  }
}

nameProcess(process.argv.slice(2));
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const detail = process.env.TSBPF_DEBUG ? `\n${(error as Error).stack ?? ''}` : ' (set TSBPF_DEBUG=1 for details)';
    process.stderr.write(`ERROR: internal error: ${(error as Error).message ?? String(error)}${detail}\n`);
    process.exitCode = 1;
  },
);
