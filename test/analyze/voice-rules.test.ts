// Rules for voice-provider sessions (rules/voice.ts), each with valid and invalid projects.
import { ruleTester } from './rule-tester.js';

const PKG = '{ "name": "app", "dependencies": { "@google/genai": "1.3.0", "react": "18.3.1" } }';
const live = (config: string, onmessage: string): string =>
  `import { GoogleGenAI, Modality } from '@google/genai';\nconst ai = new GoogleGenAI({ apiKey: 'x' });\nexport async function start(onCall) {\n  return ai.live.connect({\n    model: 'gemini-live-2.5-flash-preview',\n    config: ${config},\n    callbacks: { onmessage: ${onmessage} },\n  });\n}\n`;
const MAP_BY_NAME = '(msg) => msg.toolCall?.functionCalls?.forEach((c) => onCall({ name: c.name, args: c.args }))';
const MAP_WITH_ID = '(msg) => msg.toolCall?.functionCalls?.forEach((c) => onCall({ id: c.id, name: c.name, args: c.args }))';

ruleTester('live-tools-not-declared', {
  valid: [
    {
      name: 'tools declared in the config',
      files: {
        'package.json': PKG,
        'src/live.ts': live("{ responseModalities: [Modality.AUDIO], tools: [{ functionDeclarations: [{ name: 'magic_edit' }] }] }", MAP_WITH_ID),
      },
    },
    {
      name: 'no tool calls handled',
      files: { 'package.json': PKG, 'src/live.ts': live('{ responseModalities: [Modality.AUDIO] }', '(msg) => console.log(msg.serverContent)') },
    },
    { name: 'config built elsewhere', files: { 'package.json': PKG, 'src/live.ts': live('CONFIG', MAP_WITH_ID) } },
  ],
  invalid: [
    {
      name: 'tool calls handled, no tools in the config',
      files: { 'package.json': PKG, 'src/live.ts': live('{ responseModalities: [Modality.AUDIO] }', MAP_WITH_ID) },
      errors: ['src/live.ts:4'],
    },
  ],
});

ruleTester('tool-call-id-dropped', {
  valid: [
    { name: 'id kept', files: { 'package.json': PKG, 'src/live.ts': live('{ tools: TOOLS }', MAP_WITH_ID) } },
    {
      name: 'whole call passed on',
      files: { 'package.json': PKG, 'src/live.ts': live('{ tools: TOOLS }', '(msg) => msg.toolCall?.functionCalls?.forEach((c) => onCall(c))') },
    },
  ],
  invalid: [
    {
      name: 'name and args copied, id dropped',
      files: { 'package.json': PKG, 'src/live.ts': live('{ tools: TOOLS }', MAP_BY_NAME) },
      errors: ['src/live.ts:7'],
    },
  ],
});
