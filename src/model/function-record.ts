// A function or builtin of the language as one record: its type rule, its lowering, and for output
// functions how userspace handles the ring-buffer records it sends. Each stage names the facet it
// uses with its own type (check's CallRule, codegen's CallLowering, runtime's ActionOutput); the
// records in src/functions/ fill all three, and compile() and the session hand the table to the stages.

export interface FunctionRecord<Rule = unknown, Lowering = unknown, Output = unknown> {
  /** The name in scripts: `printf`, `strerror`, `ncpus`. */
  readonly name: string;
  /** Also written without parentheses, as a builtin variable (`kstack`, `ncpus`). */
  readonly bare?: boolean;
  readonly check: Rule;
  readonly lower: Lowering;
  /** Output functions: per ring-buffer action kind the lowering emits, how userspace decodes and prints it. */
  readonly actions?: Readonly<Record<string, Output>>;
  /** Values of type `{ kind: 'formatted', by: name }`: their text, from the s64 the program stored. */
  readonly valueText?: (value: bigint, by: string) => string;
}

/** Records by name: what compile() and the session receive. */
export type FunctionTable<Rule = unknown, Lowering = unknown, Output = unknown> = ReadonlyMap<string, FunctionRecord<Rule, Lowering, Output>>;
