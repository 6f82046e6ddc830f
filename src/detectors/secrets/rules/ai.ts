// Model and AI-platform providers: the credentials an LLM gateway sees most often.
import { ALNUM, HEX, UUID, keyed, prefixed } from '../rule.ts';
import type { SecretRule } from '../rule.ts';

export const AI_RULES: SecretRule[] = [
  // OpenAI keys embed "T3BlbkFJ" (base64 of "OpenAI") between two random halves, in the legacy
  // sk-… form and in sk-proj-/sk-svcacct-/sk-admin- keys.
  prefixed('openai-api-key', 'OpenAI API key', ['t3blbkfj'], 'sk-(?:(?:proj|svcacct|admin|None)-)?[A-Za-z0-9_-]{10,160}T3BlbkFJ[A-Za-z0-9_-]{10,160}', {
    notAfter: 'A-Za-z0-9._-',
    anchored: false,
    score: 0.99,
    severity: 'critical',
  }),
  prefixed('openai-project-key', 'OpenAI project / service-account key', ['sk-proj-', 'sk-svcacct-', 'sk-admin-'], 'sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{80,250}', {
    notAfter: 'A-Za-z0-9._-',
    score: 0.85,
    severity: 'critical',
  }),
  // 48 alphanumerics after "sk-" is the pre-2024 OpenAI shape, also used by several compatible APIs.
  prefixed('openai-style-api-key', 'OpenAI-style API key', ['sk-'], 'sk-[A-Za-z0-9]{48}', {
    score: 0.8,
    minEntropy: 4,
    verify: (c) => /[0-9]/.test(c.value) && /[a-z]/.test(c.value) && /[A-Z]/.test(c.value),
  }),
  // Anthropic keys: "sk-ant-" + kind + version, 95 characters ending in "AA".
  prefixed('anthropic-api-key', 'Anthropic API key', ['sk-ant-api'], 'sk-ant-api\\d{2}-[A-Za-z0-9_-]{93}AA', { score: 0.99, severity: 'critical' }),
  prefixed('anthropic-admin-key', 'Anthropic admin API key', ['sk-ant-admin'], 'sk-ant-admin\\d{2}-[A-Za-z0-9_-]{93}AA', { score: 0.99, severity: 'critical' }),
  prefixed('anthropic-other-token', 'Anthropic token', ['sk-ant-'], 'sk-ant-(?!api\\d|admin\\d)[a-z]{2,8}\\d{2}-[A-Za-z0-9_-]{80,120}', { score: 0.85 }),
  prefixed('openrouter-api-key', 'OpenRouter API key', ['sk-or-v1-'], `sk-or-v1-${HEX(64)}`, { score: 0.99 }),
  prefixed('groq-api-key', 'Groq API key', ['gsk_'], 'gsk_[A-Za-z0-9]{52}'),
  prefixed('xai-api-key', 'xAI API key', ['xai-'], 'xai-[A-Za-z0-9]{80}'),
  prefixed('perplexity-api-key', 'Perplexity API key', ['pplx-'], 'pplx-[A-Za-z0-9]{48}'),
  // Hugging Face user access tokens: "hf_" + 34 letters; organization API tokens "api_org_".
  prefixed('huggingface-access-token', 'Hugging Face access token', ['hf_'], 'hf_[A-Za-z]{34}', { score: 0.9 }),
  prefixed('huggingface-org-token', 'Hugging Face organization token', ['api_org_'], 'api_org_[A-Za-z]{34}', { score: 0.9 }),
  prefixed('replicate-api-token', 'Replicate API token', ['r8_'], 'r8_[A-Za-z0-9]{37}'),
  prefixed('langsmith-api-key', 'LangSmith API key', ['lsv2_pt_', 'lsv2_sk_'], `lsv2_(?:pt|sk)_${HEX(32)}_${HEX(10)}`, { score: 0.99 }),
  prefixed('langfuse-secret-key', 'Langfuse secret key', ['sk-lf-'], `sk-lf-${UUID}`),
  prefixed('pinecone-api-key', 'Pinecone API key', ['pcsk_'], 'pcsk_[A-Za-z0-9]{4,8}_[A-Za-z0-9]{40,80}'),
  keyed('pinecone-api-key-legacy', 'Pinecone API key', ['pinecone'], UUID, { score: 0.75 }),
  prefixed('nvidia-api-key', 'NVIDIA API key', ['nvapi-'], 'nvapi-[A-Za-z0-9_-]{64}'),
  prefixed('cerebras-api-key', 'Cerebras API key', ['csk-'], 'csk-[a-z0-9]{48}', { score: 0.9 }),
  prefixed('fireworks-api-key', 'Fireworks AI API key', ['fw_'], 'fw_[A-Za-z0-9]{24}', { score: 0.8 }),
  prefixed('jina-api-key', 'Jina AI API key', ['jina_'], `jina_${HEX(32)}[A-Za-z0-9_-]{28,40}`, { score: 0.9 }),
  keyed('cohere-api-key', 'Cohere API key', ['cohere', 'co_api_key'], ALNUM(40), { score: 0.8 }),
  keyed('mistral-api-key', 'Mistral API key', ['mistral'], ALNUM(32), { score: 0.8 }),
  keyed('deepseek-api-key', 'DeepSeek API key', ['deepseek'], `sk-${HEX(32)}`, { score: 0.85 }),
  keyed('together-api-key', 'Together AI API key', ['together_api', 'together-api', 'togetherai', 'together_key'], HEX(64), { score: 0.8 }),
  keyed('assemblyai-api-key', 'AssemblyAI API key', ['assemblyai', 'assembly_ai'], HEX(32), { score: 0.8 }),
  keyed('elevenlabs-api-key', 'ElevenLabs API key', ['elevenlabs', 'eleven_labs', 'xi-api-key'], `sk_${HEX(48)}|${HEX(32)}`, { score: 0.8 }),
  keyed('deepgram-api-key', 'Deepgram API key', ['deepgram'], HEX(40), { score: 0.8 }),
  keyed('voyage-api-key', 'Voyage AI API key', ['voyage'], 'pa-[A-Za-z0-9_-]{43}', { score: 0.85 }),
  keyed('wandb-api-key', 'Weights & Biases API key', ['wandb'], HEX(40), { score: 0.8 }),
  keyed('stability-api-key', 'Stability AI API key', ['stability'], 'sk-[A-Za-z0-9]{48}', { score: 0.85 }),
];
