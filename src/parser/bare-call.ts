// The call a bare function name stands for (`ppid` is `ppid()`). One call object per identifier, made
// on first use: a function record may key what it builds from the call (ppid's walk through
// curtask), and the checker's types for that must be found again by code generation.
import type { CallExpression, IdentifierExpression } from './ast.js';

const calls = new WeakMap<IdentifierExpression, CallExpression>();

export function bareCall(identifier: IdentifierExpression): CallExpression {
  let call = calls.get(identifier);
  if (!call) calls.set(identifier, (call = { kind: 'call', span: identifier.span, name: identifier.name, arguments: [] }));
  return call;
}
