// latest-message-only (rules/last-message.ts): a react-use-websocket client that reads messages
// only through `lastJsonMessage` / `lastMessage` (React state: a batch of messages shows only its
// last) with no `onMessage` option. Options are read inline or where the project defines them.
import { ruleTester } from './rule-tester.js';

const PKG = '{ "name": "console", "dependencies": { "react": "18.3.1", "react-use-websocket": "4.8.1" } }';
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
  ],
});
