// Attaching one loaded program to one probe target: each provider (src/providers/) knows how. BEGIN
// and END are not attached (the session runs them with BPF_PROG_TEST_RUN).
export { AttachError, attachProbe } from '../providers/index.js';
