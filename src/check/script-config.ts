// `config = { max_strlen = 128; license = "Dual MIT/GPL" }` in the script: bpftrace's configuration
// keys (case-insensitive, with or without the `bpftrace_` prefix), checked as bpftrace checks them.
// tsbpf applies max_strlen, str_trunc_trailer, max_map_keys, license and missing_probes; the other keys
// bpftrace knows are accepted with a warning that they change nothing here; an unknown key is an error at its entry.
import { errorAt, warningAt, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { ConfigEntry, Program } from '../parser/ast.js';
import type { CompileConfig, MissingProbes } from '../model/config.js';

/** bpftrace's configuration keys that tsbpf does not act on (yet). */
const ignoredKeys = new Set([
  'cache_user_symbols', 'cpp_demangle', 'lazy_symbolication', 'log_size', 'max_bpf_progs', 'max_cat_bytes', 'max_probes',
  'on_stack_limit', 'perf_rb_pages', 'stack_mode', 'print_maps_on_exit', 'use_blazesym',
  'show_debug_info', 'unstable_import_statement', 'unstable_tseries', 'unstable_typeinfo', 'unstable_dw_ustack',
]);
const renamedKeys: Readonly<Record<string, string>> = { strlen: 'max_strlen', no_cpp_demangle: 'cpp_demangle', cat_bytes_max: 'max_cat_bytes', map_keys_max: 'max_map_keys' };
const deprecatedKeys = new Set(['symbol_source', 'max_type_res_iterations', 'unstable_addr', 'unstable_import', 'unstable_macro', 'unstable_map_decl']);
const environmentOnlyKeys = new Set(['btf', 'kernel_build', 'kernel_source', 'vmlinux']);

/** The GPL-compatible licenses the kernel accepts for programs calling GPL-only helpers, as bpftrace lists them. */
export const validLicenses = ['GPL', 'GPL v2', 'GPL and additional rights', 'Dual BSD/GPL', 'Dual MIT/GPL', 'Dual MPL/GPL'];

type ScriptSettings = { -readonly [Key in 'maxStringLength' | 'stringTrailer' | 'maxMapKeys' | 'license' | 'missingProbes']?: CompileConfig[Key] };

export function scriptConfig(program: Program): { readonly config: Partial<CompileConfig>; readonly diagnostics: readonly Diagnostic[] } {
  const config: ScriptSettings = {};
  const diagnostics: Diagnostic[] = [];
  for (const block of program.configs) {
    for (const entry of block.entries) {
      const written = entry.key.toLowerCase().replace(/^bpftrace_/, '');
      const renamed = renamedKeys[written];
      if (renamed) diagnostics.push(warningAt(entry.span, `${entry.key}: key has been renamed to '${renamed}'`));
      const key = renamed ?? written;
      if (deprecatedKeys.has(key)) diagnostics.push(warningAt(entry.span, `${entry.key} is deprecated and has no effect`));
      else if (environmentOnlyKeys.has(key)) diagnostics.push(errorAt(entry.span, `${entry.key}: can only be set as an environment variable`));
      else if (ignoredKeys.has(key)) diagnostics.push(warningAt(entry.span, `${entry.key}: tsbpf does not use this option yet; it has no effect`));
      else if (key === 'max_strlen' || key === 'max_map_keys') {
        const value = numberOf(entry);
        if (value === undefined) diagnostics.push(errorAt(entry.value.span, `${entry.key}: expecting a number`));
        else if (key === 'max_strlen') config.maxStringLength = value;
        else config.maxMapKeys = value;
      } else if (key === 'str_trunc_trailer') {
        // A number is its digits, as bpftrace sets a string key from an integer.
        const value = entry.value.kind === 'string' ? entry.value.value : entry.value.kind === 'integer' ? String(entry.value.value) : undefined;
        if (value === undefined) diagnostics.push(errorAt(entry.value.span, `${entry.key}: expecting a string`));
        else config.stringTrailer = value;
      } else if (key === 'license') {
        const value = entry.value.kind === 'string' ? entry.value.value : undefined;
        if (value !== undefined && validLicenses.includes(value)) config.license = value;
        else {
          diagnostics.push(errorAt(entry.span, `Invalid value for license. Found: ${value ?? 'a non-string'}. Valid values: ${validLicenses.join(', ')}.`
            + ' Read more about BPF programs and licensing: https://docs.kernel.org/bpf/bpf_licensing.html#using-bpf-programs-in-the-linux-kernel'));
        }
      } else if (key === 'missing_probes') {
        const value = missingProbesValue(entry.value.kind === 'string' ? entry.value.value : entry.value.kind === 'identifier' ? entry.value.name : undefined);
        if (value === undefined) diagnostics.push(errorAt(entry.value.span, `${entry.key}: ${invalidMissingProbes}`));
        else config.missingProbes = value;
      } else diagnostics.push(errorAt(entry.span, `${entry.key}: not a known configuration option`));
    }
  }
  return { config, diagnostics };
}

const invalidMissingProbes = 'Invalid value for missing_probes: valid values are ignore, warn, and error.';

/** `ignore`, `warn` or `error`, in any case (as bpftrace reads them). */
export function missingProbesValue(text: string | undefined): MissingProbes | undefined {
  const lower = text?.toLowerCase();
  return lower === 'ignore' || lower === 'warn' || lower === 'error' ? lower : undefined;
}

function numberOf(entry: ConfigEntry): number | undefined {
  return entry.value.kind === 'integer' ? Number(entry.value.value) : undefined;
}
