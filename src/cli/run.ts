// Running a program: read it, compile it (with -p/-c's pids), optionally dump stages or load it into
// the verifier only, then start a session and wait for it to end — by exit(), a signal (the
// session's own handlers), the -c command exiting, or the -p process exiting. Every way ends the
// same way: END, the maps printed, everything closed.
import { compile, type CompileOptions } from '../compile.js';
import type { CompiledScript } from '../model/artifact.js';
import { VerifierError } from '../loader/verifier-error.js';
import { renderDiagnostics } from '../diagnostics/index.js';
import { startSession, type Session } from '../index.js';
import type { RunRequest } from './arguments.js';
import { ChildCommandError, spawnGatedCommand, type GatedCommand } from './child-command.js';
import { asmDump, astDump } from './debug-dump.js';
import { configFromEnvironment } from './environment.js';
import { describeFailure, type FailureContext } from './failure.js';
import { openOutputTarget, OutputFileError, type Output, type OutputTarget } from './output-target.js';
import { readProgram, ScriptReadError, type ScriptText } from './script-source.js';
import { processIsAlive, watchProcessExit } from './target-process.js';
import { formatStatistics, formatVerifierLogs, VerifierLog, verifyScript } from './verification.js';

export async function runProgram(request: RunRequest, io: Output): Promise<number> {
  let script: ScriptText;
  try {
    script = readProgram(request.program);
  } catch (error) {
    if (error instanceof ScriptReadError) {
      io.err(`ERROR: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  if (request.targetPid !== undefined && !processIsAlive(request.targetPid)) {
    io.err(`ERROR: process ${request.targetPid} does not exist\n`);
    return 1;
  }
  let child: GatedCommand | undefined;
  try {
    child = request.command === undefined ? undefined : spawnGatedCommand(request.command);
  } catch (error) {
    if (error instanceof ChildCommandError) {
      io.err(`ERROR: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  try {
    return await compileAndRun(request, script, child, io);
  } finally {
    child?.terminate();
  }
}

async function compileAndRun(request: RunRequest, script: ScriptText, child: GatedCommand | undefined, io: Output): Promise<number> {
  if (request.debugStages.has('ast')) {
    const dump = astDump(script.text, script.fileName);
    if (dump !== undefined) io.out(dump);
  }
  const options: CompileOptions = {
    fileName: script.fileName,
    environment: configFromEnvironment(process.env),
    positional: request.positional,
    ...(request.targetPid !== undefined ? { targetPid: request.targetPid } : {}),
    ...(child ? { childPid: child.pid } : {}),
    ...(request.unsafe ? { unsafe: true } : {}),
    ...(request.helperErrorChecks > 0 ? { probeReadWarnings: true } : {}),
    includeFiles: request.includeFiles,
    includeDirs: request.includeDirs,
  };
  const sourceFor = (file: string) => (file === script.fileName ? script.text : undefined);
  const result = compile(script.text, options);
  // --no-warnings: errors only.
  const shown = request.noWarnings ? result.diagnostics.filter((diagnostic) => diagnostic.severity !== 'warning') : result.diagnostics;
  if (shown.length > 0) io.err(renderDiagnostics(shown, sourceFor));
  if (!result.script) return 1;
  if (result.script.programs.length === 0) {
    io.err(`ERROR: ${script.fileName} has no probes: nothing to attach\n`);
    return 1;
  }
  const failureContext: FailureContext = { script: result.script, sourceFor, verbose: request.verbose };
  if (request.debugStages.has('asm')) io.out(asmDump(result.script));

  const showLog = request.debugStages.has('verifier');
  if (request.dryRun || request.verbose || showLog) {
    const level = showLog ? VerifierLog.everyInstruction : request.verbose ? VerifierLog.statistics : VerifierLog.none;
    try {
      const verified = verifyScript(result.script, level);
      if (showLog) io.out(formatVerifierLogs(verified));
      if (request.verbose) io.err(formatStatistics(verified));
    } catch (error) {
      io.err(describeFailure(withInstructionLog(error, result.script, level), failureContext));
      return 1;
    }
    if (request.dryRun) return 0;
  }

  let session: Session | undefined;
  let target: OutputTarget;
  try {
    target = openOutputTarget({ file: request.outputFile, buffering: request.buffering }, () => void session?.stop());
  } catch (error) {
    if (error instanceof OutputFileError) {
      io.err(`ERROR: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  // From the banner on, a signal must end the run in order (END, maps). Without a listener while the
  // session starts, SIGINT/SIGTERM would kill tsbpf outright; with one, the signal waits for the
  // event loop, and is handled by the session (or, held here, stops it at once).
  const heldSignals = holdSignals();
  try {
    session = startSession(result.script, {
      output: { format: request.format, stdout: target, source: sourceFor },
      banner: !request.quiet,
      // -p: read the target's memory map now, so its user stacks still resolve if it exits first.
      ...(request.targetPid !== undefined ? { tracedProcesses: [request.targetPid] } : {}),
    });
  } catch (error) {
    heldSignals.release();
    target.close();
    io.err(describeFailure(error, failureContext));
    return 1;
  }
  session.installSignalHandlers();
  const interrupted = heldSignals.release();
  if (interrupted) void session.stop();
  // An interrupted run never lets the -c command start.
  return await awaitEnd(session, request, interrupted ? undefined : child, target, io, failureContext);
}

/** The kernel's log level 1: the instructions of each path walked, up to the failure. */
const branchLogLevel = 1;

/**
 * A rejection logged at the statistics level says why but not where: loading again with the
 * branch-level log (verification is deterministic) names the instructions, and so the script line.
 */
function withInstructionLog(error: unknown, script: CompiledScript, level: number): unknown {
  if (!(error instanceof VerifierError) || level !== VerifierLog.statistics) return error;
  try {
    verifyScript(script, branchLogLevel);
  } catch (again) {
    if (again instanceof VerifierError) return again;
  }
  return error;
}

const stoppingSignals: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Catches stopping signals until release(), which says whether one came. */
function holdSignals(): { release(): boolean } {
  let received = false;
  const onSignal = () => {
    received = true;
  };
  for (const signal of stoppingSignals) process.on(signal, onSignal);
  return {
    release: () => {
      for (const signal of stoppingSignals) process.off(signal, onSignal);
      return received;
    },
  };
}

async function awaitEnd(session: Session, request: RunRequest, child: GatedCommand | undefined, target: OutputTarget, io: Output, failureContext: FailureContext): Promise<number> {
  const stop = () => void session.stop();
  const stopWatching = request.targetPid === undefined ? undefined : watchProcessExit(request.targetPid, stop);
  if (child) {
    void child.exited.then(stop);
    child.release();
  }
  // The last line of defence: an exception nothing caught (a bug in a callback) ends the run the
  // ordered way, END and maps included, instead of killing tsbpf with a stack trace.
  let uncaught: unknown;
  const onUncaught = (error: unknown) => {
    uncaught ??= error;
    stop();
  };
  process.on('uncaughtException', onUncaught);
  let code: number;
  try {
    code = await session.done;
  } finally {
    process.off('uncaughtException', onUncaught);
  }
  stopWatching?.();
  target.close();
  if (session.failure) io.err(describeFailure(session.failure, failureContext));
  if (uncaught !== undefined) {
    const detail = process.env['TSBPF_DEBUG'] && uncaught instanceof Error ? `\n${uncaught.stack ?? ''}` : ' (set TSBPF_DEBUG=1 for details)';
    io.err(`ERROR: internal error: ${uncaught instanceof Error ? uncaught.message : String(uncaught)}${detail}\n`);
    return 1;
  }
  return code;
}
