// Placeholder entry until the CLI issue lands; kept so the bundle step has an entry point.
console.error('tsbpf: the command line is not built yet');
process.exitCode = 2;
