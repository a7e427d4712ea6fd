export { createLlmAnswerer, type LlmAnswerer, type LlmAnswererDeps, type LlmSettings } from './answerer.js';
export { type AnswererConfig, type AnswererDeps, createAnswerer } from './create.js';
export { buildCorpus, checkReply, detectInjection, sanitizeData, type Violation } from './guardrails.js';
export type { ConversationUsage, LlmMetrics, Pricing, TokenBudget } from './meter.js';
export { type ChatMessage, type ChatModel, type ChatRequest, type ChatResult, ModelError, type ToolCall, type ToolSpec } from './model.js';
export { createOpenAiModel, type OpenAiModelOptions } from './openai-provider.js';
