/**
 * The /RPC2 dispatcher: method names validated as supervisor's traverse()
 * does (two dotted parts, none starting with `_`), parameter counts checked
 * (INCORRECT_PARAMETERS, as Python's TypeError), `system.*` including
 * multicall (a nested multicall is refused), and any other error turned
 * into a FAILED fault so a request never crashes the server.
 */
import { decodeCall } from '../xmlrpc/decode.ts';
import { encodeFault, encodeResponse } from '../xmlrpc/encode.ts';
import { isStruct, type XmlRpcValue } from '../xmlrpc/types.ts';
import { RpcFault } from './faults.ts';
import {
  SUPERVISOR_ALIASES,
  SUPERVISOR_METHODS,
  type Method,
  type RpcContext,
} from './rpc-methods.ts';

const SUPERVISOR: Readonly<Record<string, Method>> = {
  ...SUPERVISOR_METHODS,
  ...SUPERVISOR_ALIASES,
};

function str0(v: XmlRpcValue | undefined): string {
  if (typeof v !== 'string') throw new RpcFault('INCORRECT_PARAMETERS');
  return v;
}

const SYSTEM: Readonly<Record<string, Method>> = {
  listMethods: {
    signature: ['array'],
    required: 0,
    help: 'Return an array listing the available method names',
    call: () => allMethodNames(),
  },
  methodHelp: {
    signature: ['string', 'string'],
    required: 1,
    help: 'Return a string showing the method’s documentation',
    call: (_c, p) => lookup(str0(p[0])).help,
  },
  methodSignature: {
    signature: ['array', 'string'],
    required: 1,
    help: 'Return an array describing the method signature: [return type, param types...]',
    call: (_c, p) => lookup(str0(p[0])).signature,
  },
  multicall: {
    signature: ['array', 'array'],
    required: 1,
    help: 'Process an array of calls: a value or a {faultCode, faultString} each',
    call: async (c, p) => multicall(c, p[0]),
  },
};

const NAMESPACES: Readonly<Record<string, Readonly<Record<string, Method>>>> = {
  supervisor: SUPERVISOR,
  system: SYSTEM,
};

function allMethodNames(): string[] {
  const out: string[] = [];
  for (const [ns, methods] of Object.entries(NAMESPACES)) {
    for (const m of Object.keys(methods)) out.push(`${ns}.${m}`);
  }
  return out.sort();
}

function lookup(methodName: string): Method {
  const parts = methodName.split('.');
  if (parts.length !== 2) throw new RpcFault('UNKNOWN_METHOD');
  const [ns, name] = parts as [string, string];
  if (name.startsWith('_')) throw new RpcFault('UNKNOWN_METHOD');
  const table = Object.hasOwn(NAMESPACES, ns) ? NAMESPACES[ns]! : undefined;
  if (table === undefined || !Object.hasOwn(table, name)) throw new RpcFault('UNKNOWN_METHOD');
  return table[name]!;
}

/** Calls one method; every failure is an RpcFault. */
async function callMethod(
  c: RpcContext,
  methodName: string,
  params: XmlRpcValue[],
): Promise<XmlRpcValue> {
  const m = lookup(methodName);
  if (params.length < m.required || params.length > m.required + (m.optional ?? 0)) {
    throw new RpcFault('INCORRECT_PARAMETERS');
  }
  try {
    return await m.call(c, params);
  } catch (err) {
    if (err instanceof RpcFault) throw err;
    throw new RpcFault('FAILED', err instanceof Error ? err.message : String(err));
  }
}

async function multicall(c: RpcContext, calls: XmlRpcValue | undefined): Promise<XmlRpcValue> {
  if (!Array.isArray(calls)) throw new RpcFault('INCORRECT_PARAMETERS');
  const results: XmlRpcValue[] = [];
  // in order, one after the other, as supervisor runs them
  for (const call of calls) {
    try {
      if (!isStruct(call)) throw new RpcFault('INCORRECT_PARAMETERS', 'No methodName');
      const name = call['methodName'];
      if (typeof name !== 'string') throw new RpcFault('INCORRECT_PARAMETERS', 'No methodName');
      if (name === 'system.multicall') {
        throw new RpcFault('INCORRECT_PARAMETERS', 'Recursive system.multicall forbidden');
      }
      const params = call['params'] ?? [];
      if (!Array.isArray(params)) throw new RpcFault('INCORRECT_PARAMETERS');
      results.push(await callMethod(c, name, params));
    } catch (err) {
      const f = err instanceof RpcFault ? err : new RpcFault('FAILED', String(err));
      results.push({ faultCode: f.code, faultString: f.text });
    }
  }
  return results;
}

/** What /RPC2 answers a POST body: a methodResponse, or an HTTP status for a body that is no call. */
export async function handleRpc(
  c: RpcContext,
  body: string,
): Promise<{ status: 200; xml: string; method: string } | { status: 400; method: string }> {
  let call;
  try {
    call = decodeCall(body);
  } catch {
    return { status: 400, method: '-' };
  }
  // supervisor answers 400 for a call without a method name
  if (call.methodName === '') return { status: 400, method: '-' };
  try {
    const value = await callMethod(c, call.methodName, call.params);
    try {
      return { status: 200, xml: encodeResponse(value), method: call.methodName };
    } catch (err) {
      // e.g. a log holding a character XML cannot carry
      throw new RpcFault('FAILED', err instanceof Error ? err.message : String(err));
    }
  } catch (err) {
    const f = err instanceof RpcFault ? err : new RpcFault('FAILED', String(err));
    return { status: 200, xml: encodeFault(f.code, f.text), method: call.methodName };
  }
}
