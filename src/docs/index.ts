// Public surface of the documentation stage. The Context7 client and its disk cache are not
// exported here: gather.ts imports them lazily, so a local plan never loads them.
export { gatherDocs, DEFAULT_DOCS_BUDGET, type GatherDocsInput, type GatherDocsOptions, type DocsMode } from './gather.js';
