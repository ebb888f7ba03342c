// Handshake middleware packages a project may already run (`io.use(socketioJwt.authorize({ … }))`):
// what each one documents about where it reads the credential and where it puts the verified
// identity, so the plan's auth advice follows the middleware in place. Data, read by connection.ts.
import { code } from '../md.js';

export interface GateLibrary {
  /** What the middleware reads and where it puts the identity, as its documentation says. */
  doesMd: string;
  /**
   * Where the handlers read the verified user from, instead of `socket.data`, given the property the
   * code's options name for it (undefined: not set; null: set to a value rt-plan cannot read).
   */
  identityMd: (property: string | null | undefined) => string;
  /** The query parameter the middleware reads the token from, so a query token today may be what it consumes; undefined where it reads none. */
  queryParam?: string;
  /** What happens to a client moved to `auth: { token }` while this middleware stays. */
  switchMd: string;
  /** The Current state row's value for the check, given the property as for identityMd. */
  rowMd: (property: string | null | undefined) => string;
}

// socketio-jwt puts the claims on `socket[decodedPropertyName]`, `decoded_token` by default.
function decodedOn(property: string | null | undefined): string {
  if (property === null) return `the property its ${code('decodedPropertyName')} option names (a value rt-plan cannot read)`;
  return code(`socket.${property ?? 'decoded_token'}`);
}

const GATES: Readonly<Record<string, GateLibrary>> = {
  // https://github.com/auth0-community/socketio-jwt#one-roundtrip (handshake: true)
  'socketio-jwt': {
    doesMd: `${code('socketio-jwt')}'s ${code('authorize({ handshake: true })')}, which verifies a JWT the client sends in the ${code('token')} query parameter (or an ${code('Authorization: Bearer')} header), never in ${code('handshake.auth')}, and puts the verified claims on ${code('socket.decoded_token')} (unless its ${code('decodedPropertyName')} option names another property)`,
    identityMd: decodedOn,
    queryParam: 'token',
    switchMd: `a client switched to ${code('auth: { token }')} while it stays is refused with ${code('credentials_required')}`,
    rowMd: (property) =>
      `a JWT verified by ${code('socketio-jwt')} (the ${code('token')} query parameter or an ${code('Authorization: Bearer')} header; claims on ${decodedOn(property)})`,
  },
};

/** What the project's handshake middleware package documents, or undefined for one rt-plan has no notes on. */
export function gateLibrary(source: string | undefined): GateLibrary | undefined {
  return source ? GATES[source] : undefined;
}
