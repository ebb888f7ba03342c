// The graphql-ws profile's load-test virtual user (profiles/protocol.ts): the graphql-transport-ws
// handshake, the project's subscription document or one built from the schema, and ping/pong.
import { describe, expect, it } from 'vitest';
import { OPERATION_WIRES, type WireLoad } from '../../src/design/profiles/protocol.js';

const load = (a: Partial<WireLoad>) =>
  OPERATION_WIRES['graphql-ws']!.loadScript({
    field: null,
    document: null,
    selection: [],
    params: [],
    origin: false,
    lifetimeMs: 1000,
    roomMark: '__room__',
    ...a,
  });

describe('graphql-ws load script', () => {
  it('opens with the subprotocol, sends connection_init with the params the server reads, subscribes after the ack and answers ping', () => {
    const { code, md } = load({
      document: {
        text: 'subscription S($room: ID!, $n: Int!, $f: Filter!) { msg(room: $room) { id } }',
        name: 'S',
        variables: [
          { name: 'room', type: 'ID!' },
          { name: 'n', type: 'Int!' },
          { name: 'f', type: 'Filter!' },
          { name: 'opt', type: 'String' },
        ],
        evidence: 'web/ops.ts:3',
      },
      params: [{ name: 'authToken', evidence: 'server/index.ts:26' }],
      origin: true,
    });
    expect(code).toContain("{ headers: { 'Sec-WebSocket-Protocol': 'graphql-transport-ws', Origin: __ENV.ORIGIN } }");
    expect(code).toContain("socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authToken: __ENV.AUTH_TOKEN } })));");
    expect(code).toContain(`payload: { operationName: "S", query: QUERY, variables: {"room":room,"n":0,"f":null} }`);
    expect(code).toMatch(/if \(msg\.type === 'connection_ack'\) \{\n\s+socket\.send\(JSON\.stringify\(\{ id: '1', type: 'subscribe'/);
    expect(code).toContain("} else if (msg.type === 'ping') {\n        socket.send(JSON.stringify({ type: 'pong' }));");
    expect(md).toContain('(set `$f` by hand: no sample value fits its type)');
    expect(md).toContain("the client's `S` document (web/ops.ts:3)");
  });

  it('builds the document from the schema when the code has none, and sends an empty init payload when no param is read', () => {
    const { code, md } = load({
      field: {
        name: 'orderUpdated',
        args: [
          { name: 'storeId', type: 'ID!' },
          { name: 'since', type: 'String' },
        ],
        schema: 'schema.graphql:25',
      },
      selection: ['id', 'status'],
    });
    expect(code).toContain('const QUERY = "subscription Load($storeId: ID!) { orderUpdated(storeId: $storeId) { id status } }";');
    expect(code).toContain('payload: {} })');
    expect(md).toContain('the code shows no `connectionParams` key the server reads, so its payload is empty');
  });

  it('leaves a placeholder, and says so, when neither a document nor the schema field is known', () => {
    const { code, md } = load({});
    expect(code).toContain('const QUERY = "__DOCUMENT__";');
    expect(md).toContain('the code shows none: fill in `QUERY`');
  });
});
