// Collaborative editing with a CRDT (Yjs). Text edited by several people at once is the one
// kind of data where LWW loses work and OT needs a central transformer; Yjs merges updates
// in any order. The document channel speaks y-protocols' binary messages, not our JSON
// envelope: state vectors replace seq numbers, and there are no acks or named events on it.
import { sequenceDiagram } from '../../diagrams/builders.js';
import type { DesignCtx } from '../context.js';
import { code } from '../md.js';
import { cs, ev, f, serverFile, clientFile, type ScenarioModule } from './kit.js';

/** How the document traffic travels: y-websocket, binary Socket.IO events, or a WebSocket next to a one-way transport. */
export type DocChannel = 'y-websocket' | 'socket.io' | 'separate-websocket';

export function docChannel(ctx: Pick<DesignCtx, 'transport'>): DocChannel {
  if (ctx.transport === 'websocket') return 'y-websocket';
  if (ctx.transport === 'socket.io') return 'socket.io';
  // SSE and long-polling are server → client text; WebRTC would need a peer mesh (y-webrtc) and a signalling server.
  return 'separate-websocket';
}

const CARRIAGE: Record<DocChannel, string> = {
  'y-websocket': `the ${code('y-websocket')} client provider talking to ${code('@y/websocket-server')}`,
  'socket.io':
    'binary Socket.IO events on the existing connection, one Socket.IO room per document (Socket.IO carries `Uint8Array` payloads as binary attachments)',
  'separate-websocket': `a separate WebSocket endpoint (${code('y-websocket')} client, ${code('@y/websocket-server')} server), because the plan's main transport cannot carry bidirectional binary Yjs traffic`,
};

/** Why document editors must land on one instance, and the two ways out. */
function affinity(ctx: DesignCtx): string {
  return docChannel(ctx) === 'socket.io'
    ? `Each instance holds the Y.Doc of the documents its sockets edit: route every connection of one document to the same instance (hash on the docId), or apply updates relayed by the adapter to the local Y.Doc and persist from one writer; the adapter alone only relays frames.`
    : `${code('@y/websocket-server')} keeps each document as an in-memory Y.Doc on the process its editors are connected to, and cannot be scaled by adding nodes behind a round-robin balancer: route by docId (hash on the ${code('/yjs/{docId}')} path at the load balancer), or replace it with a Redis-backed server (${code('y-redis')}, AGPL or commercial licence, beta) or Hocuspocus with its Redis extension.`;
}

/**
 * Who may change a document once it is open. The sync protocol has no authorization: a relay of
 * ours can drop a reader's updates, Hocuspocus has read-only connections, and
 * `@y/websocket-server`'s `setupWSConnection` applies every sync message it receives, with no
 * read-only option or per-message hook (its utils read and apply each message themselves).
 */
export function docWriteRuleMd(ctx: DesignCtx): string {
  if (docChannel(ctx) === 'socket.io')
    return `if some users may only read a document, the relay (ours) drops their ${code('sync.update')} and any ${code('sync.step2')} with content`;
  if (ctx.input.analysis.stack.libraries.some((l) => l.name === '@hocuspocus/server'))
    return `if some users may only read a document, mark their connection read-only in Hocuspocus's ${code('onAuthenticate')} hook: it then ignores their document updates`;
  return `${code('setupWSConnection')} applies every sync message it receives and has no read-only option, so whoever may open a document may edit it; read-only access, if it is wanted later, needs a wrapper around its message handler (or Hocuspocus, which has read-only connections)`;
}

