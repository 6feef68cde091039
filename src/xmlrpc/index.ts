/** XML-RPC: the codec (no I/O) and a small client; shared by the supervisord backend and `serve`. */
export * from './types.ts';
export { encodeCall, encodeFault, encodeResponse, encodeValue } from './encode.ts';
export { decodeCall, decodeResponse, decodeValue } from './decode.ts';
export { parseXml } from './xml.ts';
export { XmlRpcClient, type XmlRpcClientOptions } from './client.ts';
export { parseServerUrl, request, type ServerTarget } from './transport.ts';
