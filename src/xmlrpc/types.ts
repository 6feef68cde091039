/**
 * XML-RPC values as JavaScript holds them, and the errors of the codec and
 * the client. Mapping (Python's xmlrpc.client with use_builtin_types):
 * int/i4 ↔ integer number (bigint when beyond Number's safe range),
 * double ↔ non-integer number, boolean ↔ boolean, string ↔ string,
 * base64 ↔ Buffer, dateTime.iso8601 ↔ Date (read and written as UTC: the
 * wire format has no zone), array ↔ array, struct ↔ plain object,
 * nil ↔ null.
 */
export type XmlRpcValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | Buffer
  | Date
  | XmlRpcValue[]
  | { [key: string]: XmlRpcValue };

export type XmlRpcStruct = { [key: string]: XmlRpcValue };

/** A `<struct>` value (not an array, a base64 buffer or a dateTime). */
export function isStruct(v: XmlRpcValue | undefined): v is XmlRpcStruct {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    !Buffer.isBuffer(v) &&
    !(v instanceof Date)
  );
}

/** A methodResponse that is a <fault>: the server's answer, not a transport failure. */
export class XmlRpcFault extends Error {
  override readonly name = 'XmlRpcFault';
  constructor(
    readonly faultCode: number,
    readonly faultString: string,
  ) {
    super(`XML-RPC fault ${faultCode}: ${faultString}`);
  }
}

/**
 * Anything else: bad XML, a document that is not XML-RPC, a value that
 * cannot be encoded, an HTTP status other than 200, a timeout, no server.
 */
export class XmlRpcError extends Error {
  override readonly name = 'XmlRpcError';
  constructor(
    readonly code: 'PARSE' | 'ENCODE' | 'HTTP' | 'TIMEOUT' | 'UNREACHABLE' | 'URL',
    message: string,
    options?: { cause?: unknown; status?: number },
  ) {
    super(message, options);
    this.status = options?.status;
  }
  readonly status: number | undefined;
}

/** XML-RPC's int is 32-bit signed (Python refuses anything else with OverflowError). */
export const INT_MIN = -(2 ** 31);
export const INT_MAX = 2 ** 31 - 1;

export interface MethodCall {
  methodName: string;
  params: XmlRpcValue[];
}

/** A decoded methodResponse: a value, or a fault. */
export type MethodResponse =
  { fault: false; value: XmlRpcValue } | { fault: true; faultCode: number; faultString: string };
