// Why an ELF file could not be read, as data the caller turns into a diagnostic
// (`uprobe target /x: not an ELF file`), never a stack trace.

export type ElfErrorKind =
  /** The file does not exist or cannot be opened. */
  | 'unreadable'
  /** Not an ELF file at all (a script, a text file). */
  | 'not-elf'
  /** ELF, but 32-bit or big-endian. */
  | 'unsupported'
  /** ELF with offsets or sizes pointing outside the file. */
  | 'malformed';

export class ElfError extends Error {
  constructor(readonly kind: ElfErrorKind, readonly path: string, readonly detail: string) {
    super(`${path}: ${detail}`);
    this.name = 'ElfError';
  }
}
