import { type Capabilities, richCapabilities } from '../../src/core/capabilities.js';

/** The widget renders everything Parley has: it is the reference rich channel. */
export const webchatCapabilities: Capabilities = richCapabilities;
