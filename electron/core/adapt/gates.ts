import type { F32Tensor } from './safetensors.js';

/** The student's tied gate parameters: all that adaptation changes, and all a profile holds (state-dict names and shapes). */
export const GATE_PARAMS = ['transform_gate.weight', 'transform_gate.bias', 'carry_gate.weight', 'carry_gate.bias'] as const;
export type GateParam = (typeof GATE_PARAMS)[number];
export type GateValues = ReadonlyMap<GateParam, F32Tensor>;
