// Public surface of the documentation stage.
export { gatherDocs, DEFAULT_DOCS_BUDGET, type GatherDocsInput, type GatherDocsOptions, type DocsMode } from './gather.js';
export { knowledgeFor, loadKnowledge, appliesTo, type KnowledgeNote } from './knowledge.js';
export { CACHE_TTL_MS, cacheDir } from './cache.js';
