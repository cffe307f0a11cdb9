/** Everything the framework exports, in one place. */
export * from './ndarray.js';
export * from './not-implemented.js';
export * from './tensor.js';
export * from './ops.js';
export * from './losses.js';
export * from './convolution-primitives.js';
export * from './conv.js';
export * from './random.js';
export * from './q3-image.js';
