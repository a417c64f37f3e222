// DSSE pre-authentication encoding (secure-systems-lab/dsse protocol.md): what a signature
// covers. Signatures vary (ECDSA), so a deterministic placeholder commits to these bytes only.

/** PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, lengths in bytes */
export function dssePae(payloadType: string, body: Uint8Array): Uint8Array {
  const header = Buffer.from(`DSSEv1 ${Buffer.byteLength(payloadType, 'utf8')} ${payloadType} ${body.byteLength} `, 'utf8');
  return Buffer.concat([header, body]);
}
