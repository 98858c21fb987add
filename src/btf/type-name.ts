// Spells a BTF type the way C (and bpftrace's messages) would: `struct task_struct *`, `char[16]`,
// `const char *`, `char *const`, `int (*)(void *, long)`. C declarators grow inside-out, so the name is
// built from the outermost type inwards, carrying the declarator text so far.
import type { BtfTypeSource, TypeId } from './types.js';

const MAX_DEPTH = 64;

function join(base: string, declarator: string): string {
  if (declarator === '') return base;
  const tight = declarator.startsWith('[') || (declarator.startsWith('(') && !declarator.startsWith('(*'));
  return tight ? `${base}${declarator}` : `${base} ${declarator}`;
}

function grouped(declarator: string): string {
  return declarator.startsWith('*') ? `(${declarator})` : declarator;
}

function declare(source: BtfTypeSource, id: TypeId, declarator: string, depth: number): string {
  if (depth > MAX_DEPTH) return join('...', declarator);
  const type = source.typeById(id);
  const next = depth + 1;
  switch (type.kind) {
    case 'void':
      return join('void', declarator);
    case 'int': case 'float': case 'typedef':
      return join(type.name || '(anonymous)', declarator);
    case 'struct': case 'union': case 'enum':
      return join(`${type.kind} ${type.name || '(anonymous)'}`, declarator);
    case 'enum64':
      return join(`enum ${type.name || '(anonymous)'}`, declarator);
    case 'forward':
      return join(`${type.union ? 'union' : 'struct'} ${type.name}`, declarator);
    case 'pointer':
      return declare(source, type.type, `*${declarator}`, next);
    case 'array':
      return declare(source, type.type, `${grouped(declarator)}[${type.count}]`, next);
    case 'funcProto': {
      const params = type.params.map((param) => declare(source, param.type, '', next));
      if (type.variadic) params.push('...');
      const list = params.length > 0 ? params.join(', ') : 'void';
      return declare(source, type.returnType, `${grouped(declarator)}(${list})`, next);
    }
    case 'const': case 'volatile': case 'restrict': {
      // A qualified pointer puts the qualifier after the star; anything else takes it in front.
      if (source.typeById(type.type).kind === 'pointer') {
        return declare(source, type.type, declarator ? `${type.kind} ${declarator}` : type.kind, next);
      }
      return `${type.kind} ${declare(source, type.type, declarator, next)}`;
    }
    case 'typeTag':
      return declare(source, type.type, declarator, next);
    case 'func':
      return declare(source, type.type, declarator || type.name, next);
    case 'variable':
      return declare(source, type.type, declarator || type.name, next);
    case 'dataSection':
      return join(`section ${type.name}`, declarator);
    case 'declTag':
      return join(`tag ${type.name}`, declarator);
    default: {
      const unreachable: never = type;
      return unreachable;
    }
  }
}

export function typeName(source: BtfTypeSource, id: TypeId): string {
  return declare(source, id, '', 0);
}
