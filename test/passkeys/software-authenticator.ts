import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

// A software authenticator for the HTTP tests: an ES256 key made with node:crypto, its COSE public key
// and the attestation object in CBOR (the little of CBOR WebAuthn needs), and assertions signed as a
// real authenticator signs them. Each answer can be spoiled one way (another challenge or origin, no
// user verification) so the tests can see the server refuse exactly that.

type Cbor = number | string | Buffer | CborMap | { [key: string]: Cbor };
type CborMap = Map<Cbor, Cbor>;

function head(major: number, value: number): Buffer {
  if (value < 24) return Buffer.from([(major << 5) | value]);
  if (value < 0x100) return Buffer.from([(major << 5) | 24, value]);
  if (value < 0x10000) return Buffer.from([(major << 5) | 25, value >> 8, value & 0xff]);
  const out = Buffer.alloc(5);
  out[0] = (major << 5) | 26;
  out.writeUInt32BE(value, 1);
  return out;
}

export function cbor(value: Cbor): Buffer {
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (Buffer.isBuffer(value)) return Buffer.concat([head(2, value.length), value]);
  const entries: Array<[Cbor, Cbor]> = value instanceof Map ? [...value.entries()] : Object.entries(value);
  return Buffer.concat([head(5, entries.length), ...entries.flatMap(([k, v]) => [cbor(k), cbor(v)])]);
}

const FLAG = { userPresent: 0x01, userVerified: 0x04, attestedData: 0x40 } as const;

export interface Spoil {
  challenge?: string;
  origin?: string;
  rpId?: string;
  userVerified?: boolean;
  type?: string;
}

export interface RegistrationJson {
  id: string;
  rawId: string;
  type: 'public-key';
  response: { clientDataJSON: string; attestationObject: string; transports: string[] };
  clientExtensionResults: Record<string, never>;
}

export interface AssertionJson {
  id: string;
  rawId: string;
  type: 'public-key';
  response: { clientDataJSON: string; authenticatorData: string; signature: string; userHandle?: string };
  clientExtensionResults: Record<string, never>;
}

export class SoftwareAuthenticator {
  readonly credentialId = randomBytes(16);
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  private counter = 0;
  /** The user handle the relying party gave at registration (a discoverable credential keeps it). */
  userHandle = '';

  constructor(
    readonly origin = 'http://localhost:3000',
    readonly rpId = 'localhost',
  ) {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
  }

  get id(): string {
    return this.credentialId.toString('base64url');
  }

  private cosePublicKey(): Buffer {
    const jwk = this.publicKey.export({ format: 'jwk' });
    return cbor(
      new Map<Cbor, Cbor>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(jwk.x!, 'base64url')],
        [-3, Buffer.from(jwk.y!, 'base64url')],
      ]),
    );
  }

  private clientData(type: string, challenge: string, spoil: Spoil): Buffer {
    return Buffer.from(
      JSON.stringify({
        type: spoil.type ?? type,
        challenge: spoil.challenge ?? challenge,
        origin: spoil.origin ?? this.origin,
        crossOrigin: false,
      }),
    );
  }

  private authenticatorData(spoil: Spoil, attested?: Buffer): Buffer {
    const rpIdHash = createHash('sha256')
      .update(spoil.rpId ?? this.rpId)
      .digest();
    let flags = FLAG.userPresent | (spoil.userVerified === false ? 0 : FLAG.userVerified);
    if (attested) flags |= FLAG.attestedData;
    const count = Buffer.alloc(4);
    count.writeUInt32BE(this.counter);
    return Buffer.concat([rpIdHash, Buffer.from([flags]), count, ...(attested ? [attested] : [])]);
  }

  /** What navigator.credentials.create() would answer to these options (as the JSON the browser script posts). */
  register(options: { challenge: string; user: { id: string } }, spoil: Spoil = {}): RegistrationJson {
    this.userHandle = options.user.id;
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.credentialId.length);
    const attested = Buffer.concat([Buffer.alloc(16), idLength, this.credentialId, this.cosePublicKey()]);
    const attestationObject = cbor({ fmt: 'none', attStmt: {}, authData: this.authenticatorData(spoil, attested) });
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: {
        clientDataJSON: this.clientData('webauthn.create', options.challenge, spoil).toString('base64url'),
        attestationObject: attestationObject.toString('base64url'),
        transports: ['internal'],
      },
      clientExtensionResults: {},
    };
  }

  /** What navigator.credentials.get() would answer: a signature over the authenticator data and the client data's hash. */
  assert(options: { challenge: string }, spoil: Spoil & { userHandle?: string | null } = {}): AssertionJson {
    this.counter += 1;
    const clientDataJSON = this.clientData('webauthn.get', options.challenge, spoil);
    const authenticatorData = this.authenticatorData(spoil);
    const signed = Buffer.concat([authenticatorData, createHash('sha256').update(clientDataJSON).digest()]);
    const signature = sign('sha256', signed, this.privateKey);
    const userHandle = spoil.userHandle === null ? undefined : (spoil.userHandle ?? this.userHandle);
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: {
        clientDataJSON: clientDataJSON.toString('base64url'),
        authenticatorData: authenticatorData.toString('base64url'),
        signature: signature.toString('base64url'),
        ...(userHandle ? { userHandle } : {}),
      },
      clientExtensionResults: {},
    };
  }
}
