// The facts pass: after a probe is typed, what code generation needs to know about it, decided once
// here so that codegen does not rescan the AST or re-measure types: which programs read the context
// or pid/tid, which loops run as callbacks and which bodies can leave the probe, the variables each
// loop body changes, and the values of compile-time constants (sizeof, offsetof).
import type {
  BlockStatement, CallExpression, DispatchStatement, Expression, ForRangeStatement, ProbeBlock, Program, VariableExpression, WhileStatement,
} from '../parser/ast.js';
import { collectNodes, someNode } from '../parser/ast-search.js';
import { assignedVariables, canLeaveProbe, frameCallbackNeeds, loopNeedsCallback } from './loop-strategy.js';

/** Facts of one BPF program: the probe's own, or a dispatch case's. */
export interface ProgramFacts {
  /** The body reads its context (fields, raw arguments, stacks) or passes it on (dispatch). */
  readonly readsContext: boolean;
  /** pid/tid are read more than once: bpf_get_current_pid_tgid is called once, at entry. */
  readonly readsPidTgidTwice: boolean;
  /** Callbacks that reach the probe's frame (for-map bodies, callback loops), and whether one can leave the probe. */
  readonly frameCallbacks: { readonly any: boolean; readonly leaving: boolean };
}

export interface ProbeFacts {
  /** Keyed by the program's body: the probe block's body, or a dispatch case's body. */
  readonly programs: ReadonlyMap<BlockStatement, ProgramFacts>;
  /** `while` and `for` range loops lowered as bpf_loop callbacks. */
  readonly callbackLoops: ReadonlySet<WhileStatement | ForRangeStatement>;
  /** Loop and for-map bodies that can leave the probe (exit(), return). */
  readonly leavingBodies: ReadonlySet<BlockStatement>;
  /** The variables each loop and for-map body assigns or increments. */
  readonly assignedVariables: ReadonlyMap<BlockStatement, readonly VariableExpression[]>;
  /** sizeof(), offsetof() and kaddr() values, measured while typing. */
  readonly constants: ReadonlyMap<Expression, bigint>;
}

/** `funcReadsContext`: `func` is chosen by the attach cookie, which the context gives (uprobe_multi). */
export function probeFacts(block: ProbeBlock, constants: ReadonlyMap<Expression, bigint>, funcReadsContext = false): ProbeFacts {
  const programs = new Map<BlockStatement, ProgramFacts>();
  programs.set(block.body, programFacts([block.body, block.predicate], funcReadsContext));
  for (const dispatch of collectNodes(block.body, (node) => node.kind === 'dispatch') as unknown as DispatchStatement[]) {
    for (const dispatchCase of dispatch.cases) programs.set(dispatchCase.body, programFacts(dispatchCase.body, funcReadsContext));
  }
  const loops = collectNodes(block.body, (node) => node.kind === 'while' || node.kind === 'forRange' || node.kind === 'forMap') as unknown as { kind: string; body: BlockStatement; condition?: Expression }[];
  const callbackLoops = new Set<WhileStatement | ForRangeStatement>();
  const leavingBodies = new Set<BlockStatement>();
  const assigned = new Map<BlockStatement, readonly VariableExpression[]>();
  for (const loop of loops) {
    if (loop.kind !== 'forMap' && loopNeedsCallback(loop as WhileStatement | ForRangeStatement)) callbackLoops.add(loop as WhileStatement | ForRangeStatement);
    if (canLeaveProbe(loop.body)) leavingBodies.add(loop.body);
    assigned.set(loop.body, assignedVariables(loop));
  }
  return { programs, callbackLoops, leavingBodies, assignedVariables: assigned, constants };
}

/** The maps named by a delete() anywhere in the program. */
export function mapsDeletedInProgram(program: Program): ReadonlySet<string> {
  const calls = collectNodes(program, (node) => node.kind === 'call' && node.name === 'delete') as unknown as CallExpression[];
  return new Set(calls.flatMap((call) => (call.arguments[0]?.kind === 'map' ? [call.arguments[0].name] : [])));
}

function programFacts(source: unknown, funcReadsContext: boolean): ProgramFacts {
  return {
    readsContext: readsContext(source) || (funcReadsContext && namesBuiltin(source, (name) => name === 'func')),
    readsPidTgidTwice: countIdentifiers(source, ['pid', 'tid']) >= 2,
    frameCallbacks: frameCallbackNeeds(source),
  };
}

/** How many identifiers (or no-argument calls) in `node` have one of `names`. */
function countIdentifiers(node: unknown, names: readonly string[]): number {
  return collectNodes(node, (found) => (found.kind === 'identifier' || (found.kind === 'call' && (found as CallExpression).arguments.length === 0))
    && typeof found.name === 'string' && names.includes(found.name)).length;
}

/** Whether `node` names one of these builtins (as an identifier or a call). */
function namesBuiltin(node: unknown, matches: (name: string) => boolean): boolean {
  return someNode(node, (found) => (found.kind === 'identifier' || found.kind === 'call') && typeof found.name === 'string' && matches(found.name));
}

const argumentBuiltin = (name: string): boolean => name === 'args' || name === 'retval' || /^arg[0-9]$/.test(name);

/** Whether a body reads the probe's arguments (args, argN, retval): their layout is per attach point. */
export function readsArguments(node: unknown): boolean {
  return namesBuiltin(node, argumentBuiltin);
}

/** Whether a body reads its context (arguments, stacks) or passes it on (a dispatch's tail call). */
function readsContext(node: unknown): boolean {
  return someNode(node, (found) => found.kind === 'dispatch') || namesBuiltin(node, (name) => argumentBuiltin(name) || name === 'kstack' || name === 'ustack' || name === 'usermode' || name === 'reg');
}
