// effect-opens-without-cleanup (rules/effect-cleanup.ts): a React effect that calls a project
// function which opens a session, socket or the microphone, and returns no cleanup.
import { ruleTester } from './rule-tester.js';

const PKG = '{ "name": "app", "dependencies": { "@google/genai": "1.3.0", "react": "18.3.1" } }';
const LIVE = `import { GoogleGenAI } from '@google/genai';\nconst ai = new GoogleGenAI({ apiKey: 'x' });\nexport async function startLive(onMessage) {\n  return ai.live.connect({ model: 'm', callbacks: { onmessage: onMessage } });\n}\nexport function label() {\n  return 'Live';\n}\n`;
const MIC = `export async function openMic() {\n  return navigator.mediaDevices.getUserMedia({ audio: true });\n}\n`;
const component = (body: string, imports = "import { startLive, label } from '../services/live';"): string =>
  `import { useEffect } from 'react';\n${imports}\n\nexport function Panel() {\n  useEffect(() => {\n${body}\n  }, []);\n  return null;\n}\n`;

ruleTester('effect-opens-without-cleanup', {
  valid: [
    {
      name: 'the cleanup closes the session',
      files: {
        'package.json': PKG,
        'src/services/live.ts': LIVE,
        'src/components/Panel.tsx': component('    const p = startLive(console.log);\n    return () => {\n      void p.then((s) => s.close());\n    };'),
      },
    },
    {
      name: 'the effect calls an imported function that opens nothing',
      files: { 'package.json': PKG, 'src/services/live.ts': LIVE, 'src/components/Panel.tsx': component('    document.title = label();') },
    },
    {
      name: 'the function is imported from a package, not the project',
      files: {
        'package.json': PKG,
        'src/components/Panel.tsx': component('    void startLive(console.log);', "import { startLive } from 'some-voice-kit';"),
      },
    },
  ],
  invalid: [
    {
      name: 'an imported function opens a Gemini Live session and the result is dropped',
      files: {
        'package.json': PKG,
        'src/services/live.ts': LIVE,
        'src/components/Panel.tsx': component('    void startLive(console.log);'),
      },
      errors: ['src/components/Panel.tsx:6'],
    },
    {
      name: 'an imported function opens the microphone',
      files: {
        'package.json': PKG,
        'src/audio/mic.ts': MIC,
        'src/components/Panel.tsx': component('    openMic().then((s) => console.log(s.id));', "import { openMic } from '../audio/mic';"),
      },
      errors: ['src/components/Panel.tsx:6'],
    },
    {
      name: 'a function of the same file opens a WebSocket',
      files: {
        'package.json': PKG,
        'src/components/Panel.tsx': `import { useEffect } from 'react';\nimport { url } from './config';\n\nfunction connect() {\n  return new WebSocket(url);\n}\n\nexport function Panel() {\n  useEffect(() => {\n    connect();\n  }, []);\n  return null;\n}\n`,
        'src/components/config.ts': "export const url = 'wss://example.test/socket';\n",
      },
      errors: ['src/components/Panel.tsx:10'],
    },
  ],
});
