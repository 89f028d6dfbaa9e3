// Type-level test of the React entry's declarations (pkg/react.d.ts), compiled
// with tests/consumer.ts by `make test-types` (tests/tsconfig.json, strict).
// Never executed. Each line after a `// @ts-expect-error` comment is a mistake
// the declarations must reject (one mistake per line).
import { createElement } from 'react';
import { OptaveClient, OptaveError, type ConnectionState, type SummarizeParams, type SuperpowerEvent } from '../pkg/optave_client.js';
import {
  OptaveProvider, useConnectionState, useOptaveClient, useRequest, useSuperpowerEvents,
  type OptaveProviderProps, type RequestStatus, type SuperpowersOf, type UseRequestResult,
} from '../pkg/react.js';

const options = { websocketUrl: 'ws://127.0.0.1:8787/ws', tokenProvider: async () => 'ticket' };

// ------------------------------------------------------------------- provider

const withOptions: OptaveProviderProps = { options, onError: (e: OptaveError) => console.error(e.code) };
const withClient: OptaveProviderProps = { client: await OptaveClient.create(options) };
createElement(OptaveProvider, withOptions, 'children');
void withClient;
// @ts-expect-error the provider needs options or a client
const neither: OptaveProviderProps = {};
// @ts-expect-error the options are the client's: websocketUrl is required
const noUrl: OptaveProviderProps = { options: { tokenProvider: async () => 'ticket' } };
void [neither, noUrl];

// ---------------------------------------------------------------------- hooks

const client: OptaveClient | null = useOptaveClient();
const state: ConnectionState = useConnectionState();
void [client, state];

const params: SummarizeParams = { request: { connections: { threadId: 't' }, scope: { conversations: [{ messages: [{ content: 'hi', timestamp: '2024-01-15T10:30:00.000Z' }] }] } } };
const summary = useRequest('summarize');
summary.send(params);
summary.send(params, { timeoutMs: 10_000, settleMs: 0 });
const status: RequestStatus = summary.status;
const cancelled: boolean = summary.cancel();
const events: readonly SuperpowerEvent[] = summary.events;
const id: string | undefined = summary.correlationId;
const failure: OptaveError | null = summary.error;
const errors: readonly OptaveError[] = summary.errors;
// `results` is keyed by the superpowers of the hook's action, each typed as settled() types it.
const summaryFrame: SuperpowerEvent<'summary'> | undefined = summary.results.summary;
void [status, cancelled, events, id, failure, errors, summaryFrame];
// @ts-expect-error a results key of another action: summarize is answered by summary only
summary.results.sentiment_analysis;
// @ts-expect-error a wrong action name
useRequest('summarise');
// @ts-expect-error the params of another action: adjust needs attributes.content and connections.parentId
useRequest('adjust').send(params);
// @ts-expect-error send's options are the request handle's (timeoutMs, settleMs)
summary.send(params, { timeout: 5 });
// @ts-expect-error status is one of four strings
const notAStatus: RequestStatus = 'cancelled';
void notAStatus;

const insights = useRequest('insights');
const sentiment = insights.results.sentiment_analysis?.message.results[0]?.response?.[0]?.score; // declared in consumer.ts
const perf: SuperpowerEvent<'performance_criteria'> | undefined = insights.results.performance_criteria;
void [sentiment, perf];
// @ts-expect-error insights is not answered by summary
insights.results.summary;
// A superpower the map does not name for the action is read through the second type argument.
const extended: UseRequestResult<'insights', SuperpowersOf<'insights'> | 'churn_risk'> = useRequest<'insights', SuperpowersOf<'insights'> | 'churn_risk'>('insights');
const churn: number | undefined = extended.results.churn_risk?.message.results[0]?.response?.[0]?.probability;
void churn;

const all: ReadonlyArray<SuperpowerEvent | OptaveError> = useSuperpowerEvents();
const some = useSuperpowerEvents({ correlationId: 'c', actionType: 'summary', limit: 10 });
void [all, some];
// @ts-expect-error actionType names a superpower
useSuperpowerEvents({ actionType: 'not_a_superpower' });
// @ts-expect-error limit is a number
useSuperpowerEvents({ limit: '10' });

export {};
