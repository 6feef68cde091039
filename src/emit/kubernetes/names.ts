/**
 * Kubernetes object names from supervisor program names. A workload's name
 * is also its pods' `app.kubernetes.io/name` label and its container's name,
 * so it must be a DNS-1123 label (RFC 1123: lower-case alphanumerics and
 * '-', starting and ending alphanumeric, at most 63 characters). The map
 * from program to name must be injective: two programs that would share a
 * name are refused, never renamed behind the user's back.
 */
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Longest base name: a StatefulSet's pods are NAME-ORDINAL and its
 * controller-revision-hash label is NAME-HASH (10 characters), both labels.
 */
const MAX_NAME = 52;

export function isDnsLabel(s: string): boolean {
  return s.length <= 63 && LABEL.test(s);
}

const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** A label value (the project name goes to app.kubernetes.io/part-of). */
export function isLabelValue(s: string): boolean {
  return s.length <= 63 && LABEL_VALUE.test(s);
}

/** The DNS-1123 form of a name: lower-cased, every run of other characters as one '-'. */
export function dnsName(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** A refusal: what cannot be named, and why. */
interface NameClash {
  names: string[];
  reason: string;
}

/**
 * Names for each wanted key (program or process), or the clashes: an empty
 * name, one longer than MAX_NAME, or two keys with the same name.
 */
export function assignNames(wanted: readonly string[]): Map<string, string> | NameClash[] {
  const out = new Map<string, string>();
  const owners = new Map<string, string[]>();
  const clashes: NameClash[] = [];
  for (const w of wanted) {
    const n = dnsName(w);
    if (n === '') clashes.push({ names: [w], reason: 'has no letter or digit' });
    else if (n.length > MAX_NAME)
      clashes.push({ names: [w], reason: `gives ${n}, longer than ${MAX_NAME} characters` });
    else owners.set(n, [...(owners.get(n) ?? []), w]);
    out.set(w, n);
  }
  for (const [n, ws] of owners) {
    if (ws.length > 1) clashes.push({ names: ws, reason: `would all be named ${n}` });
  }
  return clashes.length > 0 ? clashes : out;
}
