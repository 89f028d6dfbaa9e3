// Type-level test of the package as a consumer resolves it: the `exports` map
// of pkg/package.json ('optave-client', 'optave-client/inline',
// 'optave-client/react', 'optave-client/optave_client_bg.wasm'), with the package's own .d.ts files
// checked too (skipLibCheck false). `make test-types` (scripts/test-types.sh)
// compiles it once per lib (ES2020, ES2022, ESNext), from a directory whose
// node_modules/optave-client is pkg/. Never executed.
import init, { OptaveClient, OptaveError, initSync, type SuperpowerEvent } from 'optave-client';
import * as inline from 'optave-client/inline';
import wasmUrl from 'optave-client/optave_client_bg.wasm';
import { OptaveProvider, useRequest, type OptaveProviderProps } from 'optave-client/react';

// The asset subpath is the wasm's URL (bundlers that emit files).
const url: string = wasmUrl;
const viaUrl: Promise<OptaveClient> = OptaveClient.create({ websocketUrl: 'ws://127.0.0.1:8787/ws' }, wasmUrl);
// @ts-expect-error the asset subpath's default export is a URL string
const notANumber: number = wasmUrl;

// The inline entry has the main entry's types: the same class, the same error.
const fromInline: OptaveClient = new inline.OptaveClient({ websocketUrl: 'ws://127.0.0.1:8787/ws' });
const sameError: typeof OptaveError = inline.OptaveError;
const sameInit: typeof init = inline.default;
const sameInitSync: typeof initSync = inline.initSync;
const frame: SuperpowerEvent<'summary'> | undefined = undefined as inline.SuperpowerEvent<'summary'> | undefined;
// @ts-expect-error the inline entry's client takes the same options (websocketUrl is required)
new inline.OptaveClient({});

// The React entry's types name the main entry's: the same client class, typed results.
const props: OptaveProviderProps = { client: fromInline, children: null };
const provider: typeof OptaveProvider = OptaveProvider;
const settledSummary: SuperpowerEvent<'summary'> | undefined = useRequest('summarize').results.summary;
// @ts-expect-error the hook's action is an Action
useRequest('nope');

void [props, provider, settledSummary, url, viaUrl, notANumber, fromInline, sameError, sameInit, sameInitSync, frame];
export {};
