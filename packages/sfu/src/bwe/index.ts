// Bandwidth estimation of the SFU: transport-wide congestion control (draft-holmer-rmcat-
// transport-wide-cc-extensions-01) on both sides, and a GCC-style downlink estimator.
// Pure modules; the wire format lives in ../rtp/twcc.ts.
export * from './transport-wide-sequencer.js';
export * from './send-side-estimator.js';
export * from './twcc-recorder.js';
