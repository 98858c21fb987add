// The tsbpf command: a thin shell over compile() and startSession(). Exit codes: 0 success, 1 a user
// error (with a diagnostic), 2 a usage error.
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { compile } from '../compile.js';
import { renderDiagnostics } from '../diagnostics/index.js';
import { startSession } from '../runtime/session.js';
import { disassembleProgram } from '../bpf/index.js';
import { describeFailure } from './failure.js';

interface CliOptions {
  e?: string;
  format: string;
  debug?: string;
  dryRun?: boolean;
}

function readSource(program: Command, options: CliOptions): { source: string; fileName: string; positional: string[] } {
  const args = program.args;
  if (options.e !== undefined) return { source: options.e, fileName: 'stdin', positional: args };
  const [file, ...positional] = args;
  if (!file) throw new CommanderError(2, 'tsbpf.usage', 'tsbpf: give a script file, - for stdin, or -e PROGRAM');
  if (file === '-') return { source: readFileSync(0, 'utf8'), fileName: 'stdin', positional };
  return { source: readFileSync(file, 'utf8'), fileName: file, positional };
}

async function main(argv: string[]): Promise<number> {
  const program = new Command('tsbpf')
    .usage('[options] [script | -e program] [-- args]')
    .option('-e <program>', 'the program to run')
    .option('-f, --format <format>', 'output format: text or json', 'text')
    .option('-d, --debug <stage>', 'print a stage: asm')
    .option('--dry-run', 'compile and load into the verifier, attach nothing')
    .argument('[args...]')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  try {
    program.parse(argv);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    throw error;
  }
  const options = program.opts<CliOptions>();
  if (options.format !== 'text' && options.format !== 'json') {
    process.stderr.write(`tsbpf: unknown output format '${options.format}': use text or json\n`);
    return 2;
  }
  let input;
  try {
    input = readSource(program, options);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    process.stderr.write(`tsbpf: ${(error as Error).message}\n`);
    return 1;
  }
  const result = compile(input.source, { fileName: input.fileName, positional: input.positional });
  if (result.diagnostics.length) process.stderr.write(renderDiagnostics(result.diagnostics, () => input.source));
  if (!result.script) return 1;
  if (options.debug === 'asm') {
    for (const compiled of result.script.programs) {
      process.stdout.write(`${compiled.attachments.map((a) => a.name).join(', ')}:\n${disassembleProgram(compiled.assembled).join('\n')}\n\n`);
    }
    if (options.dryRun) return 0;
  }
  try {
    const session = startSession(result.script, { output: { format: options.format } });
    session.installSignalHandlers();
    return await session.done;
  } catch (error) {
    process.stderr.write(`${describeFailure(error, input.source)}\n`);
    return 1;
  }
}

main(process.argv).then(
  (code) => { process.exitCode = code; },
  (error) => {
    process.stderr.write(`tsbpf: internal error: ${(error as Error).stack ?? error}\n`);
    process.exitCode = 1;
  },
);
