// The server side of SCRAM-SHA-256 (RFC 5802 / RFC 7677) as PostgreSQL runs it: the user name
// in the SCRAM messages is ignored (the StartupMessage's counts), authzid is refused, and
// channel binding 'tls-server-end-point' backs SCRAM-SHA-256-PLUS over TLS.
import { createHash, randomBytes, timingSafeEqual, X509Certificate } from 'node:crypto';
import { SqlError, SqlState } from '../util/errors.js';
import { hmacSha256, scramIterationsDefault, scramSaltBytesDefault, sha256, type ScramVerifier } from '../util/scram.js';

export const scramMechanism = 'SCRAM-SHA-256';
export const scramPlusMechanism = 'SCRAM-SHA-256-PLUS';
const serverNonceBytes = 18;

function malformedScram(detail: string): SqlError {
  return new SqlError(SqlState.protocolViolation, 'malformed SCRAM message', { severity: 'FATAL', detail });
}

/**
 * A verifier for a role that does not exist (or has no usable password): the salt is stable per
 * user name, as PostgreSQL's mock salt is, so probing cannot tell unknown roles from known ones.
 */
export function fakeVerifier(user: string, serverSecret: Buffer): ScramVerifier {
  const salt = sha256(Buffer.concat([serverSecret, Buffer.from(user, 'utf8')])).subarray(0, scramSaltBytesDefault);
  return { iterations: scramIterationsDefault, salt, storedKey: randomBytes(32), serverKey: randomBytes(32) };
}

/** tls-server-end-point (RFC 5929): the certificate hashed with its signature's hash (SHA-256 for MD5/SHA-1). */
export function tlsServerEndPoint(certificatePem: string | Buffer): Buffer | null {
  const der = new X509Certificate(certificatePem).raw;
  const signatureHashes: Array<[string, string]> = [
    ['06092a864886f70d01010b', 'sha256'], // sha256WithRSAEncryption
    ['06092a864886f70d01010c', 'sha384'],
    ['06092a864886f70d01010d', 'sha512'],
    ['06092a864886f70d010105', 'sha256'], // sha1WithRSAEncryption → SHA-256
    ['06092a864886f70d010104', 'sha256'], // md5WithRSAEncryption → SHA-256
    ['06082a8648ce3d040302', 'sha256'], // ecdsa-with-SHA256
    ['06082a8648ce3d040303', 'sha384'],
    ['06082a8648ce3d040304', 'sha512'],
  ];
  const hex = der.toString('hex');
  let best: { at: number; hash: string } | null = null;
  for (const [oid, hash] of signatureHashes) {
    const at = hex.indexOf(oid);
    if (at >= 0 && at % 2 === 0 && (best === null || at < best.at)) best = { at, hash };
  }
  return best === null ? null : createHash(best.hash).update(der).digest();
}

interface Attributes {
  list: Array<[string, string]>;
}

function parseAttributes(text: string): Attributes {
  const list: Array<[string, string]> = [];
  for (const part of text.split(',')) {
    if (part.length < 2 || part[1] !== '=' || !/^[a-zA-Z]$/.test(part[0]!)) {
      throw malformedScram(`Attribute expected, but found "${part}".`);
    }
    list.push([part[0]!, part.slice(2)]);
  }
  return { list };
}

const printableNonce = /^[\x21-\x2b\x2d-\x7e]+$/;
const base64Text = /^[A-Za-z0-9+/]*={0,2}$/;

export class ScramServerExchange {
  private clientFirstBare = '';
  private serverFirst = '';
  private nonce = '';
  private gs2Header = '';
  private usesChannelBinding = false;

  /**
   * @param channelBinding the tls-server-end-point data when the connection is TLS and
   *   SCRAM-SHA-256-PLUS was offered, else null.
   * @param fake true when the verifier is fake: the exchange runs to the end and then fails.
   */
  constructor(
    private readonly verifier: ScramVerifier,
    private readonly fake: boolean,
    private readonly channelBinding: Buffer | null,
  ) {}

