// The record type every file in this folder exports: the checker's rule, codegen's lowering and the
// runtime's output facet, each typed by the stage that uses it.
import type { CallRule } from '../check/call-rule.js';
import type { CallLowering, CallLoweringInto } from '../codegen/calls.js';
import type { FunctionRecord as StageFacets } from '../model/function-record.js';
import type { ActionOutput } from '../runtime/records.js';

export type FunctionRecord = StageFacets<CallRule, CallLowering, ActionOutput> & CallLoweringInto;
