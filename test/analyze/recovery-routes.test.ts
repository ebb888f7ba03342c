// webrtc-no-connection-state (a peer connection nobody watches cannot recover from a network
// drop) and request-route-missing (a relative request no route of the visible server serves).
import { ruleTester } from './rule-tester.js';

const WEB = JSON.stringify({ name: 'web', type: 'module', dependencies: { express: '4.21.1' } });
const PEER = (extra: string): string =>
  `export async function start() {\n  const pc = new RTCPeerConnection({ iceServers: [{ urls: 'stun:stun.example.com' }] });\n${extra}  const offer = await pc.createOffer();\n  await pc.setLocalDescription(offer);\n  return pc;\n}\n`;

ruleTester('webrtc-no-connection-state', {
  valid: [
    {
      name: 'onconnectionstatechange assigned',
      files: { 'package.json': WEB, 'src/call.js': PEER("  pc.onconnectionstatechange = () => { if (pc.connectionState === 'failed') pc.restartIce(); };\n") },
    },
    {
      name: 'iceconnectionstatechange listener',
      files: { 'package.json': WEB, 'src/call.js': PEER("  pc.addEventListener('iceconnectionstatechange', () => console.log(pc.iceConnectionState));\n") },
    },
    {
      name: 'watched in another module the caller uses',
      files: {
        'package.json': WEB,
        'src/call.js': PEER(''),
        'src/ui/useCall.js':
          "import { start } from '../call.js';\nexport async function open(show) {\n  const pc = await start();\n  pc.addEventListener('connectionstatechange', () => show(pc.connectionState));\n}\n",
      },
    },
  ],
  invalid: [{ name: 'nothing watches the peer connection', files: { 'package.json': WEB, 'src/call.js': PEER('') }, errors: ['src/call.js:2'] }],
});

// Only parsed modules are read: the server mints provider tokens, the client opens a peer connection.
const SERVER = (routes: string): string =>
  `import express from 'express';\nimport OpenAI from 'openai';\nconst openai = new OpenAI();\nconst app = express();\napp.use(express.json());\n${routes}app.use(express.static('web/dist'));\napp.listen(3000);\n`;
const TOKEN = "app.post('/api/token', (req, res) => res.json({ value: 'x' }));\n";
const CLIENT =
  "export async function runTool(name, args) {\n  const res = await fetch(`/api/tools/${name}`, { method: 'POST', body: args });\n  return res.json();\n}\n";
const CALLER =
  "import { runTool } from './tools.js';\nexport function listen() {\n  const dc = new RTCPeerConnection().createDataChannel('events');\n  dc.addEventListener('message', async (e) => {\n    const ev = JSON.parse(e.data);\n    const out = await runTool(ev.name, ev.arguments);\n    dc.send(JSON.stringify({ type: 'result', out }));\n  });\n}\n";

ruleTester('request-route-missing', {
  valid: [
    {
      name: 'the route exists with a parameter',
      files: {
        'package.json': WEB,
        'server/index.js': SERVER(`${TOKEN}app.post('/api/tools/:name', (req, res) => res.json({}));\n`),
        'web/tools.js': CLIENT,
        'web/session.js': CALLER,
      },
    },
    {
      name: 'a router is mounted: its routes are not all visible',
      files: {
        'package.json': WEB,
        'server/index.js': SERVER(`${TOKEN}import { api } from './api.js';\napp.use('/api', api);\n`),
        'server/api.js': "import { Router } from 'express';\nexport const api = Router();\n",
        'web/tools.js': CLIENT,
        'web/session.js': CALLER,
      },
    },
    {
      name: 'nothing shows the client talks to this server',
      files: {
        'package.json': WEB,
        'server/index.js':
          "import express from 'express';\nimport OpenAI from 'openai';\nconst app = express();\napp.post('/api/token', (req, res) => res.json({}));\napp.listen(3000);\n",
        'web/tools.js': CLIENT,
        'web/session.js': CALLER,
      },
    },
  ],
  invalid: [
    {
      name: 'POST to a path no route serves, awaited in a message listener',
      files: { 'package.json': WEB, 'server/index.js': SERVER(TOKEN), 'web/tools.js': CLIENT, 'web/session.js': CALLER },
      errors: ['web/tools.js:2'],
    },
  ],
});
