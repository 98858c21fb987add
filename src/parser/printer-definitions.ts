/**
 * Prints top-level definitions back as source: `#` lines as read, C struct/union/enum definitions
 * one member per line (inline member types nested and indented), attributes where they were.
 */
import type { CAttribute, Definition, EnumDefinition, FieldDeclaration, RecordDefinition, TypeExpression } from './ast.js';
import { printExpression, printLength, printType } from './printer-expressions.js';

const indentUnit = '  ';

export function printDefinition(definition: Definition): string {
  switch (definition.kind) {
    case 'include':
      return definition.system ? `#include <${definition.path}>` : `#include "${definition.path}"`;
    case 'define': {
      const parameters = definition.parameters === undefined ? '' : `(${definition.parameters.join(', ')})`;
      return `#define ${definition.name}${parameters}${definition.body === '' ? '' : ` ${definition.body}`}`;
    }
    case 'preprocessor':
      return `#${definition.directive}${definition.text === '' ? '' : ` ${definition.text}`}`;
    case 'record':
      return `${printRecord(definition, '')};`;
    case 'enum':
      return `${printEnum(definition, '')};`;
  }
}

/** `struct name {…} __attribute__((…))` without the `;`; members indented from `indent`. */
function printRecord(definition: RecordDefinition, indent: string): string {
  const inner = indent + indentUnit;
  const nested = (definition.nested ?? []).map((one) => `${inner}${one.kind === 'record' ? printRecord(one, inner) : printEnum(one, inner)};\n`);
  const fields = definition.fields.map((field) => `${inner}${printField(field, inner)};\n`);
  const name = definition.name === '' ? '' : `${definition.name} `;
  return `${definition.keyword} ${name}{\n${nested.join('')}${fields.join('')}${indent}}${printAttributes(definition.attributes)}`;
}

function printEnum(definition: EnumDefinition, indent: string): string {
  const values = definition.values.map((value) => {
    const assigned = value.value === undefined ? '' : ` = ${printExpression(value.value)}`;
    return `${indent}${indentUnit}${value.name}${assigned},\n`;
  });
  const name = definition.name === '' ? '' : `${definition.name} `;
  return `enum ${name}{\n${values.join('')}${indent}}`;
}

function printField(field: FieldDeclaration, indent: string): string {
  const width = field.bitWidth === undefined ? '' : ` : ${field.bitWidth}`;
  return `${printDeclaration(field.type, field.name, indent)}${width}${printAttributes(field.attributes)}`;
}

function printAttributes(attributes: readonly CAttribute[] | undefined): string {
  if (attributes === undefined || attributes.length === 0) return '';
  const list = attributes.map((attribute) => (attribute.arguments.length === 0
    ? attribute.name
    : `${attribute.name}(${attribute.arguments.map((argument) => printExpression(argument)).join(', ')})`));
  return ` __attribute__((${list.join(', ')}))`;
}

/** A C declarator for a field: `char *name[16]` from array(pointer(char), 16). */
function printDeclaration(type: TypeExpression, name: string, indent: string): string {
  const lengths: string[] = [];
  let inner = type;
  while (inner.kind === 'arrayType') {
    lengths.push(`[${printLength(inner)}]`);
    inner = inner.element;
  }
  let stars = '';
  while (inner.kind === 'pointerType') {
    stars += '*';
    inner = inner.target;
  }
  const base = inner.kind === 'recordType' && inner.definition !== undefined
    ? (inner.definition.kind === 'record' ? printRecord(inner.definition, indent) : printEnum(inner.definition, indent))
    : printType(inner);
  const declarator = `${stars}${name}${lengths.join('')}`;
  return declarator === '' ? base : `${base} ${declarator}`;
}
