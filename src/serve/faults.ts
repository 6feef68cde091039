/**
 * supervisor 4.2.5's XML-RPC fault codes (supervisor/xmlrpc.py Faults) and
 * the error a method throws to answer one. faultString is `NAME` or
 * `NAME: detail`, as supervisor's RPCError builds it.
 */
import { FAULTS } from '../xmlrpc/supervisor-faults.ts';

export { FAULTS };

export type FaultName = keyof typeof FAULTS;

export class RpcFault extends Error {
  override readonly name = 'RpcFault';
  readonly code: number;
  readonly text: string;
  constructor(fault: FaultName, detail?: string) {
    const text = detail === undefined ? fault : `${fault}: ${detail}`;
    super(text);
    this.code = FAULTS[fault];
    this.text = text;
  }
}
