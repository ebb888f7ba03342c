// Collaborative editing with a CRDT (Yjs). Text edited by several people at once is the one
// kind of data where LWW loses work and OT needs a central transformer; Yjs merges updates
// in any order and y-websocket already speaks the sync protocol.
import { sequenceDiagram } from '../../diagrams/builders.js';
import { code } from '../md.js';
import { cs, ev, f, serverFile, clientFile, type ScenarioModule } from './kit.js';

export const collabEditing: ScenarioModule = {
  id: 'collab-editing',
  title: 'Collaborative editing (CRDT)',
  features: ['collaborative-editing'],
  words: ['collab', 'collaborative', 'editor', 'editing', 'crdt', 'yjs', 'whiteboard', 'multiplayer', 'coedit'],
  providers: [],
  libraries: ['yjs', 'y-websocket', '@hocuspocus/server', '@hocuspocus/provider', '@y/websocket-server'],
  // rooms: false because y-websocket already treats each document as its own room.
  needs: { bidirectional: true, binary: true, media: false, rooms: false },
  defaults: { connections: 2_000, msgRate: 1_000, payloadBytes: 200, fanout: 5, why: 'five editors per document, a Yjs update every 2 s per editor, small binary updates' },
  resume: () => ({ event: 'yjs:sync-step1', cursor: 'state vector', mutation: 'yjs:update', key: null }),
  summaryMd: () =>
    `Collaborative editing with Yjs documents synced over y-websocket: state-vector sync on join, binary updates broadcast per document, awareness for cursors, persistence of merged state.`,
  events: () => {
    const ch = 'doc/{docId}';
    return [
      ev('yjs:sync-step1', 'both', ch, 'State vector: what the sender already has (y-protocols sync message 0)', 'YjsSyncStep1',
        [f('docId', 'string'), f('stateVector', 'string', 'binary Uint8Array on the wire')]),
      ev('yjs:sync-step2', 'both', ch, 'Missing updates computed from the peer state vector (sync message 1)', 'YjsSyncStep2',
        [f('docId', 'string'), f('update', 'string', 'binary Uint8Array on the wire')]),
      ev('yjs:update', 'both', ch, 'An incremental document update (sync message 2)', 'YjsUpdate',
        [f('docId', 'string'), f('update', 'string', 'binary Uint8Array on the wire')]),
      ev('awareness:update', 'both', ch, 'Cursor, selection and user info (awareness protocol)', 'AwarenessUpdate',
        [f('docId', 'string'), f('states', 'string', 'binary awareness update')]),
    ];
  },
  flows: (ctx) => {
    const parts = [...cs(ctx), { key: 'peer', label: 'Other editors' }, { key: 'db', label: 'Document persistence' }];
    return [
      {
        title: 'Open a document (Yjs sync)',
        summaryMd: `Both sides exchange state vectors and send only what the other lacks; after that every local change is one ${code('yjs:update')}.`,
        diagram: sequenceDiagram('Open a document (Yjs sync)', {
          participants: parts,
          autonumber: true,
          steps: [
            { kind: 'message', from: 'client', to: 'server', text: 'connect /doc/d1 (token)' },
            { kind: 'message', from: 'server', to: 'db', text: 'load merged state of d1' },
            { kind: 'message', from: 'client', to: 'server', text: 'yjs:sync-step1 (client state vector)' },
            { kind: 'message', from: 'server', to: 'client', text: 'yjs:sync-step2 (missing updates)', style: 'reply' },
            { kind: 'message', from: 'server', to: 'client', text: 'yjs:sync-step1 (server state vector)', style: 'async' },
            { kind: 'message', from: 'client', to: 'server', text: 'yjs:sync-step2 (offline edits)' },
            { kind: 'message', from: 'server', to: 'peer', text: 'yjs:update (offline edits)', style: 'async' },
          ],
        }),
      },
      {
        title: 'Concurrent edits merge',
        summaryMd: 'Two editors type at the same position; each applies the other update whenever it arrives and both converge to the same text without a server-side transform.',
        diagram: sequenceDiagram('Concurrent edits merge', {
          participants: parts,
          steps: [
            { kind: 'block', type: 'par', label: 'client edits', steps: [
              { kind: 'message', from: 'client', to: 'server', text: 'yjs:update insert A at 10', style: 'async' },
            ], else: [{ label: 'peer edits', steps: [
              { kind: 'message', from: 'peer', to: 'server', text: 'yjs:update insert B at 10', style: 'async' },
            ] }] },
            { kind: 'message', from: 'server', to: 'peer', text: 'relay A', style: 'async' },
            { kind: 'message', from: 'server', to: 'client', text: 'relay B', style: 'async' },
            { kind: 'note', over: ['client', 'peer'], text: 'both converge, order decided by client ids' },
            { kind: 'message', from: 'server', to: 'db', text: 'debounced store of merged update (2 s)' },
          ],
        }),
      },
    ];
  },
  sync: () => [
    { data: 'document text and structure', strategy: 'CRDT (Yjs)', whyMd: 'Concurrent edits at the same position must all survive; Yjs merges in any order and works offline, OT would need a central transformer per document.' },
    { data: 'cursors and selections', strategy: 'Ephemeral awareness state', whyMd: 'Times out after 30 s without updates; never persisted.' },
  ],
  risks: () => [
    { title: 'Document growth', riskMd: 'Yjs keeps tombstones; heavily edited documents grow without bound.', mitigationMd: 'Store merged snapshots (`Y.encodeStateAsUpdate`) and compact history on a schedule.' },
    { title: 'Several server nodes hold the same document', riskMd: 'Updates relayed on one node never reach editors connected to another.', mitigationMd: 'Route by docId (consistent hashing at the load balancer) or relay updates through Redis pub/sub per document.' },
  ],
  tests: () => [
    'two Y.Doc clients editing concurrently through the server converge to identical text',
    'offline edits sync after reconnect without losing either side',
  ],
  steps: (ctx) => [
    { title: 'y-websocket server with auth and persistence', files: [{ path: serverFile(ctx, 'yjs-server'), action: 'create', why: 'upgrade handler, per-document auth, persistence hooks' }], detailMd: 'Authorize the docId from the URL before `setupWSConnection`.' },
    { title: 'Editor binding', files: [{ path: clientFile(ctx, 'collab-doc'), action: 'create', why: 'Y.Doc + WebsocketProvider + editor binding + awareness' }], detailMd: 'One provider per open document; destroy it on close.' },
  ],
  errors: [
    { code: 'DOC_TOO_LARGE', when: 'an update would exceed the document size cap', clientMd: 'block further edits and ask to split the document' },
  ],
  metrics: [
    { name: 'collab_documents_open', type: 'gauge', labels: '', whyMd: 'documents held in memory' },
    { name: 'collab_update_bytes', type: 'histogram', labels: '', whyMd: 'update sizes; outliers point at pasted blobs' },
  ],
};
