// Attaching one loaded program to one probe target: each provider (src/providers/) knows how. BEGIN
// and END are not attached (the session runs them with BPF_PROG_TEST_RUN). checkAttachable refuses a
// script this kernel cannot attach before the session creates anything.
export { AttachError, attachProbe, checkAttachable } from '../providers/index.js';