export const collabEditing: ScenarioModule = {
  id: 'collab-editing',
  title: 'Collaborative editing (CRDT)',
  features: ['collaborative-editing'],
  words: ['collab', 'collaborative', 'editor', 'editing', 'crdt', 'yjs', 'whiteboard', 'multiplayer', 'coedit'],
  providers: [],
  libraries: ['yjs', 'y-websocket', '@hocuspocus/server', '@hocuspocus/provider', '@y/websocket-server'],
  // rooms: false because y-websocket already treats each document as its own room.
  needs: { bidirectional: true, binary: true, media: false, rooms: false },
  defaults: {
    connections: 2_000,
    msgRate: 1_000,
    payloadBytes: 200,
    fanout: 5,
    why: 'five editors per document, a Yjs update every 2 s per editor, small binary updates',
    whyBy: {
      connections: '2,000 editors online at peak',
      msgRate: 'a Yjs update every 2 s per editor',
      payloadBytes: 'small binary updates of about 200 bytes',
      fanout: 'five editors per document',
    },
  },
  resume: (ctx) => ({
    event: 'sync.step1',
    cursor: 'state vector',
    mutation: 'sync.update',
    key: null,
    seq: false,
    stateVector: true,
    catchUpMd: `Collaborative editing (CRDT): no log and no seq. On every (re)connect both sides send ${code('sync.step1')} with their state vector and answer with ${code('sync.step2')} holding exactly the updates the other lacks, however long the client was away; the server needs only the persisted merged document.`,
    optimisticMd: `Collaborative editing (CRDT): every edit applies to the local Y.Doc at once and is never rolled back; the document channel has no acks and no rejections. Access is decided once, at the upgrade: ${docWriteRuleMd(ctx)}.`,
    offlineMd: `Collaborative editing (CRDT): nothing is queued: offline edits stay in the local Y.Doc (persist it with ${code('y-indexeddb')} to survive a reload) and reach the server in the state-vector exchange on reconnect.`,
  }),
  summaryMd: (ctx) =>
    `Collaborative editing with Yjs documents over ${CARRIAGE[docChannel(ctx)]}: state-vector sync on join (binary y-protocols messages, no seq numbers), updates broadcast per document, awareness for cursors, persistence of merged state.`,
  events: () => {
    const ch = 'doc/{docId}';
    const head = (type: string, what: string) => f('messageType', type, what);
    return [
      ev('sync.step1', 'both', ch, "Binary y-protocols sync message (type 0, step 1): the sender's state vector", 'YjsSyncStep1', [
        head('0', 'varUint messageSync'),
        f('syncType', '0', 'varUint messageYjsSyncStep1'),
        f('stateVector', 'Uint8Array'),
      ]),
      ev('sync.step2', 'both', ch, 'Binary sync message (type 0, step 2): the updates the peer lacks', 'YjsSyncStep2', [
        head('0', 'varUint messageSync'),
        f('syncType', '1', 'varUint messageYjsSyncStep2'),
        f('update', 'Uint8Array'),
      ]),
      ev('sync.update', 'both', ch, 'Binary sync message (type 0, update): one incremental document update', 'YjsUpdate', [
        head('0', 'varUint messageSync'),
        f('syncType', '2', 'varUint messageYjsUpdate'),
        f('update', 'Uint8Array'),
      ]),
      ev('awareness.update', 'both', ch, 'Binary awareness message (type 1): cursors, selections, user info', 'AwarenessUpdate', [
        head('1', 'varUint messageAwareness'),
        f('update', 'Uint8Array', 'encoded awareness states'),
      ]),
    ];
  },
  flows: (ctx) => {
    const parts = [...cs(ctx), { key: 'peer', label: 'Other editors' }, { key: 'db', label: 'Document persistence' }];
    const open = docChannel(ctx) === 'socket.io' ? 'join document d1 (binary events)' : 'WebSocket upgrade /yjs/d1 (session cookie)';
    return [
      {
        title: 'Open a document (Yjs sync)',
        summaryMd: `Both sides exchange state vectors and send only what the other lacks; after that every local change is one ${code('sync.update')}. All four messages are binary y-protocols frames, not JSON.`,
        diagram: sequenceDiagram('Open a document (Yjs sync)', {
          participants: parts,
          autonumber: true,
          steps: [
            { kind: 'message', from: 'client', to: 'server', text: open },
            { kind: 'message', from: 'server', to: 'db', text: 'load merged state of d1' },
            { kind: 'message', from: 'client', to: 'server', text: 'sync.step1 (client state vector)' },
            { kind: 'message', from: 'server', to: 'client', text: 'sync.step2 (missing updates)', style: 'reply' },
            { kind: 'message', from: 'server', to: 'client', text: 'sync.step1 (server state vector)', style: 'async' },
            { kind: 'message', from: 'client', to: 'server', text: 'sync.step2 (offline edits)' },
            { kind: 'message', from: 'server', to: 'peer', text: 'sync.update (offline edits)', style: 'async' },
          ],
        }),
      },
      {
        title: 'Concurrent edits merge',
        summaryMd:
          'Two editors type at the same position; each applies the other update whenever it arrives and both converge to the same text without a server-side transform.',
        diagram: sequenceDiagram('Concurrent edits merge', {
          participants: parts,
          steps: [
            {
              kind: 'block',
              type: 'par',
              label: 'client edits',
              steps: [{ kind: 'message', from: 'client', to: 'server', text: 'sync.update insert A at 10', style: 'async' }],
              else: [{ label: 'peer edits', steps: [{ kind: 'message', from: 'peer', to: 'server', text: 'sync.update insert B at 10', style: 'async' }] }],
            },
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
    {
      data: 'document text and structure',
      strategy: 'CRDT (Yjs)',
      whyMd:
        'Concurrent edits at the same position must all survive; Yjs merges in any order and works offline, OT would need a central transformer per document. State vectors, not seq numbers, tell each side what the other lacks.',
    },
    { data: 'cursors and selections', strategy: 'Ephemeral awareness state', whyMd: 'Times out after 30 s without updates; never persisted.' },
  ],
  affinity: (ctx) => affinity(ctx),
  risks: (ctx) => [
    {
      title: 'Document growth',
      riskMd:
        'Yjs keeps tombstones for deleted content, and a `Y.Doc` created with `gc: false` (for version history) keeps the deleted content itself; the persisted update log grows with every keystroke, and a sync reply carries the whole state.',
      mitigationMd:
        "Keep `gc: true` (the default) on the server's documents unless version history needs it, store merged snapshots (`Y.encodeStateAsUpdate`, or `Y.mergeUpdates` over the log) and drop the compacted updates on a schedule, and alert on document size before the payload cap.",
    },
    {
      title: 'Editors of one document on different instances',
      riskMd:
        'Each instance holds its own in-memory copy of the document; updates relayed on one never reach editors connected to another, and the copies diverge.',
      mitigationMd: affinity(ctx),
    },
    {
      title: 'Binary frames through JSON tooling',
      riskMd: 'Logging, validation or rate-limit middleware that parses every frame as JSON rejects or corrupts Yjs messages.',
      mitigationMd: 'Keep the document endpoint on its own path; validate by message type byte and size, not with the JSON schemas of the app events.',
    },
  ],
  tests: () => [
    'two Y.Doc clients editing concurrently through the server converge to identical text',
    'offline edits sync after reconnect without losing either side (state-vector exchange, no replay log)',
    'a connection refused at the upgrade (401 or 403) never receives the document or its awareness states',
  ],
  steps: (ctx) => {
    const ch = docChannel(ctx);
    const server =
      ch === 'socket.io'
        ? {
            title: 'Yjs relay on Socket.IO',
            files: [
              {
                path: serverFile(ctx, 'yjs-relay'),
                action: 'create' as const,
                why: 'per-document room, y-protocols sync and awareness over binary events, persistence hooks',
              },
            ],
            detailMd: "Authorize the docId on join; apply updates to the instance's Y.Doc before relaying them to the room.",
          }
        : {
            title: ch === 'separate-websocket' ? 'WebSocket endpoint for the documents' : 'Yjs document server with auth and persistence',
            files: [
              {
                path: serverFile(ctx, 'yjs-server'),
                action: 'create' as const,
                why: '`@y/websocket-server` `setupWSConnection` on `/yjs/{docId}`, per-document auth in the upgrade handler, persistence hooks',
              },
            ],
            detailMd: `${ch === 'separate-websocket' ? 'The chosen transport is one-way text, so the documents get their own WebSocket endpoint next to it. ' : ''}${code('y-websocket')} 3.x ships only the client provider; the server is the separate ${code('@y/websocket-server')} package (add both). Authorize the docId from the URL before ${code('setupWSConnection')}.`,
          };
    return [
      server,
      {
        title: 'Editor binding',
        files: [
          {
            path: clientFile(ctx, 'collab-doc'),
            action: 'create',
            why: `Y.Doc + ${ch === 'socket.io' ? 'Socket.IO provider' : 'WebsocketProvider'} + editor binding + awareness`,
          },
          // A PUT of the whole document beside the CRDT is a second writer (Core design): removed, and its route only takes the server's snapshot.
          ...(ctx.input.analysis.modelFacts ?? [])
            .filter((x) => x.kind === 'http-put')
            .flatMap((x) => [
              {
                path: x.evidence.replace(/:\d+$/, ''),
                action: 'change' as const,
                why: `remove the PUT of the whole document to ${code(x.name)} (line ${x.evidence.split(':').pop()}): the editor binds to the Y.Doc, whose persistence is the only writer (Core design)`,
                lines: [x.evidence.split(':').pop()!],
              },
              ...(x.answeredAt
                ? [
                    {
                      path: x.answeredAt.replace(/:\d+$/, ''),
                      action: 'change' as const,
                      why: `the PUT route (line ${x.answeredAt.split(':').pop()}) no longer takes client saves: remove it, or keep its store written only by the Yjs persistence hook as a text snapshot of the merged document`,
                      lines: [x.answeredAt.split(':').pop()!],
                    },
                  ]
                : []),
            ]),
        ],
        detailMd: 'One provider per open document; destroy it on close. `y-indexeddb` keeps offline edits across reloads.',
      },
    ];
  },
  errors: [
    {
      code: 'DOC_TOO_LARGE',
      when: 'an update would exceed the document size cap',
      clientMd: 'block further edits and ask to split the document (the server closes the document connection with 1009)',
    },
  ],
  metrics: [
    { name: 'collab_documents_open', type: 'gauge', labels: '', whyMd: 'documents held in memory per instance' },
    { name: 'collab_update_bytes', type: 'histogram', labels: '', whyMd: 'update sizes; outliers point at pasted blobs' },
  ],
};
