export { PROMPT_LANGUAGES, PROMPT_TEXTS, PROMPT_IDS, type PromptLanguage, type PromptId, type NumberPromptId, type DatePromptId, type HourPromptId } from './prompt-texts.js';
export { PromptCatalogue, DEFAULT_PROMPT_DIRECTORY } from './catalogue.js';
export {
  type Gender,
  type PluralCategory,
  pluralCategory,
  sayNumber,
  sayDigits,
  sayMessageCount,
  sayDate,
  sayMailboxGreeting,
  sayTime,
} from './say.js';