  /** SASLInitialResponse → server-first-message. */
  clientFirst(mechanism: string, message: string): string {
    if (mechanism !== scramMechanism && !(mechanism === scramPlusMechanism && this.channelBinding)) {
      throw new SqlError(SqlState.protocolViolation, 'client selected an invalid SASL authentication mechanism', { severity: 'FATAL' });
    }
    const firstComma = message.indexOf(',');
    const secondComma = firstComma < 0 ? -1 : message.indexOf(',', firstComma + 1);
    if (secondComma < 0) throw malformedScram('Comma expected, but found end of string.');
    const flag = message.slice(0, firstComma);
    const authzid = message.slice(firstComma + 1, secondComma);
    if (flag === 'n') {
      if (mechanism === scramPlusMechanism) throw malformedScram('The client selected SCRAM-SHA-256-PLUS without channel binding data.');
    } else if (flag === 'y') {
      if (this.channelBinding) {
        throw new SqlError(SqlState.protocolViolation, 'SCRAM channel binding negotiation error', {
          severity: 'FATAL',
          detail: 'The client supports SCRAM channel binding but thinks the server does not.  However, this server does support channel binding.',
        });
      }
    } else if (flag.startsWith('p=')) {
      if (mechanism !== scramPlusMechanism) {
        throw malformedScram('The client selected SCRAM-SHA-256 without channel binding, but the SCRAM message includes channel binding data.');
      }
      if (flag !== 'p=tls-server-end-point') {
        throw new SqlError(SqlState.protocolViolation, `unsupported SCRAM channel-binding type "${flag.slice(2)}"`, { severity: 'FATAL' });
      }
      this.usesChannelBinding = true;
    } else {
      throw malformedScram(`Unexpected channel-binding flag "${flag}".`);
    }
    if (authzid !== '') {
      throw new SqlError(SqlState.featureNotSupported, 'client uses authorization identity, but it is not supported', { severity: 'FATAL' });
    }
    this.gs2Header = message.slice(0, secondComma + 1);
    this.clientFirstBare = message.slice(secondComma + 1);
    const attributes = parseAttributes(this.clientFirstBare).list;
    if (attributes[0]?.[0] === 'm') {
      throw new SqlError(SqlState.featureNotSupported, 'client requires an unsupported SCRAM extension', { severity: 'FATAL' });
    }
    if (attributes[0]?.[0] !== 'n' || attributes[1]?.[0] !== 'r') {
      throw malformedScram('Expected user name and nonce attributes.');
    }
    const clientNonce = attributes[1][1];
    if (!printableNonce.test(clientNonce)) throw malformedScram('The client nonce contains invalid characters.');
    this.nonce = clientNonce + randomBytes(serverNonceBytes).toString('base64');
    this.serverFirst = `r=${this.nonce},s=${this.verifier.salt.toString('base64')},i=${this.verifier.iterations}`;
    return this.serverFirst;
  }

  /** SASLResponse → server-final-message, or null when the proof is wrong (28P01). */
  clientFinal(message: string): string | null {
    const proofAt = message.lastIndexOf(',p=');
    if (proofAt < 0) throw malformedScram('Could not find proof in client-final-message.');
    const withoutProof = message.slice(0, proofAt);
    const proofText = message.slice(proofAt + 3);
    const attributes = parseAttributes(withoutProof).list;
    if (attributes[0]?.[0] !== 'c' || attributes[1]?.[0] !== 'r') throw malformedScram('Expected channel binding and nonce attributes.');
    const expectedBinding = this.usesChannelBinding
      ? Buffer.concat([Buffer.from(this.gs2Header, 'utf8'), this.channelBinding!])
      : Buffer.from(this.gs2Header, 'utf8');
    if (!base64Text.test(attributes[0][1])) throw malformedScram('Invalid channel binding data.');
    const binding = Buffer.from(attributes[0][1], 'base64');
    if (!binding.equals(expectedBinding)) {
      throw new SqlError(SqlState.protocolViolation, 'SCRAM channel binding check failed', { severity: 'FATAL' });
    }
    if (attributes[1][1] !== this.nonce) throw malformedScram('Nonce does not match.');
    if (!base64Text.test(proofText)) throw malformedScram('Malformed proof in client-final-message.');
    const proof = Buffer.from(proofText, 'base64');
    if (proof.length !== 32) throw malformedScram('Malformed proof in client-final-message.');

    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`;
    const clientSignature = hmacSha256(this.verifier.storedKey, authMessage);
    const clientKey = Buffer.alloc(32);
    for (let index = 0; index < 32; index++) clientKey[index] = proof[index]! ^ clientSignature[index]!;
    const matches = timingSafeEqual(sha256(clientKey), this.verifier.storedKey);
    if (!matches || this.fake) return null;
    return `v=${hmacSha256(this.verifier.serverKey, authMessage).toString('base64')}`;
  }
}
