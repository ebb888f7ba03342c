// latest-message-only (rules/last-message.ts): a react-use-websocket client that reads messages
// only through `lastJsonMessage` / `lastMessage` (React state: a batch of messages shows only its
// last) with no `onMessage` option. Options are read inline or where the project defines them.
// Only with react-use-websocket < 4.0.0 and React >= 18: 4.0.0 sets the state inside flushSync (one
// render per message), and React 17 renders an update made outside its handlers at once.
import { ruleTester } from './rule-tester.js';

const pkg = (hookVersion: string, react = '18.3.1'): string =>
  `{ "name": "console", "dependencies": { "react": "${react}", "react-use-websocket": "${hookVersion}" } }`;
const PKG = pkg('3.0.0');
const hook = (picks: string, options: string, imports = ''): string =>
  `import { useEffect } from 'react';\nimport useWebSocket from 'react-use-websocket';\n${imports}\nexport function useFeed(apply) {\n  const { ${picks} } = useWebSocket('wss://feed.example.test/v1'${options});\n  useEffect(() => {\n    if (lastJsonMessage) apply(lastJsonMessage);\n  }, [lastJsonMessage]);\n}\n`;

ruleTester('latest-message-only', {
  valid: [
    {
      name: 'onMessage applies every message',
      files: { 'package.json': PKG, 'src/useFeed.ts': hook('lastJsonMessage', ', { onMessage: (e) => apply(JSON.parse(e.data)) }') },
    },
    {
      name: 'onMessage is set in an options object of another module',
      files: {
        'package.json': PKG,
        'src/useFeed.ts': hook('lastJsonMessage', ', feedOptions', "import { feedOptions } from './options';"),
        'src/options.ts': 'export const feedOptions = { share: true, onMessage: (e) => console.log(e.data) };\n',
      },
    },
    {
      name: 'the options come from a package: whether they set onMessage cannot be told',
      files: { 'package.json': PKG, 'src/useFeed.ts': hook('lastJsonMessage', ', presetOptions', "import { presetOptions } from 'feed-presets';") },
    },
    {
      name: 'the socket itself is read too (getWebSocket)',
      files: { 'package.json': PKG, 'src/useFeed.ts': hook('lastJsonMessage, getWebSocket', '') },
    },
    {
      name: 'react-use-websocket 4.x sets the latest message inside flushSync: every message renders',
      files: { 'package.json': pkg('4.8.1'), 'src/useFeed.ts': hook('lastJsonMessage, readyState', ', { share: true, retryOnError: true }') },
    },
    {
      name: 'a declared 4.x range: its lowest version already uses flushSync',
      files: { 'package.json': pkg('^4.0.0'), 'src/useFeed.ts': hook('lastJsonMessage', '') },
    },
    {
      name: 'React 17 renders an update made outside its event handlers at once',
      files: { 'package.json': pkg('3.0.0', '17.0.2'), 'src/useFeed.ts': hook('lastJsonMessage', '') },
    },
    {
      name: 'the version of react-use-websocket cannot be told',
      files: { 'package.json': pkg('latest'), 'src/useFeed.ts': hook('lastJsonMessage', '') },
    },
    {
      name: 'only sends: no latest-message state is read',
      files: {
        'package.json': PKG,
        'src/useFeed.ts': `import useWebSocket from 'react-use-websocket';\nexport function useSender() {\n  const { sendJsonMessage } = useWebSocket('wss://feed.example.test/v1');\n  return sendJsonMessage;\n}\n`,
      },
    },
  ],
  invalid: [
    {
      name: 'lastJsonMessage with inline options that set no onMessage',
      files: { 'package.json': PKG, 'src/useFeed.ts': hook('lastJsonMessage, readyState', ', { share: true, retryOnError: true }') },
      errors: ['src/useFeed.ts:5'],
    },
    {
      name: 'lastJsonMessage with an options object of another module that sets no onMessage',
      files: {
        'package.json': PKG,
        'src/useFeed.ts': hook('lastJsonMessage', ', feedOptions', "import { feedOptions } from './options';"),
        'src/options.ts': 'export const feedOptions = { share: true, reconnectAttempts: 50 };\n',
      },
      errors: ['src/useFeed.ts:5'],
    },
    {
      name: 'lastMessage and no options at all',
      files: { 'package.json': PKG, 'src/useFeed.ts': hook('lastMessage: lastJsonMessage', '') },
      errors: ['src/useFeed.ts:5'],
    },
    {
      name: 'a declared 3.x range with React 18',
      files: { 'package.json': pkg('^3.0.0', '^18.2.0'), 'src/useFeed.ts': hook('lastJsonMessage', '') },
      errors: ['src/useFeed.ts:5'],
    },
  ],
});
