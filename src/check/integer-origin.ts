// Where an integer came from, for bpftrace's "Addrspace mismatch" warning: bpftrace carries an
// address space on every value, and warns when arithmetic mixes one read from user memory (a uprobe's
// argN, a field through a user pointer) with one from the kernel (a field through curtask). tsbpf's
// integers carry none, so the origin is read off the expression; a variable's is not followed.
import type { BinaryExpression, Expression } from '../parser/ast.js';
import type { ProbeTyping } from './probe-typing.js';

type Origin = 'kernel' | 'user' | undefined;

/** Registers of the probe (argN, retval, reg()) are in the probe's space; what is read, in its pointer's. */
export function integerOrigin(typing: ProbeTyping, expression: Expression): Origin {
  switch (expression.kind) {
    case 'identifier':
      if (typing.context.kind === 'registers' && (/^arg\d+$/.test(expression.name) || expression.name === 'retval')) return typing.context.space;
      return undefined;
    case 'fieldAccess':
    case 'index': {
      const object = typing.types.get(expression.object);
      if (object?.kind === 'pointer') return object.space === 'unknown' ? undefined : object.space;
      return object?.kind === 'record' || object?.kind === 'array' ? integerOrigin(typing, expression.object) : undefined;
    }
    case 'unary': {
      if (expression.operator !== '*') return expression.operator === '&' ? undefined : integerOrigin(typing, expression.operand);
      const pointer = typing.types.get(expression.operand);
      return pointer?.kind === 'pointer' && pointer.space !== 'unknown' ? pointer.space : undefined;
    }
    case 'cast':
      return integerOrigin(typing, expression.operand);
    case 'binary':
      return binaryOrigin(typing, expression).origin;
    default:
      return undefined;
  }
}

/** bpftrace's rule: the left side's space, else the right's; two different ones mismatch (and give none). */
export function binaryOrigin(typing: ProbeTyping, expression: BinaryExpression): { readonly origin: Origin; readonly mismatch: boolean } {
  const left = integerOrigin(typing, expression.left);
  const right = integerOrigin(typing, expression.right);
  if (left && right && left !== right) return { origin: undefined, mismatch: true };
  return { origin: left ?? right, mismatch: false };
}
