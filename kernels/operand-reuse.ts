/**
 * reusingOperands(fn): the ops' way to say "these kernel calls read the same arrays, unchanged in
 * between" (batch norm's backward passes with running statistics read dy and x twice, conv2d's
 * two backward passes dy). The wasm kernels then copy each array into their memory once instead of
 * once per call (kernels/wasm/call-frame.ts); for the other backends it just runs fn.
 */
export { reusingOperands } from './wasm/call-frame';
