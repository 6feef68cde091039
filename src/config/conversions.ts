/**
 * supervisor.datatypes conversions (datatypes.ts), memoized: they are pure,
 * and a 5,000-program config repeats the same few values thousands of times.
 */
import * as dt from './datatypes.ts';
import { memoize } from './own.ts';

export const autoRestart = memoize(dt.autoRestart);
export const boolean = memoize(dt.boolean);
export const byteSize = memoize(dt.byteSize);
export const integer = memoize(dt.integer);
export const listOfExitcodes = memoize(dt.listOfExitcodes);
export const listOfStrings = memoize(dt.listOfStrings);
export const logfileName = memoize(dt.logfileName);
export const octalType = memoize(dt.octalType);
export const processOrGroupName = memoize(dt.processOrGroupName);
export const signalNumber = memoize(dt.signalNumber);
