// Window evaluation building blocks: frames over sorted partitions and the window functions.
export { defaultFrame, FrameLocator, peerGroups, type FrameBound, type FrameExclusion, type FrameMode, type FrameSpec, type InRange, type PeerGroups, type RangeKey } from './frame.js';
export { evaluateWindowFunction, type Accumulator, type RowExpression, type WindowFunctionSpec } from './functions.js';
