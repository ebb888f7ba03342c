// Handshake middleware packages a project may already run (`io.use(socketioJwt.authorize({ … }))`):
// what each one documents about where it reads the credential and where it puts the verified
// identity, so the plan's auth advice follows the middleware in place. Data, read by connection.ts.
import { code } from '../md.js';

export interface GateLibrary {
  /** What the middleware reads and where it puts the identity, as its documentation says. */
  doesMd: string;
  /** Where the handlers read the verified user from, instead of `socket.data`. */
  identityMd: string;
  /** What happens to a client moved to `auth: { token }` while this middleware stays. */
  switchMd: string;
  /** The Current state row's value for the check. */
  rowMd: string;
}

const GATES: Readonly<Record<string, GateLibrary>> = {
  // https://github.com/auth0-community/socketio-jwt#one-roundtrip (handshake: true)
  'socketio-jwt': {
    doesMd: `${code('socketio-jwt')}'s ${code('authorize({ handshake: true })')}, which verifies a JWT the client sends in the ${code('token')} query parameter (or an ${code('Authorization: Bearer')} header), never in ${code('handshake.auth')}, and puts the verified claims on ${code('socket.decoded_token')} (unless its ${code('decodedPropertyName')} option names another property)`,
    identityMd: code('socket.decoded_token'),
    switchMd: `a client switched to ${code('auth: { token }')} while it stays is refused with ${code('credentials_required')}`,
    rowMd: `a JWT verified by ${code('socketio-jwt')} (the ${code('token')} query parameter or an ${code('Authorization: Bearer')} header; claims on ${code('socket.decoded_token')})`,
  },
};

/** What the project's handshake middleware package documents, or undefined for one rt-plan has no notes on. */
export function gateLibrary(source: string | undefined): GateLibrary | undefined {
  return source ? GATES[source] : undefined;
}
