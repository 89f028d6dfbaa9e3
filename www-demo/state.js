// Constants of the demo and the page state its modules share.
//
// Part of the demo page (see app.js): text only, never markup.

import { CONVERSATIONS } from './seed-data.js';
import { newId } from './dom.js';

export const SDK_URL = '/pkg/optave_client.js';
export const TICKET_URL = '/api/ws-ticket';
/** The local server's test control: aborts every open WebSocket. */
export const DROP_URL = '/api/test/drop';
export const MAX_LOG_ENTRIES = 300;

export const ACTION_LABELS = {
  interaction: 'Interaction',
  reception: 'Reception',
  insights: 'Insights',
  summarize: 'Summarize',
  translate: 'Translate',
  recommend: 'Recommend',
  adjust: 'Adjust',
  elevate: 'Elevate',
  customerInteraction: 'Customer Interaction',
  customerinteraction: 'Customer Interaction',
};

export const TYPE_LABELS = {
  sentiment_analysis: 'Sentiment',
  risk_assessment: 'Risk assessment',
  escalation_need: 'Escalation need',
  language_identification: 'Language',
  search_requirements: 'Search requirements',
  performance_criteria: 'Performance criteria',
  recommend: 'Recommendations',
  summary: 'Summary',
  translation: 'Translation',
  adjust_suggestion: 'Adjusted reply',
  elevate_suggestion: 'Elevation',
};

// ---------------------------------------------------------------------------
// State

export const state = {
  conversations: structuredClone(CONVERSATIONS),
  current: 'greeting',
  client: null,
  sessionId: newId(),
  lastCorrelationId: null,
  sendSeq: 0,
  /** correlationId -> the request's group: { el, list, badge, cancel, action, people, cards, handle } (panel.js) */
  groups: new Map(),
  recentErrors: new Map(),
  seenErrors: new WeakSet(),
  /** `client.state`, as the last `stateChange` reported it. */
  connState: 'initialized',
  sdkFailed: false,
  /** The countdown to the next attempt: its interval and when it ends (ms since epoch). */
  retryTimer: null,
  retryAt: 0,
  /** A drop request is on its way. */
  dropping: false,
};

export const $ = (id) => document.getElementById(id);
